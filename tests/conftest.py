"""Shared fixtures: the shared data folder, small simulated bundles, and the
rule for tests that need a real service (PostgreSQL, Chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from features.simulation import Simulation, simulate

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_BUNDLE = SHARED / "data" / "sample-bundle"


def service_missing(reason: str) -> None:
    """Skip a test whose service is not there, except in CI, where it fails:
    a green CI must mean the PostgreSQL and browser tests really ran."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sample_bundle_path() -> Path:
    if not SAMPLE_BUNDLE.is_dir():
        pytest.skip(f"../shared/data/sample-bundle is absent (looked in {SAMPLE_BUNDLE})")
    return SAMPLE_BUNDLE


@pytest.fixture(scope="session")
def small_simulation() -> Simulation:
    """150 clients over 12 months: quick, but enough for causal checks."""
    return simulate(clients=150, months=12, seed=11)


@pytest.fixture(scope="session")
def causal_simulation() -> Simulation:
    """A larger firm for the tests that check the generator's causes reach its outcomes."""
    return simulate(clients=1200, months=24, seed=5)
