"""What a person or a program reads from billing-risk, pinned byte for byte on a fixed firm.

The firm is the small simulation (150 clients, 12 months, seed 11), scored at two
dates by fixed models (a logistic formula with set weights, not a fit, so the
figures do not move with scikit-learn's releases). From it, the golden files in
``tests/golden/files`` hold: the OpenAPI document; the API's JSON for every read
route and caller, its errors and a flag action; the PMs' pages; every reason
sentence and next step the run wrote, in English and German, and the sentence
of every feature at set values; the alerts (payload, email, webhook and Slack
bodies); and the command line's output.

A refactoring must leave them as they are. A change meant to alter what people
read updates them on purpose: ``GOLDEN_UPDATE=1 pytest tests/golden`` rewrites
them, and the diff shows the change for review. Random ids (flags, alerts, CSRF
tokens) and temporary paths are replaced by stable placeholders first.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from features.risks import NAMES
from features.simulation import Simulation, write_bundle
from risk.alerts.messages import email_message, subject, text_body, webhook_body
from risk.explain import GROUPS, next_step, reason_text
from risk.scoring.run import FEATURE_COLUMNS, Model, score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import create_key
from risk.store.load import load
from risk.store.tables import alerts
from service.app import create_app
from service.cli import app as cli
from service.web.pages import SNOOZE_DAYS

pytestmark = pytest.mark.integration

FILES = Path(__file__).parent / "files"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
EARLIER, AS_OF = date(2025, 11, 23), date(2025, 11, 30)
THRESHOLDS = {
    "dispute_elevated": 0.15,
    "dispute_high": 0.35,
    "churn_elevated": 0.15,
    "churn_high": 0.35,
}
# Fixed models: log-odds = intercept + sum(weight x value), an unknown value adding 0.
WEIGHTS: dict[str, tuple[float, dict[str, float]]] = {
    "dispute": (
        -3.2,
        {
            "billed_minus_progress_max": 4.0,
            "billing_questions_90d": 0.6,
            "sentiment_mean_90d": -2.5,
            "overdue_invoices": 0.5,
            "disputes_180d": 0.8,
        },
    ),
    "churn": (
        -3.4,
        {
            "silence_ratio": 0.35,
            "relationship_doubts_90d": 0.9,
            "sentiment_trend": -2.0,
            "work_hours_ratio_90d": -0.8,
            "new_contact_30d": 0.7,
        },
    ),
}


def fixed_model(risk: str) -> Model:
    intercept, weights = WEIGHTS[risk]

    def predict(frame: pd.DataFrame) -> np.ndarray:
        logit = np.full(len(frame), intercept)
        for feature, weight in weights.items():
            logit += weight * np.nan_to_num(frame[feature].to_numpy(dtype="float64"))
        return np.asarray(1 / (1 + np.exp(-logit)))

    return Model(risk=risk, version="1", predict=predict)


@dataclass(frozen=True)
class Firm:
    settings: Settings
    bundle_path: Path
    keys: dict[str, str]


@pytest.fixture(scope="module")
def firm(small_simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> Firm:
    folder = tmp_path_factory.mktemp("golden")
    bundle_path = write_bundle(small_simulation.bundle, folder / "bundle")
    settings = Settings(home=folder / "home", public_url="https://risk.example.com", **THRESHOLDS)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    load(engine, small_simulation.bundle, "cli:golden")
    models = {risk: fixed_model(risk) for risk in NAMES}
    for day in (EARLIER, AS_OF):
        score(engine, settings, "cli:golden", as_of=day, models=models, notes={})
    clients = small_simulation.bundle.clients
    projects = small_simulation.bundle.projects
    keys = {
        "pm": create_key(engine, "pm", str(projects["pm"].mode()[0]), "golden")[1],
        "lead": create_key(engine, "lead", str(clients["account_lead"].mode()[0]), "golden")[1],
        "admin": create_key(engine, "admin", "admin@firm.example", "golden")[1],
    }
    engine.dispose()
    return Firm(settings=settings, bundle_path=bundle_path, keys=keys)


# --- comparing ---------------------------------------------------------------------------

_IDS = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")
_CSRF = re.compile(r'(name="csrf_token" value=")[^"]+(")')


class Placeholders:
    """Random ids replaced by ``<id-N>`` in the order they first appear."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        def name(match: re.Match[str]) -> str:
            return self.names.setdefault(match.group(0), f"<id-{len(self.names) + 1}>")

        return _CSRF.sub(r"\1<csrf>\2", _IDS.sub(name, text))


def check(name: str, value: Any, placeholders: Placeholders, *paths: Path) -> None:
    """Compare ``value`` (JSON-able, or text) with the golden file ``name``."""
    text = value if isinstance(value, str) else json.dumps(value, indent=1, ensure_ascii=False)
    for path in paths:
        text = text.replace(str(path), f"<{path.name}>")
    text = placeholders(text)
    if not text.endswith("\n"):
        text += "\n"
    golden = FILES / name
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"{golden} is missing: run GOLDEN_UPDATE=1 pytest tests/golden")
        golden.write_text(text, encoding="utf-8")
        return
    assert text == golden.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is meant, "
        "GOLDEN_UPDATE=1 pytest tests/golden rewrites it"
    )


@pytest.fixture(scope="module")
def api(firm: Firm) -> Iterator[TestClient]:
    with TestClient(create_app(firm.settings), follow_redirects=False) as client:
        yield client


def _as(firm: Firm, who: str) -> dict[str, str]:
    return {"X-API-Key": firm.keys[who]}


def _flagged(api: TestClient, firm: Firm) -> list[dict[str, Any]]:
    answer = api.get("/flags", headers=_as(firm, "pm"), params={"per_page": 200})
    items: list[dict[str, Any]] = answer.json()["items"]
    assert items, "the fixed models flag none of the PM's clients"
    return items


# --- the API ----------------------------------------------------------------------------


def test_the_openapi_document(api: TestClient) -> None:
    check("openapi.json", api.get("/openapi.json").json(), Placeholders())


def test_the_apis_answers(api: TestClient, firm: Firm) -> None:
    ids = Placeholders()
    flagged = _flagged(api, firm)
    client_id = flagged[0]["client_id"]
    answers: dict[str, Any] = {}
    for who in ("pm", "lead", "admin"):
        for params in ({}, {"risk": "dispute"}, {"level": "high"}, {"trend": "new"}):
            found = api.get("/flags", headers=_as(firm, who), params={**params, "per_page": 200})
            answers[f"GET /flags {who} {params}"] = (found.status_code, found.json())
    for path in (
        f"/clients/{client_id}",
        f"/clients/{client_id}/timeline",
        f"/clients/{client_id}/timeline?limit=3",
    ):
        found = api.get(path, headers=_as(firm, "pm"))
        answers[f"GET {path}"] = (found.status_code, found.json())
    invoices = api.get(f"/clients/{client_id}/timeline", headers=_as(firm, "pm")).json()
    invoice_id = invoices["invoices"][-1]["invoice_id"]
    for language_client in (client_id,):
        found = api.get(f"/invoices/{invoice_id}/explanation", headers=_as(firm, "pm"))
        answers[f"GET /invoices/<{language_client}'s latest>/explanation"] = (
            found.status_code,
            found.json(),
        )
    for method, path, who, body in (
        ("GET", "/flags", None, None),
        ("GET", "/flags?level=low", "pm", None),
        ("GET", "/clients/C-NO-SUCH", "pm", None),
        ("POST", "/score", "pm", None),
        ("POST", "/ingest", "admin", {"file": "messages", "rows": [{"message_id": "M-1"}]}),
        ("GET", "/health", None, None),
    ):
        found = api.request(method, path, headers=_as(firm, who) if who else {}, json=body)
        answers[f"{method} {path} as {who}"] = (found.status_code, _timeless(found.json()))
    check("api.json", answers, ids)


#: Fields of ``/health`` that tell the time of this run, not what it says.
_TIMES = {"finished_at", "seconds", "oldest_pending_seconds", "last_heartbeat", "next_run"}


def _timeless(value: Any) -> Any:
    """``value`` with the clock's readings replaced by ``<time>`` (None stays None)."""
    if isinstance(value, dict):
        return {
            k: ("<time>" if k in _TIMES and v is not None else _timeless(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def test_a_flag_action_answers(api: TestClient, firm: Firm) -> None:
    ids = Placeholders()
    flag = _flagged(api, firm)[-1]
    answers = {}
    for action, body in (
        ("feedback", {"verdict": "valid", "note": "golden"}),
        ("snooze", {"until": "2099-01-31", "reason": "golden"}),
        ("ack", None),
    ):
        found = api.post(f"/flags/{flag['flag_id']}/{action}", headers=_as(firm, "pm"), json=body)
        answers[action] = (found.status_code, found.json())
    check("api_actions.json", answers, ids)


# --- the web page --------------------------------------------------------------------------


def test_the_pms_pages(api: TestClient, firm: Firm) -> None:
    ids = Placeholders()
    web = TestClient(api.app, base_url="https://testserver", follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
    assert token is not None
    signed = web.post("/login", data={"api_key": firm.keys["pm"], "csrf_token": token.group(1)})
    assert signed.status_code == 303
    flags_page = web.get("/app/flags")
    client_id = re.search(r'href="/app/clients/([^"#?]+)', flags_page.text)
    assert client_id is not None
    pages = {
        "flags_en.html": flags_page.text,
        "flags_de.html": web.get("/app/flags?lang=de").text,
        "client_de.html": web.get(f"/app/clients/{client_id.group(1)}").text,
        "client_en.html": web.get(f"/app/clients/{client_id.group(1)}?lang=en").text,
        "login_en.html": TestClient(api.app).get("/login").text,
    }
    # The snooze form offers tomorrow to two weeks on: the day the test runs, not a
    # golden one (checked here, then named).
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    default = tomorrow + timedelta(days=SNOOZE_DAYS - 1)
    days = f'min="{tomorrow.isoformat()}" value="{default.isoformat()}"'
    assert days in pages["client_de.html"]
    for name, html in pages.items():
        named = html.replace(days, 'min="<tomorrow>" value="<tomorrow + 13 days>"')
        check(f"page_{name}", named, ids)


# --- words ---------------------------------------------------------------------------------


def test_every_reason_sentence_and_next_step(firm: Firm) -> None:
    engine = make_engine(firm.settings.database_url)
    from risk.store.tables import flags

    with engine.connect() as connection:
        rows = connection.execute(
            select(flags.c.client_id, flags.c.risk, flags.c.reasons, flags.c.next_step)
            .where(flags.c.status == "open")
            .order_by(flags.c.client_id, flags.c.risk)
        ).all()
    engine.dispose()
    written = [
        {
            "client_id": row.client_id,
            "risk": row.risk,
            "reasons": [r["text"] for r in row.reasons],
            "next_step": row.next_step,
        }
        for row in rows
    ]
    values: list[dict[str, float | None]] = [
        dict.fromkeys(FEATURE_COLUMNS, None),
        {name: 1.0 for name in FEATURE_COLUMNS},
        {name: 0.0 for name in FEATURE_COLUMNS},
        {
            name: (37.5 if "days" in name else 0.62 if "share" in name else 3.0)
            for name in FEATURE_COLUMNS
        },
        {name: -0.4 for name in FEATURE_COLUMNS},
    ]
    table = {
        language: {
            feature: [reason_text(feature, row, language) for row in values]
            for group in GROUPS.values()
            for feature in group
        }
        for language in ("en", "de")
    }
    steps = {
        language: {feature: next_step([feature], language) for feature in FEATURE_COLUMNS}
        for language in ("en", "de")
    }
    check(
        "reasons.json",
        {"written": written, "by_feature": table, "next_steps": steps},
        Placeholders(),
    )


def test_the_alerts(firm: Firm) -> None:
    ids = Placeholders()
    engine = make_engine(firm.settings.database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(alerts.c.alert_id, alerts.c.recipient, alerts.c.payload)
            .where(alerts.c.state == "pending")
            .order_by(alerts.c.client_id, alerts.c.risk)
        ).all()
    engine.dispose()
    assert rows
    rendered = []
    for row in rows[:12]:
        message = email_message(row.alert_id, row.recipient, row.payload, firm.settings.smtp_from)
        for header in ("Date", "Message-ID"):
            del message[header]
        rendered.append(
            {
                "payload": row.payload,
                "subject": subject(row.payload),
                "text": text_body(row.alert_id, row.payload),
                "email": message.as_string(),
                "webhook": json.loads(webhook_body(row.payload, "json")),
                "slack": json.loads(webhook_body(row.payload, "slack")),
            }
        )
    check("alerts.json", rendered, ids)


# --- the command line ------------------------------------------------------------------------


def test_the_command_lines_output(firm: Firm, tmp_path: Path) -> None:
    ids = Placeholders()
    runner = CliRunner()
    env = {"RISK_HOME": str(firm.settings.home), "RISK_PUBLIC_URL": firm.settings.public_url}
    env.update({f"RISK_{k.upper()}": str(v) for k, v in THRESHOLDS.items()})
    broken = tmp_path / "broken"
    broken.mkdir()
    for source in firm.bundle_path.iterdir():
        text = source.read_text(encoding="utf-8")
        if source.name == "invoices.csv":
            lines = text.splitlines(keepends=True)
            lines[3] = lines[3].replace(",", ",,", 1)
            text = "".join(lines)
        (broken / source.name).write_text(text, encoding="utf-8")
    outputs = {}
    for name, args in (
        ("validate", ["validate", str(firm.bundle_path)]),
        ("validate broken", ["validate", str(broken)]),
        ("load again", ["load", str(firm.bundle_path)]),
        ("flags", ["flags"]),
        ("flags json", ["flags", "--format", "json"]),
        ("flags dispute high", ["flags", "--risk", "dispute", "--level", "high"]),
        ("flags bad risk", ["flags", "--risk", "fraud"]),
        ("alerts status", ["alerts", "status"]),
        ("alerts deliver", ["alerts", "deliver"]),
        ("alerts status after", ["alerts", "status"]),
        ("simulate", ["simulate", str(tmp_path / "sim"), "--clients", "12", "--months", "3"]),
    ):
        result = runner.invoke(cli, args, env=env)
        output = re.sub(r"in \d+\.\ds", "in <seconds>", result.output)
        outputs[name] = {"exit": result.exit_code, "output": output}
    logged = (firm.settings.home / "alerts.log").read_text(encoding="utf-8").splitlines()
    # Each line as it was written, but for the moment it was written.
    outputs["alerts.log"] = [
        {k: v for k, v in json.loads(line).items() if k != "logged_at"} for line in logged
    ]
    check("cli.json", outputs, ids, firm.bundle_path, broken, tmp_path, firm.settings.home)
