"""What the API and the web page show about one client, each a query scoped to the caller.

``client_detail``: current scores with reasons, open flags, score history and
the latest signals (feature values of the latest run). ``timeline``: messages
with their polarity, invoices, and billed vs delivered vs budget week by week.
A client the caller may not see does not exist for them (``None``).

Built for reads: indexed queries for the one client's rows and plain Python over
them, no bundle parser and no pandas on a request (a few hundred rows cost less
than building one data frame). What a message says is read from what the last score
run read (``message_scores``); a message that arrived since shows unscored.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from features.build import FEATURES
from risk.scoring.flags import Flag, list_flags
from risk.store.db import reading
from risk.store.keys import Principal, visible_clients
from risk.store.tables import (
    CONTRACT,
    invoice_scores,
    message_scores,
    score_runs,
    scores,
    signals,
)


def find_client(
    connection: Connection, principal: Principal, client_id: str
) -> dict[str, Any] | None:
    clients = CONTRACT["clients"]
    row = (
        connection.execute(
            select(clients).where(
                clients.c.client_id == client_id, visible_clients(principal, clients.c.client_id)
            )
        )
        .mappings()
        .first()
    )
    return None if row is None else dict(row)


def client_detail(
    bind: Engine | Connection, principal: Principal, client_id: str
) -> dict[str, Any] | None:
    with reading(bind) as connection:
        client = find_client(connection, principal, client_id)
        if client is None:
            return None
        history = connection.execute(
            select(
                scores.c.as_of,
                scores.c.risk,
                scores.c.probability,
                scores.c.level,
                scores.c.model_version,
                scores.c.reasons,
                scores.c.run_id,
            )
            .where(scores.c.client_id == client_id)
            .order_by(scores.c.run_id)
        ).all()
        latest_signals = connection.execute(
            select(signals.c.features, score_runs.c.as_of)
            .join(score_runs, score_runs.c.run_id == signals.c.run_id)
            .where(signals.c.client_id == client_id)
            .order_by(score_runs.c.as_of.desc(), signals.c.run_id.desc())
            .limit(1)
        ).first()
        flags: list[Flag] = list_flags(
            connection, include_snoozed=True, principal=principal, client_id=client_id
        )
    # A date scored twice shows once, as its latest run did; a back-dated run is
    # history, never the current score.
    history = sorted(
        {(row.as_of, row.risk): row for row in history}.values(),
        key=lambda row: (row.as_of, row.run_id),
    )
    current: dict[str, dict[str, Any]] = {}
    for row in history:  # later dates overwrite earlier ones
        current[row.risk] = {
            "risk": row.risk,
            "probability": row.probability,
            "level": row.level,
            "as_of": row.as_of,
            "model_version": row.model_version,
            "reasons": row.reasons or [],
        }
    return {
        "client_id": client["client_id"],
        "name": client["name"],
        "language": client["language"] or "en",
        "account_lead": client["account_lead"],
        "industry": client["industry"],
        "client_since": client["client_since"],
        "scores": list(current.values()),
        "flags": [f.as_dict() for f in flags],
        "history": [
            {"as_of": r.as_of, "risk": r.risk, "probability": r.probability, "level": r.level}
            for r in history
        ],
        "signals_as_of": None if latest_signals is None else latest_signals.as_of,
        "signals": []
        if latest_signals is None
        else [
            {"feature": name, "value": latest_signals.features.get(name), "description": text}
            for name, text in FEATURES.items()
        ],
    }


#: A timeline page covers a year of a client's history, back from its latest event
#: (or from ``before``), and at most this many messages by default.
TIMELINE_DAYS = 365
TIMELINE_LIMIT = 500
TIMELINE_MAX_LIMIT = 5_000


def timeline(
    bind: Engine | Connection,
    principal: Principal,
    client_id: str,
    before: datetime | None = None,
    limit: int = TIMELINE_LIMIT,
) -> dict[str, Any] | None:
    """One page of the client's history: messages (with polarity), invoices, and billed /
    delivered / budget by week, from ``since`` up to (not including) ``before``.

    A page spans a year back from ``before`` (default: just after the client's latest
    event) and holds at most ``limit`` messages, the latest ones: when there are more,
    the page starts at the oldest message it holds. ``next_before`` is where the
    older page ends (None when nothing is older)."""
    messages_table = CONTRACT["messages"]
    invoices_table = CONTRACT["invoices"]
    projects_table = CONTRACT["projects"]
    progress_table = CONTRACT["progress"]
    clients_table = CONTRACT["clients"]
    # Five statements for a page of two years: on PostgreSQL a statement's round trip
    # costs more than reading its rows, so what can share one does.
    with reading(bind) as connection:
        latest_message = (
            select(func.max(messages_table.c.sent_at))
            .where(messages_table.c.client_id == client_id)
            .scalar_subquery()
        )
        client = connection.execute(
            select(clients_table.c.client_id, latest_message.label("latest_message")).where(
                clients_table.c.client_id == client_id,
                visible_clients(principal, clients_table.c.client_id),
            )
        ).first()
        if client is None:
            return None
        invoices = sorted(
            connection.execute(
                select(invoices_table, invoice_scores.c.probability.label("at_issue"))
                .outerjoin(
                    invoice_scores, invoice_scores.c.invoice_id == invoices_table.c.invoice_id
                )
                .where(invoices_table.c.client_id == client_id)
                .order_by(invoices_table.c.invoice_id)
            ).all(),
            key=lambda row: row.issued_at,
        )
        # Each project with its progress reports (a row without a report when it has none).
        reported = connection.execute(
            select(
                projects_table.c.project_id,
                projects_table.c.start_date,
                projects_table.c.budget,
                progress_table.c.reported_at,
                progress_table.c.percent_complete,
            )
            .outerjoin(progress_table, progress_table.c.project_id == projects_table.c.project_id)
            .where(projects_table.c.client_id == client_id)
            .order_by(projects_table.c.project_id, progress_table.c.reported_at)
        ).all()
        projects = list({row.project_id: row for row in reported}.values())
        progress = [row for row in reported if row.reported_at is not None]
        end = before or _after_latest(
            client.latest_message,
            [row.issued_at for row in invoices] + [row.reported_at for row in progress],
        )
        since = end - timedelta(days=TIMELINE_DAYS)
        in_window = (
            (messages_table.c.client_id == client_id)
            & (messages_table.c.sent_at < end)
            & (messages_table.c.sent_at >= since)
        )
        listed = select(
            messages_table.c.message_id,
            messages_table.c.sent_at,
            messages_table.c.direction,
            messages_table.c.channel,
            messages_table.c.author,
            messages_table.c.text,
            message_scores.c.message_id.label("scored"),
            message_scores.c.polarity,
            message_scores.c.billing_question,
            message_scores.c.relationship_doubt,
        ).outerjoin(message_scores, message_scores.c.message_id == messages_table.c.message_id)
        newest_first = (messages_table.c.sent_at.desc(), messages_table.c.message_id.desc())
        messages = list(
            connection.execute(listed.where(in_window).order_by(*newest_first).limit(limit + 1))
        )
        if len(messages) > limit:
            # The page starts at the oldest message it holds, and messages of that same
            # instant all stay: more of them than were read need the window read again.
            since = _utc(messages[limit - 1].sent_at)
            if _utc(messages[limit].sent_at) == since:
                in_window = in_window & (messages_table.c.sent_at >= since)
                messages = list(connection.execute(listed.where(in_window).order_by(*newest_first)))
            else:
                messages = messages[:limit]
        messages.reverse()  # oldest first
        older = connection.execute(
            select(messages_table.c.sent_at)
            .where(messages_table.c.client_id == client_id, messages_table.c.sent_at < since)
            .limit(1)
        ).first()
    day_since, day_end = since.date(), end.date()
    spend = spend_by_week(projects, progress, invoices, day_since, day_end + timedelta(days=6))
    earlier = older is not None or any(row.issued_at < day_since for row in invoices)
    return {
        "client_id": client_id,
        "messages": [_message(row) for row in messages],
        "invoices": [_invoice(row) for row in invoices if day_since <= row.issued_at <= day_end],
        "spend": spend,
        "since": since,
        "before": end,
        "next_before": since if earlier else None,
    }


def _message(row: Any) -> dict[str, Any]:
    scored = row.scored is not None
    polarity = row.polarity
    return {
        "message_id": row.message_id,
        "sent_at": _utc(row.sent_at),
        "direction": row.direction,
        "channel": row.channel,
        "author": row.author,
        "text": row.text,
        "scored": scored,
        "polarity": None
        if row.text is None or polarity is None or not math.isfinite(polarity)
        else round(float(polarity), 3),
        "billing_question": bool(row.billing_question) if scored else None,
        "relationship_doubt": bool(row.relationship_doubt) if scored else None,
    }


def _after_latest(latest_message: datetime | None, days: list[date]) -> datetime:
    """Just after the client's latest message, invoice or progress report (UTC)."""
    latest = [datetime.combine(day, time.min, UTC) for day in days]
    if latest_message is not None:
        latest.append(_utc(latest_message))
    if not latest:
        return datetime.now(UTC)
    # A day's events belong to that day: the page ends after the day of the latest one.
    return datetime.combine(max(latest).date() + timedelta(days=1), time.min, UTC)


def _utc(stamp: datetime) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive ones)."""
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _invoice(row: Any) -> dict[str, Any]:
    return {
        "invoice_id": row.invoice_id,
        "project_id": row.project_id,
        "issued_at": row.issued_at,
        "due_at": row.due_at,
        "amount": float(row.amount),
        "paid_at": row.paid_at,
        "disputed_at": row.disputed_at,
        "dispute_risk_at_issue": row.at_issue,
    }


def spend_by_week(
    projects: Sequence[Any],
    progress: Sequence[Any],
    invoices: Sequence[Any],
    since: date = date.min,
    until: date = date.max,
) -> list[dict[str, Any]]:
    """Per week (ending Sunday) from the first project's start to the week of the latest
    event, those ending between ``since`` and ``until``: billed to date, delivered to
    date (each project's latest reported percent complete x its budget) and the budget
    of the projects started.

    ``projects`` rows have ``project_id``, ``start_date`` and ``budget``; ``progress``
    rows ``project_id``, ``reported_at`` and ``percent_complete``, by date within a
    project; ``invoices`` rows ``issued_at`` and ``amount``."""
    if not projects:
        return []
    issued = sorted(row.issued_at for row in invoices)
    events = [min(row.start_date for row in projects)]
    events += [issued[-1]] if issued else []
    events += [max(row.reported_at for row in progress)] if progress else []
    start, end = min(events), max(events)
    first_sunday = start + timedelta(days=(6 - start.weekday()) % 7)
    weeks = [
        week
        for n in range((end + timedelta(days=6) - first_sunday).days // 7 + 1)
        if since <= (week := first_sunday + timedelta(days=7 * n)) <= until
    ]
    amounts = [0.0]
    for row in sorted(invoices, key=lambda row: row.issued_at):
        amounts.append(amounts[-1] + float(row.amount))
    reports: dict[str, tuple[list[date], list[float]]] = {}
    for row in progress:
        days, percents = reports.setdefault(row.project_id, ([], []))
        days.append(row.reported_at)
        percents.append(float(row.percent_complete))
    spend = []
    for week in weeks:
        budget = delivered = 0.0
        for project in projects:  # a client has a handful of projects
            project_budget = float(project.budget)
            budget += project_budget if week >= project.start_date else 0.0
            days, percents = reports.get(project.project_id, ([], []))
            latest = bisect_right(days, week) - 1
            delivered += (percents[latest] if latest >= 0 else 0.0) / 100 * project_budget
        spend.append(
            {
                "week": week,
                "billed": round(amounts[bisect_right(issued, week)], 2),
                "delivered": round(delivered, 2),
                "budget": budget,
            }
        )
    return spend
