"""The dispute and churn models: a gradient-boosted model and a logistic baseline.

Each is a scikit-learn ``Pipeline`` that carries its own preprocessing, so the
logged model scores exactly as it was trained. Gradient boosting
(``HistGradientBoostingClassifier``) suits these features: missing values are
native (a client with no survey is not a client with score 0), interactions
such as "billing ahead of progress *and* going quiet" are learned, and the
monotone, heavy-tailed counts need no scaling. The logistic regression is the
simple, well-understood baseline it must beat.

Probabilities are calibrated where it helps: the last dates of the training
period (purged by the horizon) are held back; a sigmoid calibration fitted on
their first half is kept only if it lowers the Brier score on their second
half, and is then refitted on all of them over the model that never saw them.
Otherwise the model is refitted on every training row. The test period is
never touched. Class imbalance is left to the loss and the ranking metrics,
rather than reweighted, so that probabilities stay probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from features import FEATURES
from models.dataset import TrainingSet, out_of_time_split

Kind = Literal["gbm", "logistic"]
FEATURE_COLUMNS = list(FEATURES)

GBM_PARAMS: dict[str, object] = {
    "learning_rate": 0.05,
    "max_iter": 300,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 200,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}


class EmptyColumns(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Sets to 0 the columns that were empty in every training row.

    A bundle without an optional column (no survey scores at all) gives a feature
    that is missing everywhere; gradient boosting cannot bin a column without a
    single value, and a value that turns up only at scoring time was never
    learned from anyway, so the model sees a constant in both.
    """

    def fit(self, features: pd.DataFrame, y: object = None) -> EmptyColumns:
        self.empty_ = [c for c in features.columns if features[c].isna().all()]
        return self

    def transform(self, features: pd.DataFrame) -> pd.DataFrame:
        if not self.empty_:
            return features
        return features.assign(**{c: 0.0 for c in self.empty_})


def make_pipeline(kind: Kind, params: dict[str, object] | None = None) -> Pipeline:
    """An unfitted pipeline of ``kind`` ("gbm" or "logistic")."""
    if kind == "gbm":
        return Pipeline(
            [
                ("empty", EmptyColumns()),
                ("model", HistGradientBoostingClassifier(**{**GBM_PARAMS, **(params or {})})),
            ]
        )
    return Pipeline(
        [
            # Missing is information (no survey ever): keep it as an indicator.
            (
                "impute",
                SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
            ),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(**{"C": 0.1, "max_iter": 2000, **(params or {})})),
        ]
    )


@dataclass
class FittedModel:
    """A fitted (and maybe calibrated) model with what was decided while fitting it."""

    target: str
    kind: Kind
    estimator: object
    calibrated: bool
    brier_raw: float
    brier_calibrated: float
    params: dict[str, object] = field(default_factory=dict)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """P(event) for each row."""
        proba: np.ndarray = self.estimator.predict_proba(  # type: ignore[attr-defined]
            features[FEATURE_COLUMNS]
        )[:, 1]
        return proba


def fit(
    data: TrainingSet,
    target: str,
    kind: Kind,
    horizon_days: int,
    params: dict[str, object] | None = None,
) -> FittedModel:
    """Fit ``kind`` on every row of ``data`` with a known ``target`` label,
    calibrating on its last dates where that helps."""
    known = data.labels[target].notna().to_numpy()
    rows = data.rows(known)
    y = rows.labels[target].astype(int).to_numpy()
    if len(np.unique(y)) < 2:
        raise ValueError(f"{target}: the training rows hold only one class; nothing to learn")
    x = rows.features[FEATURE_COLUMNS]
    as_of = rows.as_of
    dates = as_of.unique().sort_values()
    calibrate_from = pd.Timestamp(dates[int(len(dates) * 0.8)])
    fit_rows, hold_rows = out_of_time_split(as_of, calibrate_from, horizon_days)
    base = make_pipeline(kind, params)
    raw = calibrated = float("nan")
    use_calibration = False
    if fit_rows.sum() and hold_rows.sum() and len(np.unique(y[hold_rows])) == 2:
        base.fit(x[fit_rows], y[fit_rows])
        held = np.flatnonzero(hold_rows)
        first, second = held[: held.size // 2], held[held.size // 2 :]
        if len(np.unique(y[first])) == 2 and len(np.unique(y[second])) == 2:
            sigmoid = CalibratedClassifierCV(FrozenEstimator(base), method="sigmoid")
            sigmoid.fit(x.iloc[first], y[first])
            raw = brier_score_loss(y[second], base.predict_proba(x.iloc[second])[:, 1])
            calibrated = brier_score_loss(y[second], sigmoid.predict_proba(x.iloc[second])[:, 1])
            use_calibration = calibrated < raw
    if use_calibration:
        # The model that never saw the held-back dates, calibrated on all of them.
        estimator: object = CalibratedClassifierCV(FrozenEstimator(base), method="sigmoid").fit(
            x[hold_rows], y[hold_rows]
        )
    else:
        estimator = make_pipeline(kind, params).fit(x, y)
    return FittedModel(
        target=target,
        kind=kind,
        estimator=estimator,
        calibrated=use_calibration,
        brier_raw=float(raw),
        brier_calibrated=float(calibrated),
        params=dict(params or {}),
    )
