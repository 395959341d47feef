"""Monthly invoices per project, the gap they open over delivery, and their payment."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property

import numpy as np

from features.simulation.clients import (
    FIXED_FEE,
    RETAINER,
    TIME_AND_MATERIALS,
    Clients,
    Projects,
)
from features.simulation.identifiers import numbered
from features.simulation.timeline import Timeline
from features.simulation.work import TimeEntries


@dataclass(frozen=True)
class Invoices:
    """One entry per invoice, by position. Days of events that did not happen are -1."""

    project: np.ndarray
    client: np.ndarray
    #: Position in ``Timeline.month_starts`` of the month start that billed it.
    month: np.ndarray
    amount: np.ndarray
    issue_day: np.ndarray
    due_day: np.ndarray
    period_start: np.ndarray
    period_end: np.ndarray
    dispute_day: np.ndarray
    paid_day: np.ndarray
    #: The generator's own chance that the invoice is disputed (NaN until drawn).
    dispute_probability: np.ndarray

    @property
    def count(self) -> int:
        return int(self.project.size)

    @cached_property
    def number(self) -> np.ndarray:
        """Invoice numbers by position, as an accounting tool numbers them."""
        return np.asarray(numbered("INV-", self.count, 7).to_pylist(), dtype=object)

    def select(self, rows: np.ndarray) -> Invoices:
        """The invoices at ``rows`` (a mask or positions)."""
        return replace(self, **{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass(frozen=True)
class Billing:
    """What was billed against what was delivered, per week."""

    #: Projects x weeks: share of the budget invoiced so far.
    billed_share: np.ndarray
    #: Clients x weeks: the widest billed-minus-delivered gap of the client's projects.
    client_gap: np.ndarray
    #: Clients x weeks: the client has a project running.
    has_project: np.ndarray


def issue_invoices(
    rng: np.random.Generator,
    projects: Projects,
    entries: TimeEntries,
    clients: Clients,
    timeline: Timeline,
) -> Invoices:
    """An invoice per project and month in the first days of the next month, unpaid.

    Time and materials bill the month's entries, fixed fees the month's share of
    the planned schedule, retainers a monthly fee: billing runs on whatever the
    delivery does.
    """
    ms_day = timeline.month_starts
    p_model, p_budget = projects.billing_model, projects.budget
    prev_day = np.concatenate([[0], ms_day[:-1]])
    p_start_day = projects.start_day
    p_end_day = projects.end_day(timeline)
    inv_p, inv_m = np.nonzero(
        (p_start_day[:, None] < ms_day[None, :]) & (p_end_day[:, None] > prev_day[None, :])
    )
    period_start = np.maximum(prev_day[inv_m], p_start_day[inv_p])
    period_end = np.minimum(ms_day[inv_m], p_end_day[inv_p]) - 1
    # An entry is billed by its project's invoice at the next month start: a
    # dense (project, month) key keeps the lookups flat for 10 million entries.
    months_per_project = ms_day.size + 1
    e_key = entries.project * months_per_project + _billing_month(entries, timeline)
    billed_amount = np.bincount(
        e_key, weights=entries.amount, minlength=projects.count * months_per_project
    )
    tm_amount = billed_amount[inv_p * months_per_project + inv_m]
    planned_days = projects.planned_weeks * 7.0

    def share(day: np.ndarray, p: np.ndarray) -> np.ndarray:
        finished = (day >= p_end_day[p]) & (p_model[p] != RETAINER)
        return np.where(finished, 1.0, np.clip((day - p_start_day[p]) / planned_days[p], 0, 1))

    fixed_amount = p_budget[inv_p] * (share(period_end + 1, inv_p) - share(period_start, inv_p))
    retainer_months = np.maximum(np.round(planned_days / 30.4), 1)
    retainer_amount = (p_budget / retainer_months)[inv_p] * np.clip(
        (period_end + 1 - period_start) / 30.4, 0, 1
    )
    amount = np.round(
        np.select(
            [p_model[inv_p] == FIXED_FEE, p_model[inv_p] == TIME_AND_MATERIALS],
            [fixed_amount, tm_amount],
            retainer_amount,
        ),
        2,
    )
    issue_day = ms_day[inv_m] + rng.integers(0, 4, inv_m.size)
    ok = (amount > 0) & (issue_day < timeline.n_days)
    inv_p, inv_m, issue_day = inv_p[ok], inv_m[ok], issue_day[ok]
    inv_c = projects.client[inv_p]
    return Invoices(
        project=inv_p,
        client=inv_c,
        month=inv_m,
        amount=amount[ok],
        issue_day=issue_day,
        due_day=issue_day + clients.payment_terms[inv_c],
        period_start=period_start[ok],
        period_end=period_end[ok],
        dispute_day=np.full(inv_p.size, -1),
        paid_day=np.full(inv_p.size, -1),
        dispute_probability=np.full(inv_p.size, np.nan),
    )


def _billing_month(entries: TimeEntries, timeline: Timeline) -> np.ndarray:
    """Per entry: the position of the month start whose invoice bills it."""
    return np.searchsorted(timeline.month_starts, entries.day, side="right")


def bill_against_delivery(
    projects: Projects, invoices: Invoices, n_clients: int, timeline: Timeline
) -> Billing:
    """The billed share of each budget and each client's widest gap over delivery."""
    n_weeks = timeline.n_weeks
    billed = np.zeros((projects.count, n_weeks))
    np.add.at(
        billed,
        (invoices.project, np.minimum(invoices.issue_day // 7, n_weeks - 1)),
        invoices.amount,
    )
    billed_share = np.cumsum(billed, axis=1) / projects.budget[:, None]
    gap = np.where(projects.active, billed_share - projects.true_progress, 0.0)
    cell_p, cell_w = np.nonzero(projects.active)
    client_gap = np.zeros((n_clients, n_weeks))
    np.maximum.at(
        client_gap, (projects.client[cell_p], cell_w), np.clip(gap[cell_p, cell_w], 0, None)
    )
    has_project = np.zeros((n_clients, n_weeks), dtype=bool)
    has_project[projects.client[cell_p], cell_w] = True
    return Billing(billed_share=billed_share, client_gap=client_gap, has_project=has_project)


def settle_invoices(
    rng: np.random.Generator,
    invoices: Invoices,
    health: np.ndarray,
    churn_day: np.ndarray,
    timeline: Timeline,
) -> Invoices:
    """Drop invoices from after churn, then pay the rest, in issue order.

    Payment follows health; disputed invoices wait for the dispute's resolution.
    Disputes and payments after the end have not happened yet.
    """
    n_days, n_weeks = timeline.n_days, timeline.n_weeks
    invoices = invoices.select(invoices.issue_day < churn_day[invoices.client])
    issue_day, due_day = invoices.issue_day, invoices.due_day
    health_at_issue = health[invoices.client, np.minimum(issue_day // 7, n_weeks - 1)]
    dispute_day = np.where(invoices.dispute_day >= n_days, -1, invoices.dispute_day)
    delay = np.round(rng.normal(-1.0 - 9.0 * np.clip(-health_at_issue, -0.5, None), 6.0))
    paid_day = np.where(
        dispute_day >= 0,
        dispute_day + rng.integers(15, 75, invoices.count),
        due_day + np.maximum(delay, -due_day + issue_day),
    )
    paid_day = np.where(paid_day < n_days, paid_day, -1)
    settled = replace(invoices, dispute_day=dispute_day, paid_day=paid_day)
    # Invoice numbers run in issue order, as an accounting tool numbers them.
    return settled.select(np.lexsort((settled.project, issue_day)))


def invoice_of_entries(
    entries: TimeEntries, invoices: Invoices, projects: Projects, timeline: Timeline
) -> np.ndarray:
    """Per entry: the invoice that billed it, for time-and-materials work (else -1)."""
    months_per_project = timeline.month_starts.size + 1
    invoice_at = np.full(projects.count * months_per_project, -1, dtype=np.int64)
    invoice_at[invoices.project * months_per_project + invoices.month] = np.arange(invoices.count)
    e_key = entries.project * months_per_project + _billing_month(entries, timeline)
    is_tm = projects.billing_model[entries.project] == TIME_AND_MATERIALS
    return np.where(is_tm & entries.billable, invoice_at[e_key], -1)
