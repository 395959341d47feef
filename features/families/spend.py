"""Spend against progress: is billing running ahead of what was delivered?

Per running project at each as-of date (started, not yet closed), then per
client as the worst project and as a budget-weighted mean. The over/under-billing
figure is the one construction firms keep in their work-in-progress schedules:
billed to date minus earned value (reported progress x budget).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.snapshot import Snapshot
from features.windows import Events, day_numbers, totals_to_date

SOURCES = ("projects",)
_BILLED = ("invoices", "invoices.project_id")
_REPORTED = ("progress",)
REQUIRES = {
    "billed_share_max": _BILLED,
    "billed_share_weighted": _BILLED,
    "time_value_share_max": ("time_entries",),
    "time_value_share_weighted": ("time_entries",),
    "progress_weighted": _REPORTED,
    "billed_minus_progress_max": _BILLED + _REPORTED,
    "billed_minus_progress_weighted": _BILLED + _REPORTED,
    "overbilling_share": _BILLED + _REPORTED,
    "overbilling_amount": _BILLED + _REPORTED,
    "progress_report_age_max": _REPORTED,
}
FEATURES = {
    "billed_share_max": "largest share of a running project's budget billed to date (1 = "
    "budget fully billed)",
    "billed_share_weighted": "share of budget billed to date over running projects, weighted "
    "by budget",
    "time_value_share_max": "largest value of time worked to date (at billing rates) over a "
    "running project's budget",
    "time_value_share_weighted": "value of time worked to date over budget, weighted by budget "
    "over running projects",
    "progress_weighted": "latest reported percent complete of running projects, weighted by "
    "budget (0..100)",
    "billed_minus_progress_max": "largest gap between % of budget billed and % complete "
    "reported, over running projects (percentage points)",
    "billed_minus_progress_weighted": "gap between % billed and % complete, budget-weighted "
    "over running projects (percentage points)",
    "overbilling_share": "billed minus earned value over running projects, as a share of their "
    "budget (> 0: billed ahead of delivery)",
    "overbilling_amount": "billed minus earned value over running projects (money)",
    "progress_report_age_max": "days since the latest progress report of the running project "
    "reported longest ago (days; counted from its start if never)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    bundle = s.bundle
    projects = bundle.projects
    n_rows = s.client.size
    start = day_numbers(projects["start_date"])
    project, day, row = s.running_projects
    budget = projects["budget"].to_numpy(np.float64)[project]

    billed_project, billed_day, billed_amount = _billed_by_project(s)
    billed = totals_to_date(billed_project, billed_day, billed_amount, project, day)
    entries = bundle.time_entries
    worked = totals_to_date(
        s.entry_project,
        day_numbers(entries["worked_on"]),
        entries["amount"].to_numpy(np.float64),
        project,
        day,
    )
    progress = bundle.progress
    reports = Events(
        s.project_code(progress["project_id"]),
        day_numbers(progress["reported_at"]),
        {"percent": progress["percent_complete"].to_numpy()},
    )
    latest = reports.last(project, day)
    percent = reports.value_at("percent", latest)
    report_day = np.where(latest >= 0, reports.day_at(latest), start[project])

    billed_share = billed / budget
    gap = billed_share * 100 - percent
    over = billed - percent / 100 * budget
    out = {
        "billed_share_max": _max(row, billed_share, n_rows),
        "billed_share_weighted": _weighted(row, billed_share, budget, n_rows),
        "time_value_share_max": _max(row, worked / budget, n_rows),
        "time_value_share_weighted": _weighted(row, worked / budget, budget, n_rows),
        "progress_weighted": _weighted(row, percent, budget, n_rows),
        "billed_minus_progress_max": _max(row, gap, n_rows),
        "billed_minus_progress_weighted": _weighted(row, gap, budget, n_rows),
        "overbilling_share": _sum(row, over, n_rows)
        / _sum(row, np.where(np.isnan(over), np.nan, budget), n_rows),
        "overbilling_amount": _sum(row, over, n_rows),
        "progress_report_age_max": _max(row, (day - report_day).astype(np.float64), n_rows),
    }
    return out


def _billed_by_project(s: Snapshot) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Invoice amounts by project and issue day. An invoice that names no project
    (it may span several) is split over the projects of the time entries that
    name it, by their amounts, as the contract links them; one that no entry
    names cannot be placed and is left out."""
    invoices = s.bundle.invoices
    direct = invoices[invoices["project_id"].notna()]
    spanning = invoices[invoices["project_id"].isna()]
    if spanning.empty:  # the usual export: every invoice names its project
        return (
            s.project_code(direct["project_id"]),
            day_numbers(direct["issued_at"]),
            direct["amount"].to_numpy(np.float64),
        )
    entries = s.bundle.time_entries
    linked = entries[entries["invoice_id"].isin(spanning["invoice_id"])]
    work = linked.groupby(["invoice_id", "project_id"], observed=True)["amount"].sum()
    share = (work / work.groupby(level="invoice_id").transform("sum")).rename("share")
    split = share.reset_index().merge(
        spanning[["invoice_id", "issued_at", "amount"]], on="invoice_id"
    )
    project_ids = pd.concat([direct["project_id"], split["project_id"]], ignore_index=True)
    issued = pd.concat([direct["issued_at"], split["issued_at"]], ignore_index=True)
    amount = np.concatenate(
        [
            direct["amount"].to_numpy(np.float64),
            (split["amount"] * split["share"]).to_numpy(np.float64),
        ]
    )
    return s.project_code(project_ids), day_numbers(issued), amount


def _max(row: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    np.fmax.at(out, row, values)
    return out


def _sum(row: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum per row of the non-missing values; NaN where a row has none."""
    known = ~np.isnan(values)
    total = np.bincount(row[known], weights=values[known], minlength=n)
    count = np.bincount(row[known], minlength=n)
    return np.where(count > 0, total, np.nan)


def _weighted(row: np.ndarray, values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    known = ~np.isnan(values)
    weight = np.bincount(row[known], weights=weights[known], minlength=n)
    total = np.bincount(row[known], weights=(values * weights)[known], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)
