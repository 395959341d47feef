"""The dispute and churn models: a blend of a gradient-boosted model and a logistic
regression, and the logistic regression alone as the baseline.

Each is a scikit-learn estimator that carries its own preprocessing, so the
logged model scores exactly as it was trained. Gradient boosting
(``HistGradientBoostingClassifier``) suits these features: missing values are
native (a client with no survey is not a client with score 0), interactions
such as "billing ahead of progress *and* going quiet" are learned, and the
monotone, heavy-tailed counts need no scaling. The logistic regression is the
simple, well-understood baseline the shipped model must beat.

The shipped model (:data:`MODEL_KIND`) is the mean of the two's probabilities,
each fitted and calibrated as below on its own. Their errors differ (the trees
overfit where events are few and the holdout drifts from the training period,
the linear model misses interactions), so the mean ranks about as well as the
better of the two, or better: on 18 firm-target pairs (9 firms, 6 of them
written independently of our simulator) its holdout PR-AUC was within 0.005 of
the better member's, and above the trees' alone on 15, by up to 0.021. Picking
one of the two on the validation dates instead picked the wrong one on the firm
where it mattered most. Each member is calibrated before the mean is taken:
averaging raw scores lets the member whose raw scores spread wider decide the
ranking (on a blind firm, the mean of raw scores lost 0.03 churn PR-AUC to the
trees alone).

The last fifth of the training dates (purged by the horizon, so no label window
reaches into them) is a validation period, and it makes two choices without
touching the test period:

* the shape of the boosted trees (alone or in the blend): each of
  :data:`GBM_SHAPES` (from flexible to heavily constrained) is fitted on the
  earlier dates, and the shape and number of boosting rounds with the best
  PR-AUC of the trees alone on the validation dates win. Clients
  repeat week after week, so the effective sample is the number of clients and
  events, not of rows; a firm with few, noisy events needs a stiffer model than
  one with many, and only data from the firm itself can say which;
* calibration: a sigmoid fitted on the validation dates' first half is kept
  only if it lowers the Brier score on their second half, and is then refitted
  on all of them, over the scores of the model that never saw them.

The model is always refitted on every training row at the end: the validation
dates are the most recent ones, and under drift the most valuable to learn from
(on one independent firm, leaving them out of the calibrated model cost 0.03
PR-AUC on churn). A kept sigmoid then maps that model's scores.
Class imbalance is left to the loss and the ranking metrics, rather than
reweighted, so that probabilities stay probabilities.

The calibration and the blend are scikit-learn estimators of their own
(:mod:`models.estimators`: :class:`~models.estimators.HeldOutSigmoid`, and a
soft ``VotingClassifier`` of two of them); :func:`fit` chooses the trees' shape
and fits them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from features import FEATURES
from models.dataset import TrainingSet, ValidationPeriod
from models.estimators import HeldOutSigmoid, LegacyMeanOf, make_blend

Kind = Literal["blend", "gbm", "logistic"]
#: What ``risk train`` and ``risk backtest`` fit (see the module docstring).
MODEL_KIND: Kind = "blend"
FEATURE_COLUMNS = list(FEATURES)
#: The last fifth of the training dates validate (see the module docstring).
VALIDATION_SHARE = 0.2

GBM_PARAMS: dict[str, object] = {
    "learning_rate": 0.05,
    "max_iter": 300,
    "max_leaf_nodes": 15,
    "min_samples_leaf": 200,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}
#: Tree shapes tried on the validation dates (with up to ``max_iter`` rounds each):
#: interactions of several features, then fewer, then nearly additive stumps.
GBM_SHAPES: tuple[dict[str, object], ...] = (
    {"max_leaf_nodes": 15, "min_samples_leaf": 200},
    {"max_leaf_nodes": 7, "min_samples_leaf": 500},
    {"max_leaf_nodes": 3, "min_samples_leaf": 1000},
)


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


def make_pipeline(
    kind: Literal["gbm", "logistic"], params: dict[str, object] | None = None
) -> Pipeline:
    """An unfitted pipeline of ``kind``, "gbm" or "logistic"."""
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
    #: The parameters that differ from the defaults (for gbm: the chosen shape and rounds).
    params: dict[str, object] = field(default_factory=dict)
    #: Validation PR-AUC of each gbm shape tried, keyed ``leaves<N>_min<M>``.
    selection: dict[str, float] = field(default_factory=dict)
    #: For a blend: the fitted gbm and logistic whose probabilities it averages.
    members: tuple[FittedModel, ...] = ()
    #: The columns it reads, in order (None: the client features, as for every model
    #: pickled before the invoice model had columns of its own).
    columns: tuple[str, ...] | None = None

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """P(event) for each row."""
        columns = list(self.columns) if self.columns is not None else FEATURE_COLUMNS
        proba: np.ndarray = self.estimator.predict_proba(  # type: ignore[attr-defined]
            features[columns]
        )[:, 1]
        return proba


# Models registered before the blend and the calibration moved to models.estimators
# were pickled naming these classes here: the names stay, so those models still load.
MeanOf = LegacyMeanOf
SigmoidCalibrated = HeldOutSigmoid


def fit(
    data: TrainingSet,
    target: str,
    kind: Kind,
    horizon_days: int,
    params: dict[str, object] | None = None,
    columns: Sequence[str] | None = None,
) -> FittedModel:
    """Fit ``kind`` on every row of ``data`` with a known ``target`` label, choosing the
    gbm's shape (unless ``params`` fixes it) and calibrating on the last dates where
    that helps; see the module docstring. ``columns`` (default: the client features)
    are the ones it reads; ``data``'s index has ``client_id`` and ``as_of`` levels."""
    known = data.labels[target].notna().to_numpy()
    rows = data.rows(known)
    y = rows.labels[target].astype(int).to_numpy()
    if len(np.unique(y)) < 2:
        raise ValueError(f"{target}: the training rows hold only one class; nothing to learn")
    read = tuple(columns) if columns is not None else None
    x = rows.features[list(read) if read is not None else FEATURE_COLUMNS]
    validation = ValidationPeriod(VALIDATION_SHARE, horizon_days)
    chosen = dict(params or {})
    selection: dict[str, float] = {}
    if kind != "logistic" and params is None:
        chosen, selection = _choose_shape(x, y, validation)
    if kind == "blend":
        pipelines = {"gbm": make_pipeline("gbm", chosen), "logistic": make_pipeline("logistic")}
        blend = make_blend(pipelines, validation).fit(x, y)
        members = (
            _fitted(target, "gbm", blend.named_estimators_["gbm"], chosen, selection, read),
            _fitted(target, "logistic", blend.named_estimators_["logistic"], {}, {}, read),
        )
        return FittedModel(
            target=target,
            kind=kind,
            estimator=blend,
            calibrated=any(member.calibrated for member in members),
            # Each member decided on its own calibration: see ``members``.
            brier_raw=math.nan,
            brier_calibrated=math.nan,
            params=chosen,
            selection=selection,
            members=members,
            columns=read,
        )
    model = HeldOutSigmoid(make_pipeline(kind, chosen), validation=validation).fit(x, y)
    return _fitted(target, kind, model, chosen, selection, read)


def _fitted(
    target: str,
    kind: Kind,
    model: HeldOutSigmoid,
    params: dict[str, object],
    selection: dict[str, float],
    columns: tuple[str, ...] | None = None,
) -> FittedModel:
    return FittedModel(
        target=target,
        kind=kind,
        estimator=model,
        calibrated=model.sigmoid_ is not None,
        brier_raw=float(model.brier_raw_),
        brier_calibrated=float(model.brier_calibrated_),
        params=params,
        selection=selection,
        columns=columns,
    )


def logistic_baseline(
    model: FittedModel, data: TrainingSet, target: str, horizon_days: int
) -> FittedModel:
    """The logistic baseline to set beside ``model``, fitted on the same ``data``: a
    blend's own logistic member (fitted just so), else a new fit."""
    for member in model.members:
        if member.kind == "logistic":
            return member
    return fit(data, target, "logistic", horizon_days)


def _choose_shape(
    x: pd.DataFrame, y: np.ndarray, validation: ValidationPeriod
) -> tuple[dict[str, object], dict[str, float]]:
    """The gbm shape and number of rounds chosen on the validation dates (none when
    the dates before them or they themselves lack a class).

    Each shape is fitted once with the most rounds; the score after every round
    comes from its staged predictions, so the search costs one fit per shape.
    The validation period holds few events, so PR-AUC differences of a point or
    two are noise: by the one-standard-error rule, the stiffest shape within one
    standard error of the best wins (the error from resampling clients, since a
    client's weeks are not independent rows)."""
    fit_rows, hold_rows = next(validation.split(x))
    if np.unique(y[fit_rows]).size < 2 or np.unique(y[hold_rows]).size < 2:
        return {}, {}
    clients = pd.factorize(x.index.get_level_values("client_id")[hold_rows])[0]
    y_held = y[hold_rows]
    results: list[tuple[dict[str, object], float, np.ndarray]] = []
    for shape in GBM_SHAPES:
        pipeline = make_pipeline("gbm", shape).fit(x.iloc[fit_rows], y[fit_rows])
        held = pipeline.named_steps["empty"].transform(x.iloc[hold_rows])
        staged = list(pipeline.named_steps["model"].staged_predict_proba(held))
        by_round = [average_precision_score(y_held, p[:, 1]) for p in staged]
        rounds = int(np.argmax(by_round))
        results.append(({**shape, "max_iter": rounds + 1}, by_round[rounds], staged[rounds][:, 1]))
    best = max(range(len(results)), key=lambda i: results[i][1])
    threshold = results[best][1] - _client_bootstrap_se(y_held, results[best][2], clients)
    chosen = max(i for i, (_, score, _) in enumerate(results) if score >= threshold)
    scores = {
        f"leaves{shape['max_leaf_nodes']}_min{shape['min_samples_leaf']}": score
        for shape, score, _ in results
    }
    return results[chosen][0], scores


def _client_bootstrap_se(
    y: np.ndarray, scores: np.ndarray, clients: np.ndarray, rounds: int = 100
) -> float:
    """Standard error of PR-AUC over bootstrap resamples of whole clients."""
    rng = np.random.default_rng(0)
    rows_of = pd.Series(np.arange(clients.size)).groupby(clients).indices
    groups = [rows_of[c] for c in range(clients.max() + 1)]
    values = []
    for _ in range(rounds):
        picked = np.concatenate([groups[c] for c in rng.integers(0, len(groups), len(groups))])
        if 0 < y[picked].sum() < picked.size:
            values.append(average_precision_score(y[picked], scores[picked]))
    return float(np.std(values)) if len(values) > 1 else 0.0
