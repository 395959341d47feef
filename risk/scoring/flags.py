"""Flags as a PM sees them: the open list, and what a person does to one.

Listing is one query (flags joined with their client and the PM of each
client's projects, closed ones included, so a PM keeps seeing a client of a
project they ran). Acknowledging, snoozing and giving feedback each write a
``flag_events`` row naming who did it (a key's owner, or ``cli:<user>``);
feedback (``valid`` / ``false_alarm`` / ``premature``) is kept there as labels
for retraining (``feedback_labels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, and_, delete, exists, insert, or_, select, update

from risk.scoring.levels import rank
from risk.store.db import reading
from risk.store.keys import Principal, visible_clients
from risk.store.tables import CONTRACT, alerts, flag_events, flags
from risk.store.versions import bump

FEEDBACK = ("valid", "false_alarm", "premature")


class FlagNotFoundError(LookupError):
    """No flag with that id (or none the caller may see)."""


class FlagClearedError(RuntimeError):
    """The flag has cleared: there is nothing left to acknowledge or hide."""


@dataclass(frozen=True)
class Flag:
    """One flag with its client's name, for lists and the API."""

    flag_id: str
    client_id: str
    client_name: str | None
    risk: str
    status: str
    level: str | None
    probability: float
    trend: str
    reasons: list[dict[str, Any]]
    next_step: str
    opened_on: date
    acknowledged_by: str | None
    snoozed_until: date | None

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["opened_on"] = self.opened_on.isoformat()
        out["snoozed_until"] = self.snoozed_until.isoformat() if self.snoozed_until else None
        return out


def list_flags(
    bind: Engine | Connection,
    pm: str | None = None,
    *,
    risk: str | None = None,
    level: str | None = None,
    include_snoozed: bool = False,
    today: date | None = None,
    principal: Principal | None = None,
    trend: str | None = None,
    client_id: str | None = None,
) -> list[Flag]:
    """Open flags, highest level then probability first; a PM's clients only with ``pm``,
    one client's with ``client_id``. A flag snoozed until a date is hidden until then,
    unless ``include_snoozed``."""
    clients = CONTRACT["clients"]
    projects = CONTRACT["projects"]
    query = (
        select(flags, clients.c.name.label("client_name"))
        .join(clients, clients.c.client_id == flags.c.client_id)
        .where(flags.c.status == "open")
    )
    if pm is not None:
        query = query.where(
            exists().where(
                and_(projects.c.client_id == flags.c.client_id, projects.c.pm == pm.strip().lower())
            )
        )
    if principal is not None:
        query = query.where(visible_clients(principal, flags.c.client_id))
    if client_id is not None:
        query = query.where(flags.c.client_id == client_id)
    if trend is not None:
        query = query.where(flags.c.trend == trend)
    if risk is not None:
        query = query.where(flags.c.risk == risk)
    if level is not None:
        query = query.where(flags.c.level == level)
    if not include_snoozed:
        day = today or datetime.now(UTC).date()
        query = query.where(or_(flags.c.snoozed_until.is_(None), flags.c.snoozed_until < day))
    with reading(bind) as connection:
        rows = connection.execute(query).mappings().all()
    found = [_flag(row) for row in rows]
    return sorted(found, key=lambda f: (-rank(f.level), -f.probability, f.client_id, f.risk))


def get_flag(connection: Connection, flag_id: str, principal: Principal | None = None) -> Flag:
    """The flag ``flag_id``; one the principal may not see does not exist for them."""
    clients = CONTRACT["clients"]
    query = (
        select(flags, clients.c.name.label("client_name"))
        .join(clients, clients.c.client_id == flags.c.client_id)
        .where(flags.c.flag_id == flag_id)
    )
    if principal is not None:
        query = query.where(visible_clients(principal, flags.c.client_id))
    row = connection.execute(query).mappings().first()
    if row is None:
        raise FlagNotFoundError(f"no flag {flag_id!r}")
    return _flag(row)


def _open_flag(
    connection: Connection, flag_id: str, principal: Principal | None, action: str
) -> Flag:
    flag = get_flag(connection, flag_id, principal)
    if flag.status != "open":
        raise FlagClearedError(f"the flag is {flag.status}: there is nothing to {action}")
    return flag


def acknowledge(
    engine: Engine, flag_id: str, actor: str, principal: Principal | None = None
) -> Flag:
    """The PM has seen it: no alert again until its level changes."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        flag = _open_flag(connection, flag_id, principal, "acknowledge")
        connection.execute(
            update(flags)
            .where(flags.c.flag_id == flag_id)
            .values(acknowledged_at=now, acknowledged_by=actor, quiet_level=flag.level)
        )
        _quiet_waiting_alert(connection, flag)
        _event(connection, flag_id, "acknowledged", actor, level=flag.level)
        bump(connection)
        return get_flag(connection, flag_id)


def snooze(
    engine: Engine,
    flag_id: str,
    until: date,
    reason: str,
    actor: str,
    principal: Principal | None = None,
) -> Flag:
    """Hide the flag from the list through ``until`` (it is back the day after), with a reason."""
    if not reason.strip():
        raise ValueError("reason: a snooze needs a reason, kept with the flag")
    today = datetime.now(UTC).date()
    if until <= today:
        raise ValueError(f"until: {until.isoformat()} is not after today ({today.isoformat()})")
    with engine.begin() as connection:
        flag = _open_flag(connection, flag_id, principal, "snooze")
        connection.execute(
            update(flags)
            .where(flags.c.flag_id == flag_id)
            .values(snoozed_until=until, snooze_reason=reason.strip(), quiet_level=flag.level)
        )
        _quiet_waiting_alert(connection, flag)
        _event(
            connection,
            flag_id,
            "snoozed",
            actor,
            level=flag.level,
            until=until,
            note=reason.strip(),
        )
        bump(connection)
        return get_flag(connection, flag_id)


def give_feedback(
    engine: Engine,
    flag_id: str,
    verdict: str,
    actor: str,
    note: str | None = None,
    principal: Principal | None = None,
) -> Flag:
    """Was the flag right? Kept as a label for retraining. A cleared flag takes feedback
    too: whether it was right is often known only once it has cleared (the dispute it
    warned of never came), and those verdicts are the labels retraining needs."""
    if verdict not in FEEDBACK:
        raise ValueError(f"feedback: {verdict!r} is not one of {', '.join(FEEDBACK)}")
    with engine.begin() as connection:
        flag = get_flag(connection, flag_id, principal)
        _event(
            connection, flag_id, "feedback", actor, level=flag.level, feedback=verdict, note=note
        )
        bump(connection)
        return flag


def feedback_labels(engine: Engine) -> pd.DataFrame:
    """Every piece of feedback with its flag's client, risk and the date it was opened."""
    query = (
        select(
            flag_events.c.flag_id,
            flags.c.client_id,
            flags.c.risk,
            flags.c.opened_on,
            flag_events.c.level,
            flag_events.c.feedback,
            flag_events.c.actor,
            flag_events.c.at,
            flags.c.reasons,
        )
        .join(flags, flags.c.flag_id == flag_events.c.flag_id)
        .where(flag_events.c.kind == "feedback")
        .order_by(flag_events.c.event_id)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame(rows, columns=list(query.selected_columns.keys()))


def _quiet_waiting_alert(connection: Connection, flag: Flag) -> None:
    """The lead need not hear of a level the PM has already seen: drop the waiting
    alert at that level (one at another level still goes out)."""
    connection.execute(
        delete(alerts).where(
            alerts.c.flag_id == flag.flag_id,
            alerts.c.state == "pending",
            alerts.c.level == flag.level,
        )
    )


def _event(connection: Connection, flag_id: str, kind: str, actor: str, **values: Any) -> None:
    connection.execute(
        insert(flag_events).values(
            flag_id=flag_id, at=datetime.now(UTC), kind=kind, actor=actor, **values
        )
    )


def _flag(row: Any) -> Flag:
    return Flag(
        flag_id=row["flag_id"],
        client_id=row["client_id"],
        client_name=row["client_name"],
        risk=row["risk"],
        status=row["status"],
        level=row["level"],
        probability=float(row["probability"]),
        trend=row["trend"],
        reasons=list(row["reasons"] or []),
        next_step=row["next_step"],
        opened_on=row["opened_on"],
        acknowledged_by=row["acknowledged_by"],
        snoozed_until=row["snoozed_until"],
    )
