"""The risk engine from the command line, end to end on real components: a bundle
trained and registered in MLflow, loaded into SQLite, scored, flags listed and acted
on, alerts delivered to the log file, thresholds suggested from a backtest."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from features.simulation import Simulation, write_bundle
from risk.scoring.thresholds import _suggest
from service.cli import app

pytestmark = pytest.mark.integration

runner = CliRunner()


@dataclass(frozen=True)
class Firm:
    bundle: Path
    home: Path


@pytest.fixture(scope="module")
def firm(small_simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> Firm:
    """The small firm's bundle, with both models trained and crowned in MLflow."""
    folder = tmp_path_factory.mktemp("engine")
    write_bundle(small_simulation.bundle, folder / "bundle")
    trained = runner.invoke(app, ["--home", str(folder / "home"), "train", str(folder / "bundle")])
    assert trained.exit_code == 0, trained.output
    return Firm(bundle=folder / "bundle", home=folder / "home")


@pytest.fixture
def engine_env(firm: Firm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh app database per test, the firm's MLflow, thresholds that flag some clients."""
    monkeypatch.setenv("RISK_HOME", str(tmp_path))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{firm.home / 'mlflow.db'}")
    for name, value in {
        "RISK_DISPUTE_ELEVATED": "0.02",
        "RISK_DISPUTE_HIGH": "0.3",
        "RISK_CHURN_ELEVATED": "0.005",
        "RISK_CHURN_HIGH": "0.03",
    }.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def _json_flags(*options: str) -> list[dict[str, object]]:
    listed = runner.invoke(app, ["flags", "--format", "json", *options])
    assert listed.exit_code == 0, listed.output
    found: list[dict[str, object]] = json.loads(listed.output)
    return found


def test_load_score_and_list_flags(firm: Firm, engine_env: Path) -> None:
    loaded = runner.invoke(app, ["load", str(firm.bundle)])
    assert loaded.exit_code == 0, loaded.output
    assert "added" in loaded.output
    again = runner.invoke(app, ["load", str(firm.bundle)])
    assert "        0 added" in again.output

    scored = runner.invoke(app, ["score", "--as-of", "2025-11-30"])
    assert scored.exit_code == 0, scored.output
    assert "billing-risk-dispute/1" in scored.output
    assert "next:" in scored.output  # the top flags, each with its next step

    flags = _json_flags("--snoozed")
    assert flags
    for flag in flags:
        assert {"flag_id", "client_id", "risk", "level", "probability", "trend", "reasons"} <= set(
            flag
        )
        assert flag["level"] in ("high", "elevated")
        assert flag["trend"] == "new"
        for reason in flag["reasons"]:  # type: ignore[attr-defined]
            assert {"text", "feature", "value", "contribution"} <= set(reason)
            assert reason["contribution"] > 0
    probabilities = [f["probability"] for f in flags if f["level"] == "high"]
    assert probabilities == sorted(probabilities, reverse=True)

    pm = pd.read_csv(firm.bundle / "projects.csv")
    pm_clients = pm.groupby("pm")["client_id"].apply(set)
    busiest = max(
        pm_clients.index, key=lambda p: len(pm_clients[p] & {f["client_id"] for f in flags})
    )
    mine = _json_flags("--pm", busiest)
    assert mine
    assert {f["client_id"] for f in mine} <= pm_clients[busiest]
    table = runner.invoke(app, ["flags", "--pm", busiest])
    assert mine[0]["flag_id"] in table.output


def test_ack_snooze_and_feedback_from_the_command_line(firm: Firm, engine_env: Path) -> None:
    assert runner.invoke(app, ["score", str(firm.bundle), "--as-of", "2025-11-30"]).exit_code == 0
    first, second = _json_flags()[:2]

    acked = runner.invoke(app, ["flags", "ack", str(first["flag_id"])])
    assert acked.exit_code == 0, acked.output
    assert "cli:" in acked.output

    snoozed = runner.invoke(
        app,
        [
            "flags",
            "snooze",
            str(second["flag_id"]),
            "--until",
            "2099-01-01",
            "--reason",
            "on holiday",
        ],
    )
    assert snoozed.exit_code == 0, snoozed.output
    assert second["flag_id"] not in {f["flag_id"] for f in _json_flags()}
    assert second["flag_id"] in {f["flag_id"] for f in _json_flags("--snoozed")}

    feedback = runner.invoke(app, ["flags", "feedback", str(first["flag_id"]), "valid"])
    assert feedback.exit_code == 0, feedback.output
    from risk.scoring.flags import feedback_labels
    from risk.store.db import make_engine

    labels = feedback_labels(make_engine(f"sqlite:///{engine_env / 'risk.store.db'}"))
    assert labels[["flag_id", "feedback"]].values.tolist() == [[first["flag_id"], "valid"]]
    assert labels["actor"].iloc[0].startswith("cli:")
    wrong = runner.invoke(app, ["flags", "feedback", str(first["flag_id"]), "maybe"])
    assert wrong.exit_code == 2
    assert "feedback" in wrong.output
    assert "valid, false_alarm, premature" in wrong.output
    unknown = runner.invoke(app, ["flags", "ack", "no-such-flag"])
    assert unknown.exit_code == 1
    assert "no flag 'no-such-flag'" in unknown.output
    past = runner.invoke(
        app, ["flags", "snooze", str(first["flag_id"]), "--until", "2020-01-01", "--reason", "x"]
    )
    assert past.exit_code == 2
    assert "until" in past.output


def test_alerts_go_to_the_log_when_no_channel_is_set(firm: Firm, engine_env: Path) -> None:
    assert runner.invoke(app, ["score", str(firm.bundle), "--as-of", "2025-11-30"]).exit_code == 0
    before = runner.invoke(app, ["alerts", "status"])
    pending = int(before.output.split("pending: ")[1].split()[0])
    assert pending > 0
    assert "sent: 0" in before.output

    delivered = runner.invoke(app, ["alerts", "deliver"])
    assert delivered.exit_code == 0, delivered.output
    assert f"sent {pending}," in delivered.output
    lines = (engine_env / "alerts.log").read_text().splitlines()
    assert len(lines) == pending
    alert = json.loads(lines[0])["payload"]
    assert alert["reasons"]
    assert alert["url"].startswith("http://127.0.0.1:8000/app/clients/")
    after = runner.invoke(app, ["alerts", "status"])
    assert after.output.splitlines() == ["pending: 0", f"sent: {pending}", "failed: 0"]


def test_score_without_data_or_models_says_what_to_do(engine_env: Path, tmp_path: Path) -> None:
    empty = runner.invoke(app, ["score"])
    assert empty.exit_code == 1
    assert "risk load" in empty.output


def test_thresholds_suggest_from_a_backtest(firm: Firm, engine_env: Path) -> None:
    out = engine_env / "backtest.csv"
    ran = runner.invoke(
        app,
        [
            "backtest",
            str(firm.bundle),
            "--train-until",
            "2025-08-31",
            "--from",
            "2025-09-01",
            "--until",
            "2025-10-31",
            "--out",
            str(out),
        ],
    )
    assert ran.exit_code == 0, ran.output
    suggested = runner.invoke(app, ["thresholds", "suggest", str(out), str(firm.bundle)])
    assert suggested.exit_code == 0, suggested.output
    values = dict(
        line.split("=") for line in suggested.output.splitlines() if line.startswith("RISK_")
    )
    assert float(values["RISK_DISPUTE_ELEVATED"]) <= float(values["RISK_DISPUTE_HIGH"])
    broken = engine_env / "broken.csv"
    broken.write_text("client_id,as_of,dispute_risk\nC-1,2025-09-01,0.1\n")
    refused = runner.invoke(app, ["thresholds", "suggest", str(broken), str(firm.bundle)])
    assert refused.exit_code == 1
    assert "churn_risk" in refused.output


def test_invoices_backtest_scores_each_invoice_issued_in_the_period(
    firm: Firm, engine_env: Path
) -> None:
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{firm.home / 'mlflow.db'}")
    registered = len(mlflow.MlflowClient().search_model_versions("name='billing-risk-invoice'"))
    out = engine_env / "invoices.csv"
    ran = runner.invoke(
        app,
        [
            "invoices",
            "backtest",
            str(firm.bundle),
            "--train-until",
            "2025-10-31",
            "--from",
            "2025-11-01",
            "--until",
            "2025-12-31",
            "--out",
            str(out),
        ],
    )
    assert ran.exit_code == 0, ran.output
    assert "invoice scorecard" in ran.output
    assert "client score at issue" in ran.output
    scores = pd.read_csv(out)
    assert list(scores.columns) == ["invoice_id", "issued_at", "dispute_risk"]
    invoices = pd.read_csv(firm.bundle / "invoices.csv", parse_dates=["issued_at"])
    issued = invoices[
        (invoices["issued_at"] >= "2025-11-01") & (invoices["issued_at"] < "2025-12-31")
    ]
    assert sorted(scores["invoice_id"]) == sorted(issued["invoice_id"])
    assert scores["dispute_risk"].between(0, 1).all()
    logged = mlflow.search_runs(
        search_all_experiments=True, filter_string="tags.kind = 'invoice backtest'"
    )
    assert len(logged) >= 1
    versions = mlflow.MlflowClient().search_model_versions("name='billing-risk-invoice'")
    assert len(versions) == registered  # a backtest never registers
    # The invoice backtest sets a checked invoice's levels as a client backtest sets flags'.
    suggested = runner.invoke(app, ["thresholds", "suggest", str(out), str(firm.bundle)])
    assert suggested.exit_code == 0, suggested.output
    values = dict(
        line.split("=") for line in suggested.output.splitlines() if line.startswith("RISK_")
    )
    assert set(values) == {"RISK_INVOICE_HIGH", "RISK_INVOICE_ELEVATED"}
    assert 0 < float(values["RISK_INVOICE_ELEVATED"]) <= float(values["RISK_INVOICE_HIGH"]) < 1
    assert "of invoices" in suggested.output
    backwards = runner.invoke(
        app,
        ["invoices", "backtest", str(firm.bundle), "--train-until", "2025-10-31",
         "--from", "2025-12-01", "--until", "2025-11-01", "--out", str(out)],
    )  # fmt: skip
    assert backwards.exit_code == 2
    assert "--from" in backwards.output


def test_suggested_high_threshold_keeps_the_top_ten_percent_precision() -> None:
    weeks = pd.date_range("2025-01-05", periods=4, freq="7D")
    index = pd.MultiIndex.from_product(
        [[f"C{i:02d}" for i in range(20)], weeks], names=["client_id", "as_of"]
    )
    rng = np.random.default_rng(3)
    probability = pd.Series(rng.uniform(size=len(index)), index=index)
    label = (probability > 0.85).astype(float)  # the riskiest are exactly the events
    label.iloc[:3] = 1.0  # and a few surprises
    suggestion = _suggest("dispute", probability, label)
    assert suggestion.top_precision == 1.0
    above = probability >= suggestion.high
    assert label[above].mean() == 1.0
    assert suggestion.high <= probability[label == 1].nlargest(8).min()
    assert suggestion.elevated <= suggestion.high
    assert suggestion.high_precision == 1.0
