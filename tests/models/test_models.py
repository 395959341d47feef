"""Training sets, the scorecard, the evaluation and the models on a simulated firm."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from features.simulation import Simulation
from models.dataset import TrainingSet, holdout_start, out_of_time_split
from models.evaluate import compare, evaluate, lead_times, top_share_flags
from models.scorecard import invoice_scorecard, scorecard
from models.train import (
    FEATURE_COLUMNS,
    GBM_PARAMS,
    GBM_SHAPES,
    MODEL_KIND,
    fit,
    make_pipeline,
)

pytestmark = pytest.mark.model


@pytest.fixture
def data(causal_training_set: TrainingSet) -> TrainingSet:
    return causal_training_set


def test_weekly_dates_and_labels(data: TrainingSet) -> None:
    dates = data.as_of.unique()
    assert (np.diff(dates.values).astype("timedelta64[D]") == np.timedelta64(7, "D")).all()
    assert set(data.labels.columns) == {"dispute_30d", "churn_90d"}
    # Late dates cannot know that a client did *not* churn: never 0 there, only 1 or unknown.
    last = dates.max()
    late = data.labels.loc[data.as_of > last - pd.Timedelta(days=80), "churn_90d"]
    assert (late != 0).all()
    assert late.isna().any()


def test_the_split_purges_label_windows_that_reach_the_test_period(data: TrainingSet) -> None:
    test_from = holdout_start(data.as_of)
    train, test = out_of_time_split(data.as_of, test_from, 30)
    assert not (train & test).any()
    assert (data.as_of[train] + pd.Timedelta(days=30) < test_from).all()
    assert (data.as_of[test] >= test_from).all()
    gap = test_from - data.as_of[train].max()
    assert gap > pd.Timedelta(days=30)


def test_scorecard_ranks_within_each_date() -> None:
    index = pd.MultiIndex.from_product(
        [["a", "b", "c"], pd.to_datetime(["2025-01-01"])], names=["client_id", "as_of"]
    )
    features = pd.DataFrame(
        {
            "days_since_inbound": [1.0, 40.0, np.nan],
            "survey_score_latest": [9.0, 5.0, np.nan],
            "overdue_invoices": [0.0, 2.0, 1.0],
            "billed_minus_progress_max": [-5.0, 30.0, np.nan],
            "disputes_180d": [0.0, 1.0, 0.0],
        },
        index=index,
    )
    score = scorecard(features)
    assert score.idxmax() == ("b", pd.Timestamp("2025-01-01"))
    assert score.idxmin() == ("a", pd.Timestamp("2025-01-01"))


def test_the_invoice_scorecard_is_the_mean_of_five_percentile_ranks() -> None:
    rows = pd.DataFrame(
        {
            "amount_vs_usual": [1.0, 3.0, np.nan, 0.5],
            "disputes_180d": [0.0, 1.0, 0.0, 0.0],
            "overdue_invoices": [0.0, 2.0, 1.0, 0.0],
            "days_since_inbound": [2.0, 60.0, np.nan, 10.0],
            "billed_after_minus_progress": [0.1, 0.5, 0.0, np.nan],
        },
        index=pd.Index(["i1", "i2", "i3", "i4"], name="invoice_id"),
    )
    score = invoice_scorecard(rows)
    # By hand: i3's amount counts as 1 (ties i1: rank 2.5 of 4), its silence as 365
    # (the longest), its billing gap 0; i4's gap counts as 0 (ties i3).
    ranks = {
        "i1": [2.5 / 4, 2 / 4, 1.5 / 4, 1 / 4, 3 / 4],
        "i2": [4 / 4, 4 / 4, 4 / 4, 3 / 4, 4 / 4],
        "i3": [2.5 / 4, 2 / 4, 3 / 4, 4 / 4, 1.5 / 4],
        "i4": [1 / 4, 2 / 4, 1.5 / 4, 2 / 4, 1.5 / 4],
    }
    assert score.to_dict() == pytest.approx({k: float(np.mean(v)) for k, v in ranks.items()})


def test_top_share_and_lead_time() -> None:
    dates = pd.date_range("2025-01-06", periods=4, freq="7D")
    index = pd.MultiIndex.from_product(
        [[f"c{i}" for i in range(10)], dates], names=["client_id", "as_of"]
    )
    scores = pd.Series(0.0, index=index)
    scores.loc[("c3", dates[1])] = 1.0  # c3 enters the top 10% on the second date
    scores.loc[("c3", dates[2])] = 1.0
    flags = top_share_flags(scores)
    assert flags.groupby(level="as_of").sum().tolist() == [1, 1, 1, 1]
    events = pd.DataFrame(
        {"client_id": ["c3", "c5"], "day": [dates[3] + pd.Timedelta(days=1), dates[3]]}
    )
    lead = lead_times(flags, events, 30)
    assert lead.iloc[0] == 15  # flagged on dates[1], the event 15 days later
    assert np.isnan(lead.iloc[1])


def test_the_early_share_leaves_out_events_too_soon_to_warn_early() -> None:
    dates = pd.date_range("2025-01-06", periods=6, freq="7D")
    index = pd.MultiIndex.from_product(
        [[f"c{i}" for i in range(10)], dates], names=["client_id", "as_of"]
    )
    scores = pd.Series(0.0, index=index)
    scores.loc[("c1", slice(None))] = 1.0  # c1 flagged on every date
    scores.loc[("c2", dates[4])] = 2.0  # c2 only on the fifth, 3 days before its event
    labels = pd.Series(0.0, index=index)
    events = pd.DataFrame(
        {
            # c1's event 3 days into the period: no date could warn it 14 days ahead
            "client_id": ["c1", "c1", "c2", "c3"],
            "day": [
                dates[0] + pd.Timedelta(days=3),
                dates[3] + pd.Timedelta(days=3),
                dates[4] + pd.Timedelta(days=3),
                dates[5] + pd.Timedelta(days=2),
            ],
        }
    )
    labels.loc[("c1", dates[0])] = 1.0
    metrics = evaluate(scores, labels, events, 30, probability=False)
    assert metrics["events"] == 4
    assert metrics["warned_share"] == 0.75  # c3 never flagged
    # Of the three events that could be warned 14 days ahead, only c1's second was.
    assert metrics["warned_14d_share"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(("target", "horizon"), [("dispute_30d", 30), ("churn_90d", 90)])
def test_the_model_beats_the_scorecard_out_of_time(
    data: TrainingSet, causal_simulation: Simulation, target: str, horizon: int
) -> None:
    test_from = holdout_start(data.as_of, 0.3)
    train, test = out_of_time_split(data.as_of, test_from, horizon)
    model = fit(data.rows(train), target, MODEL_KIND, horizon)
    baseline = fit(data.rows(train), target, "logistic", horizon)
    held = data.rows(test)
    bundle = causal_simulation.bundle
    if target == "dispute_30d":
        events = bundle.invoices.dropna(subset=["disputed_at"]).rename(
            columns={"disputed_at": "day"}
        )[["client_id", "day"]]
    else:
        events = bundle.churn.rename(columns={"churned_at": "day"})[["client_id", "day"]]
    table = compare(
        {
            "model": (
                pd.Series(model.predict_proba(held.features), index=held.features.index),
                True,
            ),
            "logistic": (
                pd.Series(baseline.predict_proba(held.features), index=held.features.index),
                True,
            ),
            "scorecard": (scorecard(held.features), False),
        },
        held.labels[target],
        events,
        horizon,
    )
    assert table.loc["model", "pr_auc"] > table.loc["scorecard", "pr_auc"]
    assert table.loc["model", "roc_auc"] > 0.7
    assert 0 < table.loc["model", "brier"] < 0.2
    assert table.loc["model", "events"] > 0


def test_a_feature_missing_everywhere_does_not_stop_training() -> None:
    """A bundle without messages.score has no survey features at all."""
    from models.train import make_pipeline

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"signal": rng.normal(size=400), "survey": np.nan})
    y = (frame["signal"] + rng.normal(0, 0.5, 400) > 1).astype(int)
    for kind in ("gbm", "logistic"):
        model = make_pipeline(kind).fit(frame, y)
        later = frame.assign(survey=7.0)  # scores appear after training: ignored
        np.testing.assert_allclose(model.predict_proba(later), model.predict_proba(frame))
    assert make_pipeline("logistic", {"C": 1.0}).named_steps["model"].C == 1.0


def synthetic_set(signal: Callable[[pd.DataFrame], pd.Series], seed: int = 0) -> TrainingSet:
    """300 clients x 40 weekly dates of noise features, with labels drawn from ``signal``."""
    rng = np.random.default_rng(seed)
    index = pd.MultiIndex.from_product(
        [[f"C{i:03d}" for i in range(300)], pd.date_range("2025-01-06", periods=40, freq="7D")],
        names=["client_id", "as_of"],
    )
    features = pd.DataFrame(
        rng.normal(size=(len(index), len(FEATURE_COLUMNS))), index=index, columns=FEATURE_COLUMNS
    )
    chance = 1 / (1 + np.exp(-signal(features)))
    labels = pd.DataFrame({"churn_90d": (rng.random(len(index)) < chance).astype(float)}, index)
    return TrainingSet(features, labels, ())


def test_an_additive_signal_gets_the_stiffest_trees() -> None:
    """Three features adding up: every shape fits it about equally well on the
    validation dates, and the one-standard-error rule takes the stiffest."""
    a, b, c = FEATURE_COLUMNS[:3]
    data = synthetic_set(lambda f: f[a] + f[b] - f[c] - 2.5)
    model = fit(data, "churn_90d", "gbm", 28)
    shapes = {f"leaves{s['max_leaf_nodes']}_min{s['min_samples_leaf']}" for s in GBM_SHAPES}
    assert set(model.selection) == shapes
    stiffest = GBM_SHAPES[-1]
    assert model.params["max_leaf_nodes"] == stiffest["max_leaf_nodes"]
    assert 1 <= int(str(model.params["max_iter"])) <= int(str(GBM_PARAMS["max_iter"]))


def test_the_blend_is_the_mean_of_its_calibrated_gbm_and_logistic() -> None:
    a, b = FEATURE_COLUMNS[:2]
    data = synthetic_set(lambda f: f[a] * f[b] + f[a] - 2.5)
    blend = fit(data, "churn_90d", "blend", 28)
    gbm, logistic = (fit(data, "churn_90d", kind, 28) for kind in ("gbm", "logistic"))
    x = data.features
    mean = (gbm.predict_proba(x) + logistic.predict_proba(x)) / 2
    np.testing.assert_allclose(blend.predict_proba(x), mean)
    # The trees' shape is chosen on the validation dates, as for the gbm alone.
    assert blend.selection == gbm.selection
    assert blend.params == gbm.params
    assert [m.kind for m in blend.members] == ["gbm", "logistic"]


def test_given_params_are_used_as_they_are() -> None:
    a = FEATURE_COLUMNS[0]
    data = synthetic_set(lambda f: 2 * f[a] - 2.5)
    model = fit(data, "churn_90d", "gbm", 28, params={"max_leaf_nodes": 5, "max_iter": 20})
    assert model.selection == {}
    assert model.params == {"max_leaf_nodes": 5, "max_iter": 20}


def test_a_calibrated_model_still_learns_from_every_training_row(data: TrainingSet) -> None:
    model = fit(data, "churn_90d", "gbm", 90)
    assert model.calibrated  # on this simulated firm the sigmoid lowers the Brier score
    rows = data.rows(data.labels["churn_90d"].notna().to_numpy())
    x = rows.features[FEATURE_COLUMNS]
    everything = make_pipeline("gbm", model.params).fit(x, rows.labels["churn_90d"].astype(int))
    # The sigmoid only maps scores, so the ranking is the one learned from every row,
    # the latest dates included (a model that left them out ranks differently).
    ranks = pd.Series(model.predict_proba(rows.features)).rank()
    assert ranks.corr(pd.Series(everything.predict_proba(x)[:, 1]).rank()) > 0.9999
