"""The invoice-level dispute model: its training set, fit and comparison with its two
baselines.

One row per issued invoice as of the end of the day before issue
(``features.invoice_features``), labelled "disputed within 60 days". The rows are indexed by
(``client_id``, ``as_of``, ``invoice_id``), so the client models' out-of-time split,
validation period and fit apply unchanged: a training row's 60-day label window
ends before the test period begins, and the model is of the client models' family
(the calibrated blend of ``models.train``) reading the client's features and the
invoice's own.

Every evaluation sets beside the model the client-level dispute score at issue (what
the client model said of the client that day) and the invoice scorecard
(``models.scorecard.invoice_scorecard``), on the same invoices: ROC-AUC, PR-AUC,
Brier and the precision within the top 10% of the invoices evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from features import FEATURES
from features.bundle.load import Bundle
from features.invoice_features import (
    DISPUTE_WINDOW_DAYS,
    INVOICE_FEATURES,
    LABEL,
    invoice_features,
    invoice_labels,
)
from features.risks import DISPUTE
from models import registry
from models.dataset import TrainingSet, training_set, weekly_as_of
from models.scorecard import invoice_scorecard
from models.train import MODEL_KIND, FittedModel, Kind, fit

#: What the invoice model reads: the client's features, then the invoice's own.
INVOICE_COLUMNS: tuple[str, ...] = (*FEATURES, *INVOICE_FEATURES)
HORIZON_DAYS = DISPUTE_WINDOW_DAYS
TOP_SHARE = 0.10


def invoice_set(bundle: Bundle, cache_dir: str | Path | None = None) -> TrainingSet:
    """Every invoice of ``bundle`` as a row, with its label (empty where the data ends
    before its 60 days do), indexed by (``client_id``, ``as_of``, ``invoice_id``)."""
    invoices = bundle.invoices
    features = invoice_features(bundle, invoices, cache_dir=cache_dir)
    labels = invoice_labels(bundle, invoices)
    as_of = pd.to_datetime(invoices["issued_at"]).dt.normalize() - pd.Timedelta(days=1)
    index = pd.MultiIndex.from_arrays(
        [invoices["client_id"].to_numpy(), as_of.to_numpy(), invoices["invoice_id"].to_numpy()],
        names=["client_id", "as_of", "invoice_id"],
    )
    rows = features.set_axis(index)
    return TrainingSet(
        rows,
        labels.to_frame().set_axis(index),
        tuple(rows.attrs.get("missing", ())),
    )


def fit_invoice_model(data: TrainingSet, kind: Kind = MODEL_KIND) -> FittedModel:
    """The invoice model fitted on every row of ``data`` with a known label."""
    return fit(data, LABEL, kind, HORIZON_DAYS, columns=INVOICE_COLUMNS)


def invoice_metrics(scores: pd.Series, labels: pd.Series, probability: bool) -> dict[str, float]:
    """ROC-AUC, PR-AUC, Brier (for a probability) and the precision within the top 10%
    of the invoices (at least one), over the rows with a known label."""
    known = labels.notna()
    y, s = labels[known].astype(int), scores[known]
    both = y.nunique() == 2
    top = s.rank(method="first", ascending=False) <= max(math.ceil(len(s) * TOP_SHARE), 1)
    return {
        "invoices": float(len(y)),
        "disputed": float(y.sum()),
        "roc_auc": float(roc_auc_score(y, s)) if both else math.nan,
        "pr_auc": float(average_precision_score(y, s)) if both else math.nan,
        "brier": float(brier_score_loss(y, s)) if probability and len(y) else math.nan,
        "top10_precision": float(y[top].mean()) if top.any() else math.nan,
    }


def compare_invoices(
    model: pd.Series, client_score: pd.Series | None, rows: TrainingSet
) -> pd.DataFrame:
    """The invoice model's probabilities beside the client-level dispute score at issue
    (left out when None: no client dispute model) and the invoice scorecard, on the
    same invoices: one row of metrics each."""
    labels = rows.labels[LABEL]
    scorers: dict[str, tuple[pd.Series, bool]] = {"invoice model": (model, True)}
    if client_score is not None:
        scorers["client score at issue"] = (client_score, True)
    scorers["invoice scorecard"] = (invoice_scorecard(rows.features), False)
    return pd.DataFrame(
        {
            name: invoice_metrics(scores.reindex(labels.index), labels, probability)
            for name, (scores, probability) in scorers.items()
        }
    ).T


def predict(model: FittedModel, rows: pd.DataFrame) -> pd.Series:
    """The model's probability for each row of ``rows``."""
    return pd.Series(np.asarray(model.predict_proba(rows)), index=rows.index, name="risk")


#: The columns ``risk invoices backtest --out`` writes, exactly.
BACKTEST_COLUMNS = ("invoice_id", "issued_at", "dispute_risk")


@dataclass(frozen=True)
class InvoiceBacktest:
    scores: pd.DataFrame  # BACKTEST_COLUMNS, one row per invoice issued in the period
    table: pd.DataFrame | None  # the comparison (None when nothing could be learned)
    notes: list[str]


def invoice_backtest(
    bundle: Bundle,
    train_until: str,
    start: str,
    until: str,
    tracking_uri: str | None = None,
    cache_dir: str | Path | None = None,
    say: Callable[[str], None] = print,
) -> InvoiceBacktest:
    """Train on the invoices whose 60-day label window ended by ``train_until`` (and the
    client dispute model on the client rows whose window ended by then, for the score
    at issue); score every invoice issued in ``[start, until)`` as of the end of the
    day before its issue. Logged to MLflow when ``tracking_uri`` is given; nothing is
    registered."""
    cutoff, first, end = pd.Timestamp(train_until), pd.Timestamp(start), pd.Timestamp(until)
    if first >= end:
        raise ValueError(f"--from {start} is not before --until {until}")
    say("building the invoice rows...")
    data = invoice_set(bundle, cache_dir=cache_dir)
    issued = data.as_of + pd.Timedelta(days=1)
    ended = np.asarray(issued + pd.Timedelta(days=HORIZON_DAYS) <= cutoff)
    scored = np.asarray((issued >= first) & (issued < end))
    held = data.rows(scored)
    notes: list[str] = []
    risk = pd.Series(np.nan, index=held.features.index)
    table = None
    reason = too_few_disputed(data.rows(ended).labels[LABEL], least=1)
    if reason:
        notes.append(f"dispute_risk left empty: {reason}")
    elif len(held.features):
        say(f"training on {int(ended.sum()):,} invoices, scoring {len(held.features):,}...")
        model = fit_invoice_model(data.rows(ended))
        risk = predict(model, held.features)
        say("training the client dispute model for the score at issue...")
        clients = training_set(bundle, weekly_as_of(bundle, until=cutoff), cache_dir=cache_dir)
        window_ended = np.asarray(clients.as_of + pd.Timedelta(days=DISPUTE.horizon_days) <= cutoff)
        client_model = fit(
            clients.rows(window_ended), DISPUTE.label, MODEL_KIND, DISPUTE.horizon_days
        )
        at_issue = pd.Series(client_model.predict_proba(held.features), index=risk.index)
        table = compare_invoices(risk, at_issue, held)
        if tracking_uri:
            _log(tracking_uri, table, train_until, start, until)
    scores = pd.DataFrame(
        {
            "invoice_id": held.features.index.get_level_values("invoice_id"),
            "issued_at": (issued[scored]).strftime("%Y-%m-%d"),
            "dispute_risk": risk.to_numpy(),
        }
    )
    return InvoiceBacktest(scores[list(BACKTEST_COLUMNS)], table, notes)


#: Fewer disputed invoices than this in its training period and ``risk train`` skips the
#: invoice model, saying so: its calibration, its validation dates and the champion
#: gate's PR-AUC would rest on a handful of cases.
MIN_DISPUTED = 20


def too_few_disputed(
    train: pd.Series, test: pd.Series | None = None, least: int = MIN_DISPUTED
) -> str | None:
    """Why nothing can be learned from the training labels ``train`` (or judged on
    ``test``, when given), or None."""
    known = train.dropna()
    if known.empty:
        return f"no {LABEL} labels: no invoice's 60 days ended by then, or no disputed_at at all"
    disputed = int(known.sum())
    if disputed < least:
        return (
            f"{disputed} of {len(known):,} invoices in the training period were disputed "
            f"within {HORIZON_DAYS} days; at least {least} are needed"
        )
    if disputed == len(known):
        return f"every invoice in the training period was disputed within {HORIZON_DAYS} days"
    if test is not None and test.dropna().nunique() < 2:
        return "the holdout has no invoices of both kinds (disputed and not) to judge a model on"
    return None


def _log(tracking_uri: str, table: pd.DataFrame, train_until: str, start: str, until: str) -> None:
    registry.connect(tracking_uri)
    import mlflow

    with mlflow.start_run(run_name="invoice backtest"):
        mlflow.set_tags(
            {
                "kind": "invoice backtest",
                "train_until": train_until,
                "scored_from": start,
                "scored_until": until,
            }
        )
        mlflow.log_metrics(
            {
                f"{LABEL}_{str(row).replace(' ', '_')}_{column}": float(value)
                for row, values in table.iterrows()
                for column, value in values.items()
                if np.isfinite(value)
            }
        )
