"""The models give, to 1e-9, the probabilities recorded on the small firm by the code
before the blend and the calibration became estimators (see tests/models/small_firm.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import VotingClassifier
from sklearn.pipeline import Pipeline

from features.simulation import Simulation
from models.dataset import TrainingSet
from models.estimators import HeldOutSigmoid
from models.train import FEATURE_COLUMNS, FittedModel
from tests.models.small_firm import (
    RECORD,
    SAVED_BLEND,
    SAVED_TARGET,
    fingerprint,
    fit_all,
    probabilities,
    read_recorded,
    small_firm,
)

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def firm(small_simulation: Simulation) -> TrainingSet:
    data = small_firm(small_simulation)
    recorded = json.loads(RECORD.read_text())
    # Otherwise a failure below would blame the models for a change in the data.
    assert fingerprint(data) == recorded["training_set_sha256"], (
        "the small firm's training set is no longer the one the probabilities were "
        "recorded on (the simulation or the features changed, not the models)"
    )
    return data


@pytest.fixture(scope="module")
def models(firm: TrainingSet) -> dict[str, FittedModel]:
    return fit_all(firm)


@pytest.fixture(scope="module")
def recorded() -> pd.DataFrame:
    return read_recorded()


def rows_of(firm: TrainingSet, recorded: pd.DataFrame) -> pd.DataFrame:
    return firm.features.loc[recorded.index, FEATURE_COLUMNS]


def test_every_kind_gives_the_recorded_probabilities(
    firm: TrainingSet, models: dict[str, FittedModel], recorded: pd.DataFrame
) -> None:
    now = probabilities(models, rows_of(firm, recorded))
    assert list(now.columns) == list(recorded.columns)
    np.testing.assert_allclose(now.to_numpy(), recorded.to_numpy(), rtol=0, atol=1e-9)


def test_a_blend_pickled_by_the_old_code_scores_as_it_did(
    firm: TrainingSet, models: dict[str, FittedModel], recorded: pd.DataFrame
) -> None:
    """Registered models are pickled with their classes' module paths (MLflow's
    cloudpickle format): a model registered before the change must still load, and
    score as it did and as the same fit does today."""
    import cloudpickle

    with SAVED_BLEND.open("rb") as saved:
        old = cloudpickle.load(saved)
    # Read by today's classes: a soft vote whose calibrated member is a HeldOutSigmoid.
    assert isinstance(old, VotingClassifier)
    assert [type(m.estimator) for m in old.estimators_] == [HeldOutSigmoid, Pipeline]
    rows = rows_of(firm, recorded)
    proba = old.predict_proba(rows)[:, 1]
    np.testing.assert_allclose(proba, recorded[f"{SAVED_TARGET}_blend"], rtol=0, atol=1e-9)
    today = models[f"{SAVED_TARGET}_blend"].predict_proba(rows)
    np.testing.assert_allclose(proba, today, rtol=0, atol=1e-9)
    assert (old.predict(rows) == (proba > 0.5)).all()
