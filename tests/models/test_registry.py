"""Training, registering, promoting and backtesting against a real MLflow (SQLite)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from features.invoice_features import LABEL as INVOICE_LABEL
from features.risks import RISKS
from features.simulation import simulate, write_bundle
from models import registry
from models.backtest import backtest
from models.invoice_model import INVOICE_COLUMNS, too_few_disputed
from service.cli import app

pytestmark = pytest.mark.model

runner = CliRunner()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo firm, trained once: (bundle folder, data directory)."""
    root = tmp_path_factory.mktemp("registry")
    bundle = write_bundle(simulate(250, 18, seed=21).bundle, root / "bundle")
    home = root / "home"
    result = runner.invoke(app, ["--home", str(home), "train", str(bundle)])
    assert result.exit_code == 0, result.output
    return bundle, home


def tracking(home: Path) -> str:
    return f"sqlite:///{home / 'mlflow.db'}"


def test_first_training_registers_champions(trained: tuple[Path, Path]) -> None:
    _, home = trained
    assert (home / "mlartifacts").is_dir()  # everything under the data directory
    client = registry.connect(tracking(home))
    for target, name in ((risk.label, risk.model_name) for risk in RISKS):
        champion = registry.champion(client, target)
        assert champion is not None
        assert champion.name == name
        version = client.get_model_version(name, champion.version)
        assert version.tags["role"] == "champion"
        run = client.get_run(champion.run_id)
        assert run.data.tags["bundle_fingerprint"]
        assert {
            "model_pr_auc",
            "scorecard_pr_auc",
            "logistic_pr_auc",
            "model_warned_14d_share",
        } <= set(run.data.metrics)
        artifacts = {a.path for a in client.list_artifacts(champion.run_id, "plots")}
        assert {
            "plots/roc_pr_calibration.png",
            "plots/lead_time.png",
            "plots/feature_importance.png",
        } <= artifacts
        model = registry.load(target)
        assert hasattr(model, "predict_proba")


def test_retraining_without_improvement_is_a_challenger_and_promote_moves_it(
    trained: tuple[Path, Path],
) -> None:
    bundle, home = trained
    again = runner.invoke(app, ["--home", str(home), "train", str(bundle)])
    assert again.exit_code == 0, again.output
    assert "challenger" in again.output
    client = registry.connect(tracking(home))
    assert registry.champion(client, "dispute_30d").version == "1"  # type: ignore[union-attr]
    challenger = client.get_model_version("billing-risk-dispute", "2")
    assert challenger.tags["role"] == "challenger"
    # The invoice model passes the same gate: the same invoices, the same PR-AUC.
    assert registry.champion(client, INVOICE_LABEL).version == "1"  # type: ignore[union-attr]
    assert client.get_model_version("billing-risk-invoice", "2").tags["role"] == "challenger"
    invoice = runner.invoke(
        app,
        ["--home", str(home), "promote", "billing-risk-invoice", "2", "--reason", "checked"],
    )
    assert invoice.exit_code == 0, invoice.output
    assert registry.champion(client, INVOICE_LABEL).version == "2"  # type: ignore[union-attr]

    moved = runner.invoke(
        app,
        [
            "--home",
            str(home),
            "promote",
            "billing-risk-dispute",
            "2",
            "--reason",
            "reviewed in the notebook",
        ],
    )
    assert moved.exit_code == 0, moved.output
    assert registry.champion(client, "dispute_30d").version == "2"  # type: ignore[union-attr]
    tags = client.get_model_version("billing-risk-dispute", "2").tags
    assert tags["promoted_reason"] == "reviewed in the notebook"
    assert tags["promoted_by"].startswith("cli:")

    wrong = runner.invoke(
        app, ["--home", str(home), "promote", "billing-risk-dispute", "99", "--reason", "x"]
    )
    assert wrong.exit_code == 1
    assert "no version 99" in wrong.output


def test_backtest_scores_every_active_client_weekly(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    bundle, home = trained
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app,
        [
            "--home",
            str(home),
            "backtest",
            str(bundle),
            "--train-until",
            "2026-01-31",
            "--from",
            "2026-02-02",
            "--until",
            "2026-03-30",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out, dtype={"client_id": str})
    assert list(scores.columns) == ["client_id", "as_of", "dispute_risk", "churn_risk"]
    assert sorted(scores["as_of"].unique()) == [
        f"{d:%Y-%m-%d}" for d in pd.date_range("2026-02-02", "2026-03-30", freq="7D")
    ]
    assert scores[["dispute_risk", "churn_risk"]].notna().all().all()
    assert scores["dispute_risk"].between(0, 1).all()
    assert "scorecard" in result.output
    client = registry.connect(tracking(home))
    versions = client.search_model_versions("name='billing-risk-dispute'")
    assert len(versions) == 2  # a backtest never registers


def test_a_bundle_without_churn_trains_disputes_and_says_why(tmp_path: Path) -> None:
    firm = simulate(120, 14, seed=4).bundle
    no_churn = replace(firm, churn=firm.churn.iloc[:0])
    result = backtest(no_churn, "2025-10-31", "2025-11-03", "2025-12-29", say=lambda _: None)
    assert result.scores["churn_risk"].isna().all()
    assert result.scores["dispute_risk"].notna().all()
    assert any("churn_risk left empty" in note for note in result.notes)


def test_training_reports_metrics_per_slice(trained: tuple[Path, Path]) -> None:
    _, home = trained
    client = registry.connect(tracking(home))
    champion = registry.champion(client, "churn_90d")
    assert champion is not None
    import mlflow

    text = mlflow.artifacts.load_text(f"runs:/{champion.run_id}/slices.csv")
    slices = pd.read_csv(io.StringIO(text))
    assert {"language=en", "language=de", "size=small", "size=large"} <= set(slices["slice"])
    assert set(slices["scorer"]) == {"model", "scorecard"}


def test_the_invoice_model_is_registered_gated_and_promoted_like_the_client_models(
    trained: tuple[Path, Path],
) -> None:
    _, home = trained
    client = registry.connect(tracking(home))
    champion = registry.champion(client, INVOICE_LABEL)
    assert champion is not None
    assert champion.name == "billing-risk-invoice"
    run = client.get_run(champion.run_id)
    # Both baselines on the same held-out invoices, and the dates it learned from.
    assert {
        "invoice_model_pr_auc",
        "client_score_at_issue_pr_auc",
        "invoice_scorecard_pr_auc",
        "invoice_model_top10_precision",
    } <= set(run.data.metrics)
    assert (
        run.data.tags["holdout_from"]
        == client.get_run(
            registry.champion(client, "dispute_30d").run_id  # type: ignore[union-attr]
        ).data.tags["holdout_from"]
    )
    model = registry.load(INVOICE_LABEL)
    example = pd.read_json(io.StringIO(mlflow_example(champion.run_id)), orient="split")
    assert list(example.columns) == list(INVOICE_COLUMNS)
    assert model.predict_proba(example).shape == (len(example), 2)


def mlflow_example(run_id: str) -> str:
    import mlflow

    return mlflow.artifacts.load_text(f"runs:/{run_id}/model/input_example.json")


@pytest.mark.parametrize(
    ("train", "test", "says"),
    [
        ([None, None], None, "no disputed_60d labels"),
        ([1.0] * 3 + [0.0] * 50, None, "3 of 53 invoices in the training period were disputed"),
        ([1.0] * 25, None, "every invoice in the training period was disputed"),
        ([1.0] * 25 + [0.0] * 50, [0.0, 0.0, None], "the holdout has no invoices of both kinds"),
        ([1.0] * 25 + [0.0] * 50, [0.0, 1.0], None),
    ],
)
def test_the_invoice_model_is_skipped_saying_why_when_too_few_invoices_were_disputed(
    train: list[float | None], test: list[float | None] | None, says: str | None
) -> None:
    reason = too_few_disputed(
        pd.Series(train, dtype=float), None if test is None else pd.Series(test, dtype=float)
    )
    assert reason == says if says is None else says in str(reason)
