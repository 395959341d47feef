"""PSI: zero for the same distribution, large for a shifted one, missing values counted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.drift import drift, population_stability

pytestmark = pytest.mark.unit


def test_psi_reads_stable_moderate_and_major_shifts() -> None:
    rng = np.random.default_rng(0)
    base = pd.Series(rng.normal(size=20_000))
    assert population_stability(base, pd.Series(rng.normal(size=20_000))) < 0.01
    assert 0.1 <= population_stability(base, pd.Series(rng.normal(0.45, 1, 20_000))) < 0.25
    assert population_stability(base, pd.Series(rng.normal(1.5, 1, 20_000))) > 0.25
    with_gaps = base.where(rng.uniform(size=20_000) > 0.3)  # 30 % now missing
    assert population_stability(base, with_gaps) > 0.25


def test_drift_ranks_features_by_psi() -> None:
    rng = np.random.default_rng(1)
    training = pd.DataFrame({"calm": rng.normal(size=5000), "moved": rng.normal(size=5000)})
    recent = pd.DataFrame({"calm": rng.normal(size=5000), "moved": rng.normal(2, 1, 5000)})
    table = drift(training, recent)
    assert list(table.index) == ["moved", "calm"]
    assert table.loc["moved", "reading"] == "major"
    assert table.loc["calm", "reading"] == "stable"
