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

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Date,
    Engine,
    Select,
    bindparam,
    exists,
    literal,
    select,
    union_all,
)

from risk.store.db import reading
from risk.store.keys import Principal, visible_clients
from risk.store.tables import CONTRACT
from risk.wording import words

# Which time entries the work lines come from: values of the API's ``basis`` field
# (the page words them from the catalog).
BASIS_LINKED = "linked time entries"
BASIS_PERIOD = "billable time of the project in the invoice's period"
BASES = (BASIS_LINKED, BASIS_PERIOD)


def explain_invoice(
    bind: Engine | Connection, principal: Principal, invoice_id: str
) -> dict[str, Any] | None:
    """The explanation of ``invoice_id``, or None when the caller may not see it."""
    if "\x00" in invoice_id:
        return None  # no stored id holds a NUL (ingest refuses them; PostgreSQL cannot)
    # Three round trips (the invoice with its client and budget, the work lines, the
    # project's progress and billing): on PostgreSQL each one costs more than the
    # Python below, so first visits are bounded by their count.
    with reading(bind) as connection:
        invoice = connection.execute(_invoice_query(principal, invoice_id)).first()
        if invoice is None:
            return None
        project_id = invoice.project_id
        tagged = list(
            connection.execute(
                WORK,
                {
                    "invoice_id": invoice_id,
                    "project_id": project_id,
                    "start": invoice.period_start,
                    "end": invoice.period_end or invoice.issued_at,
                },
            )
        )
        linked = [row for row in tagged if row.part == 0]
        basis = BASIS_LINKED
        if not linked and project_id is not None:
            linked = tagged
            basis = BASIS_PERIOD
        progress: list[Any] = []
        billed: list[float] = []
        if project_id is not None:
            facts = {"project_id": project_id, "issued": invoice.issued_at}
            for row in connection.execute(PROJECT, facts):
                if row.part == 0:
                    progress.append(row)
                else:
                    billed.append(row.value)
    billed_to_date = round(math.fsum(billed), 2) if project_id is not None else None
    issued = invoice.issued_at
    period_start = invoice.period_start or (
        min(row.worked_on for row in linked) if linked else issued
    )
    period_end = invoice.period_end or issued
    work = _work_by_week(linked)
    reported = [row for row in progress if period_start <= row.day <= period_end]
    before = [row for row in progress if row.day <= issued]
    delivered_percent = float(before[-1].value) if before else None
    budget = None if invoice.budget is None else float(invoice.budget)
    summary = {
        "budget": budget,
        "billed_to_date": billed_to_date,
        "delivered_percent": delivered_percent,
        "delivered_value": None
        if budget is None or delivered_percent is None
        else round(budget * delivered_percent / 100, 2),
    }
    language = words(invoice.language).lang
    hours = math.fsum(row.hours for row in linked)
    return {
        "invoice_id": invoice_id,
        "client_id": invoice.client_id,
        "project_id": project_id,
        "amount": float(invoice.amount),
        "issued_at": issued,
        "period_start": period_start,
        "period_end": period_end,
        "basis": basis,
        "hours": round(hours, 2),
        "work": work,
        "progress": [
            {"reported_at": row.day, "percent_complete": float(row.value)} for row in reported
        ],
        "project": summary,
        "language": language,
        "text": _text(language, invoice, hours, work, reported, summary, period_start, period_end),
    }


def _invoice_query(principal: Principal, invoice_id: str) -> Select[Any]:
    """The invoice, if ``principal`` may see its client, with the client's language and
    its project's budget (None without a project)."""
    invoices = CONTRACT["invoices"]
    clients = CONTRACT["clients"]
    projects = CONTRACT["projects"]
    return (
        select(invoices, clients.c.language, projects.c.budget)
        .join(clients, clients.c.client_id == invoices.c.client_id)
        .outerjoin(projects, projects.c.project_id == invoices.c.project_id)
        .where(
            invoices.c.invoice_id == invoice_id,
            visible_clients(principal, invoices.c.client_id),
        )
    )


def _work_statement() -> CompoundSelect[Any]:
    """The work behind invoice ``:invoice_id``: its linked time entries (``part`` 0); when
    it has none, the billable entries of project ``:project_id`` from ``:start`` (None:
    any day) to ``:end`` (``part`` 1); each in entry order."""
    entries = CONTRACT["time_entries"]
    columns = (
        entries.c.worked_on,
        entries.c.hours,
        entries.c.billable,
        entries.c.amount,
        entries.c.person,
        entries.c.role,
        entries.c.entry_id,
    )
    invoice_id = bindparam("invoice_id", type_=entries.c.invoice_id.type)
    start = bindparam("start", type_=Date())
    linked = select(literal(0).label("part"), *columns).where(entries.c.invoice_id == invoice_id)
    period = select(literal(1).label("part"), *columns).where(
        entries.c.project_id == bindparam("project_id", type_=entries.c.project_id.type),
        entries.c.billable,
        entries.c.worked_on <= bindparam("end", type_=Date()),
        start.is_(None) | (entries.c.worked_on >= start),
        ~exists().where(entries.c.invoice_id == invoice_id),
    )
    return union_all(linked, period).order_by("part", "entry_id")


def _project_statement() -> CompoundSelect[Any]:
    """Project ``:project_id``'s progress reports (``part`` 0, by date) and the amounts it
    billed up to ``:issued`` (``part`` 1)."""
    invoices = CONTRACT["invoices"]
    progress = CONTRACT["progress"]
    project_id = bindparam("project_id", type_=invoices.c.project_id.type)
    reports = select(
        literal(0).label("part"),
        progress.c.reported_at.label("day"),
        progress.c.percent_complete.label("value"),
    ).where(progress.c.project_id == project_id)
    billed = select(literal(1).label("part"), invoices.c.issued_at, invoices.c.amount).where(
        invoices.c.project_id == project_id,
        invoices.c.issued_at <= bindparam("issued", type_=Date()),
    )
    return union_all(reports, billed).order_by("part", "day")


# Built once: building a statement costs more than running it on SQLite.
WORK = _work_statement()
PROJECT = _project_statement()


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
                first=_.percent(float(reported[0].value)),
                last=_.percent(float(reported[-1].value)),
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
