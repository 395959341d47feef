"""The app database: an engine from the settings, and migrations by Alembic.

SQLite under the data directory by default; PostgreSQL (or any SQLAlchemy URL)
by ``RISK_DATABASE_URL``. The schema is only ever changed by the migrations in
``risk/migrations`` (``risk db upgrade``), never by ``create_all``, so SQLite
and PostgreSQL always have the same, versioned schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseNotReadyError(RuntimeError):
    """The database is missing migrations: ``risk db upgrade`` fixes it."""


def make_engine(url: str, schema: str | None = None) -> Engine:
    """An engine for ``url``; SQLite gets its folder, foreign keys and a busy timeout.
    ``schema`` (PostgreSQL) puts every table in that schema, by the search path."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, object] = {}
    if url.startswith("sqlite"):
        connect_args["timeout"] = 30
    elif schema is not None:
        connect_args["options"] = f"-csearch_path={schema}"
    engine = create_engine(url, connect_args=connect_args)
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
