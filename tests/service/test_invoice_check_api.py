"""``POST /invoices/check`` and ``risk invoices check``: the invoice model's champion
from ``risk train``, each caller's clients only, every refusal naming its field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from risk.settings import Settings
from risk.store.db import make_engine
from risk.store.tables import flags, invoice_checks
from service.app import create_app
from service.cli import app as cli
from tests.service.api_firm import ScoredFirm
from tests.service.test_api import key, problem

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as client:
        yield client


def rows(settings: Settings, table: Any) -> int:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def a_project(firm: ScoredFirm, caller: str) -> tuple[str, str]:
    """A client the caller may see and one of its projects."""
    projects = firm.bundle.projects
    mine = projects[projects["client_id"].isin(firm.visible(caller))].sort_values("project_id")
    row = mine.iloc[0]
    return str(row["client_id"]), str(row["project_id"])


def test_a_pm_checks_a_draft_of_their_client_and_it_is_stored_without_touching_flags(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    client, project = a_project(api_firm, "pm")
    before = rows(api_settings, invoice_checks), rows(api_settings, flags)
    body = {"client_id": client, "project_id": project, "amount": 8_400, "line_items": 3}
    answer = api.post("/invoices/check", json=body, headers=key(api_firm, "pm"))
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["client_id"] == client
    assert 0 < found["probability"] < 1
    assert found["level"] in (None, "elevated", "high")
    assert found["model_version"].startswith("billing-risk-invoice/")
    assert found["draft"]["project_id"] == project
    assert found["draft"]["due_at"] >= found["draft"]["issued_at"]
    assert found["reasons"]
    for reason in found["reasons"]:
        assert reason["text"]
        assert reason["direction"] in ("raises", "lowers")
        assert (reason["contribution"] > 0) == (reason["direction"] == "raises")
    assert rows(api_settings, invoice_checks) == before[0] + 1
    assert rows(api_settings, flags) == before[1]  # a check changes no flag


def test_a_check_is_only_for_the_callers_clients(api: TestClient, api_firm: ScoredFirm) -> None:
    client, _ = a_project(api_firm, "other_pm")
    if client in api_firm.visible("pm"):
        pytest.skip("the two PMs share this client")
    answer = api.post(
        "/invoices/check", json={"client_id": client, "amount": 10}, headers=key(api_firm, "pm")
    )
    problem(answer, 404, ["body", "client_id"])
    for name in ("lead", "analyst", "admin"):
        mine, _ = a_project(api_firm, name)
        answer = api.post(
            "/invoices/check", json={"client_id": mine, "amount": 10}, headers=key(api_firm, name)
        )
        assert answer.status_code == 200, (name, answer.text)
    assert api.post("/invoices/check", json={"client_id": client, "amount": 10}).status_code == 401


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"amount": 0}, ["body", "amount"]),
        ({"amount": "lots"}, ["body", "amount"]),
        ({"amount": 1e15}, ["body", "amount"]),
        ({"issued_at": "0001-01-01"}, ["body", "issued_at"]),
        ({"due_at": "9999-12-31"}, ["body", "due_at"]),
        ({"issued_at": "2025-02-30"}, ["body", "issued_at"]),
        ({"line_items": 0}, ["body", "line_items"]),
        ({"colour": "red"}, ["body", "colour"]),
        ({"project_id": "P-not-theirs"}, ["body", "project_id"]),
        ({"issued_at": "2025-05-02", "due_at": "2025-05-01"}, ["body", "due_at"]),
        ({"period_start": "2025-05-02", "period_end": "2025-05-01"}, ["body", "period_end"]),
    ],
)
def test_a_draft_that_cannot_be_checked_is_a_422_naming_its_field(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    change: dict[str, Any],
    loc: list[str],
) -> None:
    client, _ = a_project(api_firm, "pm")
    before = rows(api_settings, invoice_checks)
    body = {"client_id": client, "amount": 100.0} | change
    problem(api.post("/invoices/check", json=body, headers=key(api_firm, "pm")), 422, loc)
    assert rows(api_settings, invoice_checks) == before


def test_risk_invoices_check_reads_a_drafts_file_and_names_a_bad_row(
    api_firm: ScoredFirm, api_settings: Settings, tmp_path: Path
) -> None:
    client, project = a_project(api_firm, "admin")
    drafts = tmp_path / "drafts.csv"
    drafts.write_text(
        f"client_id,project_id,amount,line_items\n{client},{project},4200,2\n{client},,900,\n"
    )
    out = tmp_path / "checks.csv"
    env = {
        "RISK_HOME": str(api_settings.home),
        "MLFLOW_TRACKING_URI": api_settings.mlflow_tracking_uri,
    }
    runner = CliRunner()
    done = runner.invoke(cli, ["invoices", "check", str(drafts), "--out", str(out)], env=env)
    assert done.exit_code == 0, done.output
    written = out.read_text().splitlines()
    assert written[0] == (
        "check_id,client_id,project_id,amount,issued_at,dispute_risk,level,reasons,actions"
    )
    assert len(written) == 3
    assert client in done.output

    drafts.write_text(f"client_id,amount\n{client},100\nC-unknown,100\n")
    refused = runner.invoke(cli, ["invoices", "check", str(drafts)], env=env)
    assert refused.exit_code == 1
    assert "row 3, column client_id" in refused.output


def test_a_timeline_page_ending_outside_the_calendar_is_a_422(
    api: TestClient, api_firm: ScoredFirm
) -> None:
    """A page reaches a year back from ``before``: year 1 has no year before it (found
    by the fuzzer as a 500)."""
    client, _ = a_project(api_firm, "admin")
    for before in ("0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"):
        answer = api.get(
            f"/clients/{client}/timeline", params={"before": before}, headers=key(api_firm, "admin")
        )
        problem(answer, 422, ["query", "before"])
    fine = api.get(
        f"/clients/{client}/timeline",
        params={"before": "2025-06-01T00:00:00Z"},
        headers=key(api_firm, "admin"),
    )
    assert fine.status_code == 200
