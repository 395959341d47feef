"""What a client is paying for: one invoice explained from the firm's own records.

The hours and amounts behind the invoice by person or role and week (the time
entries linked to it; without links, the billable entries of its project in
its period), the progress reported over the same period, the project's billed
to date against delivered value and budget on the invoice's date, and a short
text the PM can send the client, in German for German clients.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import Engine

from risk.clients import day_of, find_client
from risk.store.keys import Principal
from risk.store.load import read_table
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
    if "\x00" in invoice_id:
        return None  # no stored id holds a NUL (ingest refuses them; PostgreSQL cannot)
    with engine.connect() as connection:
        found = read_table(connection, "invoices", where=invoices.c.invoice_id == invoice_id)
        if found.empty:
            return None
        invoice = found.iloc[0]
        client = find_client(connection, principal, str(invoice["client_id"]))
        if client is None:
            return None
        project_id = invoice["project_id"] if isinstance(invoice["project_id"], str) else None
        entries = CONTRACT["time_entries"]
        linked = read_table(connection, "time_entries", where=entries.c.invoice_id == invoice_id)
        basis = BASIS_LINKED
        if linked.empty and project_id is not None:
            linked = read_table(
                connection, "time_entries", where=entries.c.project_id == project_id
            )
            start = invoice["period_start"] if pd.notna(invoice["period_start"]) else None
            end = invoice["period_end"] if pd.notna(invoice["period_end"]) else invoice["issued_at"]
            in_period = linked["billable"] & (linked["worked_on"] <= end)
            if start is not None:
                in_period &= linked["worked_on"] >= start
            linked = linked[in_period]
            basis = BASIS_PERIOD
        project = None
        progress = pd.DataFrame()
        billed_to_date = None
        if project_id is not None:
            projects = read_table(
                connection, "projects", where=CONTRACT["projects"].c.project_id == project_id
            )
            project = projects.iloc[0] if len(projects) else None
            progress = read_table(
                connection, "progress", where=CONTRACT["progress"].c.project_id == project_id
            )
            of_project = read_table(
                connection, "invoices", where=invoices.c.project_id == project_id
            )
            billed_to_date = float(
                of_project.loc[of_project["issued_at"] <= invoice["issued_at"], "amount"].sum()
            )
    issued = invoice["issued_at"]
    period_start = (
        invoice["period_start"]
        if pd.notna(invoice["period_start"])
        else (linked["worked_on"].min() if len(linked) else issued)
    )
    period_end = invoice["period_end"] if pd.notna(invoice["period_end"]) else issued
    work = _work_by_week(linked)
    reported = (
        progress[
            (progress["reported_at"] >= period_start) & (progress["reported_at"] <= period_end)
        ]
        if len(progress)
        else progress
    )
    before = progress[progress["reported_at"] <= issued] if len(progress) else progress
    delivered_percent = (
        float(before.sort_values("reported_at")["percent_complete"].iloc[-1])
        if len(before)
        else None
    )
    budget = None if project is None else float(project["budget"])
    summary = {
        "budget": budget,
        "billed_to_date": billed_to_date,
        "delivered_percent": delivered_percent,
        "delivered_value": None
        if budget is None or delivered_percent is None
        else round(budget * delivered_percent / 100, 2),
    }
    language = words(client["language"]).lang
    hours = float(linked["hours"].sum()) if len(linked) else 0.0
    return {
        "invoice_id": invoice_id,
        "client_id": client["client_id"],
        "project_id": project_id,
        "amount": float(invoice["amount"]),
        "issued_at": day_of(issued),
        "period_start": day_of(period_start),
        "period_end": day_of(period_end),
        "basis": basis,
        "hours": round(hours, 2),
        "work": work,
        "progress": [
            {"reported_at": day_of(r), "percent_complete": float(p)}
            for r, p in zip(reported["reported_at"], reported["percent_complete"], strict=True)
        ]
        if len(reported)
        else [],
        "project": summary,
        "language": language,
        "text": _text(language, invoice, hours, work, reported, summary, period_start, period_end),
    }


def _work_by_week(entries: pd.DataFrame) -> list[dict[str, Any]]:
    if entries.empty:
        return []
    who = entries["person"].where(entries["person"].notna(), entries["role"]).fillna("team")
    frame = pd.DataFrame(
        {
            "week": entries["worked_on"].dt.to_period("W-SUN").dt.start_time,
            "person": who.astype(str),
            "role": entries["role"].astype(object).where(entries["role"].notna(), None),
            "hours": entries["hours"].to_numpy(dtype="float64"),
            "amount": entries["amount"].to_numpy(dtype="float64"),
        }
    )
    grouped = (
        frame.groupby(["week", "person"], sort=True, dropna=False)
        .agg(role=("role", "first"), hours=("hours", "sum"), amount=("amount", "sum"))
        .reset_index()
    )
    return [
        {
            "week": w.date(),
            "person": p,
            "role": r if isinstance(r, str) else None,
            "hours": round(float(h), 2),
            "amount": round(float(a), 2),
        }
        for w, p, r, h, a in zip(
            grouped["week"],
            grouped["person"],
            grouped["role"],
            grouped["hours"],
            grouped["amount"],
            strict=True,
        )
    ]


def _text(
    language: str,
    invoice: pd.Series,
    hours: float,
    work: list[dict[str, Any]],
    reported: pd.DataFrame,
    summary: dict[str, Any],
    start: Any,
    end: Any,
) -> str:
    """A few sentences the PM can send the client as they are, in the client's language."""
    _ = words(language)
    people = len({w["person"] for w in work})
    span = _("{start} to {end}", start=_.day(pd.Timestamp(start)), end=_.day(pd.Timestamp(end)))
    lines = [
        _.ngettext(
            "Invoice {invoice} for {amount} covers the work from {span}: {hours} hours by {n} "
            "person.",
            "Invoice {invoice} for {amount} covers the work from {span}: {hours} hours by {n} "
            "people.",
            people,
            invoice=invoice["invoice_id"],
            amount=_.money(float(invoice["amount"])),
            span=span,
            hours=_.number(hours, 1),
        )
    ]
    if len(reported):
        lines.append(
            _(
                "Over that period, progress went from {first} to {last}.",
                first=_.percent(float(reported["percent_complete"].iloc[0])),
                last=_.percent(float(reported["percent_complete"].iloc[-1])),
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
