"""Fixtures of the API tests: the small firm trained once per session, scored once,
and a copy of its database per test module (the API's actions change it)."""

from __future__ import annotations

import pytest

from features.simulation import Simulation
from risk.settings import Settings
from tests.service.api_firm import ScoredFirm, copy_home, scored_firm, train


@pytest.fixture(scope="session")
def api_firm(small_simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> ScoredFirm:
    """The small firm: champions in MLflow, loaded, scored, a key per caller."""
    folder = tmp_path_factory.mktemp("api-firm")
    mlflow_uri = train(small_simulation.bundle, folder)
    return scored_firm(small_simulation.bundle, folder / "home", mlflow_uri)


@pytest.fixture(scope="module")
def api_settings(api_firm: ScoredFirm, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for this module's own copy of the scored firm's database."""
    return copy_home(api_firm, tmp_path_factory.mktemp("api-home"))
