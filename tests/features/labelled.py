"""Precision and recall of a message rule on a hand-written labelled set in ``data/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from tests.conftest import ROOT

DATA = ROOT / "tests" / "features" / "data"

Rule = Callable[[Sequence[str | None], Sequence[str | None]], np.ndarray]


def precision_recall(rule: Rule, name: str, language: str) -> tuple[float, float, int]:
    """``rule``'s precision and recall on the ``language`` rows of ``data/name``, and
    how many rows that language has (columns ``text``, ``language``, ``label``)."""
    data = pd.read_csv(DATA / name)
    data = data[data["language"] == language]
    predicted = rule(data["text"].tolist(), data["language"].tolist())
    truth = data["label"].to_numpy() == 1
    hits = (predicted & truth).sum()
    return hits / max(predicted.sum(), 1), hits / max(truth.sum(), 1), len(data)
