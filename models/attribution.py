"""Why a model scores a client high: baseline Shapley values of its features.

The attribution method is **baseline Shapley** (Sundararajan & Najmi, "The many
Shapley values for model explanation", ICML 2020): each feature's contribution
is its Shapley value in the game "switch features from the reference client's
values to this client's", on the model's own output, the calibrated
probability. The reference is the median client of the same scoring run, so a
contribution reads "this much of the risk comes from how this client differs
from a typical one on this feature". Contributions add up exactly to
``P(client) - P(reference)`` (Shapley's efficiency), whatever the model is:
gradient boosting, a calibrated pipeline or the logistic baseline.

Exact values need 2^44 model calls per client, so they are estimated by sampling
feature orders (Strumbelj & Kononenko 2014), in antithetic pairs (an order and
its reverse) to halve the variance, all clients' evaluations in one batch. The
orders come from a fixed seed: the same client and model give the same reasons.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

#: Feature orders sampled per client (antithetic pairs); the error of each
#: contribution falls with the square root of this.
ORDERS = 32


def baseline_shapley(
    predict: Callable[[pd.DataFrame], np.ndarray],
    rows: pd.DataFrame,
    reference: pd.Series,
    orders: int = ORDERS,
    seed: int = 0,
) -> pd.DataFrame:
    """Contribution of each column of ``rows`` to ``predict(rows)`` against ``reference``.

    Returns a frame shaped like ``rows`` (same index and columns); each row sums
    to ``predict(row) - predict(reference)``.
    """
    columns = list(rows.columns)
    n, m = len(rows), len(columns)
    if n == 0:
        return pd.DataFrame(index=rows.index, columns=columns, dtype="float64")
    rng = np.random.default_rng(seed)
    half = rng.permuted(np.tile(np.arange(m), (max(orders // 2, 1), 1)), axis=1)
    permutations = np.concatenate([half, half[:, ::-1]])
    base = reference[columns].to_numpy(dtype="float64")
    p = len(permutations)
    # For each client, order and step k: features permutation[:k] take the client's
    # values, the rest the reference's. Steps 0..m, so m+1 evaluations per order.
    takes = np.zeros((p, m + 1, m), dtype=bool)
    for step in range(1, m + 1):
        takes[np.arange(p)[:, None], step, permutations[:, :step]] = True
    values = rows[columns].to_numpy(dtype="float64")
    contributions = np.zeros((n, m))
    # Clients in chunks: the grid holds chunk x orders x (m+1) x m values.
    chunk = max(1, 2_000_000 // (p * (m + 1) * m))
    for start in range(0, n, chunk):
        x = values[start : start + chunk]
        grid = np.where(takes[None, :, :, :], x[:, None, None, :], base[None, None, None, :])
        frame = pd.DataFrame(grid.reshape(-1, m), columns=columns)
        output = np.asarray(predict(frame), dtype="float64").reshape(len(x), p, m + 1)
        steps = np.diff(output, axis=2)  # the change as the k-th feature of an order switches
        for order in range(p):
            contributions[start : start + len(x), permutations[order]] += steps[:, order, :]
    return pd.DataFrame(contributions / p, index=rows.index, columns=columns)
