"""What a client is paying for: one invoice explained from the firm's own records.

The hours and amounts behind the invoice by person or role and week (the time
entries linked to it; without links, the billable entries of its project in
its period), the progress reported over the same period, the project's billed
to date against delivered value and budget on the invoice's date, and a short
text the PM can send the client, in German for German clients.

Indexed queries for the one invoice's rows and plain Python over them: no bundle
parser and no pandas on a request.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select

from risk.clients import find_client
from risk.store.keys import Principal
from risk.store.tables import CONTRACT
from risk.wording import words

# Which time entries the work lines come from: values of the API's ``basis`` field
# (the page words them from the catalog).
BASIS_LINKED = "linked time entries"
BASIS_PERIOD = "billable time of the project in the invoice's period"
BASES = (BASIS_LINKED, BASIS_PERIOD)


def explain_invoice(engine: Engine, principal: Principal, invoice_id: str) -> dict[str, Any] | None:
    """The explanation of ``invoice_id``, or None when the caller may not see it."""
    invoices = CONTRACT["invoices"]
    entries = CONTRACT["time_entries"]
    progress_table = CONTRACT["progress"]
    if "\x00" in invoice_id:
        return None  # no stored id holds a NUL (ingest refuses them; PostgreSQL cannot)
    with engine.connect() as connection:
        invoice = connection.execute(
            select(invoices).where(invoices.c.invoice_id == invoice_id)
        ).first()
        if invoice is None:
            return None
        client = find_client(connection, principal, invoice.client_id)
        if client is None:
            return None
        project_id = invoice.project_id
        work_columns = (
            entries.c.worked_on,
            entries.c.hours,
            entries.c.billable,
            entries.c.amount,
            entries.c.person,
            entries.c.role,
        )
        linked = connection.execute(
            select(*work_columns)
            .where(entries.c.invoice_id == invoice_id)
            .order_by(entries.c.entry_id)
        ).all()
        basis = BASIS_LINKED
        if not linked and project_id is not None:
            end = invoice.period_end or invoice.issued_at
            in_period = (
                (entries.c.project_id == project_id)
                & entries.c.billable
                & (entries.c.worked_on <= end)
            )
            if invoice.period_start is not None:
                in_period &= entries.c.worked_on >= invoice.period_start
            linked = connection.execute(
                select(*work_columns).where(in_period).order_by(entries.c.entry_id)
            ).all()
            basis = BASIS_PERIOD
        project = None
        progress: Sequence[Any] = []
        billed_to_date = None
        if project_id is not None:
            projects = CONTRACT["projects"]
            project = connection.execute(
                select(projects.c.budget).where(projects.c.project_id == project_id)
            ).first()
            progress = connection.execute(
                select(progress_table.c.reported_at, progress_table.c.percent_complete)
                .where(progress_table.c.project_id == project_id)
                .order_by(progress_table.c.reported_at)
            ).all()
            billed = connection.execute(
                select(invoices.c.amount).where(
                    invoices.c.project_id == project_id,
                    invoices.c.issued_at <= invoice.issued_at,
                )
            ).scalars()
            billed_to_date = round(math.fsum(billed), 2)
    issued = invoice.issued_at
    period_start = invoice.period_start or (
        min(row.worked_on for row in linked) if linked else issued
    )
    period_end = invoice.period_end or issued
    work = _work_by_week(linked)
    reported = [row for row in progress if period_start <= row.reported_at <= period_end]
    before = [row for row in progress if row.reported_at <= issued]
    delivered_percent = float(before[-1].percent_complete) if before else None
    budget = None if project is None else float(project.budget)
    summary = {
        "budget": budget,
        "billed_to_date": billed_to_date,
        "delivered_percent": delivered_percent,
        "delivered_value": None
        if budget is None or delivered_percent is None
        else round(budget * delivered_percent / 100, 2),
    }
    language = words(client["language"]).lang
    hours = math.fsum(row.hours for row in linked)
    return {
        "invoice_id": invoice_id,
        "client_id": client["client_id"],
        "project_id": project_id,
        "amount": float(invoice.amount),
        "issued_at": issued,
        "period_start": period_start,
        "period_end": period_end,
        "basis": basis,
        "hours": round(hours, 2),
        "work": work,
        "progress": [
            {"reported_at": row.reported_at, "percent_complete": float(row.percent_complete)}
            for row in reported
        ],
        "project": summary,
        "language": language,
        "text": _text(language, invoice, hours, work, reported, summary, period_start, period_end),
    }


def _work_by_week(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """Hours and amounts by week (from Monday) and person (else role, else "team"), in
    week then person order; a person's role is the first one given."""
    grouped: dict[tuple[date, str], dict[str, Any]] = {}
    for row in entries:
        week = row.worked_on - timedelta(days=row.worked_on.weekday())
        person = row.person if row.person is not None else (row.role or "team")
        line = grouped.setdefault((week, person), {"role": None, "hours": [], "amount": []})
        if line["role"] is None:
            line["role"] = row.role
        line["hours"].append(row.hours)
        line["amount"].append(row.amount)
    return [
        {
            "week": week,
            "person": person,
            "role": line["role"],
            "hours": round(math.fsum(line["hours"]), 2),
            "amount": round(math.fsum(line["amount"]), 2),
        }
        for (week, person), line in sorted(grouped.items(), key=lambda item: item[0])
    ]


def _text(
    language: str,
    invoice: Any,
    hours: float,
    work: list[dict[str, Any]],
    reported: list[Any],
    summary: dict[str, Any],
    start: date,
    end: date,
) -> str:
    """A few sentences the PM can send the client as they are, in the client's language."""
    _ = words(language)
    people = len({w["person"] for w in work})
    span = _("{start} to {end}", start=_.day(start), end=_.day(end))
    lines = [
        _.ngettext(
            "Invoice {invoice} for {amount} covers the work from {span}: {hours} hours by {n} "
            "person.",
            "Invoice {invoice} for {amount} covers the work from {span}: {hours} hours by {n} "
            "people.",
            people,
            invoice=invoice.invoice_id,
            amount=_.money(float(invoice.amount)),
            span=span,
            hours=_.number(hours, 1),
        )
    ]
    if reported:
        lines.append(
            _(
                "Over that period, progress went from {first} to {last}.",
                first=_.percent(float(reported[0].percent_complete)),
                last=_.percent(float(reported[-1].percent_complete)),
            )
        )
    if summary["budget"] and summary["billed_to_date"] is not None:
        billed = _.percent(100 * summary["billed_to_date"] / summary["budget"])
        if summary["delivered_percent"] is None:
            lines.append(_("So far {billed} of the budget is billed.", billed=billed))
        else:
            lines.append(
                _(
                    "So far {billed} of the budget is billed and {delivered} of the project is "
                    "delivered.",
                    billed=billed,
                    delivered=_.percent(summary["delivered_percent"]),
                )
            )
    lines.append(_("We are happy to walk you through the details."))
    return " ".join(lines)
