"""The workers' heartbeats: written by a thread of their own, read by ``/health``.

On PostgreSQL a heartbeat is a row of the ``workers`` table: the score run's
transaction locks only the rows it writes, so a beat is never kept waiting. On
SQLite one writer holds the whole database for a score run's or a load's
transaction, so the beats go to a small database file of their own beside the app
database (``<database>-workers``, the same table): the app database's lock never
delays a beat, and a stale beat always means a stuck or dead worker.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from risk.store.db import make_engine
from risk.store.tables import workers

#: Workers silent this long are forgotten (their rows removed by the next beat).
_FORGET = timedelta(days=7)


@cache
def _side_engine(path: str) -> Engine:
    engine = make_engine(f"sqlite:///{path}-workers", lock_timeout=5.0)
    workers.create(engine, checkfirst=True)
    return engine


def heartbeat_engine(engine: Engine) -> Engine:
    """Where ``engine``'s workers beat: itself, or on SQLite the file beside it."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return engine
    return _side_engine(database)


def beat(engine: Engine, worker_id: str, started_at: datetime, next_run: datetime | None) -> None:
    """This worker is alive now; its next scheduled run is ``next_run``."""
    at = datetime.now(UTC)
    with heartbeat_engine(engine).begin() as connection:
        found = connection.execute(
            update(workers)
            .where(workers.c.worker_id == worker_id)
            .values(beat_at=at, next_run=next_run, stopped_at=None)
        ).rowcount
        if not found:
            connection.execute(
                insert(workers).values(
                    worker_id=worker_id, started_at=started_at, beat_at=at, next_run=next_run
                )
            )
            connection.execute(delete(workers).where(workers.c.beat_at < at - _FORGET))


def stopped(engine: Engine, worker_id: str) -> None:
    """This worker stopped on purpose (not a stale beat)."""
    with heartbeat_engine(engine).begin() as connection:
        connection.execute(
            update(workers)
            .where(workers.c.worker_id == worker_id)
            .values(stopped_at=datetime.now(UTC))
        )


def latest(engine: Engine) -> dict[str, Any] | None:
    """The freshest beat of a worker that has not stopped (None: none running)."""
    with heartbeat_engine(engine).connect() as connection:
        row = connection.execute(
            select(workers)
            .where(workers.c.stopped_at.is_(None))
            .order_by(workers.c.beat_at.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return {
        "worker_id": row.worker_id,
        "started_at": _utc(row.started_at),
        "beat_at": _utc(row.beat_at),
        "next_run": _utc(row.next_run),
    }


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
