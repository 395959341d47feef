"""The database as the source: migrations, loading bundles (upsert, all or nothing),
reading them back. Each test runs on SQLite and on PostgreSQL (``database``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, select

from features.build import build_features
from features.bundle.parse import STRING
from features.simulation import Simulation
from risk.store.db import DatabaseNotReadyError, head_revision, make_engine, require_current
from risk.store.load import load, read_bundle
from risk.store.tables import CONTRACT, bundle_loads, metadata

pytestmark = pytest.mark.integration


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in CONTRACT.items()
        }


def test_the_migrations_build_exactly_the_schema_the_code_describes(database: Engine) -> None:
    with database.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_a_database_without_migrations_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotReadyError, match="risk db upgrade"):
        require_current(make_engine(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert head_revision() == "0008"


def test_a_loaded_bundle_reads_back_with_the_same_features(
    database: Engine, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    report = load(database, bundle, "cli:test")
    assert report.added == {name: len(frame) for name, frame in bundle.frames()}
    assert _counts(database) == report.added
    again = read_bundle(database)
    for name, frame in bundle.frames():
        stored = again.frame(name)
        assert list(stored.dtypes.astype(str)) == list(frame[stored.columns].dtypes.astype(str))
    as_of = pd.DatetimeIndex(["2025-06-30", "2025-09-30", "2025-12-29"])
    pd.testing.assert_frame_equal(
        build_features(again, as_of).sort_index(), build_features(bundle, as_of).sort_index()
    )


def test_contacts_and_domains_are_stored_and_read_back(
    database: Engine, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    first, second = bundle.clients["client_id"].iloc[:2]
    contacts = pd.DataFrame(
        {
            "client_id": pd.Series([first, second], dtype=STRING),
            "email": pd.Series(["kim@gmail.com", "jo@consult.example"], dtype=STRING),
            "name": pd.Series(["Kim", None], dtype=STRING),
            "role": pd.Series(["CFO", None], dtype=STRING),
        }
    )
    report = load(database, replace(bundle, contacts=contacts), "cli:test")
    assert report.added["contacts"] == 2
    again = read_bundle(database)
    pd.testing.assert_frame_equal(
        again.contacts.sort_values("email", ignore_index=True),
        contacts.sort_values("email", ignore_index=True),
    )
    pd.testing.assert_series_equal(again.clients["domains"], bundle.clients["domains"])


def test_loading_a_newer_export_adds_and_changes_only_what_differs(
    database: Engine, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    load(database, bundle, "cli:test")
    invoices = bundle.invoices.copy()
    unpaid = invoices.index[invoices["paid_at"].isna()][0]
    invoices.loc[unpaid, "paid_at"] = invoices.loc[unpaid, "due_at"]
    messages = pd.concat([bundle.messages, bundle.messages.tail(1)], ignore_index=True)
    messages.loc[messages.index[-1], "message_id"] = "M-new"
    newer = replace(bundle, invoices=invoices, messages=messages)

    report = load(database, newer, "cli:test")

    assert report.changed["invoices"] == 1
    assert report.added["invoices"] == 0
    assert report.added["messages"] == 1
    assert report.changed["messages"] == 0
    assert sum(report.added.values()) + sum(report.changed.values()) == 2
    assert report.unchanged["time_entries"] == len(bundle.time_entries)
    stored = read_bundle(database).invoices.set_index("invoice_id")
    assert stored.at[invoices.at[unpaid, "invoice_id"], "paid_at"] == invoices.at[unpaid, "due_at"]
    with database.connect() as connection:
        assert connection.execute(select(func.count()).select_from(bundle_loads)).scalar() == 2


def test_a_load_that_fails_halfway_changes_nothing(
    database: Engine, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    load(database, bundle, "cli:test")
    before = _counts(database)
    # Clients and projects would go in first; then a message the database refuses.
    clients = pd.concat([bundle.clients, bundle.clients.tail(1)], ignore_index=True)
    clients.loc[clients.index[-1], "client_id"] = "C-new"
    messages = bundle.messages.copy()
    messages.loc[messages.index[0], "channel"] = None
    broken = replace(bundle, clients=clients, messages=messages)

    with pytest.raises(Exception, match="channel"):
        load(database, broken, "cli:test")

    assert _counts(database) == before
    with database.connect() as connection:
        assert connection.execute(select(func.count()).select_from(bundle_loads)).scalar() == 1


def test_a_column_an_export_or_request_lacks_does_not_erase_what_is_stored(
    database: Engine, small_simulation: Simulation
) -> None:
    from risk.store.ingest import ingest

    bundle = small_simulation.bundle
    load(database, bundle, "cli:test")
    disputed = bundle.invoices.dropna(subset=["disputed_at"]).iloc[0]
    # A later export without the optional disputed_at column: nothing to say about it.
    blank = bundle.invoices.assign(disputed_at=pd.NaT)
    absent = {**bundle.absent_columns, "invoices": frozenset({"disputed_at"})}
    report = load(database, replace(bundle, invoices=blank, absent_columns=absent), "cli:test")
    assert report.changed["invoices"] == 0
    # The API: the same invoice re-sent without it, and with a new amount.
    row = {
        "invoice_id": disputed["invoice_id"],
        "client_id": disputed["client_id"],
        "issued_at": f"{disputed['issued_at']:%Y-%m-%d}",
        "due_at": f"{disputed['due_at']:%Y-%m-%d}",
        "amount": float(disputed["amount"]) + 1,
    }
    assert ingest(database, "invoices", [row]).changed == 1
    stored = read_bundle(database).invoices.set_index("invoice_id").loc[disputed["invoice_id"]]
    assert stored["disputed_at"] == disputed["disputed_at"]
    assert stored["amount"] == float(disputed["amount"]) + 1


def test_a_key_address_too_long_for_the_event_log_is_refused(database: Engine) -> None:
    from risk.store.keys import KEY_EMAIL_MAX_LENGTH, create_key

    too_long = "a" * (KEY_EMAIL_MAX_LENGTH - len("@firm.example") + 1) + "@firm.example"
    with pytest.raises(ValueError, match=f"at most {KEY_EMAIL_MAX_LENGTH}"):
        create_key(database, "pm", too_long, "test")
    longest = too_long[1:]
    key_id, _ = create_key(database, "analyst", longest, "test")
    assert key_id
