"""The app database: an engine from the settings, and migrations by Alembic.

SQLite under the data directory by default; PostgreSQL (or any SQLAlchemy URL)
by ``RISK_DATABASE_URL``. The schema is only ever changed by the migrations in
``risk/store/migrations`` (``risk db upgrade``), never by ``create_all``, so SQLite
and PostgreSQL always have the same, versioned schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError

from risk.settings import LOCK_TIMEOUT_SECONDS

MIGRATIONS = Path(__file__).parent / "migrations"
#: What a person is told when a write could not get the lock in time.
BUSY = "the database is busy (another run or load holds it); try again"
# PostgreSQL's lock_not_available: lock_timeout ran out.
_PG_LOCK_NOT_AVAILABLE = "55P03"


class DatabaseNotReadyError(RuntimeError):
    """The database is missing migrations: ``risk db upgrade`` fixes it."""


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is a write that could not get the lock in time (SQLite's
    ``database is locked``, PostgreSQL's ``lock_timeout``): try again later, nothing
    was stored."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.OperationalError):
        return "locked" in str(orig)
    return getattr(orig, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE


@contextmanager
def reading(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection to read with: ``bind`` itself when it is one (a page that reads
    several things shares one connection, one checkout and one reset), else a new one
    from the engine, closed afterwards."""
    if isinstance(bind, Connection):
        yield bind
    else:
        with bind.connect() as connection:
            yield connection


def for_reads(engine: Engine) -> Engine:
    """``engine`` for connections that only read: on PostgreSQL they autocommit.

    Under READ COMMITTED a transaction gives reads no steadier view (each statement sees
    what was committed when it began, in a transaction or not), while it costs a BEGIN
    and a ROLLBACK, and the ROLLBACK drops the driver's prepared statements, which
    spare a repeated query its planning (a client's page: 13.9 -> 11.6 ms of reads,
    side by side in one run). SQLite's read transaction is a steady snapshot at no
    cost: kept."""
    if engine.dialect.name != "postgresql":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def serialise(connection: Connection, name: str) -> None:
    """Hold PostgreSQL's transaction-scoped advisory lock ``name`` until the
    transaction ends (SQLite needs none: its one writer already serialises). The lock
    is keyed by the schema too, so firms kept in schemas of one database never wait
    for each other."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:name), hashtext(current_schema()))"),
            {"name": name},
        )


def make_engine(
    url: str,
    schema: str | None = None,
    lock_timeout: float = LOCK_TIMEOUT_SECONDS,
    pool_size: int | None = None,
) -> Engine:
    """An engine for ``url``; SQLite gets its folder, foreign keys and a busy timeout.
    ``schema`` (PostgreSQL) puts every table in that schema, by the search path. A write
    waits at most ``lock_timeout`` seconds for another writer (``is_busy`` then).
    ``pool_size`` connections are kept open (SQLAlchemy's default of 5 otherwise), and
    as many again open under load. Errors never carry the statement's values: they
    would put client text in logs."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, object] = {}
    address = make_url(url)
    if url.startswith("sqlite"):
        connect_args["timeout"] = lock_timeout
    elif url.startswith("postgresql"):
        # Server options the URL carries (``?options=-csearch_path%3Dfirm``) are kept.
        given = address.query.get("options")
        options = [given] if isinstance(given, str) else list(given or ())
        options.append(f"-c lock_timeout={max(int(lock_timeout * 1000), 1)}")
        if schema is not None:
            options.append(f"-c search_path={schema}")
        connect_args["options"] = " ".join(options)
        address = address.difference_update_query(["options"])
    pool: dict[str, Any] = (
        {} if pool_size is None else {"pool_size": pool_size, "max_overflow": pool_size}
    )
    engine = create_engine(address, connect_args=connect_args, hide_parameters=True, **pool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection: object, _: object) -> None:
            cursor = connection.cursor()  # type: ignore[attr-defined]
            # SQLite ignores foreign keys unless asked, and WAL lets the API read
            # while a score run writes.
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    return engine


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (``risk db upgrade``)."""
    command.upgrade(_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(
        _config(make_engine("sqlite:///:memory:"))
    ).get_current_head()
    assert head is not None  # the package ships its migrations
    return head


def require_current(engine: Engine) -> None:
    """Fail with what to do when the schema is behind the code."""
    current = current_revision(engine)
    if current != head_revision():
        found = "no tables" if current is None else f"revision {current}"
        raise DatabaseNotReadyError(
            f"the database at {engine.url.render_as_string(hide_password=True)} has {found}; "
            f"run `risk db upgrade` to apply the migrations (head {head_revision()})"
        )
