"""``risk backtest``: train as of a past date, then score the weeks after it.

Training uses only rows whose label window ends on or before ``train_until``,
so nothing after that date shapes the model. Every client that exists and has
not churned at a scoring date gets a probability, even with no messages or
invoices yet. The run is logged to MLflow but never registered or promoted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from features import build_features, build_labels
from features.bundle.load import Bundle
from features.labels import events_for
from features.risks import RISKS
from models import registry
from models.dataset import training_set, weekly_as_of
from models.evaluate import against_baselines
from models.retrain import missing_labels_reason
from models.train import MODEL_KIND, fit, logistic_baseline


@dataclass(frozen=True)
class Backtest:
    scores: pd.DataFrame  # client_id, as_of, dispute_risk, churn_risk
    tables: dict[str, pd.DataFrame]
    notes: list[str]


def backtest(
    bundle: Bundle,
    train_until: str,
    start: str,
    until: str,
    tracking_uri: str | None = None,
    cache_dir: str | Path | None = None,
    say: Callable[[str], None] = print,
) -> Backtest:
    """Train on what was known by ``train_until``; score weekly from ``start`` to ``until``."""
    cutoff = pd.Timestamp(train_until)
    if pd.Timestamp(start) > pd.Timestamp(until):
        raise ValueError(f"--from {start} is after --until {until}")
    say("building training features...")
    data = training_set(bundle, weekly_as_of(bundle, until=cutoff), cache_dir=cache_dir)
    dates = pd.date_range(start, until, freq="7D")
    say(f"scoring {len(dates)} weekly dates...")
    features = build_features(bundle, dates, cache_dir=cache_dir)
    labels = build_labels(bundle, features)
    out = pd.DataFrame(index=features.index)
    tables: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    for risk in RISKS:
        target, horizon, column = risk.label, risk.horizon_days, risk.score_column
        # Only labels whose whole window had passed by the cut-off.
        ended = np.asarray(data.as_of + pd.Timedelta(days=horizon) <= cutoff)
        train = data.rows(ended)
        reason = missing_labels_reason(train.labels[target], target)
        if reason:
            notes.append(f"{column} left empty: {reason}")
            out[column] = np.nan
            continue
        model = fit(train, target, MODEL_KIND, horizon)
        logistic = logistic_baseline(model, train, target, horizon)
        out[column] = model.predict_proba(features)
        tables[target] = against_baselines(
            out[column],
            pd.Series(logistic.predict_proba(features), index=features.index),
            features,
            labels[target],
            events_for(bundle, target),
            horizon,
        )
    if tracking_uri:
        registry.connect(tracking_uri)
        import mlflow

        with mlflow.start_run(run_name="backtest"):
            mlflow.set_tags(
                {
                    "kind": "backtest",
                    "train_until": train_until,
                    "scored_from": start,
                    "scored_until": until,
                }
            )
            for target, table in tables.items():
                mlflow.log_metrics(
                    {
                        f"{target}_{row}_{column}": float(value)
                        for row, values in table.iterrows()
                        for column, value in values.items()
                        if np.isfinite(value)
                    }
                )
    scores = out.reset_index()
    scores["as_of"] = scores["as_of"].dt.strftime("%Y-%m-%d")
    columns = ["client_id", "as_of", *(risk.score_column for risk in RISKS)]
    return Backtest(scores[columns], tables, notes)
