"""The alert outbox: alerts written in the score run's transaction, sent at least once.

An alert is queued when a flag's level rises (none -> elevated -> high), never on
a re-score that changes nothing. A flag acknowledged or snoozed at a level stays
quiet until its level differs from that level. One alert per client and risk
waits at a time: a later rise before delivery updates the waiting alert, so a
lead gets the newest state once. So an alert exists exactly when the flag change
that caused it was committed.

``deliver`` sends what waits. Its guarantee is *at least once*, never *exactly
once*, because no transaction can span the database and an SMTP server or an
HTTP receiver:

1. **Claim.** Each due row is claimed with a lease by one atomic
   compare-and-set ``UPDATE ... WHERE state = 'pending' AND (lease_until IS NULL
   OR lease_until < now)`` in its own short transaction; the deliverer owns the
   row only if that UPDATE changed exactly one row. Both SQLite (one writer at a
   time) and PostgreSQL (the WHERE is re-checked after a concurrent update)
   guarantee that two deliverers cannot both win, without ``SELECT FOR UPDATE``.
2. **Send** (``transports``), outside any transaction, so a slow receiver holds
   no lock.
3. **Mark** the row ``sent`` (or count a failed attempt) only while this
   deliverer still holds the lease.

A deliverer that dies between 1 and 3 leaves the row pending with its lease;
once the lease expires, another deliverer sends it again. Receivers therefore
see every alert at least once and must deduplicate by its idempotency key, the
alert id, which every channel carries (``Message-ID: <alert_id@billing-risk>``
and ``Idempotency-Key`` headers; ``alert_id`` in JSON). Leases compare wall
clocks, so deliverers on different hosts need clocks in sync to within a small
fraction of ``alert_lease_seconds``.

A failed attempt is retried with exponential backoff (``alert_backoff_seconds``
doubling per attempt) until ``alert_attempts`` attempts have failed; the row is
then ``failed`` and stays visible in ``risk alerts status``. Message texts and
secrets are never logged, and ``last_error`` holds only an error's kind and
code.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from risk.alerts.transports import Channels, DeliveryError
from risk.scoring.levels import rank
from risk.settings import Settings
from risk.store.tables import alerts

log = logging.getLogger(__name__)

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


# --- delivery ------------------------------------------------------------------

#: ``last_error`` is for an operator's eye, not a stack trace.
_ERROR_LENGTH = 200
#: The longest wait between two attempts (seconds): a week.
_MAX_BACKOFF = 7 * 24 * 3600.0


@dataclass
class DeliveryReport:
    """What one ``deliver`` call did: alerts sent, to be retried later, given up on."""

    sent: int
    retried: int
    failed: int


@dataclass(frozen=True)
class _Claimed:
    alert_id: str
    recipient: str
    payload: dict[str, Any]
    attempts: int
    # What queue() may change while we send: if either differs at marking time,
    # the lead has not seen the newest state yet.
    level: str | None
    run_id: int | None


def deliver(
    engine: Engine,
    settings: Settings,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    limit: int = 500,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    """Send up to ``limit`` due pending alerts, oldest first, through the configured channels.

    ``worker`` names this deliverer in the lease (default: host, process and a
    random suffix). ``now`` fixes the clock (tests, replays); by default each
    step reads the current time, so a lease starts when its row is claimed. ``stop``
    is asked before each alert: a worker told to stop finishes the alert in hand and
    leaves the rest for later.
    """
    owner = (worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[:100]

    def clock() -> datetime:
        return datetime.now(UTC) if now is None else _utc(now)

    lease = timedelta(seconds=settings.alert_lease_seconds)
    report = DeliveryReport(sent=0, retried=0, failed=0)
    started = clock()
    with engine.connect() as connection:
        due = list(
            connection.execute(
                select(alerts.c.alert_id)
                .where(
                    alerts.c.state == "pending",
                    alerts.c.next_attempt_at <= started,
                    (alerts.c.lease_until.is_(None)) | (alerts.c.lease_until < started),
                )
                .order_by(alerts.c.created_at, alerts.c.alert_id)
                .limit(limit)
            ).scalars()
        )
    if not due:
        return report
    channels = Channels(settings)
    try:
        for alert_id in due:
            if stop is not None and stop():
                break
            claimed = _claim(engine, str(alert_id), owner, clock(), lease)
            if claimed is None:  # another deliverer has it, or it was sent meanwhile
                continue
            try:
                channel = channels.send(claimed.alert_id, claimed.recipient, claimed.payload)
            except DeliveryError as exc:
                outcome = _record_failure(engine, claimed, owner, clock(), str(exc), settings)
            except Exception as exc:
                # A bad payload must not stop the batch nor sit leased until the lease
                # runs out; only the error's type is kept, its message may quote the text.
                log.error("alert %s: %s while sending", claimed.alert_id, type(exc).__name__)
                error = f"unexpected {type(exc).__name__}"
                outcome = _record_failure(engine, claimed, owner, clock(), error, settings)
            else:
                outcome = _record_sent(engine, claimed, owner, clock(), channel)
            if outcome == "sent":
                report.sent += 1
            elif outcome == "failed":
                report.failed += 1
            elif outcome == "retry":
                report.retried += 1
    finally:
        channels.close()
    log.info(
        "alert delivery by %s: %d sent, %d to retry, %d failed",
        owner,
        report.sent,
        report.retried,
        report.failed,
    )
    return report


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no offset: every stored time must be UTC, and naive means UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _claim(
    engine: Engine, alert_id: str, owner: str, at: datetime, lease: timedelta
) -> _Claimed | None:
    """Take the row's lease by compare-and-set; None when someone else holds it."""
    with engine.begin() as connection:
        won = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == alert_id,
                alerts.c.state == "pending",
                # Re-checked: another deliverer may have failed it into its backoff
                # since we listed it.
                alerts.c.next_attempt_at <= at,
                (alerts.c.lease_until.is_(None)) | (alerts.c.lease_until < at),
            )
            .values(lease_until=at + lease, leased_by=owner)
        ).rowcount
        if won != 1:
            return None
        # Read in the claiming transaction: the content sent is the content leased.
        row = connection.execute(
            select(
                alerts.c.recipient,
                alerts.c.payload,
                alerts.c.attempts,
                alerts.c.level,
                alerts.c.run_id,
            ).where(alerts.c.alert_id == alert_id)
        ).one()
    return _Claimed(
        alert_id=alert_id,
        recipient=str(row.recipient),
        payload=dict(row.payload),
        attempts=int(row.attempts),
        level=row.level,
        run_id=row.run_id,
    )


def _record_sent(engine: Engine, claimed: _Claimed, owner: str, at: datetime, channel: str) -> str:
    with engine.begin() as connection:
        marked = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == claimed.alert_id,
                alerts.c.state == "pending",
                alerts.c.leased_by == owner,
                alerts.c.level.is_not_distinct_from(claimed.level),
                alerts.c.run_id.is_not_distinct_from(claimed.run_id),
            )
            .values(
                state="sent",
                attempts=claimed.attempts + 1,
                sent_at=at,
                channel=channel,
                lease_until=None,
                leased_by=None,
                last_error=None,
            )
        ).rowcount
        if marked == 1:
            log.debug("alert %s sent by %s", claimed.alert_id, channel)
            return "sent"
        # A score run replaced the waiting alert while we sent the old state: the
        # newer one waits under a new key and goes out next. Not a failed attempt.
        superseded = (
            connection.execute(
                select(alerts.c.alert_id).where(alerts.c.alert_id == claimed.alert_id)
            ).first()
            is None
        )
    if superseded:
        log.info(
            "alert %s was replaced while being sent; the newer one goes out next", claimed.alert_id
        )
        return "retry"
    # Our lease expired and another deliverer took the row: it will send and mark
    # it, so this copy was one of the allowed duplicates.
    log.warning("alert %s: lease lost before marking it sent", claimed.alert_id)
    return "lost"


def _record_failure(
    engine: Engine,
    claimed: _Claimed,
    owner: str,
    at: datetime,
    error: str,
    settings: Settings,
) -> str:
    attempts = claimed.attempts + 1
    gave_up = attempts >= settings.alert_attempts
    # Capped, so a large alert_attempts cannot overflow timedelta.
    delay = timedelta(
        seconds=min(settings.alert_backoff_seconds * 2 ** (attempts - 1), _MAX_BACKOFF)
    )
    with engine.begin() as connection:
        marked = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == claimed.alert_id,
                alerts.c.state == "pending",
                alerts.c.leased_by == owner,
            )
            .values(
                state="failed" if gave_up else "pending",
                attempts=attempts,
                last_error=error[:_ERROR_LENGTH],
                next_attempt_at=at + delay,
                lease_until=None,
                leased_by=None,
            )
        ).rowcount
    if marked != 1:
        log.warning("alert %s: lease lost before recording a failed attempt", claimed.alert_id)
        return "lost"
    log.warning(
        "alert %s: attempt %d of %d failed (%s)%s",
        claimed.alert_id,
        attempts,
        settings.alert_attempts,
        error[:_ERROR_LENGTH],
        "; giving up" if gave_up else "",
    )
    return "failed" if gave_up else "retry"
