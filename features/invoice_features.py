"""Invoice-level rows: every issued invoice as it stood at the end of the day before it
was issued, and whether it was disputed within 60 days.

The client's side of a row is the one feature function's (``build_features`` at the
client and that day), so an invoice row and a client row of the same day agree. The
invoice's own side is computed here from the invoice and what was known that day:
earlier invoices (issued before its day), progress reported by then, the time worked
behind it. A draft checked before it is sent (a later step) is the same kind of row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from features.build import build_features
from features.bundle.load import Bundle
from features.bundle.summary import event_dates

#: Days after issue in which a dispute makes the label 1.
DISPUTE_WINDOW_DAYS = 60
LABEL = "disputed_60d"

#: The invoice's own features, with their one-line descriptions.
INVOICE_FEATURES: dict[str, str] = {
    "amount_vs_usual": "the amount over the median amount of the client's earlier invoices "
    "(1 when none)",
    "billed_after_minus_progress": "the share of the project's budget billed with this "
    "invoice minus the share reported complete by then (0 without a project)",
    "amount_vs_budget_left": "the amount over what the project's budget had left before it "
    "(empty without a project or budget left)",
    "days_since_progress": "days since the project's latest progress report (empty if none)",
    "first_of_project": "1 when it is the project's first invoice",
    "days_since_previous": "days since the client's previous invoice (empty if none)",
    "terms_vs_usual": "its days to pay minus the median of the client's earlier invoices' "
    "(0 when none)",
    "work_value_vs_amount": "the value of the billable time behind it (linked entries, else "
    "the project's in its period) over the amount (empty when none is known)",
    "hours_behind": "hours of that time (0 when none is known)",
    "linked_share": "the share of those hours linked to the invoice (empty without hours)",
    "line_items": "its number of line items (empty when not given)",
}


def as_of_rows(invoices: pd.DataFrame) -> pd.MultiIndex:
    """Each invoice's (client_id, as_of): the end of the day before its issue day."""
    day = pd.to_datetime(invoices["issued_at"]).dt.normalize() - pd.Timedelta(days=1)
    return pd.MultiIndex.from_arrays(
        [invoices["client_id"].to_numpy(), day.to_numpy()], names=["client_id", "as_of"]
    )


def invoice_features(
    bundle: Bundle,
    invoices: pd.DataFrame | None = None,
    cache_dir: str | Path | None = None,
    message_scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The client's features and the invoice's own of every row of ``invoices``
    (default: the bundle's; a draft not in the bundle is checked the same way),
    indexed by ``invoice_id``, as of the day before issue. A row whose client was not
    yet a client (or had churned) that day has empty client features.
    ``message_scores``: as for ``build_features``."""
    invoices = bundle.invoices if invoices is None else invoices
    rows = as_of_rows(invoices)
    client = build_features(
        bundle, rows, cache_dir=cache_dir, message_scores=message_scores
    ).reindex(rows)
    client.index = pd.Index(invoices["invoice_id"].to_numpy(), name="invoice_id")
    own = _own_features(bundle, invoices)
    return pd.concat([client, own], axis=1)


def invoice_labels(bundle: Bundle, invoices: pd.DataFrame | None = None) -> pd.Series:
    """``disputed_60d`` of each invoice: 1 when disputed within 60 days of issue, 0 when
    not and the accounting export reaches 60 days past issue, else empty (not a
    training row)."""
    invoices = bundle.invoices if invoices is None else invoices
    issued = pd.to_datetime(invoices["issued_at"]).dt.normalize()
    disputed = pd.to_datetime(invoices["disputed_at"]).dt.normalize()
    _, last = event_dates(bundle)
    # Disputes are seen only as far as the accounting export reaches (as for clients).
    reach = bundle.invoices[["issued_at", "paid_at", "disputed_at"]].max().max()
    observed_until = min(pd.Timestamp(reach), last) if last is not None else pd.Timestamp(reach)
    window = pd.Timedelta(days=DISPUTE_WINDOW_DAYS)
    happened = disputed.notna() & (disputed >= issued) & (disputed <= issued + window)
    observed = issued + window <= observed_until
    label = np.where(happened, 1.0, np.where(observed, 0.0, np.nan))
    if bundle.invoices["disputed_at"].notna().sum() == 0:
        label = np.full(len(invoices), np.nan)  # "none recorded" is not "none happened"
    return pd.Series(
        label, index=pd.Index(invoices["invoice_id"].to_numpy(), name="invoice_id"), name=LABEL
    )


def _own_features(bundle: Bundle, invoices: pd.DataFrame) -> pd.DataFrame:
    """The invoice's own features (``INVOICE_FEATURES``), one row per invoice."""
    known = bundle.invoices
    issued = pd.to_datetime(invoices["issued_at"]).dt.normalize().to_numpy()
    amount = invoices["amount"].to_numpy(np.float64)
    terms = (
        (pd.to_datetime(invoices["due_at"]) - pd.to_datetime(invoices["issued_at"])).dt.days
    ).to_numpy(np.float64)
    history = _earlier_by_client(known, invoices["client_id"].to_numpy(), issued)
    usual_amount = np.array([np.median(h[1]) if h[1].size else np.nan for h in history])
    usual_terms = np.array([np.median(h[2]) if h[2].size else np.nan for h in history])
    previous = np.array([h[0].max() if h[0].size else np.datetime64("NaT") for h in history])
    project = _project_side(bundle, invoices, issued, amount)
    work = _work_side(bundle, invoices, issued)
    out = pd.DataFrame(
        {
            "amount_vs_usual": np.where(np.isnan(usual_amount), 1.0, amount / usual_amount),
            **project,
            "days_since_previous": (issued - previous) / np.timedelta64(1, "D"),
            "terms_vs_usual": np.where(np.isnan(usual_terms), 0.0, terms - usual_terms),
            "work_value_vs_amount": _share(work["value"], amount, work["hours"] > 0),
            "hours_behind": work["hours"],
            "linked_share": _share(work["linked"], work["hours"], work["hours"] > 0),
            "line_items": invoices["line_items"].to_numpy(np.float64),
        },
        index=pd.Index(invoices["invoice_id"].to_numpy(), name="invoice_id"),
    )
    return out[list(INVOICE_FEATURES)]


def _share(part: np.ndarray, whole: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``part / whole`` where ``where`` holds, else empty."""
    shares: np.ndarray = np.divide(part, whole, out=np.full(part.shape, np.nan), where=where)
    return shares


def _earlier_by_client(
    known: pd.DataFrame, client_id: np.ndarray, issued: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """For each invoice, the client's invoices issued before its day: their issue days,
    amounts and days to pay."""
    days = pd.to_datetime(known["issued_at"]).dt.normalize()
    frame = pd.DataFrame(
        {
            "client_id": known["client_id"].to_numpy(),
            "day": days.to_numpy(),
            "amount": known["amount"].to_numpy(np.float64),
            "terms": (pd.to_datetime(known["due_at"]) - days).dt.days.to_numpy(np.float64),
        }
    ).sort_values(["client_id", "day"], kind="stable")
    groups = {c: g for c, g in frame.groupby("client_id", sort=False)}
    empty = np.array([], dtype="datetime64[ns]"), np.array([]), np.array([])
    out = []
    for client, day in zip(client_id, issued, strict=True):
        group = groups.get(client)
        if group is None:
            out.append(empty)
            continue
        before = int(np.searchsorted(group["day"].to_numpy(), day, side="left"))
        out.append(
            (
                group["day"].to_numpy()[:before],
                group["amount"].to_numpy()[:before],
                group["terms"].to_numpy()[:before],
            )
        )
    return out


def _project_side(
    bundle: Bundle, invoices: pd.DataFrame, issued: np.ndarray, amount: np.ndarray
) -> dict[str, np.ndarray]:
    """The project's budget billed and delivered by the day before issue."""
    n = len(invoices)
    project_id = invoices["project_id"].to_numpy(object)
    budget = (
        bundle.projects.set_index("project_id")["budget"].reindex(project_id).to_numpy(np.float64)
    )
    known = bundle.invoices.dropna(subset=["project_id"])
    known_day = pd.to_datetime(known["issued_at"]).dt.normalize()
    billed = np.zeros(n)
    first = np.ones(n)
    for project, group in pd.DataFrame(
        {
            "project_id": known["project_id"].to_numpy(),
            "day": known_day.to_numpy(),
            "amount": known["amount"].to_numpy(np.float64),
        }
    ).groupby("project_id"):
        rows = np.flatnonzero(project_id == project)
        if rows.size == 0:
            continue
        order = np.argsort(group["day"].to_numpy(), kind="stable")
        days = group["day"].to_numpy()[order]
        sums = np.concatenate([[0.0], np.cumsum(group["amount"].to_numpy()[order])])
        before = np.searchsorted(days, issued[rows], side="left")
        billed[rows] = sums[before]
        first[rows] = (before == 0).astype(float)
    reports = bundle.progress.sort_values("reported_at")
    report_day = pd.to_datetime(reports["reported_at"]).dt.normalize()
    percent = np.full(n, np.nan)
    since_report = np.full(n, np.nan)
    for project, group in pd.DataFrame(
        {
            "project_id": reports["project_id"].to_numpy(),
            "day": report_day.to_numpy(),
            "percent": reports["percent_complete"].to_numpy(np.float64),
        }
    ).groupby("project_id"):
        rows = np.flatnonzero(project_id == project)
        if rows.size == 0:
            continue
        days = group["day"].to_numpy()
        # Known by the end of the day before issue: reported on or before that day.
        latest = np.searchsorted(days, issued[rows], side="left") - 1
        has = latest >= 0
        percent[rows[has]] = group["percent"].to_numpy()[latest[has]]
        since_report[rows[has]] = (issued[rows[has]] - days[latest[has]]) / np.timedelta64(
            1, "D"
        ) - 1
    with_project = ~pd.isna(project_id) & (budget > 0)
    share_after = np.where(with_project, (billed + amount) / np.where(budget > 0, budget, 1), 0)
    delivered = np.where(np.isnan(percent), 0.0, percent / 100)
    left = budget - billed
    return {
        "billed_after_minus_progress": np.where(with_project, share_after - delivered, 0.0),
        "amount_vs_budget_left": np.where(with_project & (left > 0), amount / left, np.nan),
        "days_since_progress": since_report,
        "first_of_project": np.where(pd.isna(project_id), np.nan, first),
    }


def _work_side(bundle: Bundle, invoices: pd.DataFrame, issued: np.ndarray) -> dict[str, np.ndarray]:
    """Hours and value of the billable time behind each invoice, known the day before
    issue: the entries linked to it, else the project's billable entries in its period;
    and the hours linked."""
    n = len(invoices)
    entries = bundle.time_entries
    worked = pd.to_datetime(entries["worked_on"]).dt.normalize().to_numpy()
    billable = entries["billable"].fillna(False).to_numpy(bool)
    hours = np.zeros(n)
    value = np.zeros(n)
    linked = np.zeros(n)
    position = {invoice: i for i, invoice in enumerate(invoices["invoice_id"].to_numpy())}
    links = entries["invoice_id"].to_numpy(object)
    for invoice, group in (
        pd.DataFrame(
            {
                "invoice_id": links,
                "hours": entries["hours"].to_numpy(np.float64),
                "amount": entries["amount"].to_numpy(np.float64),
                "billable": billable,
            }
        )
        .dropna(subset=["invoice_id"])
        .groupby("invoice_id")
    ):
        i = position.get(invoice)
        if i is None:
            continue
        hours[i] = group["hours"].sum()
        linked[i] = hours[i]
        value[i] = group.loc[group["billable"], "amount"].sum()
    # Without links: the project's billable time in the invoice's period, up to the day
    # before issue, by cumulative sums per project (no scan of every entry per invoice).
    start = pd.to_datetime(invoices["period_start"]).dt.normalize().to_numpy()
    end = pd.to_datetime(invoices["period_end"]).dt.normalize().to_numpy()
    day_before: np.ndarray = issued - np.timedelta64(1, "D")
    last = np.where(pd.isna(end) | (end > day_before), day_before, end)
    project_id = invoices["project_id"].to_numpy(object)
    todo = np.flatnonzero((hours == 0) & ~pd.isna(start) & ~pd.isna(project_id))
    if todo.size:
        frame = pd.DataFrame(
            {
                "project_id": entries["project_id"].to_numpy(object),
                "day": worked,
                "hours": entries["hours"].to_numpy(np.float64),
                "amount": entries["amount"].to_numpy(np.float64),
            }
        )[billable].sort_values(["project_id", "day"], kind="stable")
        sums: dict[object, tuple[np.ndarray, np.ndarray, np.ndarray]] = {
            project: (
                group["day"].to_numpy(),
                np.concatenate([[0.0], np.cumsum(group["hours"].to_numpy())]),
                np.concatenate([[0.0], np.cumsum(group["amount"].to_numpy())]),
            )
            for project, group in frame.groupby("project_id", sort=False)
        }
        for row in todo:
            found = sums.get(project_id[row])
            if found is None:
                continue
            days, hours_to, value_to = found
            lo = np.searchsorted(days, start[row], side="left")
            hi = np.searchsorted(days, last[row], side="right")
            if hi > lo:
                hours[row] = hours_to[hi] - hours_to[lo]
                value[row] = value_to[hi] - value_to[lo]
    return {"hours": hours, "value": value, "linked": linked}
