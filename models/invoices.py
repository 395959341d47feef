"""The invoice-level dispute model: its training set, fit and comparison with its two
baselines.

One row per issued invoice as of the end of the day before issue
(``features.invoices``), labelled "disputed within 60 days". The rows are indexed by
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
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from features import FEATURES
from features.bundle.load import Bundle
from features.invoices import (
    DISPUTE_WINDOW_DAYS,
    INVOICE_FEATURES,
    LABEL,
    invoice_features,
    invoice_labels,
)
from models.dataset import TrainingSet
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


def compare_invoices(model: pd.Series, client_score: pd.Series, rows: TrainingSet) -> pd.DataFrame:
    """The invoice model's probabilities beside the client-level dispute score at issue
    and the invoice scorecard, on the same invoices: one row of metrics each."""
    labels = rows.labels[LABEL]
    scorers = {
        "invoice model": (model, True),
        "client score at issue": (client_score, True),
        "invoice scorecard": (invoice_scorecard(rows.features), False),
    }
    return pd.DataFrame(
        {
            name: invoice_metrics(scores.reindex(labels.index), labels, probability)
            for name, (scores, probability) in scorers.items()
        }
    ).T


def predict(model: FittedModel, rows: pd.DataFrame) -> pd.Series:
    """The model's probability for each row of ``rows``."""
    return pd.Series(np.asarray(model.predict_proba(rows)), index=rows.index, name="risk")
