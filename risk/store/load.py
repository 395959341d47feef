"""The database as the source: load an export bundle into it, read a bundle back.

``load`` imports every contract file in one transaction, an upsert by id:
loading a newer export again adds the new rows and changes the changed ones,
and reports how many of each. Rows the new export lacks are kept (an export may
be a window of the firm's history, not all of it). A bundle is validated before
the database is touched (``features.load_bundle``), so a bad one changes nothing.

``read_bundle`` turns the tables back into a ``features.Bundle`` through the
same parser as a file export, so features computed from the database equal
those computed from the files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
)

from features.bundle.contract import FILES
from features.bundle.load import Bundle
from features.bundle.parse import parse_frame
from features.bundle.validation import ProblemLog
from risk.store.arrivals import note_arrival
from risk.store.db import require_current
from risk.store.tables import CONTRACT, KEYS, bundle_loads, message_scores
from risk.store.versions import bump

#: Rows per statement: large enough to be quick, small enough for any driver.
BATCH = 5_000


@dataclass(frozen=True)
class LoadReport:
    """What one ``risk load`` did, per contract file."""

    load_id: int
    added: dict[str, int]
    changed: dict[str, int]
    unchanged: dict[str, int]


def load(engine: Engine, bundle: Bundle, loaded_by: str, source: str = "") -> LoadReport:
    """Upsert every contract file of ``bundle`` into the database, all or nothing."""
    require_current(engine)
    added: dict[str, int] = {}
    changed: dict[str, int] = {}
    unchanged: dict[str, int] = {}
    with engine.begin() as connection:
        for name, frame in bundle.frames():
            added[name], changed[name], unchanged[name] = upsert(
                connection, name, frame, bundle.absent_columns.get(name, frozenset())
            )
        inserted = connection.execute(
            insert(bundle_loads).values(
                loaded_at=datetime.now(UTC),
                loaded_by=loaded_by,
                source=source or str(bundle.path or ""),
                counts={"added": added, "changed": changed, "unchanged": unchanged},
                absent_columns={k: sorted(v) for k, v in bundle.absent_columns.items() if v},
            )
        ).inserted_primary_key
        assert inserted is not None  # an autoincrement key always comes back
        note_arrival(connection, "load", sum(added.values()) + sum(changed.values()))
        bump(connection)
    return LoadReport(load_id=int(inserted[0]), added=added, changed=changed, unchanged=unchanged)


def upsert(
    connection: Connection, name: str, frame: pd.DataFrame, absent: frozenset[str] = frozenset()
) -> tuple[int, int, int]:
    """Add the new rows of contract file ``name`` and update the changed ones, in the
    caller's transaction. Returns (added, changed, unchanged).

    Columns in ``absent`` (an export's header lacked them, a request left them out)
    are not compared or overwritten: a missing column says nothing, so it must not
    erase what is stored (a recorded dispute, a payment date)."""
    table = CONTRACT[name]
    key = KEYS[name]
    compared = [c.name for c in table.columns if c.name not in absent]
    incoming = {_key(row, key): row for row in _records(name, frame)}
    where = None
    if len(incoming) <= 1_000:
        # A small batch (the API's ingest): read back only the rows it may touch.
        where = table.c[key[0]].in_(sorted({k[0] for k in incoming}))
    stored = {
        _key(row, key): row
        for row in _records(name, read_table(connection, name, ProblemLog(), where))
    }
    new = [row for k, row in incoming.items() if k not in stored]
    edits = [
        row
        for k, row in incoming.items()
        if k in stored and any(stored[k][c] != row[c] for c in compared)
    ]
    insert_rows(connection, table, new)
    _update(connection, table, key, edits, [c for c in compared if c not in key])
    if name == "messages":
        # What the last run read in a changed message no longer holds: unscored until
        # the next run (risk.store.message_scores).
        forget_scores(connection, [row["message_id"] for row in edits])
    return len(new), len(edits), len(incoming) - len(new) - len(edits)


def forget_scores(connection: Connection, message_ids: list[str]) -> None:
    """Drop what the score run read in these messages."""
    for start in range(0, len(message_ids), BATCH):
        batch = message_ids[start : start + BATCH]
        connection.execute(delete(message_scores).where(message_scores.c.message_id.in_(batch)))


def read_bundle(engine: Engine) -> Bundle:
    """The database's contract tables as a ``Bundle``, typed like a file export."""
    require_current(engine)
    frames: dict[str, Any] = {}
    log = ProblemLog()
    with engine.connect() as connection:
        for name in FILES:
            frames[name] = read_table(connection, name, log)
        latest = connection.execute(
            select(bundle_loads.c.absent_columns).order_by(bundle_loads.c.load_id.desc()).limit(1)
        ).scalar()
    # The database was filled from validated bundles: a problem here is a bug, not input.
    log.raise_if_any()
    absent = {name: frozenset(columns) for name, columns in (latest or {}).items()}
    return Bundle(
        **frames,
        files={name: f"{name} table" if len(frame) else "" for name, frame in frames.items()},
        path=None,
        absent_columns=absent,
    )


def read_table(
    connection: Connection,
    name: str,
    log: ProblemLog | None = None,
    where: ColumnElement[bool] | None = None,
) -> pd.DataFrame:
    """One contract table (the rows matching ``where``), typed like a file export."""
    spec = FILES[name]
    table = CONTRACT[name]
    query = select(table).order_by(*(table.c[k] for k in KEYS[name]))
    if where is not None:
        query = query.where(where)
    # The driver's own values (SQLite: ISO text), parsed by the same vectorised
    # parser as a file; SQLAlchemy's per-value conversion and pandas' per-row
    # inspection of Row objects cost ten times more.
    rows = driver_rows(connection, query)
    names = [c.name for c in spec.columns]
    values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    raw = pd.DataFrame(
        {name: pd.Series(column, dtype=object) for name, column in zip(names, values, strict=True)}
    )
    return parse_frame(spec, raw, f"{name} table", log if log is not None else ProblemLog())


def driver_rows(connection: Connection, query: Select[Any]) -> list[Any]:
    """The rows of ``query`` as the driver gives them (SQLite: dates as ISO text), without
    SQLAlchemy's conversion of each value. Values travel as bound parameters, never as
    SQL text."""
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.params
    arguments: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if compiled.positional
        else params
    )
    return list(connection.exec_driver_sql(str(compiled), arguments).fetchall())


def has_data(engine: Engine) -> bool:
    with engine.connect() as connection:
        return (
            connection.execute(select(CONTRACT["clients"].c.client_id).limit(1)).first() is not None
        )


def _key(row: dict[str, Any], key: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(row[k] for k in key)


def _records(name: str, frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The contract columns of ``frame`` as plain Python values (None for missing),
    column by column (a loop per value costs ten times more on millions of rows)."""
    spec = FILES[name]
    columns: dict[str, list[Any]] = {}
    for column in spec.columns:
        values = frame[column.name]
        missing = values.isna().to_numpy()
        if column.kind == "date":
            plain = values.dt.date.to_numpy(dtype=object)
        elif column.kind == "timestamp":
            plain = np.asarray(values.dt.to_pydatetime(), dtype=object)
        elif column.kind == "bool":
            plain = values.astype(bool).to_numpy(dtype=object)
        elif column.kind in ("integer", "number"):
            plain = values.astype(object).to_numpy()
        else:
            plain = values.astype(object).to_numpy()
        plain = plain.copy()  # some conversions hand back read-only views
        plain[missing] = None
        columns[column.name] = plain.tolist()
    names = list(columns)
    for record in zip(*columns.values(), strict=True):
        yield dict(zip(names, record, strict=True))


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` in batches (one statement of millions of rows suits no driver)."""
    for start in range(0, len(rows), BATCH):
        connection.execute(insert(table), rows[start : start + BATCH])


def _update(
    connection: Connection,
    table: Table,
    key: tuple[str, ...],
    rows: list[dict[str, Any]],
    values: list[str],
) -> None:
    if not rows or not values:
        return
    statement = (
        table.update()
        .where(and_(*(table.c[k] == bindparam(f"key_{k}") for k in key)))
        .values({v: bindparam(f"new_{v}") for v in values})
    )
    params = [
        {**{f"key_{k}": row[k] for k in key}, **{f"new_{v}": row[v] for v in values}}
        for row in rows
    ]
    for start in range(0, len(params), BATCH):
        connection.execute(statement, params[start : start + BATCH])
