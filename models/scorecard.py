"""The scorecard baseline: how customer-success tools score account health today.

Defined exactly, so anyone can recompute it: at each as-of date, the mean of the
percentile ranks (among that date's clients) of

- days since the last inbound message (365 if none),
- minus the last survey score (7 if none),
- the number of overdue invoices,
- the largest billed/budget minus reported progress over the client's projects
  (0 if none), and
- the disputes raised in the last 180 days.

Higher is riskier. The same score serves both targets; every evaluation shows
what the models add over it.

The invoice scorecard (``invoice_scorecard``) is the same kind of baseline for one
invoice, on its row as of the day before issue (``features.invoice_features``): the mean of
the percentile ranks, among the invoices evaluated, of

- the amount over the median amount of the client's earlier invoices (1 if none),
- the client's disputes in the 180 days before issue,
- the client's overdue invoices,
- days since the client's last inbound message (365 if none), and
- the share of the project's budget billed with this invoice minus its last
  reported progress (0 without a project).
"""

from __future__ import annotations

import pandas as pd

#: (feature, value when missing, sign): the five signals of the scorecard.
SIGNALS: tuple[tuple[str, float, float], ...] = (
    ("days_since_inbound", 365.0, 1.0),
    ("survey_score_latest", 7.0, -1.0),
    ("overdue_invoices", 0.0, 1.0),
    ("billed_minus_progress_max", 0.0, 1.0),
    ("disputes_180d", 0.0, 1.0),
)


def scorecard(features: pd.DataFrame) -> pd.Series:
    """The scorecard score (0..1) of each (client_id, as_of) row of ``features``."""
    # The gap feature is in percentage points; the definition's billed/budget minus
    # progress is a fraction: ranks are the same either way.
    signals = pd.DataFrame(
        {name: sign * features[name].fillna(missing) for name, missing, sign in SIGNALS},
        index=features.index,
    )
    ranks = signals.groupby(level="as_of").rank(pct=True)
    return ranks.mean(axis=1).rename("scorecard")


#: (feature, value when missing): the invoice scorecard's five signals.
INVOICE_SIGNALS: tuple[tuple[str, float], ...] = (
    ("amount_vs_usual", 1.0),
    ("disputes_180d", 0.0),
    ("overdue_invoices", 0.0),
    ("days_since_inbound", 365.0),
    ("billed_after_minus_progress", 0.0),
)


def invoice_scorecard(rows: pd.DataFrame) -> pd.Series:
    """The invoice scorecard (0..1, higher riskier) of each invoice row of ``rows``,
    ranked among all of them."""
    signals = pd.DataFrame(
        {name: rows[name].fillna(missing) for name, missing in INVOICE_SIGNALS}, index=rows.index
    )
    return signals.rank(pct=True).mean(axis=1).rename("invoice_scorecard")
