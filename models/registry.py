"""MLflow: tracking runs, registering models, and the ``@champion`` alias.

A trained model is registered as a new version of ``billing-risk-dispute``,
``billing-risk-churn`` or ``billing-risk-invoice`` (the invoice-level dispute model,
``models.invoice_model``). It becomes ``@champion`` only when it beats the current
champion on the same holdout (or there is none); otherwise it is tagged
``challenger``. A person can move the alias by hand with a recorded reason.

``import mlflow`` costs about a second, so it happens inside these functions.
"""

from __future__ import annotations

import getpass
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from features.invoice_features import LABEL as INVOICE_LABEL
from features.risks import RISKS

CHAMPION = "champion"
EXPERIMENT = "billing-risk"
#: The invoice model's registered name (its target is ``disputed_60d``).
INVOICE_MODEL = "billing-risk-invoice"
#: Each target (a label column) and the name its model is registered under.
MODEL_NAMES: dict[str, str] = {risk.label: risk.model_name for risk in RISKS} | {
    INVOICE_LABEL: INVOICE_MODEL
}


#: The run artifact holding the typical row a model's attributions start from.
REFERENCE_FILE = "reference.json"


def reference(run_id: str) -> dict[str, float | None]:
    """The typical row logged with the model of run ``run_id`` (``REFERENCE_FILE``)."""
    import mlflow

    found: dict[str, float | None] = mlflow.artifacts.load_dict(f"runs:/{run_id}/{REFERENCE_FILE}")
    return found


def model_name(target: str) -> str:
    """The registered name of ``target``'s model; ``KeyError`` for another target."""
    return MODEL_NAMES[target]


def connect(tracking_uri: str) -> Any:
    """Point MLflow at ``tracking_uri`` (tracking and registry) and return a client."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    # Its download progress bar would land in a server's log, which is JSON lines.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow

    # Its INFO lines (creating tables) and the cloudpickle warning, a format chosen
    # deliberately (see log_model), would drown what the CLI says.
    logging.getLogger("mlflow").setLevel(logging.ERROR)

    if tracking_uri.startswith("sqlite:///"):
        Path(tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    # MLflow also writes the URI into os.environ (for subprocesses); our settings read
    # that variable, so a later Settings() in this process would silently inherit
    # this store. Keep the environment as the user set it.
    before = {name: os.environ.get(name) for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_registry_uri(tracking_uri)
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    client = mlflow.MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)
    if client.get_experiment_by_name(EXPERIMENT) is None and tracking_uri.startswith("sqlite:///"):
        # Artifacts beside the database, under the data directory, not ./mlruns
        # wherever the command happened to run.
        store = Path(tracking_uri.removeprefix("sqlite:///")).parent / "mlartifacts"
        client.create_experiment(EXPERIMENT, artifact_location=store.resolve().as_uri())
    mlflow.set_experiment(EXPERIMENT)
    return client


@dataclass(frozen=True)
class Champion:
    """The registered version that holds ``@champion``, if any."""

    name: str
    version: str
    run_id: str


def champion(client: Any, target: str) -> Champion | None:
    """The current champion of ``target``'s model, or None."""
    from mlflow.exceptions import MlflowException

    name = model_name(target)
    try:
        version = client.get_model_version_by_alias(name, CHAMPION)
    except MlflowException:
        return None
    return Champion(name=name, version=str(version.version), run_id=version.run_id)


def load(target: str, version: str | None = None) -> Any:
    """The scikit-learn model of ``target`` at ``version`` (default: the champion)."""
    import mlflow

    reference = f"@{CHAMPION}" if version is None else f"/{version}"
    return mlflow.sklearn.load_model(f"models:/{model_name(target)}{reference}")


def log_model(estimator: Any, example: pd.DataFrame, target: str, register: bool) -> str | None:
    """Log ``estimator`` to the active run (signature and input example included);
    register it as a new version when ``register``. Returns the version."""
    import mlflow
    from mlflow.models import infer_signature

    signature = infer_signature(example, estimator.predict_proba(example))
    info = mlflow.sklearn.log_model(
        estimator,
        name="model",
        signature=signature,
        input_example=example,
        pyfunc_predict_fn="predict_proba",
        # Our own registry, loaded only by our own service: cloudpickle keeps the
        # calibrated pipeline whole (skops would need every tree type listed).
        serialization_format="cloudpickle",
        registered_model_name=model_name(target) if register else None,
    )
    version = getattr(info, "registered_model_version", None)
    return None if version is None else str(version)


def crown(client: Any, target: str, version: str, reason: str, by: str) -> None:
    """Move ``@champion`` of ``target`` to ``version``, recording who and why."""
    name = model_name(target)
    client.set_registered_model_alias(name, CHAMPION, version)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for key, value in (
        ("role", "champion"),
        ("promoted_by", by),
        ("promoted_reason", reason),
        ("promoted_at", stamp),
    ):
        client.set_model_version_tag(name, version, key, value)


def mark_challenger(client: Any, target: str, version: str, reason: str) -> None:
    name = model_name(target)
    client.set_model_version_tag(name, version, "role", "challenger")
    client.set_model_version_tag(name, version, "not_promoted_because", reason)


def promote(tracking_uri: str, name: str, version: str, reason: str) -> str:
    """``risk promote``: make ``version`` of model ``name`` the champion by hand."""
    targets = {name: target for target, name in MODEL_NAMES.items()}
    if name not in targets:
        raise ValueError(f"unknown model {name!r}: expected one of {', '.join(targets)}")
    if not reason.strip():
        raise ValueError("a reason is required: it is kept with the version")
    client = connect(tracking_uri)
    from mlflow.exceptions import MlflowException

    try:
        client.get_model_version(name, version)
    except MlflowException:
        raise ValueError(f"{name} has no version {version}") from None
    by = f"cli:{getpass.getuser()}"
    crown(client, targets[name], version, reason, by)
    return by
