"""The simulated firm as its exports: one typed frame per contract file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from features.bundle.contract import FILES
from features.bundle.load import Bundle
from features.bundle.parse import STRING
from features.simulation.clients import BILLING_MODELS, Clients, Projects
from features.simulation.health import Churn
from features.simulation.identifiers import numbered
from features.simulation.invoices import Invoices, invoice_of_entries
from features.simulation.messages import Messages
from features.simulation.texts import wording
from features.simulation.timeline import Timeline
from features.simulation.work import ROLES, ProgressReports, TimeEntries


def to_bundle(
    rng: np.random.Generator,
    clients: Clients,
    projects: Projects,
    entries: TimeEntries,
    invoices: Invoices,
    messages: Messages,
    progress: ProgressReports,
    churn: Churn,
    timeline: Timeline,
) -> Bundle:
    """The bundle as :func:`features.load_bundle` returns it.

    Draws the details no other stage depends on, in this order: closing days,
    industries, line items, churn reasons.
    """
    cid = np.asarray(numbered("C-", clients.count, 5).to_pylist(), dtype=object)
    pid = np.asarray(numbered("P-", projects.count, 6).to_pylist(), dtype=object)
    project_frame = _projects(rng, cid, pid, clients, projects, churn, timeline)
    client_frame = _clients(rng, cid, clients, timeline)
    invoice_frame = _invoices(rng, cid, pid, invoices, timeline)
    churn_frame = _churn(rng, cid, clients, churn, timeline)
    return Bundle(
        clients=client_frame,
        projects=project_frame,
        progress=_progress(pid, progress, timeline),
        time_entries=_time_entries(pid, entries, invoices, projects, timeline),
        invoices=invoice_frame,
        messages=_messages(cid, pid, messages, timeline),
        churn=churn_frame,
        files={name: f"{name}.csv" for name in FILES},
    )


def _clients(
    rng: np.random.Generator, cid: np.ndarray, clients: Clients, timeline: Timeline
) -> pd.DataFrame:
    industries = np.array(wording().industries)
    lead_emails = np.array([f"lead{i:02d}@firm.example" for i in range(clients.n_leads)])
    return pd.DataFrame(
        {
            "client_id": pd.Series(cid, dtype=STRING),
            "name": pd.Series(clients.names, dtype=STRING),
            "account_lead": pd.Series(lead_emails[clients.lead], dtype=STRING),
            "client_since": timeline.dates(clients.since_day),
            "industry": pd.Series(
                industries[rng.integers(0, len(industries), clients.count)], dtype=STRING
            ),
            "language": pd.Series(clients.language, dtype=STRING),
            # One made-up mail domain per client (RFC 2606's reserved .example).
            "domains": pd.Series(
                pc.binary_join_element_wise(pc.utf8_lower(cid), ".example", ""), dtype=STRING
            ),
        }
    )


def _projects(
    rng: np.random.Generator,
    cid: np.ndarray,
    pid: np.ndarray,
    clients: Clients,
    projects: Projects,
    churn: Churn,
    timeline: Timeline,
) -> pd.DataFrame:
    """Projects closed when done or when the client left, the ones planned after
    the client gave notice left out (they never happened)."""
    words = wording()
    p_client, p_deliverable = projects.client, projects.deliverable
    p_start_day, p_end_day = projects.start_day, projects.end_day(timeline)
    churn_day = churn.day[p_client]
    close_day = np.where(
        churn_day < p_end_day, churn_day, p_end_day - rng.integers(1, 4, projects.count)
    )
    close_day = np.where(close_day < timeline.n_days, close_day, -1)
    name_en = np.array(words.deliverables["en"], dtype=object)[p_deliverable]
    lang = clients.language
    names = [
        words.project_names[str(lang[c])].format(
            # English deliverables read "the CRM rollout": a project is "Crm Rollout 7".
            deliverable=words.deliverables["de"][d]
            if lang[c] == "de"
            else str(name_en[i])[4:].title(),
            number=i + 1,
        )
        for i, (c, d) in enumerate(zip(p_client, p_deliverable, strict=True))
    ]
    dates = timeline.dates_or_missing
    frame = pd.DataFrame(
        {
            "project_id": pd.Series(pid, dtype=STRING),
            "client_id": pd.Series(cid[p_client], dtype=STRING),
            "name": pd.Series(names, dtype=STRING),
            "pm": pd.Series([f"pm{i:03d}@firm.example" for i in projects.pm], dtype=STRING),
            "billing_model": pd.Series(
                np.array(BILLING_MODELS, dtype=object)[projects.billing_model], dtype=STRING
            ),
            "budget": projects.budget.astype("float64"),
            "start_date": dates(p_start_day),
            "end_date": dates(p_start_day + projects.planned_weeks * 7 - 1),
            "closed_at": dates(close_day),
        }
    )
    happened: pd.DataFrame = frame[p_start_day < churn_day].reset_index(drop=True)
    return happened


def _progress(pid: np.ndarray, progress: ProgressReports, timeline: Timeline) -> pd.DataFrame:
    milestone = np.full(progress.project.size, wording().milestone, dtype=object)
    return pd.DataFrame(
        {
            "project_id": pd.Series(pid[progress.project], dtype=STRING),
            "reported_at": timeline.dates_or_missing(progress.day(timeline)),
            "percent_complete": np.round(progress.shown * 100, 1),
            "milestone": _optional(milestone, progress.milestone),
        }
    )


def _time_entries(
    pid: np.ndarray,
    entries: TimeEntries,
    invoices: Invoices,
    projects: Projects,
    timeline: Timeline,
) -> pd.DataFrame:
    invoice = invoice_of_entries(entries, invoices, projects, timeline)
    return pd.DataFrame(
        {
            "entry_id": pd.Series(numbered("E-", entries.project.size, 9), dtype=STRING),
            "project_id": pd.Series(pid[entries.project], dtype=STRING),
            "worked_on": timeline.dates_or_missing(entries.day),
            "hours": entries.hours,
            "billable": entries.billable.astype(bool),
            "amount": entries.amount,
            # Index a small table of names: 10 million references, not strings.
            "person": pd.Series(
                _person_names(np.arange(entries.staff))[entries.person], dtype=STRING
            ),
            "role": pd.Series(ROLES.astype(object)[entries.role], dtype=STRING),
            "invoice_id": _optional(invoices.number[np.maximum(invoice, 0)], invoice >= 0),
        }
    )


def _invoices(
    rng: np.random.Generator,
    cid: np.ndarray,
    pid: np.ndarray,
    invoices: Invoices,
    timeline: Timeline,
) -> pd.DataFrame:
    dates = timeline.dates_or_missing
    return pd.DataFrame(
        {
            "invoice_id": pd.Series(invoices.number, dtype=STRING),
            "client_id": pd.Series(cid[invoices.client], dtype=STRING),
            "project_id": pd.Series(pid[invoices.project], dtype=STRING),
            "issued_at": dates(invoices.issue_day),
            "due_at": dates(invoices.due_day),
            "amount": invoices.amount,
            "paid_at": dates(invoices.paid_day),
            "disputed_at": dates(invoices.dispute_day),
            "line_items": pd.array(rng.integers(1, 30, invoices.count), dtype="Int64"),
            "period_start": dates(invoices.period_start),
            "period_end": dates(invoices.period_end),
        }
    )


def _messages(
    cid: np.ndarray, pid: np.ndarray, messages: Messages, timeline: Timeline
) -> pd.DataFrame:
    seconds = messages.day * 86400 + messages.seconds
    project = messages.project
    return pd.DataFrame(
        {
            "message_id": pd.Series(numbered("M-", messages.client.size, 8), dtype=STRING),
            "client_id": pd.Series(cid[messages.client], dtype=STRING),
            "project_id": _optional(pid[np.maximum(project, 0)], project >= 0),
            "sent_at": (
                pd.Series(timeline.start + pd.to_timedelta(seconds, unit="s"))
                .dt.tz_localize("UTC")
                .astype("datetime64[ns, UTC]")
            ),
            "channel": pd.Series(messages.channel, dtype=STRING),
            "direction": pd.Series(
                np.where(messages.outbound, "outbound", "inbound"), dtype=STRING
            ),
            "text": messages.text,
            "author": pd.Series(messages.author, dtype=STRING),
            "score": messages.score,
        }
    )


def _churn(
    rng: np.random.Generator, cid: np.ndarray, clients: Clients, churn: Churn, timeline: Timeline
) -> pd.DataFrame:
    reasons = wording().churn_reasons
    churned = churn.churned
    return pd.DataFrame(
        {
            "client_id": pd.Series(cid[churned], dtype=STRING),
            "churned_at": timeline.dates_or_missing(churn.day[churned]),
            "reason": pd.Series(
                [
                    reasons[str(lg)][i]
                    for lg, i in zip(
                        clients.language[churned],
                        rng.integers(0, len(reasons["en"]), int(churned.sum())),
                        strict=True,
                    )
                ],
                dtype=STRING,
            ),
        }
    )


def _person_names(staff: np.ndarray) -> np.ndarray:
    """Staff names from the first and last names of both languages, numbered once
    every pair is taken."""
    words = wording()
    first = np.array(words.first_names["en"] + words.first_names["de"], dtype=object)
    last = np.array(words.last_names["en"] + words.last_names["de"], dtype=object)
    pairs = first.size * last.size
    names = first[staff % first.size] + " " + last[(staff // first.size) % last.size]
    suffix = np.where(staff >= pairs, " " + (staff // pairs).astype(str), "")
    return np.asarray(names + suffix.astype(object))


def _optional(values: np.ndarray, present: np.ndarray) -> pd.Series:
    """A text column that is missing where ``present`` is false."""
    return pd.Series(values, dtype=STRING).where(present)
