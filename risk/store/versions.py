"""The version of what the read routes show: one counter, moved by every write that
changes it (a load, an ingest, a score run, an action on a flag), at the end of that
write's transaction so its row lock is held for an instant.

A server process caches its answers under the version (``service.reads``): reading
the counter is one primary-key lookup, and an answer stays valid until a commit moves
it, in any process. A new kind of write that changes what a read shows (an erasure)
must ``bump`` too.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, update

from risk.store.tables import data_versions

READS = "reads"


def bump(connection: Connection) -> None:
    """Move the version, in the caller's transaction."""
    moved = connection.execute(
        update(data_versions)
        .where(data_versions.c.name == READS)
        .values(version=data_versions.c.version + 1)
    )
    if moved.rowcount == 0:  # a database whose row was deleted by hand
        connection.execute(insert(data_versions).values(name=READS, version=1))


#: Plain SQL: it runs on every read, and SQLAlchemy's statement building would cost
#: more than the lookup.
_CURRENT = f"SELECT version FROM data_versions WHERE name = '{READS}'"


def current(connection: Connection) -> int:
    """The version now (0 when never moved)."""
    found = connection.exec_driver_sql(_CURRENT).scalar()
    return int(found or 0)
