"""A scored firm for the API tests and the API benchmark.

``train`` fits and crowns both champions in MLflow with ``risk train`` (as the
``firm`` fixture of ``test_cli_engine`` does); ``scored_firm`` loads the bundle
into an app database, scores it with thresholds that flag some clients, and
creates a key per caller: the PM with the most flagged clients, another PM with
flagged clients the first may not see, the account lead with the most flagged
clients, an analyst and an admin. ``copy_home`` gives each test module a
database of its own (the API's actions change it), sharing the trained models.

Who may see which client is computed here from the bundle's own frames, not by
``risk.store.keys.visible_clients``, so the tests check the SQL against the contract.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from typer.testing import CliRunner

from features.bundle.load import Bundle
from features.simulation import write_bundle
from risk.scoring.run import score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import create_key
from risk.store.load import load
from risk.store.tables import flags
from service.cli import app as cli

#: Low enough that the small firm has clients at both levels (as ``engine_env``).
THRESHOLDS = {
    "dispute_elevated": 0.02,
    "dispute_high": 0.3,
    "churn_elevated": 0.005,
    "churn_high": 0.03,
}
ROLES = ("pm", "other_pm", "lead", "analyst", "admin")


@dataclass(frozen=True)
class Caller:
    """A key holder: ``name`` is the part they play in the tests (``other_pm``)."""

    name: str
    role: str
    email: str
    key_id: str
    secret: str


@dataclass(frozen=True)
class ScoredFirm:
    home: Path
    mlflow_uri: str
    bundle: Bundle
    callers: dict[str, Caller]

    def visible(self, name: str) -> set[str]:
        """The clients caller ``name`` may see, by the contract's rules."""
        caller = self.callers[name]
        if caller.role == "pm":
            projects = self.bundle.projects
            return set(projects.loc[projects["pm"] == caller.email, "client_id"])
        if caller.role == "lead":
            clients = self.bundle.clients
            return set(clients.loc[clients["account_lead"] == caller.email, "client_id"])
        return set(self.bundle.clients["client_id"])


def settings_for(home: Path, mlflow_uri: str) -> Settings:
    return Settings(home=home, mlflow_tracking_uri=mlflow_uri, **THRESHOLDS)


def train(bundle: Bundle, folder: Path) -> str:
    """Write ``bundle`` and train both champions on it; returns the MLflow URI."""
    write_bundle(bundle, folder / "bundle")
    home = folder / "train"
    trained = CliRunner().invoke(cli, ["--home", str(home), "train", str(folder / "bundle")])
    assert trained.exit_code == 0, trained.output
    return f"sqlite:///{home / 'mlflow.db'}"


def scored_firm(bundle: Bundle, folder: Path, mlflow_uri: str) -> ScoredFirm:
    """Load and score ``bundle`` in ``folder`` and create the callers' keys."""
    settings = settings_for(folder, mlflow_uri)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    load(engine, bundle, "test")
    score(engine, settings, "test")
    with engine.connect() as connection:
        flagged = set(
            connection.execute(select(flags.c.client_id).where(flags.c.status == "open")).scalars()
        )
    assert flagged, "the thresholds flag nobody: the tests would prove nothing"
    projects = bundle.projects
    by_pm = projects.groupby("pm")["client_id"].apply(set)
    pm = max(sorted(by_pm.index), key=lambda p: len(by_pm[p] & flagged))
    other_pm = max(
        sorted(p for p in by_pm.index if p != pm),
        key=lambda p: len((by_pm[p] - by_pm[pm]) & flagged),
    )
    leads = bundle.clients.groupby("account_lead")["client_id"].apply(set)
    lead = max(sorted(leads.index), key=lambda p: len(leads[p] & flagged))
    emails = {
        "pm": ("pm", pm),
        "other_pm": ("pm", other_pm),
        "lead": ("lead", lead),
        "analyst": ("analyst", "analyst@firm.example"),
        "admin": ("admin", "admin@firm.example"),
    }
    callers = {}
    for name, (role, email) in emails.items():
        key_id, secret = create_key(engine, role, email, "test")
        callers[name] = Caller(name, role, email.lower(), key_id, secret)
    engine.dispose()
    return ScoredFirm(home=folder, mlflow_uri=mlflow_uri, bundle=bundle, callers=callers)


def copy_home(firm: ScoredFirm, home: Path) -> Settings:
    """Settings for a copy of the firm's database in ``home`` (same models, keys, flags)."""
    home.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(firm.home / "risk.store.db")
    target = sqlite3.connect(home / "risk.store.db")
    try:
        source.backup(target)  # consistent, WAL included
    finally:
        source.close()
        target.close()
    return settings_for(home, firm.mlflow_uri)


def open_flags(settings: Settings) -> pd.DataFrame:
    """The open flags in ``settings``' database (client, risk, id, snoozed until)."""
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(flags.c.flag_id, flags.c.client_id, flags.c.risk, flags.c.snoozed_until)
                .where(flags.c.status == "open")
                .order_by(flags.c.flag_id)
            ).all()
    finally:
        engine.dispose()
    return pd.DataFrame(rows, columns=["flag_id", "client_id", "risk", "snoozed_until"])
