"""Is the model still looking at the world it was trained on? Feature drift by PSI.

The population stability index compares a feature's distribution now with the
training period's: bins are the training period's deciles (missing values
their own bin), PSI = sum((actual - expected) * ln(actual / expected)). The
usual reading: below 0.1 stable, 0.1 to 0.25 a moderate shift worth a look,
above 0.25 a major shift (retrain, or find out what changed in the data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Shares below this are floored, so an empty bin does not make the PSI infinite.
EPSILON = 1e-4
STABLE, MAJOR = 0.1, 0.25


def population_stability(expected: pd.Series, actual: pd.Series, bins: int = 10) -> float:
    """PSI of ``actual`` against ``expected`` over ``expected``'s quantile bins."""
    base = expected.astype("float64")
    now = actual.astype("float64")
    finite = base[np.isfinite(base)]
    if finite.empty:
        edges = np.array([-np.inf, np.inf])
    else:
        inner = np.unique(np.quantile(finite, np.linspace(0, 1, bins + 1)[1:-1]))
        edges = np.r_[-np.inf, inner, np.inf]

    def shares(values: pd.Series) -> np.ndarray:
        numbers = values.to_numpy()
        known = np.isfinite(numbers)
        counts = np.r_[np.histogram(numbers[known], bins=edges)[0], (~known).sum()]
        share: np.ndarray = np.maximum(counts / max(len(numbers), 1), EPSILON)
        return share

    e, a = shares(base), shares(now)
    return float(np.sum((a - e) * np.log(a / e)))


def drift(training: pd.DataFrame, recent: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """PSI per feature (columns both frames share), largest first, with its reading."""
    columns = [c for c in training.columns if c in recent.columns]
    psi = pd.Series(
        {c: population_stability(training[c], recent[c], bins) for c in columns}, name="psi"
    ).sort_values(ascending=False)
    reading = np.where(psi >= MAJOR, "major", np.where(psi >= STABLE, "moderate", "stable"))
    return pd.DataFrame({"psi": psi, "reading": reading}).rename_axis("feature")
