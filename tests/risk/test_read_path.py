"""The read path: what a score run read in each message is kept for the timeline, a
message changed since shows unscored until the next run, and the weekly spend series
is what its definition says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from features.risks import RISKS
from features.simulation import simulate
from features.text.message_scores import score_texts
from risk.clients import spend_by_week, timeline
from risk.invoices import BASIS_LINKED, BASIS_PERIOD, explain_invoice
from risk.scoring.flags import acknowledge, give_feedback, list_flags, snooze
from risk.scoring.run import Model, score
from risk.settings import Settings
from risk.store import versions
from risk.store.db import for_reads
from risk.store.ingest import ingest
from risk.store.keys import Principal
from risk.store.load import load, read_bundle
from risk.store.tables import message_scores

ADMIN = Principal(key_id="k", role="admin", email="admin@firm.example")


def _quiet(frame: pd.DataFrame) -> np.ndarray:
    """A model that flags nobody: what is under test is what the run reads, not its scores."""
    return np.full(len(frame), 0.01)


MODELS = {risk.name: Model(risk=risk.name, version="1", predict=_quiet) for risk in RISKS}


@pytest.mark.integration
def test_a_run_keeps_what_it_read_and_a_changed_message_waits_for_the_next(
    database: Engine, tmp_path: Path
) -> None:
    bundle = simulate(12, 6, seed=4).bundle
    settings = Settings(home=tmp_path)
    load(database, bundle, "test")
    score(database, settings, "test", models=MODELS, notes={})
    with database.connect() as connection:
        stored = pd.DataFrame(connection.execute(select(message_scores)).mappings().all())
    assert len(stored) == len(bundle.messages)
    # What is kept is what reading each message afresh gives, in its client's language.
    messages = bundle.messages.set_index("message_id").loc[stored["message_id"]]
    language = bundle.clients.set_index("client_id")["language"]
    given = messages["client_id"].map(language).where(lambda v: v.isin(["en", "de"]))
    fresh = score_texts(messages.reset_index(), given.reset_index(drop=True))
    inbound = (messages["direction"] == "inbound").to_numpy()
    np.testing.assert_allclose(
        stored["polarity"].astype(float), fresh["polarity"].astype(float), equal_nan=True
    )
    assert (stored["billing_question"].to_numpy() == (fresh["billing_question"] & inbound)).all()
    assert (
        stored["relationship_doubt"].to_numpy() == (fresh["relationship_doubt"] & inbound)
    ).all()

    # An edited message shows unscored, saying so, until the next run reads it.
    message = bundle.messages[bundle.messages["direction"] == "inbound"].iloc[-1]
    row = {
        "message_id": message["message_id"],
        "client_id": message["client_id"],
        "sent_at": message["sent_at"].isoformat(),
        "channel": message["channel"],
        "direction": "inbound",
        "text": "Our budget was cut; we have to put the project on hold.",
    }
    ingest(database, "messages", [row])
    shown = _shown(database, message["client_id"], message["message_id"])
    assert shown["scored"] is False
    assert shown["polarity"] is None
    assert shown["relationship_doubt"] is None
    assert shown["text"] == row["text"]
    score(database, settings, "test", models=MODELS, notes={})
    shown = _shown(database, message["client_id"], message["message_id"])
    assert shown["scored"] is True
    assert shown["relationship_doubt"] is True
    with database.connect() as connection:
        count = connection.execute(select(func.count()).select_from(message_scores)).scalar()
    assert count == len(read_bundle(database).messages)


def _shown(engine: Engine, client_id: str, message_id: str) -> dict[str, object]:
    page = timeline(engine, ADMIN, client_id, limit=5_000)
    assert page is not None
    return next(m for m in page["messages"] if m["message_id"] == message_id)


def _row(**values: object) -> SimpleNamespace:
    return SimpleNamespace(**values)


@pytest.mark.unit
def test_spend_by_week_bills_delivers_and_budgets_by_sunday() -> None:
    projects = [
        _row(project_id="P1", start_date=date(2025, 1, 6), budget=10_000.0),  # a Monday
        _row(project_id="P2", start_date=date(2025, 1, 20), budget=5_000.0),
    ]
    progress = [
        _row(project_id="P1", reported_at=date(2025, 1, 12), percent_complete=10.0),
        _row(project_id="P1", reported_at=date(2025, 1, 22), percent_complete=30.0),
        _row(project_id="P2", reported_at=date(2025, 1, 26), percent_complete=50.0),
    ]
    invoices = [
        _row(issued_at=date(2025, 1, 19), amount=2_000.0),  # a Sunday: counts that week
        _row(issued_at=date(2025, 1, 31), amount=1_500.5),
    ]
    weeks = spend_by_week(projects, progress, invoices)
    assert [w["week"] for w in weeks] == [
        date(2025, 1, 12),
        date(2025, 1, 19),
        date(2025, 1, 26),
        date(2025, 2, 2),
    ]
    assert [w["billed"] for w in weeks] == [0.0, 2_000.0, 2_000.0, 3_500.5]
    assert [w["delivered"] for w in weeks] == [1_000.0, 1_000.0, 5_500.0, 5_500.0]
    assert [w["budget"] for w in weeks] == [10_000.0, 10_000.0, 15_000.0, 15_000.0]
    window = spend_by_week(projects, progress, invoices, date(2025, 1, 13), date(2025, 1, 26))
    assert window == weeks[1:3]
    assert spend_by_week([], progress, invoices) == []


def _alarmed(frame: pd.DataFrame) -> np.ndarray:
    """A model that flags everybody, so there are flags to act on."""
    return np.full(len(frame), 0.9)


@pytest.mark.integration
def test_every_write_that_reads_show_moves_the_version(database: Engine, tmp_path: Path) -> None:
    bundle = simulate(8, 4, seed=6).bundle

    def version() -> int:
        with database.connect() as connection:
            return versions.current(connection)

    start = version()
    load(database, bundle, "test")
    assert version() == start + 1
    alarmed = {risk.name: Model(risk=risk.name, version="1", predict=_alarmed) for risk in RISKS}
    score(database, Settings(home=tmp_path), "test", models=alarmed, notes={})
    assert version() == start + 2
    flag = list_flags(database, include_snoozed=True)[0]
    acknowledge(database, flag.flag_id, "pm@firm.example")
    snooze(database, flag.flag_id, date.today() + timedelta(days=3), "on leave", "pm@firm.example")
    give_feedback(database, flag.flag_id, "valid", "pm@firm.example")
    assert version() == start + 5
    message = bundle.messages.iloc[0]
    row = {
        "message_id": "M-NEW",
        "client_id": message["client_id"],
        "sent_at": message["sent_at"].isoformat(),
        "channel": message["channel"],
        "direction": "inbound",
        "text": "Thanks.",
    }
    ingest(database, "messages", [row])
    assert version() == start + 6


@pytest.mark.integration
def test_an_invoice_is_explained_from_its_linked_work_else_its_projects_period(
    database: Engine,
) -> None:
    """Worked by hand: linked entries win; without links, the project's billable entries
    in the invoice's period; billed to date counts the project's invoices up to the
    invoice's day; an invoice without a project has no project figures; another PM's
    invoice is not there."""
    client = {"name": None, "account_lead": "lead@firm.example", "client_since": "2024-01-01"}
    ingest(database, "clients", [
        {"client_id": "C1", "language": "de", **client},
        {"client_id": "C2", **client},
    ])  # fmt: skip
    project = {"name": None, "billing_model": "fixed_fee", "budget": 10_000,
               "start_date": "2025-01-01", "end_date": "2025-12-31"}  # fmt: skip
    ingest(database, "projects", [
        {"project_id": "P1", "client_id": "C1", "pm": "pm@firm.example", **project},
        {"project_id": "P2", "client_id": "C2", "pm": "other@firm.example", **project},
    ])  # fmt: skip
    invoice = {"client_id": "C1", "due_at": "2025-05-30"}
    ingest(database, "invoices", [
        {"invoice_id": "I1", "project_id": "P1", "issued_at": "2025-03-01", "amount": 1000,
         **invoice},
        {"invoice_id": "I2", "project_id": "P1", "issued_at": "2025-04-01", "amount": 2500.5,
         "period_start": "2025-03-01", "period_end": "2025-03-31", **invoice},
        {"invoice_id": "I3", "project_id": "P1", "issued_at": "2025-05-01", "amount": 700,
         **invoice},
        {"invoice_id": "I4", "issued_at": "2025-04-01", "amount": 90, **invoice},
        {"invoice_id": "I5", "client_id": "C2", "project_id": "P2", "issued_at": "2025-04-01",
         "due_at": "2025-04-30", "amount": 5},
    ])  # fmt: skip
    entry = {"project_id": "P1", "billable": True}
    ingest(database, "time_entries", [
        # Linked to I1, listed out of date order on purpose.
        {"entry_id": "E2", "worked_on": "2025-02-20", "hours": 3, "amount": 300,
         "person": "ann", "role": "dev", "invoice_id": "I1", **entry},
        {"entry_id": "E1", "worked_on": "2025-02-18", "hours": 5, "amount": 500,
         "person": "ann", "role": "lead", "invoice_id": "I1", **entry},
        {"entry_id": "E3", "worked_on": "2025-02-25", "hours": 2, "amount": 200,
         "role": "qa", "invoice_id": "I1", **entry},
        # Unlinked: in I2's period (two), outside it, and not billable.
        {"entry_id": "E4", "worked_on": "2025-03-03", "hours": 4, "amount": 400, **entry},
        {"entry_id": "E5", "worked_on": "2025-03-31", "hours": 1.5, "amount": 150,
         "person": "bo", **entry},
        {"entry_id": "E6", "worked_on": "2025-04-02", "hours": 8, "amount": 800, **entry},
        {"entry_id": "E7", "worked_on": "2025-03-10", "hours": 9, "amount": 0,
         "project_id": "P1", "billable": False},
    ])  # fmt: skip
    ingest(database, "progress", [
        {"project_id": "P1", "reported_at": "2025-03-20", "percent_complete": 30},
        {"project_id": "P1", "reported_at": "2025-02-28", "percent_complete": 10},
        {"project_id": "P1", "reported_at": "2025-04-02", "percent_complete": 45},
    ])  # fmt: skip
    pm = Principal(key_id="k", role="pm", email="pm@firm.example")

    first = explain_invoice(database, pm, "I1")
    assert first is not None
    assert (first["basis"], first["hours"], first["language"]) == (BASIS_LINKED, 10, "de")
    assert (first["period_start"], first["period_end"]) == (date(2025, 2, 18), date(2025, 3, 1))
    assert first["work"] == [
        {"week": date(2025, 2, 17), "person": "ann", "role": "lead", "hours": 8, "amount": 800},
        {"week": date(2025, 2, 24), "person": "qa", "role": "qa", "hours": 2, "amount": 200},
    ]
    assert first["progress"] == [{"reported_at": date(2025, 2, 28), "percent_complete": 10}]
    assert first["project"] == {
        "budget": 10_000,
        "billed_to_date": 1000,
        "delivered_percent": 10,
        "delivered_value": 1000,
    }

    second = explain_invoice(database, pm, "I2")
    assert second is not None
    assert (second["basis"], second["hours"]) == (BASIS_PERIOD, 5.5)
    assert [(w["person"], w["hours"]) for w in second["work"]] == [("team", 4), ("bo", 1.5)]
    assert second["progress"] == [{"reported_at": date(2025, 3, 20), "percent_complete": 30}]
    assert second["project"]["billed_to_date"] == 3500.5
    assert second["project"]["delivered_percent"] == 30

    loose = explain_invoice(database, pm, "I4")
    assert loose is not None
    assert (loose["basis"], loose["work"], loose["progress"]) == (BASIS_LINKED, [], [])
    assert loose["project"] == dict.fromkeys(
        ("budget", "billed_to_date", "delivered_percent", "delivered_value")
    )
    assert explain_invoice(database, pm, "I5") is None
    assert explain_invoice(database, pm, "missing") is None
    assert explain_invoice(database, ADMIN, "I5") is not None


@pytest.mark.integration
def test_a_timeline_page_keeps_every_message_of_the_instant_it_starts_at(
    database: Engine,
) -> None:
    client = {"client_id": "C1", "name": None, "account_lead": "lead@firm.example",
              "client_since": "2024-01-01"}  # fmt: skip
    ingest(database, "clients", [client])
    at = {"M1": "2025-03-01T09:00:00Z", "M6": "2025-03-03T09:00:00Z"}
    at |= dict.fromkeys(("M2", "M3", "M4", "M5"), "2025-03-02T09:00:00Z")
    ingest(database, "messages", [
        {"message_id": m, "client_id": "C1", "sent_at": sent, "channel": "email",
         "direction": "inbound", "text": "Fine."}
        for m, sent in at.items()
    ])  # fmt: skip

    def page(limit: int, before: datetime | None = None) -> tuple[list[str], datetime | None]:
        found = timeline(database, ADMIN, "C1", before=before, limit=limit)
        assert found is not None
        return [m["message_id"] for m in found["messages"]], found["next_before"]

    tied = datetime(2025, 3, 2, 9, tzinfo=UTC)
    assert page(3) == (["M2", "M3", "M4", "M5", "M6"], tied)  # four at one instant: all stay
    assert page(1) == (["M6"], datetime(2025, 3, 3, 9, tzinfo=UTC))
    assert page(5) == (["M2", "M3", "M4", "M5", "M6"], tied)
    assert page(6) == (["M1", "M2", "M3", "M4", "M5", "M6"], None)
    assert page(3, before=tied) == (["M1"], None)


@pytest.mark.integration
def test_read_connections_keep_prepared_statements_on_postgresql(database: Engine) -> None:
    """On PostgreSQL the read routes' connections autocommit: no BEGIN and no ROLLBACK per
    request, and the driver's prepared statements, which a ROLLBACK would drop, serve the
    next request. SQLite's engine is used as it is."""
    reader = for_reads(database)
    if database.dialect.name == "sqlite":
        assert reader is database
        return
    bundle = simulate(6, 4, seed=2).bundle
    load(database, bundle, "test")
    client = str(bundle.clients["client_id"].iloc[0])
    for _ in range(20):  # past the driver's threshold on each pooled connection
        with reader.connect() as connection:
            assert timeline(connection, ADMIN, client) is not None
    with reader.connect() as connection:
        prepared = connection.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements")
        assert prepared.scalar_one() >= 5  # the timeline's statements
        # Autocommit: a statement leaves no transaction open behind it.
        assert connection.connection.dbapi_connection.info.transaction_status == 0  # type: ignore[union-attr]
