"""Alerts to account leads: written to an outbox in the score run's transaction.

An alert is queued when a flag's level rises (none -> elevated -> high), never on
a re-score that changes nothing. A flag acknowledged or snoozed at a level stays
quiet until its level differs from that level. One alert per client and risk
waits at a time: a later rise before delivery updates the waiting alert, so a
lead gets the newest state once. ``risk.delivery`` sends what waits here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from risk.levels import rank
from risk.tables import alerts

STATES = ("pending", "sent", "failed")


def should_alert(level: str | None, previous_level: str | None, quiet_level: str | None) -> bool:
    """Whether moving from ``previous_level`` to ``level`` tells the lead something new:
    a rise, unless to the level the flag was acknowledged or snoozed at."""
    return rank(level) > rank(previous_level) and level != quiet_level


def queue(
    connection: Connection,
    *,
    flag_id: str,
    client_id: str,
    risk: str,
    level: str,
    recipient: str,
    payload: dict[str, Any],
    run_id: int | None,
) -> str:
    """Add an alert to the outbox, or update the one still waiting for this client and risk."""
    now = datetime.now(UTC)
    waiting = connection.execute(
        select(alerts.c.alert_id).where(
            alerts.c.client_id == client_id, alerts.c.risk == risk, alerts.c.state == "pending"
        )
    ).scalar()
    alert_id = uuid.uuid4().hex
    payload = {**payload, "alert_id": alert_id, "recipient": recipient}
    if waiting is not None:
        # New content, new key: a deliverer may be sending the old version right now,
        # and a receiver that dedupes by key must not drop the newer one. The old
        # deliverer's "sent" then matches no row, and its lease goes with the old id.
        connection.execute(
            update(alerts)
            .where(alerts.c.alert_id == waiting)
            .values(
                alert_id=alert_id,
                flag_id=flag_id,
                level=level,
                recipient=recipient,
                payload=payload,
                run_id=run_id,
                lease_until=None,
                leased_by=None,
                # New content: its own attempts, at once, not the old one's backoff.
                attempts=0,
                next_attempt_at=now,
                last_error=None,
            )
        )
        return alert_id
    connection.execute(
        insert(alerts).values(
            alert_id=alert_id,
            flag_id=flag_id,
            client_id=client_id,
            risk=risk,
            level=level,
            recipient=recipient,
            payload=payload,
            state="pending",
            created_at=now,
            run_id=run_id,
            attempts=0,
            next_attempt_at=now,
        )
    )
    return alert_id


def status(connection: Connection) -> dict[str, int]:
    """Alerts per state (``risk alerts status``): every state, zeros included."""
    counts: dict[str, int] = dict(
        connection.execute(select(alerts.c.state, func.count()).group_by(alerts.c.state)).all()
    )
    return {state: int(counts.get(state, 0)) for state in STATES}
