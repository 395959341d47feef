"""The ``risk`` command line: simulate, validate, config and its settings precedence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

pytestmark = pytest.mark.integration

runner = CliRunner()


def test_help_lists_every_command_with_one_line() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("simulate", "validate", "config"):
        assert command in result.output


def test_simulate_then_validate(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    made = runner.invoke(
        app, ["simulate", str(out), "--clients", "20", "--months", "3", "--seed", "2"]
    )
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in out.iterdir()) == [
        "churn.csv",
        "clients.csv",
        "contacts.csv",
        "invoices.csv",
        "messages.csv",
        "progress.csv",
        "projects.csv",
        "time_entries.csv",
    ]
    checked = runner.invoke(app, ["validate", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "valid export bundle" in checked.output
    assert "clients   20" in checked.output


def test_simulate_parquet(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    made = runner.invoke(
        app, ["simulate", str(out), "--clients", "5", "--months", "2", "--format", "parquet"]
    )
    assert made.exit_code == 0, made.output
    assert (out / "messages.parquet").exists()
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_simulate_refuses_bad_options(tmp_path: Path) -> None:
    bad_date = runner.invoke(app, ["simulate", str(tmp_path), "--start", "01.02.2025"])
    assert bad_date.exit_code == 2
    assert "--start" in bad_date.output
    bad_format = runner.invoke(app, ["simulate", str(tmp_path), "--format", "xlsx"])
    assert bad_format.exit_code == 2
    assert "--format" in bad_format.output


def test_validate_lists_problems_and_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    runner.invoke(app, ["simulate", str(out), "--clients", "5", "--months", "2"])
    invoices = out / "invoices.csv"
    lines = invoices.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[3], "2025-02-30")
    invoices.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "messages.csv").unlink()
    result = runner.invoke(app, ["validate", str(out)])
    assert result.exit_code == 1
    assert "invoices.csv row 4, column issued_at: '2025-02-30' is not a date" in result.output
    assert "messages.csv: file missing" in result.output


def test_validate_sample_bundle(sample_bundle_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(sample_bundle_path)])
    assert result.exit_code == 0, result.output
    assert "progress.parquet" in result.output


def test_settings_precedence_option_env_dotenv_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("RISK_HOME", "RISK_DATABASE_URL", "MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(name, raising=False)

    def home(*args: str) -> str:
        result = runner.invoke(app, [*args, "config"])
        assert result.exit_code == 0, result.output
        return next(line for line in result.output.splitlines() if line.startswith("home = "))

    assert home() == f"home = {tmp_path / '.risk'}"
    (tmp_path / ".env").write_text("RISK_HOME=from-dotenv\nMLFLOW_TRACKING_URI=http://m:5000\n")
    assert home() == f"home = {tmp_path / 'from-dotenv'}"
    monkeypatch.setenv("RISK_HOME", str(tmp_path / "from-env"))
    assert home() == f"home = {tmp_path / 'from-env'}"
    assert home("--home", str(tmp_path / "from-option")) == f"home = {tmp_path / 'from-option'}"
    result = runner.invoke(app, ["config"])
    assert "mlflow_tracking_uri = http://m:5000" in result.output
    assert f"database_url = sqlite:///{tmp_path / 'from-env' / 'risk.store.db'}" in result.output


def test_features_command_writes_features_and_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["simulate", "bundle", "--clients", "15", "--months", "6"])
    result = runner.invoke(
        app,
        [
            "--home",
            "home",
            "features",
            "bundle",
            "--out",
            "f.csv",
            "--as-of",
            "2025-03-03",
            "--as-of",
            "2025-04-07",
            "--labels",
        ],
    )
    assert result.exit_code == 0, result.output
    import pandas as pd

    frame = pd.read_csv(tmp_path / "f.csv")
    assert {"client_id", "as_of", "billed_share_max", "dispute_30d", "churn_90d"} <= set(
        frame.columns
    )
    assert set(frame["as_of"]) == {"2025-03-03", "2025-04-07"}
    assert list((tmp_path / "home" / "cache").iterdir())  # message scores kept for next time
    bad = runner.invoke(app, ["features", "bundle", "--out", "f.xlsx"])
    assert bad.exit_code == 2
    assert "--out" in bad.output


def test_features_for_a_weekly_series(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner.invoke(app, ["simulate", "bundle", "--clients", "10", "--months", "4"])
    result = runner.invoke(
        app,
        [
            "--home",
            "home",
            "features",
            "bundle",
            "--out",
            "f.parquet",
            "--from",
            "2025-02-03",
            "--until",
            "2025-03-03",
        ],
    )
    assert result.exit_code == 0, result.output
    import pandas as pd

    dates = pd.read_parquet(tmp_path / "f.parquet").index.get_level_values("as_of").unique()
    assert [f"{d:%Y-%m-%d}" for d in dates] == [
        "2025-02-03",
        "2025-02-10",
        "2025-02-17",
        "2025-02-24",
        "2025-03-03",
    ]


def test_the_command_line_speaks_the_users_language(tmp_path: Path) -> None:
    # LC_CTYPE as Python sets it where the system lacks the user's locale (PEP 538):
    # character handling, not the language, so it must not make a German user English.
    german = {"LANG": "de_DE.UTF-8", "LC_CTYPE": "C.UTF-8"}
    out = tmp_path / "bundle"
    made = runner.invoke(app, ["simulate", str(out), "--clients", "5", "--months", "2"], env=german)
    assert made.exit_code == 0, made.output
    assert "simuliere 5 Kunden über 2 Monate (Seed 0) ..." in made.stderr
    assert re.search(r"geschrieben in \d+,\d s: clients 5", made.stderr), made.stderr
    checked = runner.invoke(app, ["validate", str(out)], env=german)
    assert f"{out}: gültiges Export-Bündel" in checked.output
    home = ["--home", str(tmp_path / "home")]
    created = runner.invoke(
        app, [*home, "keys", "create", "--role", "pm", "--email", "pm@example.com"], env=german
    )
    assert created.exit_code == 0, created.output
    assert "(pm, pm@example.com); jetzt aufbewahren:" in created.stderr
    unknown = runner.invoke(app, [*home, "keys", "revoke", "k-none"], env=german)
    assert unknown.exit_code == 1
    assert "Fehler: kein aktiver Schlüssel 'k-none'" in unknown.output
    # A language we do not have (and the C locale) reads English.
    for other in ({"LANG": "fr_FR.UTF-8"}, {"LANG": "C"}):
        again = runner.invoke(app, [*home, "keys", "revoke", "k-none"], env=other)
        assert "error: no active key 'k-none'" in again.output
