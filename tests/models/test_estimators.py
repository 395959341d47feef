"""The blend and the calibration keep scikit-learn's estimator contract, and do what
the module docstring of models.estimators says."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

from models.dataset import ValidationPeriod, out_of_time_split
from models.estimators import HeldOutSigmoid, LegacyMeanOf, _logit, make_blend

pytestmark = pytest.mark.model


# make_blend's VotingClassifier is scikit-learn's own, checked by scikit-learn; its
# tags claim multiclass, which its HeldOutSigmoid members refuse, so most checks
# (fed three classes) would fail on that alone. The blend tests below cover it.
@parametrize_with_checks([HeldOutSigmoid()])
def test_the_estimator_contract(estimator: Any, check: Callable[[Any], None]) -> None:
    check(estimator)


def dated(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """200 clients x 30 weekly dates, one informative feature and one of noise; the
    events grow more common over time, which no feature shows."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2025-01-06", periods=30, freq="7D")
    index = pd.MultiIndex.from_product(
        [[f"C{i:03d}" for i in range(200)], dates], names=["client_id", "as_of"]
    )
    x = pd.DataFrame(rng.normal(size=(len(index), 2)), index=index, columns=["signal", "noise"])
    week = np.tile(np.arange(30), 200)
    log_odds = x["signal"].to_numpy() - 3.0 + 2.0 * week / 30
    y = (rng.random(len(index)) < 1 / (1 + np.exp(-log_odds))).astype(int)
    return x, y


def test_the_validation_period_is_the_purged_out_of_time_split() -> None:
    x, _ = dated()
    learn, held = next(ValidationPeriod(0.2, horizon_days=30).split(x))
    dates = x.index.get_level_values("as_of")
    train, test = out_of_time_split(pd.DatetimeIndex(dates), dates.unique()[24], 30)
    np.testing.assert_array_equal(learn, np.flatnonzero(train))
    np.testing.assert_array_equal(held, np.flatnonzero(test))
    # Without dates, the rows are in time order, a day each.
    learn, held = next(ValidationPeriod(0.2, horizon_days=2).split(np.zeros((10, 1))))
    np.testing.assert_array_equal(learn, np.arange(6))
    np.testing.assert_array_equal(held, np.arange(8, 10))


def test_the_sigmoid_is_learned_from_the_model_that_never_saw_the_validation_dates() -> None:
    x, y = dated()
    steep = LogisticRegression(C=1e4)
    model = HeldOutSigmoid(steep, validation=ValidationPeriod(0.2, 30)).fit(x, y)
    # Fitted on the earlier dates, the model underrates the later ones: the sigmoid helps.
    assert model.sigmoid_ is not None
    assert model.brier_calibrated_ < model.brier_raw_
    # The model that scores learned from every row...
    everything = clone(steep).fit(x, y)
    np.testing.assert_array_equal(model.estimator_.coef_, everything.coef_)
    # ...and the sigmoid from the scores, on the validation dates, of one that never saw them.
    learn, held = next(ValidationPeriod(0.2, 30).split(x))
    before = clone(steep).fit(x.iloc[learn], y[learn])
    sigmoid = LogisticRegression(C=1e4).fit(
        _logit(before.predict_proba(x.iloc[held])[:, 1]), y[held]
    )
    np.testing.assert_allclose(model.sigmoid_.coef_, sigmoid.coef_, rtol=0, atol=1e-12)
    expected = sigmoid.predict_proba(_logit(everything.predict_proba(x)[:, 1]))
    np.testing.assert_allclose(model.predict_proba(x), expected, rtol=0, atol=1e-12)


def test_without_both_classes_in_the_validation_there_is_no_sigmoid() -> None:
    x, y = dated()
    _, held = next(ValidationPeriod().split(x))
    y[held] = 0
    model = HeldOutSigmoid(validation=ValidationPeriod()).fit(x, y)
    assert model.sigmoid_ is None
    assert np.isnan(model.brier_raw_)
    np.testing.assert_array_equal(model.predict_proba(x), model.estimator_.predict_proba(x))


def test_the_blend_is_the_mean_of_its_calibrated_members() -> None:
    x, y = dated()
    members = {"steep": LogisticRegression(C=1e4), "flat": LogisticRegression(C=1e-3)}
    blend = make_blend(members, ValidationPeriod(0.2, 30)).fit(x, y)
    alone = [
        HeldOutSigmoid(m, validation=ValidationPeriod(0.2, 30)).fit(x, y) for m in members.values()
    ]
    mean = np.mean([m.predict_proba(x) for m in alone], axis=0)
    np.testing.assert_array_equal(blend.predict_proba(x), mean)


def test_an_old_sigmoid_calibrated_pickle_loads_as_a_held_out_sigmoid() -> None:
    """The state the old models.train.SigmoidCalibrated pickled: a fitted model and
    its fitted sigmoid, under ``model`` and ``sigmoid``."""
    x, y = dated()
    model = LogisticRegression().fit(x, y)
    sigmoid = LogisticRegression(C=1e4).fit(_logit(model.predict_proba(x)[:, 1]), y)
    old = HeldOutSigmoid.__new__(HeldOutSigmoid)
    old.__setstate__({"model": model, "sigmoid": sigmoid})
    loaded = pickle.loads(pickle.dumps(old))
    assert isinstance(loaded, HeldOutSigmoid)
    expected = sigmoid.predict_proba(_logit(model.predict_proba(x)[:, 1]))
    np.testing.assert_array_equal(loaded.predict_proba(x), expected)
    assert list(loaded.feature_names_in_) == ["signal", "noise"]
    clone(loaded)  # its parameters are whole


def test_an_old_mean_of_pickle_loads_as_a_soft_vote() -> None:
    x, y = dated()
    models = [LogisticRegression().fit(x, y), LogisticRegression(C=1e-3).fit(x, y)]
    old = LegacyMeanOf.__new__(LegacyMeanOf)
    old.__setstate__({"models": models})
    loaded = pickle.loads(pickle.dumps(old))
    assert isinstance(loaded, VotingClassifier)
    mean = np.mean([m.predict_proba(x) for m in models], axis=0)
    np.testing.assert_array_equal(loaded.predict_proba(x), mean)
    np.testing.assert_array_equal(loaded.predict(x), (mean[:, 1] > 0.5).astype(int))
    assert loaded.n_features_in_ == 2
    clone(loaded)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(20, dtype=int), "one class"),
        (np.arange(20) % 3, "Only binary classification is supported"),
    ],
)
def test_the_calibration_needs_two_classes(y: np.ndarray, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        HeldOutSigmoid().fit(np.arange(20.0).reshape(-1, 1), y)
