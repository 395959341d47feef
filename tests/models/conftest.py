"""A training set shared by the model tests (built once per session)."""

from __future__ import annotations

import pytest

from features.simulation import Simulation
from models.dataset import TrainingSet, training_set, weekly_as_of


@pytest.fixture(scope="session")
def causal_training_set(causal_simulation: Simulation) -> TrainingSet:
    bundle = causal_simulation.bundle
    return training_set(bundle, weekly_as_of(bundle))
