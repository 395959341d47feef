"""Checking a draft invoice: the same row as an issued invoice of that day, how the
risk moves with what the draft does, and every way a draft can be refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from features.bundle.contract import FILES
from features.bundle.load import Bundle
from features.invoice_features import invoice_features
from features.risks import RISKS
from features.simulation import Simulation, simulate
from models.invoice_model import INVOICE_COLUMNS, fit_invoice_model, invoice_set
from risk.clients import timeline
from risk.invoice_check import (
    DRAFT_ID,
    Draft,
    DraftError,
    InvoiceModel,
    check_invoice,
    read_drafts,
)
from risk.scoring.at_issue import WINDOW_DAYS
from risk.scoring.run import Model, score
from risk.settings import Settings
from risk.store import client_rows
from risk.store.client_rows import client_bundle
from risk.store.db import make_engine, upgrade
from risk.store.keys import Principal
from risk.store.load import load, read_bundle, read_table
from risk.store.tables import CONTRACT, invoice_checks, invoice_scores

pytestmark = pytest.mark.model

ADMIN = Principal(key_id="k", role="admin", email="admin@firm.example")


@pytest.fixture(scope="module")
def firm() -> Simulation:
    return simulate(clients=300, months=18, seed=29)


@pytest.fixture(scope="module")
def model(firm: Simulation) -> InvoiceModel:
    """The invoice model fitted on every labelled invoice of the firm, as ``risk train``
    fits it, with the median invoice as the reasons' reference."""
    rows = invoice_set(firm.bundle)
    known = rows.labels.iloc[:, 0].notna().to_numpy()
    fitted = fit_invoice_model(rows.rows(known))
    columns = list(INVOICE_COLUMNS)

    def predict(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(fitted.predict_proba(frame[columns]))

    return InvoiceModel("1", predict, rows.features[columns].median())


def loaded(bundle: Bundle, home: Path) -> Engine:
    engine = make_engine(f"sqlite:///{home / 'risk.store.db'}")
    upgrade(engine)
    load(engine, bundle, "test")
    return engine


@pytest.fixture(scope="module")
def engine(firm: Simulation, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return loaded(firm.bundle, tmp_path_factory.mktemp("check"))


def settings(home: Path) -> Settings:
    return Settings(home=home)


def running_projects(bundle: Bundle, day: pd.Timestamp) -> list[tuple[str, str]]:
    """(client, project) pairs whose project runs on ``day`` with progress reported by
    then (20-60% done) and an invoice before."""
    projects = bundle.projects
    progress = bundle.progress[bundle.progress["reported_at"] <= day]
    reported = progress.groupby("project_id")["percent_complete"].last()
    invoiced = set(bundle.invoices.loc[bundle.invoices["issued_at"] < day, "project_id"])
    found = []
    for row in projects.sort_values("project_id").itertuples():
        started = row.start_date <= day and (pd.isna(row.end_date) or row.end_date > day)
        known = row.project_id in reported.index and row.project_id in invoiced
        if started and known and 20 <= reported[row.project_id] <= 60:
            found.append((str(row.client_id), str(row.project_id)))
    assert found, "no running project to draft an invoice for"
    return found


def billed_share(bundle: Bundle, project: str, day: pd.Timestamp) -> tuple[float, float, float]:
    """The project's budget, its share billed before ``day`` and its latest progress share."""
    budget = float(bundle.projects.set_index("project_id").loc[project, "budget"])
    invoices = bundle.invoices
    billed = invoices.loc[
        (invoices["project_id"] == project) & (invoices["issued_at"] < day), "amount"
    ].sum()
    progress = bundle.progress[
        (bundle.progress["project_id"] == project) & (bundle.progress["reported_at"] < day)
    ]
    return budget, float(billed) / budget, float(progress["percent_complete"].iloc[-1]) / 100


def test_a_draft_is_the_row_an_issued_invoice_of_that_day_would_be(
    firm: Simulation, engine: Engine
) -> None:
    """The client's rows alone give the features the whole firm gives: issued invoices
    checked again as drafts of their own day."""
    bundle = read_bundle(engine)
    issued = bundle.invoices.sort_values("invoice_id").iloc[::97].head(8)
    drafts = issued.assign(invoice_id=[f"{DRAFT_ID}{n}" for n in range(len(issued))])
    want = invoice_features(bundle, drafts)
    for n, invoice in enumerate(drafts.itertuples()):
        with engine.connect() as connection:
            part, said = client_bundle(connection, str(invoice.client_id))
        got = invoice_features(part, drafts.iloc[[n]], message_scores=said)
        pd.testing.assert_frame_equal(got, want.iloc[[n]], check_exact=False, rtol=1e-9)


def test_billing_thirty_points_ahead_of_delivery_raises_the_risk(
    firm: Simulation, engine: Engine, model: InvoiceModel, tmp_path: Path
) -> None:
    """For each of 15 running projects, the same client and day: a draft that bills the
    project up to its reported progress against one that bills 30 points past it. The
    risk rises for every one, and by 1.2x or more at the median. Why 1.2x: in the
    firm's generator 30 points of billing ahead add 0.96 to a dispute's log-odds (2.6x
    the odds) at the client's level, which one invoice moves only in part; a model
    fitted on 300 clients recovers about half of it (1.03-1.9x, median 1.3x, on this
    firm when written), and a fifth more risk is what a PM notices on the page."""
    day = pd.Timestamp(firm.bundle.invoices["issued_at"].max()) - pd.Timedelta(days=120)

    def risk(client: str, project: str, amount: float) -> float:
        draft = Draft(client, amount, issued_at=day.date(), project_id=project, line_items=3)
        found = check_invoice(engine, ADMIN, draft, model, settings(tmp_path), "test")
        assert found is not None
        return float(found["probability"])

    ratios = []
    for client, project in running_projects(firm.bundle, day)[:15]:
        budget, billed, delivered = billed_share(firm.bundle, project, day)
        in_line = max(delivered - billed, 0.01) * budget
        ratios.append(
            risk(client, project, in_line + 0.30 * budget) / risk(client, project, in_line)
        )
    assert len(ratios) >= 10
    assert min(ratios) > 1.0, sorted(ratios)
    assert float(np.median(ratios)) >= 1.2, sorted(ratios)


def test_two_unanswered_billing_questions_raise_the_risk(
    firm: Simulation, model: InvoiceModel, tmp_path: Path
) -> None:
    """The same draft, with and without two billing questions from the client in the
    week before, neither answered. Why 1.5x: in the generator two recent questions and
    an unanswered one add 1.9 to a dispute's log-odds (6.7x the odds); the model
    fitted on 300 clients gave 1.85x when this was written."""
    day = pd.Timestamp(firm.bundle.invoices["issued_at"].max()) - pd.Timedelta(days=120)
    client, project = running_projects(firm.bundle, day)[0]
    asked = pd.DataFrame(
        {
            "message_id": ["q1", "q2"],
            "client_id": [client, client],
            "project_id": [project, project],
            "sent_at": [
                (day - pd.Timedelta(days=6)).tz_localize("UTC"),
                (day - pd.Timedelta(days=3)).tz_localize("UTC"),
            ],
            "channel": ["email", "email"],
            "direction": ["inbound", "inbound"],
            "text": [
                "Could you explain what the last invoice covers? We don't understand the hours.",
                "We still have not heard back about the invoice: what exactly are we paying for?",
            ],
            "author": ["client@example.com", "client@example.com"],
            "score": [None, None],
        }
    )
    messages = firm.bundle.messages
    later = (messages["client_id"] == client) & (messages["sent_at"] >= asked["sent_at"].min())
    quiet = replace(firm.bundle, messages=messages[~later])  # nobody wrote since: unanswered
    asking = replace(
        quiet, messages=pd.concat([quiet.messages, asked.astype(quiet.messages.dtypes)])
    )
    risks = []
    for name, bundle in (("quiet", quiet), ("asking", asking)):
        home = tmp_path / name
        home.mkdir()
        draft = Draft(client, 5_000.0, issued_at=day.date(), project_id=project)
        found = check_invoice(loaded(bundle, home), ADMIN, draft, model, settings(home), "test")
        assert found is not None
        risks.append(float(found["probability"]))
    assert risks[1] >= 1.5 * risks[0], risks


def test_renaming_a_client_changes_nothing(
    firm: Simulation, model: InvoiceModel, tmp_path: Path
) -> None:
    bundle = firm.bundle
    client = str(bundle.invoices["client_id"].iloc[0])
    renamed = replace(
        bundle,
        clients=bundle.clients.assign(
            name=bundle.clients["name"].where(bundle.clients["client_id"] != client, "Zebra AG")
        ),
    )
    found = []
    for name, version in (("before", bundle), ("after", renamed)):
        home = tmp_path / name
        home.mkdir()
        draft = Draft(client, 12_000.0, issued_at=date(2025, 6, 2), line_items=4)
        result = check_invoice(loaded(version, home), ADMIN, draft, model, settings(home), "t")
        assert result is not None
        found.append({k: result[k] for k in ("probability", "level", "reasons", "actions")})
    assert found[0] == found[1]


def test_a_check_is_stored_with_what_it_said_and_its_defaults(
    firm: Simulation, engine: Engine, model: InvoiceModel, tmp_path: Path
) -> None:
    invoices = firm.bundle.invoices
    client = str(invoices["client_id"].iloc[0])
    terms = (invoices["due_at"] - invoices["issued_at"]).dt.days[invoices["client_id"] == client]
    before = _count(engine)
    found = check_invoice(
        engine,
        ADMIN,
        Draft(client, 3_000.0),
        model,
        settings(tmp_path),
        "k1",
        today=date(2025, 7, 1),
    )
    assert found is not None
    assert found["draft"]["issued_at"] == "2025-07-01"
    usual = date(2025, 7, 1) + timedelta(days=int(terms.median()))
    assert found["draft"]["due_at"] == usual.isoformat()
    assert found["as_of"] == date(2025, 6, 30)
    assert 0 < found["probability"] < 1
    assert found["reasons"], "a check says why"
    assert all(r["action"] for r in found["reasons"] if r["direction"] == "raises")
    assert _count(engine) == before + 1
    with engine.connect() as connection:
        stored = connection.execute(
            select(invoice_checks).where(invoice_checks.c.check_id == found["check_id"])
        ).one()
    assert stored.checked_by == "k1"
    assert stored.probability == pytest.approx(found["probability"])
    assert stored.reasons == found["reasons"]


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (Draft("C?", 0.0), "amount"),
        (Draft("C?", float("nan")), "amount"),
        (Draft("C?", 10.0, project_id="P-nope"), "project_id"),
        (Draft("C?", 10.0, issued_at=date(2025, 5, 2), due_at=date(2025, 5, 1)), "due_at"),
        (Draft("C?", 10.0, line_items=0), "line_items"),
        (
            Draft("C?", 10.0, period_start=date(2025, 5, 2), period_end=date(2025, 5, 1)),
            "period_end",
        ),
    ],
)
def test_a_draft_that_cannot_be_checked_names_its_field_and_stores_nothing(
    firm: Simulation,
    engine: Engine,
    model: InvoiceModel,
    tmp_path: Path,
    draft: Draft,
    field: str,
) -> None:
    client = str(firm.bundle.invoices["client_id"].iloc[0])
    before = _count(engine)
    with pytest.raises(DraftError) as raised:
        check_invoice(
            engine, ADMIN, replace(draft, client_id=client), model, settings(tmp_path), "t"
        )
    assert raised.value.field == field
    assert _count(engine) == before


def test_a_client_the_caller_may_not_see_is_not_checked(
    engine: Engine, model: InvoiceModel, tmp_path: Path
) -> None:
    stranger = Principal(key_id="k", role="pm", email="nobody@firm.example")
    found = check_invoice(engine, stranger, Draft("C-00001", 10.0), model, settings(tmp_path), "t")
    assert found is None
    assert check_invoice(engine, ADMIN, Draft("nope", 10.0), model, settings(tmp_path), "t") is None


def test_a_drafts_file_names_the_row_and_column_it_cannot_read(tmp_path: Path) -> None:
    good = tmp_path / "drafts.csv"
    good.write_text("client_id,amount,issued_at,line_items\nC-1,1200.5,2025-05-02,3\nC-2,80,,\n")
    drafts = read_drafts(good)
    assert drafts == [
        Draft("C-1", 1200.5, issued_at=date(2025, 5, 2), line_items=3),
        Draft("C-2", 80.0),
    ]
    for text, said in (
        ("client_id,amount\nC-1,lots\n", "row 2, column amount: 'lots' is not a number"),
        ("client_id,amount,due_at\nC-1,1,\nC-2,2,2025-13-01\n", "row 3, column due_at"),
        ("client_id,amount\n,5\n", "row 2, column client_id: empty"),
        ("client_id,price\nC-1,5\n", "unknown column(s) price"),
        ("client_id,amount\n", "no drafts"),
    ):
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(ValueError, match=said.replace("(", r"\(").replace(")", r"\)")):
            read_drafts(bad)


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(invoice_checks)).scalar_one()
        )


def test_a_score_run_stores_each_recent_invoices_score_at_issue_once(
    firm: Simulation, model: InvoiceModel, tmp_path: Path
) -> None:
    """The invoices issued in the window up to the run's date get what the invoice model
    said the day before each was issued; a later run adds none twice; the timeline
    shows the score beside the invoice, a disputed one too."""
    engine = loaded(firm.bundle, tmp_path)
    quiet = {
        risk.name: Model(risk.name, "1", lambda frame: np.full(len(frame), 0.01)) for risk in RISKS
    }
    bundle = read_bundle(engine)
    as_of = pd.Timestamp(bundle.invoices["issued_at"].max()) - pd.Timedelta(days=30)
    run = score(engine, settings(tmp_path), "test", as_of.date(), quiet, {}, invoice_model=model)
    issued = bundle.invoices["issued_at"]
    window = bundle.invoices[
        (issued <= as_of) & (issued > as_of - pd.Timedelta(days=WINDOW_DAYS))
    ].sort_values("invoice_id")
    with engine.connect() as connection:
        stored = pd.DataFrame(
            connection.execute(select(invoice_scores).order_by(invoice_scores.c.invoice_id))
            .mappings()
            .all()
        )
    assert run.invoices == len(window) > 0
    assert stored["invoice_id"].tolist() == window["invoice_id"].tolist()
    want = model.predict(invoice_features(bundle, window))
    np.testing.assert_allclose(stored["probability"].to_numpy(), want, rtol=1e-9)
    assert (stored["as_of"] == stored["issued_at"] - timedelta(days=1)).all()
    assert set(stored["model_version"]) == {"billing-risk-invoice/1"}

    later = score(engine, settings(tmp_path), "test", (as_of + pd.Timedelta(days=7)).date(),
                  quiet, {}, invoice_model=model)  # fmt: skip
    added = bundle.invoices[(issued > as_of) & (issued <= as_of + pd.Timedelta(days=7))]
    assert later.invoices == len(added)

    disputed = window[window["disputed_at"].notna()].iloc[0]
    page = timeline(engine, ADMIN, str(disputed["client_id"]), limit=5000)
    assert page is not None
    shown = {i["invoice_id"]: i for i in page["invoices"]}
    mine = stored.set_index("invoice_id")["probability"]
    assert shown[disputed["invoice_id"]]["dispute_risk_at_issue"] == pytest.approx(
        mine[disputed["invoice_id"]]
    )
    assert shown[disputed["invoice_id"]]["disputed_at"] is not None


def test_a_clients_rows_are_typed_as_the_loader_types_them(database: Engine) -> None:
    """The per-request read skips the bundle checks; it must give the very frames the
    checked read gives, on both databases."""
    bundle = simulate(clients=8, months=6, seed=3).bundle
    load(database, bundle, "test")
    projects = CONTRACT["projects"]
    for client in bundle.clients["client_id"].head(4):
        mine = select(projects.c.project_id).where(projects.c.client_id == client)
        with database.connect() as connection:
            for name in FILES:
                table = CONTRACT[name]
                where = (
                    table.c.client_id == client
                    if "client_id" in table.c
                    else table.c.project_id.in_(mine)
                )
                pd.testing.assert_frame_equal(
                    client_rows._read(connection, name, where),
                    read_table(connection, name, where=where),
                    check_exact=True,
                )
