"""Invoices and payments: what is open and overdue, how late the client pays,
disputes so far, and whether the latest invoice is a spike.

Each count at as-of ``t`` is a difference of event counts, so no invoice is
looked at once per as-of date: an invoice is open from ``issued_at`` until it
is paid, and overdue from the day after ``due_at`` until it is paid.
"""

from __future__ import annotations

import numpy as np

from features.snapshot import Snapshot
from features.windows import Events, day_numbers

SOURCES = ("invoices",)
_PAID = ("invoices.paid_at",)
REQUIRES = {
    "open_invoices": _PAID,
    "open_amount": _PAID,
    "overdue_invoices": _PAID,
    "overdue_amount": _PAID,
    "days_late_mean_90d": _PAID,
    "disputes_180d": ("invoices.disputed_at",),
}
FEATURES = {
    "open_invoices": "invoices issued and not yet paid (count)",
    "open_amount": "amount of invoices issued and not yet paid (money)",
    "overdue_invoices": "unpaid invoices past their due date (count)",
    "overdue_amount": "amount of unpaid invoices past their due date (money)",
    "days_late_mean_90d": "mean days between due date and payment of invoices paid in the "
    "last 90 days (days; negative = early)",
    "disputes_180d": "invoices the client disputed in the last 180 days (count)",
    "latest_invoice_ratio": "latest invoice's amount over the mean of the client's other "
    "invoices of the 365 days before it (ratio; 1 = usual, empty if no other)",
    "days_since_invoice": "days since the latest invoice was issued (days)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    c, t = s.client, s.day
    invoices = s.bundle.invoices
    client = s.code(invoices["client_id"])
    amount = invoices["amount"].to_numpy(np.float64)
    issued = day_numbers(invoices["issued_at"])
    due_passed = day_numbers(invoices["due_at"]) + 1
    paid = day_numbers(invoices["paid_at"])
    is_paid = paid > -(10**8)
    # A payment dated before the invoice (a prepayment) settles it when it is issued.
    settled = np.maximum(paid, issued)
    issue = Events(client, issued, {"amount": amount})
    payment = Events(
        client[is_paid],
        settled[is_paid],
        {
            "amount": amount[is_paid],
            "late": (paid - day_numbers(invoices["due_at"]))[is_paid].astype(np.float64),
        },
    )
    falls_due = Events(client, due_passed, {"amount": amount})
    # An invoice paid on time never becomes overdue: it leaves the overdue count
    # the day it would have entered it.
    cleared = Events(
        client[is_paid], np.maximum(due_passed, settled)[is_paid], {"amount": amount[is_paid]}
    )
    disputes = Events(client, day_numbers(invoices["disputed_at"]))
    # Against the client's other recent invoices, so a spike does not dilute its own baseline.
    latest = issue.last(c, t)
    latest_amount = issue.value_at("amount", latest)
    latest_day = np.nan_to_num(issue.day_at(latest), nan=-(10**6)).astype(np.int64)
    others = issue.count(c, latest_day, 366) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        usual = (issue.total("amount", c, latest_day, 366) - latest_amount) / others
        spike = np.where(others > 0, latest_amount / usual, np.nan)
    return {
        "open_invoices": (issue.count(c, t) - payment.count(c, t)).astype(np.float64),
        "open_amount": _money(issue.total("amount", c, t) - payment.total("amount", c, t)),
        "overdue_invoices": (falls_due.count(c, t) - cleared.count(c, t)).astype(np.float64),
        "overdue_amount": _money(falls_due.total("amount", c, t) - cleared.total("amount", c, t)),
        "days_late_mean_90d": payment.mean("late", c, t, 90),
        "disputes_180d": disputes.count(c, t, 180).astype(np.float64),
        "latest_invoice_ratio": spike,
        "days_since_invoice": issue.days_since_last(c, t),
    }


def _money(values: np.ndarray) -> np.ndarray:
    """Cents: differences of long running sums leave float dust (-1e-8) otherwise."""
    return np.round(values, 2) + 0.0
