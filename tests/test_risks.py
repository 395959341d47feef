"""Each risk is defined once (``features.risks``) and every layer agrees with it."""

from __future__ import annotations

from typing import get_args

import pandas as pd
import pytest

from features.labels import build_labels
from features.risks import LABELS, NAMES, RISKS, by_label, by_name
from features.simulation import Simulation
from risk.settings import Settings
from service import schemas

pytestmark = pytest.mark.data


def test_names_and_labels_find_their_risk() -> None:
    for risk in RISKS:
        assert by_name(risk.name) is risk
        assert by_label(risk.label) is risk
        assert risk.label.endswith(f"_{risk.horizon_days}d")
    with pytest.raises(KeyError):
        by_name("fraud")


def test_every_layer_speaks_of_the_same_risks(small_simulation: Simulation) -> None:
    fields = Settings.model_fields
    for risk in RISKS:
        assert risk.elevated_setting in fields
        assert risk.high_setting in fields
    # The API's schema must spell its choices literally (OpenAPI's enum); they match.
    assert get_args(schemas.Risk) == NAMES
    rows = pd.MultiIndex.from_tuples(
        [("C-00001", pd.Timestamp("2025-06-30"))], names=["client_id", "as_of"]
    )
    assert tuple(build_labels(small_simulation.bundle, rows).columns) == LABELS
