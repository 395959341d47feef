"""Baseline Shapley attributions: exact where the answer is known, and they add up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.attribution import baseline_shapley

pytestmark = pytest.mark.unit


def _rows() -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(1)
    rows = pd.DataFrame(rng.normal(size=(7, 5)), columns=list("abcde"))
    return rows, pd.Series([0.5, -0.2, 0.0, 1.0, 0.3], index=list("abcde"))


def test_an_additive_model_gets_each_terms_change_exactly() -> None:
    rows, reference = _rows()

    def additive(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(2 * frame["a"] + np.sin(frame["b"]) - frame["c"] ** 2)

    contributions = baseline_shapley(additive, rows, reference)
    np.testing.assert_allclose(contributions["a"], 2 * (rows["a"] - 0.5), atol=1e-12)
    np.testing.assert_allclose(contributions["b"], np.sin(rows["b"]) - np.sin(-0.2), atol=1e-12)
    np.testing.assert_allclose(contributions["c"], -(rows["c"] ** 2), atol=1e-12)
    np.testing.assert_allclose(contributions[["d", "e"]], 0.0, atol=1e-12)


def test_contributions_add_up_to_the_change_in_output_and_split_interactions() -> None:
    rows, reference = _rows()

    def interacting(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(frame["a"] * frame["b"] + np.maximum(frame["c"], frame["d"]))

    contributions = baseline_shapley(interacting, rows, reference)
    gap = interacting(rows) - interacting(reference.to_frame().T)
    np.testing.assert_allclose(contributions.sum(axis=1), gap, atol=1e-12)
    # A product of two features from a zero-free reference is not symmetric, but with
    # antithetic orders a two-feature interaction is split exactly in half.
    only_product = baseline_shapley(
        lambda f: np.asarray(f["a"] * f["b"]), rows, pd.Series(0.0, index=rows.columns)
    )
    np.testing.assert_allclose(only_product["a"], rows["a"] * rows["b"] / 2, atol=1e-12)
    assert (contributions["e"].abs() < 1e-12).all()


def test_the_same_rows_get_the_same_contributions() -> None:
    rows, reference = _rows()

    def model(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(np.tanh(frame["a"] * frame["b"] * frame["c"]))

    first = baseline_shapley(model, rows, reference)
    pd.testing.assert_frame_equal(first, baseline_shapley(model, rows, reference))
    assert baseline_shapley(model, rows.iloc[:0], reference).empty
