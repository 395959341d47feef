"""The version of what the read routes show: one counter, moved by every write that
changes it (a load, an ingest, a score run, an action on a flag), at the end of that
write's transaction so its row lock is held for an instant.

A server process caches its answers under the version (``service.reads``), and an
answer stays valid until a commit moves it, in any process. Reading the counter is
one primary-key lookup, but on every request even that costs more than the cached
answer itself, so ``VersionWatch`` reads it only when something may have moved it:
on SQLite when ``PRAGMA data_version`` says another connection committed, on
PostgreSQL when a notification of a bump arrives. A new kind of write that changes
what a read shows (an erasure) must ``bump`` too.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from typing import Any

from sqlalchemy import Connection, Engine, insert, update

from risk.store.tables import data_versions

log = logging.getLogger("billing_risk.store")

READS = "reads"
#: PostgreSQL's channel for bumps; the payload is the schema, so firms kept in
#: schemas of one database do not clear each other's answers.
CHANNEL = "billing_risk_reads"


def bump(connection: Connection) -> None:
    """Move the version, in the caller's transaction."""
    moved = connection.execute(
        update(data_versions)
        .where(data_versions.c.name == READS)
        .values(version=data_versions.c.version + 1)
    )
    if moved.rowcount == 0:  # a database whose row was deleted by hand
        connection.execute(insert(data_versions).values(name=READS, version=1))
    if connection.dialect.name == "postgresql":
        # Sent at commit, to every server process's watch; never if this rolls back.
        connection.exec_driver_sql(f"SELECT pg_notify('{CHANNEL}', current_schema())")


#: Plain SQL: it runs on every read, and SQLAlchemy's statement building would cost
#: more than the lookup.
_CURRENT = f"SELECT version FROM data_versions WHERE name = '{READS}'"


def current(connection: Connection) -> int:
    """The version now (0 when never moved)."""
    found = connection.exec_driver_sql(_CURRENT).scalar()
    return int(found or 0)


class VersionWatch:
    """The version, read again only when a commit may have moved it.

    ``known()`` answers without a query when nothing moved it; None means "ask":
    ``read()`` (blocking, for a worker thread). On SQLite it is always known: a
    connection of the watch's own asks ``PRAGMA data_version``, which changes when any
    other connection commits (a few microseconds, in shared memory under WAL), and
    only then reads the counter. On PostgreSQL a thread LISTENs on ``CHANNEL``; until
    it listens, after a notification and after ``written()``, the version is unknown.
    Any other database (SQLite in memory) is always asked.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._version: int | None = None
        # Commits this process heard of (notifications, its own writes) and how many
        # it had heard of when ``_version`` was read: equal, the version is current.
        self._moves = 0
        self._read_at = -1
        self._sqlite: sqlite3.Connection | None = None
        self._stamp: int | None = None
        self._listener: threading.Thread | None = None
        self._listening = False
        #: The listening connection's backend (PostgreSQL), to find it among sessions.
        self.listener_pid: int | None = None
        self._stop = threading.Event()
        database = engine.url.database
        self._file = (
            database
            if engine.dialect.name == "sqlite" and database and database != ":memory:"
            else None
        )

    def known(self) -> int | None:
        """The version if it needs no query to know (None: call ``read``)."""
        if self._file is not None:
            return self._sqlite_version()
        if self.engine.dialect.name == "postgresql":
            if self._listener is None:
                self._listen()
            with self._lock:
                if self._listening and self._read_at == self._moves:
                    return self._version
        return None

    def read(self) -> int:
        """The version, from the database (blocking)."""
        with self._lock:
            # Counted before the query: a notification during it leaves this read
            # untrusted, so the next request reads again.
            heard = self._moves
        with self.engine.connect() as connection:
            version = current(connection)
        with self._lock:
            self._version, self._read_at = version, heard
        return version

    def written(self) -> None:
        """This process committed a write: the next ``known`` cannot trust a
        notification to have arrived yet."""
        with self._lock:
            self._moves += 1

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self._sqlite is not None:
                self._sqlite.close()
                self._sqlite = None
        if self._listener is not None:
            self._listener.join(timeout=5)

    def _sqlite_version(self) -> int:
        with self._lock:
            if self._sqlite is None:
                self._sqlite = sqlite3.connect(self._file or "", check_same_thread=False)
            # The stamp is taken before the counter: a commit between the two shows
            # as a new stamp next time, so the version is read again, never missed.
            stamp = self._sqlite.execute("PRAGMA data_version").fetchone()[0]
            if stamp != self._stamp or self._version is None or self._read_at != self._moves:
                found = self._sqlite.execute(_CURRENT).fetchone()
                self._version = int(found[0]) if found and found[0] else 0
                self._stamp, self._read_at = stamp, self._moves
            return self._version

    def _listen(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            self._listener = threading.Thread(
                target=self._listening_loop, name="version-watch", daemon=True
            )
        self._listener.start()

    def _listening_loop(self) -> None:
        pause = 0.5
        while not self._stop.is_set():
            connection: Any = None
            try:
                # Our own connection, out of the pool's count: it listens for good.
                pooled = self.engine.raw_connection()
                connection = pooled.driver_connection
                pooled.detach()
                connection.rollback()
                connection.autocommit = True
                schema = connection.execute("SELECT current_schema()").fetchone()[0]
                connection.execute(f"LISTEN {CHANNEL}")
                self.listener_pid = connection.info.backend_pid
                with self._lock:
                    # What was read before listening may be old: read it again.
                    self._listening = True
                    self._moves += 1
                pause = 0.5
                while not self._stop.is_set():
                    for note in connection.notifies(timeout=1.0):
                        if note.payload == schema:
                            with self._lock:
                                self._moves += 1
            except Exception as exc:
                log.warning(
                    "watching the data's version failed (%s); reading it per request",
                    type(exc).__name__,
                )
            finally:
                with self._lock:
                    self._listening = False
                if connection is not None:
                    connection.close()  # psycopg's close never raises, even when broken
            self._stop.wait(pause)
            pause = min(pause * 2, 30.0)
