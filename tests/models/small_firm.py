"""The small firm's recorded probabilities: what every model kind said on fixed rows
before the blend and the calibration became estimators of their own.

The firm is ``simulate(clients=150, months=12, seed=11)`` (the simulation is the
same for the same seed), its training set is built as ``risk train`` builds it,
and each target's models are fitted on the rows before the holdout, as ``risk
train`` fits them. The probabilities of every kind on 300 fixed rows, and a
blend pickled as MLflow pickles it, were written once by the code before the
change; the tests recompute them with the code of today.

Write them again only when the numbers are meant to change:
``.venv/bin/python -m tests.models.small_firm``.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn

from features.risks import RISKS
from features.simulation import Simulation, simulate
from models.dataset import TrainingSet, holdout_start, out_of_time_split, training_set, weekly_as_of
from models.train import FEATURE_COLUMNS, FittedModel, Kind, fit

DATA = Path(__file__).resolve().parent / "data"
PROBABILITIES = DATA / "probabilities_before.csv"
RECORD = DATA / "probabilities_before.json"
SAVED_BLEND = DATA / "blend_saved_by_old_code.pkl"
#: The pickled blend's target: its trees are calibrated and its logistic is not,
#: so the pickle holds both shapes of member.
SAVED_TARGET = "dispute_30d"
SIMULATION = {"clients": 150, "months": 12, "seed": 11}
KINDS: tuple[Kind, ...] = ("blend", "logistic", "gbm")
ROWS = 300


def small_firm(simulation: Simulation | None = None) -> TrainingSet:
    """The small firm's training set, as ``risk train`` builds it."""
    bundle = (simulation or simulate(**SIMULATION)).bundle
    return training_set(bundle, weekly_as_of(bundle))


def fingerprint(data: TrainingSet) -> str:
    """A hash of the training set, features and labels with their index."""
    rows = pd.util.hash_pandas_object(data.features.join(data.labels), index=True)
    return hashlib.sha256(rows.to_numpy().tobytes()).hexdigest()


def fixed_rows(data: TrainingSet) -> pd.DataFrame:
    """300 rows spread evenly over the training set (every date, known label or not)."""
    picked = np.linspace(0, len(data.features) - 1, ROWS).astype(int)
    return data.features.iloc[picked][FEATURE_COLUMNS]


def fit_all(data: TrainingSet) -> dict[str, FittedModel]:
    """Every kind for every target, keyed ``<target>_<kind>``, fitted as ``risk train``
    fits the shipped model: on the rows whose label window ends before the holdout."""
    models = {}
    for target, horizon in ((risk.label, risk.horizon_days) for risk in RISKS):
        train_rows, _ = out_of_time_split(data.as_of, holdout_start(data.as_of), horizon)
        for kind in KINDS:
            models[f"{target}_{kind}"] = fit(data.rows(train_rows), target, kind, horizon)
    return models


def probabilities(models: dict[str, FittedModel], rows: pd.DataFrame) -> pd.DataFrame:
    """P(event) of each model on ``rows``, one column per model."""
    return pd.DataFrame({name: m.predict_proba(rows) for name, m in models.items()}, rows.index)


def read_recorded() -> pd.DataFrame:
    """The recorded probabilities, indexed by (``client_id``, ``as_of``), bit for bit."""
    frame = pd.read_csv(
        PROBABILITIES, parse_dates=["as_of"], dtype={"client_id": str}, float_precision="round_trip"
    )
    return frame.set_index(["client_id", "as_of"])


def write() -> None:
    """Fit, score and pickle with the code of today; see the module docstring."""
    import cloudpickle

    data = small_firm()
    models = fit_all(data)
    rows = fixed_rows(data)
    DATA.mkdir(exist_ok=True)
    # 17 significant digits give back the same float64.
    probabilities(models, rows).to_csv(PROBABILITIES, float_format="%.17g")
    record = {
        "simulation": SIMULATION,
        "training_set_sha256": fingerprint(data),
        "versions": {"scikit-learn": sklearn.__version__, "numpy": np.__version__},
    }
    RECORD.write_text(json.dumps(record, indent=2) + "\n")
    # As mlflow.sklearn.log_model(..., serialization_format="cloudpickle") writes
    # model.pkl: cloudpickle at Python's default protocol.
    with SAVED_BLEND.open("wb") as out:
        cloudpickle.dump(
            models[f"{SAVED_TARGET}_blend"].estimator, out, protocol=pickle.DEFAULT_PROTOCOL
        )


if __name__ == "__main__":
    write()
