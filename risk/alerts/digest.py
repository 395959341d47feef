"""The daily digest: for each account lead (and PM, with ``RISK_DIGEST_PMS``), the flags
of their clients that opened, rose, fell or cleared since their last digest.

A digest is an alert of kind ``digest`` in the outbox, so it is delivered, retried
and deduplicated like any alert. The ``digests`` table holds one row per recipient
and day, written with the alert in one transaction: whichever worker gets there
first queues it, and a second worker, or a second tick the same day, finds the day
done. No alert when nothing moved; the row still marks the day, and the next digest
covers what moved since this one's time.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from risk.scoring.levels import rank
from risk.settings import Settings
from risk.store.tables import CONTRACT, alerts, digests, flag_events, flags
from risk.wording import LANGUAGES, language

clients, projects = CONTRACT["clients"], CONTRACT["projects"]
#: The flag events that move a flag's level.
MOVES = ("opened", "level_changed", "cleared")
#: What a first digest covers.
FIRST_WINDOW = timedelta(days=1)


def queue_digests(engine: Engine, settings: Settings, now: datetime) -> int:
    """Queue today's digest for every recipient who has none yet; the digests queued
    (recipients with nothing new get none)."""
    day = now.astimezone(ZoneInfo(settings.timezone)).date()
    with engine.begin() as connection:
        watched = _recipients(connection, settings.digest_pms)
        last = dict(
            connection.execute(
                select(digests.c.recipient, func.max(digests.c.queued_at)).group_by(
                    digests.c.recipient
                )
            ).all()
        )
        since = {r: _utc(last[r]) if r in last else now - FIRST_WINDOW for r in watched}
        moved = _moves(connection, min(since.values(), default=now), now)
        facts = _client_facts(connection)
        queued = 0
        for recipient, client_ids in sorted(watched.items()):
            changes = []
            for flag, events in moved.values():
                fresh = [e for e in events if _utc(e.at) > since[recipient]]
                if flag.client_id in client_ids and fresh:
                    change = _change(flag, fresh, facts, settings)
                    if change is not None:
                        changes.append(change)
            queued += _queue_one(
                connection, recipient, day, now, changes, _majority(client_ids, facts)
            )
    return queued


def _recipients(connection: Connection, with_pms: bool) -> dict[str, set[str]]:
    """Each recipient's clients: the account leads, and the PMs of projects if asked."""
    watched: dict[str, set[str]] = defaultdict(set)
    for client_id, lead in connection.execute(select(clients.c.client_id, clients.c.account_lead)):
        if lead:
            watched[str(lead)].add(str(client_id))
    if with_pms:
        for client_id, pm in connection.execute(select(projects.c.client_id, projects.c.pm)):
            if pm:
                watched[str(pm)].add(str(client_id))
    return watched


def _moves(connection: Connection, after: datetime, until: datetime) -> dict[str, Any]:
    """Flags whose level moved in the window, with their events in order."""
    rows = connection.execute(
        select(flag_events, flags.c.client_id, flags.c.risk, flags.c.status)
        .join(flags, flags.c.flag_id == flag_events.c.flag_id)
        .where(flag_events.c.kind.in_(MOVES), flag_events.c.at > after, flag_events.c.at <= until)
        .order_by(flag_events.c.event_id)
    ).all()
    current = {
        row.flag_id: row
        for row in connection.execute(
            select(flags).where(flags.c.flag_id.in_({r.flag_id for r in rows}))
        )
    }
    moved: dict[str, Any] = {}
    for row in rows:
        moved.setdefault(row.flag_id, (current[row.flag_id], []))[1].append(row)
    return moved


def _client_facts(connection: Connection) -> dict[str, tuple[str, str]]:
    return {
        str(client_id): (str(name or client_id), language(lang))
        for client_id, name, lang in connection.execute(
            select(clients.c.client_id, clients.c.name, clients.c.language)
        )
    }


def _change(
    flag: Any, events: list[Any], facts: dict[str, tuple[str, str]], settings: Settings
) -> dict[str, Any] | None:
    """How a flag moved across its events: opened, rose, fell or cleared (None: back
    where it started)."""
    first = events[0]
    before = None if first.kind == "opened" else first.previous_level
    after = flag.level if flag.status == "open" else None
    if rank(after) == rank(before):
        return None
    if before is None:
        change = "opened"
    elif after is None:
        change = "cleared"
    else:
        change = "rose" if rank(after) > rank(before) else "fell"
    name, _ = facts.get(flag.client_id, (flag.client_id, LANGUAGES[0]))
    return {
        "client_id": flag.client_id,
        "client_name": name,
        "risk": flag.risk,
        "change": change,
        "level": after,
        "previous_level": before,
        "reasons": [] if after is None else [r["text"] for r in flag.reasons or []],
        "url": f"{settings.public_url.rstrip('/')}/app/clients/{quote(flag.client_id, safe='')}",
    }


def _majority(client_ids: set[str], facts: dict[str, tuple[str, str]]) -> str:
    """The language most of the recipient's clients read (ties: the first language)."""
    counts = Counter(facts[c][1] for c in client_ids if c in facts)
    return max(LANGUAGES, key=lambda lang: (counts[lang], -LANGUAGES.index(lang)))


_ORDER = {"opened": 0, "rose": 1, "fell": 2, "cleared": 3}


def _queue_one(
    connection: Connection,
    recipient: str,
    day: Any,
    now: datetime,
    changes: list[dict[str, Any]],
    lang: str,
) -> int:
    alert_id = uuid.uuid4().hex if changes else None
    try:
        with connection.begin_nested():
            connection.execute(
                insert(digests).values(
                    recipient=recipient,
                    day=day,
                    queued_at=now,
                    changes=len(changes),
                    alert_id=alert_id,
                )
            )
    except IntegrityError:  # another worker, or an earlier tick, did today's
        return 0
    if alert_id is None:
        return 0
    changes.sort(key=lambda c: (_ORDER[c["change"]], c["client_name"], c["risk"]))
    connection.execute(
        insert(alerts).values(
            alert_id=alert_id,
            kind="digest",
            recipient=recipient,
            payload={
                "kind": "digest",
                "alert_id": alert_id,
                "recipient": recipient,
                "day": day.isoformat(),
                "language": lang,
                "changes": changes,
            },
            state="pending",
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )
    return 1


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
