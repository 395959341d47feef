"""``risk thresholds suggest``: level thresholds read off a backtest.

A level should mean the same thing every week, so it is a probability, not a
rank. The backtest says how precise a PM's weekly top 10% is; ``high`` is then
the lowest probability at which the clients above it are still that precise
(pooled over the backtest's weeks), and ``elevated`` the lowest at which they
are still half that precise and at least twice as likely to have the event as
the average client. Both come
with the share of client-weeks they would have flagged and the events they
would have caught, so the choice is made knowing its cost.

An invoice backtest (``risk invoices backtest --out``: ``invoice_id,issued_at,
dispute_risk``) gets the same rules for a checked invoice's levels
(``RISK_INVOICE_HIGH``, ``RISK_INVOICE_ELEVATED``), with the top 10% of all the
invoices it scored in place of a week's clients and "disputed within 60 days" as
the event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.bundle.load import Bundle
from features.invoice_features import invoice_labels
from features.labels import build_labels
from features.risks import RISKS
from models.evaluate import top_share_flags

#: The backtest CSV's probability column for each risk (``risk backtest --out``).


@dataclass(frozen=True)
class Suggestion:
    """Thresholds for one risk, with what they would have meant in the backtest."""

    risk: str
    high: float
    elevated: float
    top_precision: float
    base_rate: float
    high_share: float
    high_precision: float
    high_recall: float
    elevated_share: float
    elevated_precision: float
    elevated_recall: float


#: The columns of an invoice backtest (``risk invoices backtest --out``).
INVOICE_BACKTEST = ("invoice_id", "issued_at", "dispute_risk")


def is_invoice_backtest(path: str) -> bool:
    """Whether ``path`` is an invoice backtest (it has an ``invoice_id`` column)."""
    return "invoice_id" in pd.read_csv(path, nrows=0).columns


def read_backtest(path: str) -> pd.DataFrame:
    """A ``risk backtest --out`` file, indexed by (client_id, as_of); errors name the problem."""
    scores = pd.read_csv(path, dtype={"client_id": str})
    missing = {"client_id", "as_of", *(risk.score_column for risk in RISKS)} - set(scores.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    as_of = pd.to_datetime(scores["as_of"], format="ISO8601", errors="coerce")
    if as_of.isna().any():
        row = int(np.flatnonzero(as_of.isna().to_numpy())[0]) + 2
        raise ValueError(f"{path}: row {row}, column as_of: not an ISO date")
    scores["as_of"] = as_of.astype("datetime64[ns]")
    return scores.set_index(["client_id", "as_of"]).sort_index()


def suggest(scores: pd.DataFrame, bundle: Bundle) -> dict[str, Suggestion]:
    """Thresholds per risk from backtest ``scores`` and the outcomes in ``bundle``."""
    labels = build_labels(bundle, scores.index)
    out: dict[str, Suggestion] = {}
    for risk in RISKS:
        target, column = risk.label, risk.score_column
        known = labels[target].notna() & scores[column].notna()
        if known.sum() == 0 or labels.loc[known, target].sum() == 0:
            continue
        out[risk.name] = _suggest(risk.name, scores.loc[known, column], labels.loc[known, target])
    return out


def suggest_invoice(path: str, bundle: Bundle) -> Suggestion | None:
    """Thresholds for a checked invoice from an invoice backtest at ``path`` and the
    outcomes in ``bundle``; None when no scored invoice's outcome is known."""
    scores = pd.read_csv(path, dtype={"invoice_id": str})
    missing = set(INVOICE_BACKTEST) - set(scores.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    risk = pd.to_numeric(scores["dispute_risk"], errors="coerce")
    bad = scores["dispute_risk"].notna() & risk.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise ValueError(f"{path}: row {row}, column dispute_risk: not a number")
    labels = invoice_labels(bundle).set_axis(bundle.invoices["invoice_id"].to_numpy())
    unknown = ~scores["invoice_id"].isin(labels.index)
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0]) + 2
        raise ValueError(f"{path}: row {row}, column invoice_id: not an invoice of the bundle")
    label = pd.Series(labels.reindex(scores["invoice_id"]).to_numpy(), dtype="float64")
    known = label.notna() & risk.notna()
    if known.sum() == 0 or label[known].sum() == 0:
        return None
    # One "date" for all: the top 10% of every invoice scored, as the invoice metrics.
    index = pd.MultiIndex.from_arrays(
        [scores["invoice_id"][known], np.zeros(int(known.sum()))], names=["invoice_id", "as_of"]
    )
    return _suggest(
        "invoice", risk[known].set_axis(index), label[known].set_axis(index).astype(int)
    )


def _suggest(risk: str, probability: pd.Series, label: pd.Series) -> Suggestion:
    top = top_share_flags(probability)
    top_precision = float(label[top].mean())
    base_rate = float(label.mean())
    order = np.argsort(-probability.to_numpy(), kind="stable")
    p = probability.to_numpy()[order]
    hits = np.cumsum(label.to_numpy()[order])
    precision = hits / np.arange(1, len(p) + 1)
    high = _lowest_with(p, precision, top_precision)
    floor = min(max(2 * base_rate, top_precision / 2), top_precision)
    elevated = min(_lowest_with(p, precision, floor), high)

    def at(threshold: float) -> tuple[float, float, float]:
        chosen = probability >= threshold
        caught = float(label[chosen].sum())
        return float(chosen.mean()), caught / max(chosen.sum(), 1), caught / float(label.sum())

    high_share, high_precision, high_recall = at(high)
    elevated_share, elevated_precision, elevated_recall = at(elevated)
    return Suggestion(
        risk=risk,
        high=high,
        elevated=elevated,
        top_precision=top_precision,
        base_rate=base_rate,
        high_share=high_share,
        high_precision=high_precision,
        high_recall=high_recall,
        elevated_share=elevated_share,
        elevated_precision=elevated_precision,
        elevated_recall=elevated_recall,
    )


def _lowest_with(p: np.ndarray, precision: np.ndarray, floor: float) -> float:
    """The lowest probability whose clients (all at or above it) are at least ``floor`` precise,
    rounded down to 0.001; the highest probability when none is."""
    # Ties: the set "p >= t" holds every row up to the last one equal to t.
    last_of_tie = np.r_[p[1:] != p[:-1], True]
    ok = (precision >= floor - 1e-12) & last_of_tie
    if not ok.any():
        return float(np.floor(p[0] * 1000) / 1000)
    return float(np.floor(p[np.flatnonzero(ok)[-1]] * 1000) / 1000)
