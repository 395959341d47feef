"""What the API and the web page show about one client, each a query scoped to the caller.

``client_detail``: current scores with reasons, open flags, score history and
the latest signals (feature values of the latest run). ``timeline``: messages
with their polarity, invoices, and billed vs delivered vs budget week by week.
A client the caller may not see does not exist for them (``None``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, select

from features.build import FEATURES
from features.text.message_scores import score_texts
from risk.scoring.flags import Flag, list_flags
from risk.store.keys import Principal, visible_clients
from risk.store.load import read_table
from risk.store.tables import CONTRACT, score_runs, scores, signals


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


def client_detail(engine: Engine, principal: Principal, client_id: str) -> dict[str, Any] | None:
    with engine.connect() as connection:
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
    flags: list[Flag] = [
        f
        for f in list_flags(engine, include_snoozed=True, principal=principal)
        if f.client_id == client_id
    ]
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
    engine: Engine,
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
    with engine.connect() as connection:
        client = find_client(connection, principal, client_id)
        if client is None:
            return None
        of_client = {
            name: read_table(connection, name, where=CONTRACT[name].c.client_id == client_id)
            for name in ("invoices", "projects")
        }
        project_ids = sorted(of_client["projects"]["project_id"])
        progress = read_table(
            connection, "progress", where=CONTRACT["progress"].c.project_id.in_(project_ids)
        )
        end = before or _after_latest(connection, client_id, of_client["invoices"], progress)
        since = end - timedelta(days=TIMELINE_DAYS)
        in_window = (
            (messages_table.c.client_id == client_id)
            & (messages_table.c.sent_at < end)
            & (messages_table.c.sent_at >= since)
        )
        newest = (
            connection.execute(
                select(messages_table.c.sent_at)
                .where(in_window)
                .order_by(messages_table.c.sent_at.desc())
                .limit(limit + 1)
            )
            .scalars()
            .all()
        )
        if len(newest) > limit:
            # The oldest message the page holds; messages of that same instant all stay.
            since = _utc(newest[limit - 1])
            in_window = in_window & (messages_table.c.sent_at >= since)
        messages = read_table(connection, "messages", where=in_window)
        older = connection.execute(
            select(messages_table.c.sent_at)
            .where(messages_table.c.client_id == client_id, messages_table.c.sent_at < since)
            .limit(1)
        ).first()
    messages = messages.sort_values("sent_at", kind="stable")
    texts = [t if isinstance(t, str) else None for t in messages["text"].tolist()]
    # Read exactly as the features read them (language detected where not given).
    language = client["language"] if client["language"] in ("en", "de") else np.nan
    read = score_texts(messages, pd.Series(language, index=messages.index, dtype=object))
    polarity = read["polarity"].to_numpy(dtype="float64")
    inbound = (messages["direction"] == "inbound").to_numpy()
    question = read["billing_question"].to_numpy(dtype=bool) & inbound
    doubt = read["relationship_doubt"].to_numpy(dtype=bool) & inbound
    invoices = of_client["invoices"].sort_values("issued_at", kind="stable")
    sent = list(messages["sent_at"].dt.to_pydatetime())
    day_since, day_end = pd.Timestamp(since.date()), pd.Timestamp(end.date())
    shown = invoices[(invoices["issued_at"] >= day_since) & (invoices["issued_at"] <= day_end)]
    spend = [
        week
        for week in spend_by_week(of_client["projects"], progress, invoices)
        if day_since <= pd.Timestamp(week["week"])
        and pd.Timestamp(week["week"]) - pd.Timedelta(days=6) <= day_end
    ]
    earlier = older is not None or bool((invoices["issued_at"] < day_since).any())
    return {
        "client_id": client_id,
        "messages": [
            {
                "message_id": m.message_id,
                "sent_at": when,
                "direction": m.direction,
                "channel": m.channel,
                "author": m.author if isinstance(m.author, str) else None,
                "text": t,
                "polarity": None if t is None or not np.isfinite(p) else round(float(p), 3),
                "billing_question": bool(q),
                "relationship_doubt": bool(d),
            }
            for m, when, t, p, q, d in zip(
                messages.itertuples(), sent, texts, polarity, question, doubt, strict=True
            )
        ],
        "invoices": [_invoice(row) for row in shown.itertuples()],
        "spend": spend,
        "since": since,
        "before": end,
        "next_before": since if earlier else None,
    }


def _after_latest(
    connection: Connection, client_id: str, invoices: pd.DataFrame, progress: pd.DataFrame
) -> datetime:
    """Just after the client's latest message, invoice or progress report (UTC)."""
    messages = CONTRACT["messages"]
    latest = [
        _utc(stamp)
        for stamp in (
            connection.execute(
                select(func.max(messages.c.sent_at)).where(messages.c.client_id == client_id)
            ).scalar(),
        )
        if stamp is not None
    ]
    for day in (invoices["issued_at"].max(), progress["reported_at"].max()):
        if pd.notna(day):
            latest.append(datetime.combine(pd.Timestamp(day).date(), time.min, UTC))
    if not latest:
        return datetime.now(UTC)
    # A day's events belong to that day: the page ends after the day of the latest one.
    return datetime.combine(max(latest).date() + timedelta(days=1), time.min, UTC)


def _utc(stamp: Any) -> datetime:
    """A stored timestamp as an aware UTC datetime (SQLite hands back naive text)."""
    value = pd.Timestamp(stamp)
    return (
        value.tz_localize(UTC) if value.tzinfo is None else value.tz_convert(UTC)
    ).to_pydatetime()


def day_of(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _invoice(row: Any) -> dict[str, Any]:
    return {
        "invoice_id": row.invoice_id,
        "project_id": row.project_id if isinstance(row.project_id, str) else None,
        "issued_at": day_of(row.issued_at),
        "due_at": day_of(row.due_at),
        "amount": float(row.amount),
        "paid_at": day_of(row.paid_at),
        "disputed_at": day_of(row.disputed_at),
    }


def spend_by_week(
    projects: pd.DataFrame, progress: pd.DataFrame, invoices: pd.DataFrame
) -> list[dict[str, Any]]:
    """Per week (ending Sunday): billed to date, delivered to date (each project's latest
    reported percent complete x its budget) and the budget of the projects started."""
    if projects.empty:
        return []
    events = [
        projects["start_date"].min(),
        invoices["issued_at"].max(),
        progress["reported_at"].max(),
    ]
    start = min(e for e in events if pd.notna(e))
    end = max(e for e in events if pd.notna(e))
    weeks = pd.date_range(start.normalize(), end.normalize() + pd.Timedelta(days=6), freq="W-SUN")
    billed = np.searchsorted(
        invoices["issued_at"].sort_values().to_numpy(), weeks.to_numpy(), side="right"
    )
    amounts = np.r_[0.0, np.cumsum(invoices.sort_values("issued_at")["amount"].to_numpy())]
    budget = np.zeros(len(weeks))
    delivered = np.zeros(len(weeks))
    for project_id, start_date, project_budget in zip(
        projects["project_id"].tolist(),
        projects["start_date"].to_numpy(),
        projects["budget"].to_numpy(dtype="float64"),
        strict=True,
    ):  # a client has a handful of projects
        budget += np.where(weeks.to_numpy() >= start_date, project_budget, 0.0)
        reports = progress[progress["project_id"] == project_id].sort_values("reported_at")
        if reports.empty:
            continue
        index = (
            np.searchsorted(reports["reported_at"].to_numpy(), weeks.to_numpy(), side="right") - 1
        )
        percent = np.where(
            index >= 0, reports["percent_complete"].to_numpy()[np.maximum(index, 0)], 0.0
        )
        delivered += percent / 100 * project_budget
    return [
        {
            "week": w.date(),
            "billed": round(float(amounts[b]), 2),
            "delivered": round(float(d), 2),
            "budget": float(g),
        }
        for w, b, d, g in zip(weeks, billed, delivered, budget, strict=True)
    ]
