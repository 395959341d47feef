"""The work on projects: daily time entries and the PMs' weekly progress reports."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from features.simulation.clients import FIXED_FEE, MAX_TEAM, ProjectManagers, Projects
from features.simulation.timeline import Timeline

_WORKDAYS = 5
_WORKDAY_HOURS = 6.5
# Share of a team member's workdays with a time entry.
_ENTRY_RATE = 0.85
ROLES = np.array(["Partner", "Senior Consultant", "Consultant", "Analyst", "Developer", "Designer"])
# A role's hourly rate against its project's base rate, and its share of the staff.
_ROLE_RATE = np.array([2.0, 1.4, 1.0, 0.8, 1.0, 0.9])
_ROLE_SHARE = [0.08, 0.2, 0.3, 0.15, 0.2, 0.07]


@dataclass(frozen=True)
class TimeEntries:
    """One entry per person and workday on a project, by position."""

    project: np.ndarray
    day: np.ndarray
    hours: np.ndarray
    billable: np.ndarray
    amount: np.ndarray
    #: Staff number (see ``staff``) and position in :data:`ROLES`.
    person: np.ndarray
    role: np.ndarray
    #: How many people the firm employs.
    staff: int

    def select(self, rows: np.ndarray) -> TimeEntries:
        """The entries at ``rows`` (a mask or positions)."""
        arrays = {f.name: getattr(self, f.name)[rows] for f in fields(self) if f.name != "staff"}
        return replace(self, **arrays)


@dataclass(frozen=True)
class ProgressReports:
    """The weekly reports PMs file on Fridays, by position."""

    project: np.ndarray
    week: np.ndarray
    #: The share complete the PM reports (0-1).
    shown: np.ndarray
    #: The report names a milestone reached.
    milestone: np.ndarray

    def day(self, timeline: Timeline) -> np.ndarray:
        return np.asarray(self.week * 7 + timeline.monday + 4)


def draw_time_entries(
    rng: np.random.Generator, projects: Projects, n_clients: int, timeline: Timeline
) -> TimeEntries:
    """Each team member's workdays on each active project week, most of them logged.

    Time-and-materials and retainer projects also log some non-billable hours.
    """
    n_proj = projects.count
    cell_p, cell_w = np.nonzero(projects.active)
    per_cell = projects.team_size[cell_p] * _WORKDAYS
    e_p = np.repeat(cell_p, per_cell)
    e_w = np.repeat(cell_w, per_cell)
    offsets = np.arange(per_cell.sum()) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell)
    e_member = offsets // _WORKDAYS
    e_day = e_w * 7 + timeline.monday + offsets % _WORKDAYS
    kept = (rng.random(e_p.size) < _ENTRY_RATE) & (e_day < timeline.n_days)
    e_p, e_day, e_member = e_p[kept], e_day[kept], e_member[kept]
    e_hours = np.clip(np.round(rng.normal(_WORKDAY_HOURS, 1.5, e_p.size) * 4) / 4, 0.25, 10.0)
    staff = max(12, n_clients // 3)
    team = rng.integers(0, staff, (n_proj, MAX_TEAM))
    staff_role = rng.choice(len(ROLES), staff, p=_ROLE_SHARE)
    e_person = team[e_p, e_member]
    e_role = staff_role[e_person]
    # The base rate that bills a project's budget over its planned weeks.
    rate = projects.budget / (
        projects.planned_weeks * projects.team_size * _WORKDAYS * _ENTRY_RATE * _WORKDAY_HOURS
    )
    billable = np.where(projects.billing_model[e_p] == FIXED_FEE, True, rng.random(e_p.size) < 0.92)
    e_amount = np.where(billable, np.round(e_hours * rate[e_p] * _ROLE_RATE[e_role], 2), 0.0)
    return TimeEntries(
        project=e_p,
        day=e_day,
        hours=e_hours,
        billable=billable,
        amount=e_amount,
        person=e_person,
        role=e_role,
        staff=staff,
    )


def report_progress(
    rng: np.random.Generator,
    projects: Projects,
    managers: ProjectManagers,
    billed_share: np.ndarray,
    churn_day: np.ndarray,
    timeline: Timeline,
) -> ProgressReports:
    """Weekly reports while the client stays: some skipped, optimistic PMs hiding part
    of the gap between what was billed and what was delivered."""
    pr_p, pr_w = np.nonzero(projects.active)
    alive = pr_w * 7 + timeline.monday + 4 < np.minimum(
        churn_day[projects.client[pr_p]], timeline.n_days
    )
    pr_p, pr_w = pr_p[alive], pr_w[alive]
    pm = projects.pm[pr_p]
    reported = rng.random(pr_p.size) >= managers.skips[pm]
    pr_p, pr_w, pm = pr_p[reported], pr_w[reported], pm[reported]
    truth = projects.true_progress[pr_p, pr_w]
    hidden = managers.optimism[pm] * np.clip(billed_share[pr_p, pr_w] - truth, 0, None)
    shown = np.clip(truth + hidden + rng.normal(0, 0.015, pr_p.size), 0, 1)
    # A PM never reports progress going backwards.
    shown = pd.Series(shown).groupby(pr_p).cummax().to_numpy()
    return ProgressReports(
        project=pr_p, week=pr_w, shown=shown, milestone=rng.random(pr_p.size) < 0.1
    )
