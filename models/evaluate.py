"""One evaluation for every scorer, so the model, the logistic baseline and the
scorecard are always compared like with like.

Ranking quality (ROC-AUC, PR-AUC), calibration (Brier, for probabilities), what
a PM with capacity for the top 10% of each week's clients would catch
(precision and recall in that top 10%), and lead time: for each event, how many
days before it the client first entered its week's top 10% within the event's
horizon: the share of events warned at all (``warned_share``) and at least 14
days ahead (``warned_14d_share``, among the events the scored dates could warn
that early).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from features.bundle.load import Bundle
from models.scorecard import scorecard

TOP_SHARE = 0.10
EARLY_DAYS = 14


def top_share_flags(scores: pd.Series, share: float = TOP_SHARE) -> pd.Series:
    """True for the rows in their as-of date's top ``share`` by score (at least one row)."""
    rank = scores.groupby(level="as_of").rank(method="first", ascending=False)
    size = scores.groupby(level="as_of").transform("size")
    flags: pd.Series = rank <= np.maximum(np.ceil(size * share), 1)
    return flags


def lead_times(flags: pd.Series, events: pd.DataFrame, horizon_days: int) -> pd.Series:
    """Days from each event back to the first as-of date within its horizon on which
    the client was flagged (NaN when it never was).

    ``events`` has columns ``client_id`` and ``day`` (the dispute or churn date).
    """
    flagged = flags[flags].reset_index()[["client_id", "as_of"]]
    pairs = (
        events.reset_index(drop=True)
        .reset_index(names="event")
        .merge(flagged, on="client_id", how="left")
    )
    before = (pairs["as_of"] < pairs["day"]) & (
        pairs["as_of"] >= pairs["day"] - pd.Timedelta(days=horizon_days)
    )
    first = pairs[before].groupby("event")["as_of"].min()
    lead = (events["day"].reset_index(drop=True) - first.reindex(range(len(events)))).dt.days
    return lead.astype("float64")


def evaluate(
    scores: pd.Series,
    labels: pd.Series,
    events: pd.DataFrame,
    horizon_days: int,
    probability: bool = True,
) -> dict[str, float]:
    """Metrics of ``scores`` against ``labels`` (rows with an unknown label are left out)
    and the lead time before ``events`` that fall inside the scored period."""
    known = labels.notna()
    y, s = labels[known].astype(int), scores[known]
    both = y.nunique() == 2
    flags = top_share_flags(scores)
    top = flags[known]
    positives = int(y.sum())
    first, last = (
        scores.index.get_level_values("as_of").min(),
        scores.index.get_level_values("as_of").max(),
    )
    in_period = events[
        (events["day"] > first) & (events["day"] <= last + pd.Timedelta(days=horizon_days))
    ].reset_index(drop=True)
    lead = lead_times(flags, in_period, horizon_days)
    # An event in the first two weeks of the scored period had no scored date two
    # weeks before it: counting it as "not warned early" would blame the scorer for
    # where the period starts, so the early share counts only events that could be.
    could_be_early = in_period["day"] >= first + pd.Timedelta(days=EARLY_DAYS)
    early = lead[could_be_early]
    return {
        "rows": float(len(y)),
        "positives": float(positives),
        "roc_auc": float(roc_auc_score(y, s)) if both else math.nan,
        "pr_auc": float(average_precision_score(y, s)) if both else math.nan,
        "brier": float(brier_score_loss(y, s)) if probability and len(y) else math.nan,
        "top10_precision": float(y[top].mean()) if top.any() else math.nan,
        "top10_recall": float(y[top].sum() / positives) if positives else math.nan,
        "events": float(len(in_period)),
        "lead_median_days": float(lead.median()) if lead.notna().any() else math.nan,
        "warned_share": float(lead.notna().mean()) if len(lead) else math.nan,
        "warned_14d_share": float((early >= EARLY_DAYS).mean()) if len(early) else math.nan,
    }


def compare(
    scorers: dict[str, tuple[pd.Series, bool]],
    labels: pd.Series,
    events: pd.DataFrame,
    horizon_days: int,
) -> pd.DataFrame:
    """One row of metrics per scorer (``name -> (scores, is_probability)``)."""
    return pd.DataFrame(
        {
            name: evaluate(scores, labels, events, horizon_days, probability)
            for name, (scores, probability) in scorers.items()
        }
    ).T


def against_baselines(
    risk: pd.Series,
    logistic_risk: pd.Series,
    features: pd.DataFrame,
    labels: pd.Series,
    events: pd.DataFrame,
    horizon_days: int,
) -> pd.DataFrame:
    """The model's ``risk`` beside the logistic baseline's and the scorecard on the same
    rows: the table training and backtests both print."""
    return compare(
        {
            "model": (risk, True),
            "logistic": (logistic_risk, True),
            "scorecard": (scorecard(features), False),
        },
        labels,
        events,
        horizon_days,
    )


def by_slice(
    scores: pd.Series,
    labels: pd.Series,
    events: pd.DataFrame,
    horizon_days: int,
    slices: pd.Series,
    probability: bool = True,
) -> pd.DataFrame:
    """:func:`evaluate` within each value of ``slices`` (indexed like ``scores``)."""
    out = {}
    for value in slices.dropna().unique():
        rows = slices == value
        clients = set(slices[rows].index.get_level_values("client_id"))
        out[f"{slices.name}={value}"] = evaluate(
            scores[rows],
            labels[rows],
            events[events["client_id"].isin(clients)],
            horizon_days,
            probability,
        )
    return pd.DataFrame(out).T


def client_slices(bundle: Bundle, index: pd.Index) -> pd.DataFrame:
    """Per scored row: the client's ``language``, its main ``billing_model`` (of its
    largest project by budget) and its ``size`` (tercile of total budget)."""
    clients = bundle.clients.set_index("client_id")
    projects = bundle.projects.sort_values("budget", ascending=False)
    main_model = projects.drop_duplicates("client_id").set_index("client_id")["billing_model"]
    budget = projects.groupby("client_id")["budget"].sum()
    size = pd.qcut(budget.rank(method="first"), 3, labels=["small", "medium", "large"])
    ids = pd.Series(index.get_level_values("client_id"), index=index)
    return pd.DataFrame(
        {
            "language": ids.map(clients["language"]).fillna("unknown").astype(str),
            "billing_model": ids.map(main_model).fillna("none").astype(str),
            "size": ids.map(size.astype(str)).fillna("none").astype(str),
        },
        index=index,
    )
