"""A challenger against the ``@champion`` on the same holdout, tracked in MLflow
(``02_retrain``), and the dates a champion learned from (``03_monitor``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features.bundle.load import Bundle
from features.labels import events_for
from features.risks import by_label
from models import registry
from models.dataset import TrainingSet, holdout_start, out_of_time_split
from models.evaluate import against_baselines, compare
from models.retrain import fingerprint, metric
from models.train import (
    FEATURE_COLUMNS,
    GBM_PARAMS,
    MODEL_KIND,
    FittedModel,
    Kind,
    fit,
    logistic_baseline,
)


def without_features(data: TrainingSet, dropped: Sequence[str]) -> TrainingSet:
    """``data`` with the ``dropped`` features blanked (a constant 0 everywhere).

    A model then learns nothing from them, yet keeps the input every scorer passes
    (all of :data:`models.train.FEATURE_COLUMNS`), so it can serve as ``@champion``:
    gradient boosting finds no split in a constant column, and the logistic pipeline
    gives it no weight. (A constant, not NaN: scikit-learn 1.9's gradient boosting
    fails on a column with no value at all.)
    """
    unknown = sorted(set(dropped) - set(FEATURE_COLUMNS))
    if unknown:
        raise ValueError(f"unknown features: {', '.join(unknown)}")
    features = data.features.copy()
    features[list(dropped)] = 0.0
    return TrainingSet(features, data.labels, data.missing)


@dataclass(frozen=True)
class Challenge:
    """A challenger fitted on the training rows and compared on the holdout.

    ``table`` has a row per scorer with the metrics ``risk backtest`` prints:
    ``challenger``, ``champion`` (absent when there is none), ``logistic`` and
    ``scorecard``.
    """

    target: str
    horizon_days: int
    holdout_from: pd.Timestamp
    model: FittedModel
    held: TrainingSet
    events: pd.DataFrame
    table: pd.DataFrame
    champion: registry.Champion | None
    dropped: tuple[str, ...] = ()

    @property
    def scores(self) -> pd.Series:
        """The challenger's probabilities on the holdout rows."""
        index = self.held.features.index
        return pd.Series(self.model.predict_proba(self.held.features), index=index)


def challenge(
    bundle: Bundle,
    data: TrainingSet,
    target: str,
    client: Any,
    kind: Kind = MODEL_KIND,
    params: dict[str, object] | None = None,
    dropped: Sequence[str] = (),
) -> Challenge:
    """Fit a ``kind`` challenger with ``params`` (without the ``dropped`` features) on
    the rows before ``data``'s holdout, as ``risk train`` does, and score it, the
    logistic baseline, the scorecard and the current ``@champion`` on that holdout."""
    horizon = by_label(target).horizon_days
    test_from = holdout_start(data.as_of)
    train_rows, test_rows = out_of_time_split(data.as_of, test_from, horizon)
    blanked = without_features(data, dropped)
    model = fit(blanked.rows(train_rows), target, kind, horizon, params)
    logistic = logistic_baseline(model, blanked.rows(train_rows), target, horizon)
    held = blanked.rows(test_rows)
    # The champion learned from every feature: it is scored on them all.
    full = data.rows(test_rows).features
    events = events_for(bundle, target)
    index = held.features.index
    table = against_baselines(
        pd.Series(model.predict_proba(held.features), index=index),
        pd.Series(logistic.predict_proba(held.features), index=index),
        full,
        held.labels[target],
        events,
        horizon,
    ).rename(index={"model": "challenger"})
    current = registry.champion(client, target)
    if current is not None:
        estimator = registry.load(target, current.version)
        old = pd.Series(estimator.predict_proba(full[FEATURE_COLUMNS])[:, 1], index=index)
        row = compare({"champion": (old, True)}, held.labels[target], events, horizon)
        table = pd.concat([table.iloc[:1], row, table.iloc[1:]])
    return Challenge(
        target, horizon, test_from, model, held, events, table, current, tuple(dropped)
    )


def verdict(result: Challenge) -> tuple[bool, str]:
    """Whether the challenger wins (higher PR-AUC than the champion on the same
    holdout, or there is no champion) and the reason to record either way."""
    new = metric(result.table, "challenger", "pr_auc")
    if result.champion is None:
        return True, f"first model (PR-AUC {new:.3f})"
    old = metric(result.table, "champion", "pr_auc")
    version = result.champion.version
    if not math.isnan(new) and (math.isnan(old) or new > old):
        return True, f"PR-AUC {new:.3f} > {old:.3f} (v{version}) on the same holdout"
    return False, f"PR-AUC {new:.3f} does not beat v{version}'s {old:.3f} on the same holdout"


def log_challenge(
    result: Challenge, bundle: Bundle, data: TrainingSet, source: str = "notebook"
) -> str:
    """One MLflow run for ``result``: parameters, the comparison's metrics, the tags
    ``risk train`` sets, and the model, registered as a new version. Returns the
    version; it is neither crowned nor marked here (see :func:`verdict`)."""
    import mlflow

    model = result.model
    params = {**GBM_PARAMS, **model.params} if model.kind != "logistic" else dict(model.params)
    with mlflow.start_run(run_name=f"{source} {result.target}"):
        mlflow.log_params(
            {
                "target": result.target,
                "kind": model.kind,
                "horizon_days": result.horizon_days,
                "calibrated": model.calibrated,
                **{f"calibrated_{m.kind}": m.calibrated for m in model.members},
                "dropped_features": ",".join(result.dropped) or "none",
                **params,
            }
        )
        mlflow.log_metrics(
            {
                f"{row}_{column}": float(value)
                for row, values in result.table.iterrows()
                for column, value in values.items()
                if np.isfinite(value)
            }
        )
        mlflow.set_tags(
            {
                "source": source,
                "bundle_fingerprint": fingerprint(bundle),
                "as_of_from": f"{data.as_of.min():%Y-%m-%d}",
                "as_of_until": f"{data.as_of.max():%Y-%m-%d}",
                "holdout_from": f"{result.holdout_from:%Y-%m-%d}",
                "missing_sources": ",".join(data.missing) or "none",
            }
        )
        version = registry.log_model(
            model.estimator,
            result.held.features[FEATURE_COLUMNS].head(5),
            result.target,
            register=True,
        )
    if version is None:
        raise RuntimeError(f"{result.target}: MLflow registered no version")
    return version


def training_period(client: Any, target: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The as-of dates ``target``'s ``@champion`` learned from, by its MLflow run's tags:
    from ``as_of_from`` to the last date whose label window closed before the holdout."""
    current = registry.champion(client, target)
    if current is None:
        raise ValueError(f"no @champion for {by_label(target).model_name}: run `risk train`")
    tags = client.get_run(current.run_id).data.tags
    if "as_of_from" not in tags or "holdout_from" not in tags:
        raise ValueError(
            f"{current.name} v{current.version}'s run has no as_of_from/holdout_from tags: "
            "give the training period by hand"
        )
    start = pd.Timestamp(tags["as_of_from"])
    end = pd.Timestamp(tags["holdout_from"]) - pd.Timedelta(days=by_label(target).horizon_days + 1)
    return start, end
