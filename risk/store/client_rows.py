"""One client's rows of the database as a ``Bundle``, for what is computed per request.

A draft invoice is checked with the one feature function on its client's rows only:
reading the whole firm per request would cost seconds. The part answers as the firm
would: what the firm holds (``Bundle.present``) and which optional columns its
exports lacked are the firm's, so a client without messages yet has none (zero)
rather than a missing source (unknown). What each message says is what the last
score run stored (``message_scores``); a message it has not read is read now.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, exists, literal, select

from features.bundle.contract import FILES
from features.bundle.load import Bundle
from features.bundle.parse import STRING
from features.text.message_scores import SCORER_VERSION, score_messages
from risk.store.load import driver_rows
from risk.store.tables import CONTRACT, KEYS, bundle_loads, message_scores


def client_bundle(connection: Connection, client_id: str) -> tuple[Bundle, pd.DataFrame]:
    """The rows of ``client_id`` in every contract table, and what each of its messages
    says (``score_messages``' columns, the bundle's message order)."""
    projects = CONTRACT["projects"]
    of_projects = select(projects.c.project_id).where(projects.c.client_id == client_id)
    tables: dict[str, Any] = {}
    for name in FILES:
        table = CONTRACT[name]
        mine = (
            table.c.client_id == client_id
            if "client_id" in table.c
            else table.c.project_id.in_(of_projects)
        )
        tables[name] = _read(connection, name, mine)
    holding = [exists(select(literal(1)).select_from(CONTRACT[name])) for name in FILES]
    found = connection.execute(select(*holding)).one()
    absent = connection.execute(
        select(bundle_loads.c.absent_columns).order_by(bundle_loads.c.load_id.desc()).limit(1)
    ).scalar()
    present = frozenset(name for name, held in zip(FILES, found, strict=True) if held)
    bundle = Bundle(
        **tables,
        files={name: f"{name} table" if name in present else "" for name in FILES},
        absent_columns={name: frozenset(columns) for name, columns in (absent or {}).items()},
        present=present,
    )
    return bundle, score_messages(bundle, known=_stored_scores(connection, client_id))


def _read(connection: Connection, name: str, where: ColumnElement[bool]) -> pd.DataFrame:
    """One contract table's rows matching ``where``, typed as ``read_table`` types them,
    without its checks: what the loader stored was checked on the way in, and the
    checks cost ten times the read for a client's few hundred rows."""
    table = CONTRACT[name]
    spec = FILES[name]
    query = select(table).where(where).order_by(*(table.c[k] for k in KEYS[name]))
    rows = driver_rows(connection, query)
    values = list(zip(*rows, strict=True)) if rows else [()] * len(spec.columns)
    return pd.DataFrame(
        {
            column.name: _typed(column.kind, list(cells))
            for column, cells in zip(spec.columns, values, strict=True)
        }
    )


def _typed(kind: str, cells: list[Any]) -> pd.Series:
    """Stored values as ``features.bundle.parse`` types a column of this kind."""
    if kind == "date":
        days = pd.to_datetime(pd.Series(cells, dtype=object), format="ISO8601")
        return days.dt.normalize().astype("datetime64[ns]")
    if kind == "timestamp":
        stamps = pd.to_datetime(pd.Series(cells, dtype=object), utc=True, format="ISO8601")
        return stamps.astype("datetime64[ns, UTC]")
    if kind == "number":
        return pd.Series(cells, dtype="float64")
    if kind == "integer":
        return pd.Series(cells, dtype="Int64")
    if kind == "bool":
        return pd.Series(cells, dtype=bool)
    return pd.Series(cells, dtype=STRING)


def _stored_scores(connection: Connection, client_id: str) -> pd.DataFrame:
    """What the score runs read in the client's messages, in the cache's columns."""
    messages = CONTRACT["messages"]
    rows = connection.execute(
        select(
            message_scores.c.message_id,
            message_scores.c.text_hash,
            message_scores.c.language,
            message_scores.c.polarity,
            message_scores.c.billing_question,
            message_scores.c.relationship_doubt,
        )
        .join(messages, messages.c.message_id == message_scores.c.message_id)
        .where(
            messages.c.client_id == client_id,
            message_scores.c.scorer_version == SCORER_VERSION,
        )
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    return pd.DataFrame(
        {
            "message_id": pd.Series(columns[0], dtype=STRING),
            # Stored as the int64 with the same bits (no database has unsigned columns).
            "text_hash": np.asarray(columns[1], dtype=np.int64).view(np.uint64),
            "language": pd.Series(columns[2], dtype=STRING),
            "polarity": pd.Series(columns[3], dtype="float64"),
            "billing_question": pd.Series(columns[4], dtype=object),
            "relationship_doubt": pd.Series(columns[5], dtype=object),
        }
    )
