"""New data arriving (``risk load``, ``POST /ingest``), noted in the same transaction as
its rows, so the worker can score once the arrivals settle. Rows that changed nothing
are no news and are not noted."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert

from risk.store.tables import data_arrivals


def note_arrival(connection: Connection, source: str, rows: int) -> None:
    """Note ``rows`` new or changed rows from ``source`` (``load`` or ``ingest``)."""
    if rows > 0:
        connection.execute(
            insert(data_arrivals).values(at=datetime.now(UTC), source=source, rows=rows)
        )
