"""How a score run moves each client's flag: opened, updated, cleared, with the
events that record it and the alerts that tell the account lead. Trends compare with
the latest run of an earlier date, never with another run of the same date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from risk.alerts.outbox import queue, should_alert
from risk.scoring.levels import trend
from risk.settings import Settings
from risk.store.tables import alerts, flag_events, flags, score_runs, scores


@dataclass
class FlagChanges:
    """What one risk's flag updates did in a run."""

    opened: int = 0
    cleared: int = 0
    alerts: int = 0


@dataclass(frozen=True)
class Assessment:
    """One client's row of ``_assess``, with None (never NaN) where there is nothing."""

    probability: float
    level: str | None
    reasons: list[dict[str, Any]] | None
    next_step: str | None


def assessments(frame: pd.DataFrame) -> list[tuple[str, Assessment]]:
    # Not iterrows: a row Series of mixed types turns None into NaN.
    return [
        (
            str(client_id),
            Assessment(
                float(p),
                level if isinstance(level, str) else None,
                reasons if isinstance(reasons, list) else None,
                step if isinstance(step, str) else None,
            ),
        )
        for client_id, p, level, reasons, step in zip(
            frame.index,
            frame["probability"].tolist(),
            frame["level"].tolist(),
            frame["reasons"].tolist(),
            frame["next_step"].tolist(),
            strict=True,
        )
    ]


def _previous_probabilities(connection: Connection, as_of: date, risk: str) -> dict[str, float]:
    """Each client's probability in the latest finished run of an earlier date: never
    another run of the same date, which would make every trend ``steady``."""
    previous = connection.execute(
        select(score_runs.c.run_id)
        .where(score_runs.c.as_of < as_of, score_runs.c.finished_at.is_not(None))
        .order_by(score_runs.c.as_of.desc(), score_runs.c.run_id.desc())
        .limit(1)
    ).scalar()
    if previous is None:
        return {}
    rows = connection.execute(
        select(scores.c.client_id, scores.c.probability).where(
            scores.c.run_id == previous, scores.c.risk == risk
        )
    ).all()
    return {str(client_id): float(p) for client_id, p in rows}


def update_flags(
    connection: Connection,
    run_id: int,
    as_of: date,
    risk: str,
    frame: pd.DataFrame,
    clients: pd.DataFrame,
    settings: Settings,
    actor: str,
) -> FlagChanges:
    """Open, update or clear each client's flag for ``risk``; queue alerts on rises."""
    changes = FlagChanges()
    now = datetime.now(UTC)
    previous = _previous_probabilities(connection, as_of, risk)
    open_flags = {
        row.client_id: row
        for row in connection.execute(
            select(flags).where(flags.c.risk == risk, flags.c.status == "open")
        ).all()
    }

    def event(flag_id: str, kind: str, **values: Any) -> None:
        connection.execute(
            insert(flag_events).values(
                flag_id=flag_id,
                at=now,
                run_id=run_id,
                kind=kind,
                actor=actor,
                **values,
            )
        )

    for client_id, values in assessments(frame):
        client_id = str(client_id)
        level = values.level
        flag = open_flags.pop(client_id, None)
        if level is None:
            if flag is not None:
                _clear(connection, flag.flag_id, as_of, run_id, values.probability)
                event(flag.flag_id, "cleared", previous_level=flag.level)
                changes.cleared += 1
            continue
        # A flag an earlier run of this same date opened is still this date's news.
        opened = flag is None or flag.opened_on == as_of
        flag_id = uuid.uuid4().hex if flag is None else str(flag.flag_id)
        state = {
            "level": level,
            "probability": float(values.probability),
            "trend": trend(
                float(values.probability), previous.get(client_id), opened, settings.trend_tolerance
            ),
            "reasons": values.reasons,
            "next_step": values.next_step,
            "updated_run_id": run_id,
        }
        if flag is None:
            connection.execute(
                insert(flags).values(
                    flag_id=flag_id,
                    client_id=client_id,
                    risk=risk,
                    status="open",
                    opened_on=as_of,
                    opened_run_id=run_id,
                    **state,
                )
            )
            event(flag_id, "opened", level=level)
            changes.opened += 1
        else:
            connection.execute(update(flags).where(flags.c.flag_id == flag_id).values(**state))
            if level != flag.level:
                event(flag_id, "level_changed", level=level, previous_level=flag.level)
        previous_level = None if flag is None else flag.level
        quiet_level = None if flag is None else flag.quiet_level
        if should_alert(level, previous_level, quiet_level):
            queue(
                connection,
                flag_id=flag_id,
                client_id=client_id,
                risk=risk,
                level=level,
                recipient=str(clients.at[client_id, "account_lead"]),
                payload=_alert_payload(
                    client_id, risk, level, previous_level, as_of, values, clients, settings
                ),
                run_id=run_id,
            )
            changes.alerts += 1
    for flag in open_flags.values():  # clients no longer scored: churned or gone
        _clear(connection, flag.flag_id, as_of, run_id, float(flag.probability))
        event(flag.flag_id, "cleared", previous_level=flag.level, note="client no longer active")
        changes.cleared += 1
    return changes


def _clear(connection: Connection, flag_id: str, as_of: date, run_id: int, p: float) -> None:
    # An alert still waiting for this flag would now tell the lead something false.
    connection.execute(
        delete(alerts).where(alerts.c.flag_id == flag_id, alerts.c.state == "pending")
    )
    connection.execute(
        update(flags)
        .where(flags.c.flag_id == flag_id)
        .values(
            status="cleared",
            level=None,
            trend="cleared",
            probability=p,
            cleared_on=as_of,
            updated_run_id=run_id,
        )
    )


def _alert_payload(
    client_id: str,
    risk: str,
    level: str,
    previous_level: str | None,
    as_of: date,
    values: Assessment,
    clients: pd.DataFrame,
    settings: Settings,
) -> dict[str, Any]:
    name = clients.at[client_id, "name"]
    return {
        "client_id": client_id,
        "client_name": name if isinstance(name, str) else None,
        "risk": risk,
        "level": level,
        "previous_level": previous_level,
        "probability": round(float(values.probability), 4),
        "as_of": as_of.isoformat(),
        "reasons": [reason["text"] for reason in values.reasons or []],
        "next_step": values.next_step,
        "language": str(clients.at[client_id, "language"]),
        # The client's page in the web app (the API's JSON is at /clients/{id}).
        "url": f"{settings.public_url.rstrip('/')}/app/clients/{quote(client_id, safe='')}",
    }
