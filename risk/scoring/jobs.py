"""Score jobs in the database: queued by the API, the CLI, the schedule or new data, run
by whoever claims them.

A job is claimed as the outbox claims an alert: one compare-and-set ``UPDATE ...
WHERE status = 'queued' OR (status = 'running' AND lease_until < now)`` in its own
short transaction, won only when it changed exactly one row. The claimer renews
the lease while it scores. The run it stores and the job's ``done`` are written in
**one transaction**, and only while the claimer still holds the lease: a worker
that lost its lease (it was presumed dead and the job was claimed again) stores
nothing, so a job stores exactly one run however often it is claimed. A worker
that dies mid-run leaves the job ``running`` with a lease that expires; the next
claimer starts it again (``attempts`` counts the claims).

Only one job runs at a time: a claim also requires that no other job is running
under a live lease, so two workers never score at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from risk.invoice_check import InvoiceModel
from risk.scoring.run import Model, RunSummary, score
from risk.settings import Settings
from risk.store.db import serialise
from risk.store.tables import score_jobs

log = logging.getLogger(__name__)

KINDS = ("api", "cli", "schedule", "ingest")
STATES = ("queued", "running", "done", "failed")
#: What a job shows (the API's and the CLI's view of a row).
FIELDS = (
    "job_id",
    "kind",
    "as_of",
    "requested_by",
    "status",
    "queued_at",
    "started_at",
    "finished_at",
    "run_id",
    "error",
    "attempts",
)
_ERROR_LENGTH = 500
#: Claims of one job before it is given up: its workers died that often mid-run.
MAX_ATTEMPTS = 3


class LeaseLostError(RuntimeError):
    """The job was claimed by another worker while this one scored: store nothing."""


def now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime | None) -> datetime | None:
    # SQLite keeps no offset: every stored time is UTC, and naive means UTC.
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def shown(row: Any) -> dict[str, Any]:
    """A job row as the API and the CLI show it (times in UTC)."""
    job = {name: getattr(row, name) for name in FIELDS}
    for name in ("queued_at", "started_at", "finished_at"):
        job[name] = _utc(job[name])
    return job


def queue(
    connection: Connection,
    kind: str,
    requested_by: str,
    as_of: date | None = None,
    key: str | None = None,
) -> int | None:
    """Queue a score job; with ``key``, only if no job has that key yet (a schedule tick
    or a batch of arrivals queues one job however many workers see it). The job's id,
    or None when the key was taken."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    values = {
        "kind": kind,
        "key": key,
        "as_of": as_of,
        "requested_by": requested_by[:200],
        "status": "queued",
        "queued_at": now(),
    }
    if key is None:
        inserted = connection.execute(insert(score_jobs).values(**values)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])
    # A savepoint, so a taken key leaves the caller's transaction usable.
    try:
        with connection.begin_nested():
            inserted = connection.execute(insert(score_jobs).values(**values)).inserted_primary_key
    except IntegrityError:
        return None
    assert inserted is not None
    return int(inserted[0])


def _serialise(connection: Connection) -> None:
    # On PostgreSQL two claims of different jobs would not see each other's
    # uncommitted update.
    serialise(connection, "billing-risk score job claim")


def _claimable(at: datetime) -> Any:
    other = score_jobs.alias("other")
    someone_running = exists().where(
        other.c.status == "running",
        other.c.lease_until >= at,
        other.c.job_id != score_jobs.c.job_id,
    )
    return and_(
        or_(
            score_jobs.c.status == "queued",
            and_(score_jobs.c.status == "running", score_jobs.c.lease_until < at),
        ),
        ~someone_running,
    )


def _claim_in(connection: Connection, job_id: int, owner: str, lease_seconds: float) -> Any:
    at = now()
    won = connection.execute(
        update(score_jobs)
        .where(score_jobs.c.job_id == job_id, _claimable(at))
        .values(
            status="running",
            started_at=at,
            finished_at=None,
            lease_until=at + timedelta(seconds=lease_seconds),
            leased_by=owner[:100],
            attempts=score_jobs.c.attempts + 1,
            error=None,
        )
    ).rowcount
    if won != 1:
        return None
    return connection.execute(select(score_jobs).where(score_jobs.c.job_id == job_id)).one()


def claim(engine: Engine, owner: str, lease_seconds: float) -> Any:
    """Claim the oldest claimable job: queued, or running under an expired lease; never
    while another job runs under a live lease. The claimed row, or None."""
    with engine.begin() as connection:
        _serialise(connection)
        # A job whose workers keep dying (out of memory, killed) is given up, not
        # claimed forever.
        connection.execute(
            update(score_jobs)
            .where(
                score_jobs.c.status == "running",
                score_jobs.c.lease_until < now(),
                score_jobs.c.attempts >= MAX_ATTEMPTS,
            )
            .values(
                status="failed",
                finished_at=now(),
                lease_until=None,
                error=f"its worker stopped before the end {MAX_ATTEMPTS} times",
            )
        )
        job_id = connection.execute(
            select(score_jobs.c.job_id)
            .where(_claimable(now()))
            .order_by(score_jobs.c.queued_at, score_jobs.c.job_id)
            .limit(1)
        ).scalar()
        if job_id is None:
            return None
        return _claim_in(connection, int(job_id), owner, lease_seconds)


def start(
    engine: Engine,
    kind: str,
    requested_by: str,
    owner: str,
    lease_seconds: float,
    as_of: date | None = None,
) -> Any:
    """Queue a job and claim it at once, for a caller that runs it itself (``risk
    score``): no worker can take it in between. None while another job runs (nothing
    is queued then: try again)."""
    try:
        with engine.begin() as connection:
            _serialise(connection)
            # The insert comes first: on SQLite it takes the write lock for the claim.
            job_id = queue(connection, kind, requested_by, as_of)
            assert job_id is not None
            claimed = _claim_in(connection, job_id, owner, lease_seconds)
            if claimed is None:
                raise _BusyError  # rolls the queued job back
            return claimed
    except _BusyError:
        return None


class _BusyError(Exception):
    """Another job runs: the job just queued is rolled back."""


@contextmanager
def leased(engine: Engine, job_id: int, owner: str, lease_seconds: float) -> Iterator[None]:
    """Renew the job's lease from a thread while the block runs."""
    done = threading.Event()

    def keep() -> None:
        while not done.wait(lease_seconds / 3):
            try:
                renew(engine, job_id, owner, lease_seconds)
            except Exception:  # the next renewal tries again; the lease covers a miss
                log.warning("score job %s: lease not renewed", job_id)

    thread = threading.Thread(target=keep, name=f"lease-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()


def _update_mine(engine: Engine, job_id: int, owner: str, **values: Any) -> bool:
    """Change a running job this owner holds; False when it is no longer ours."""
    with engine.begin() as connection:
        return (
            connection.execute(
                update(score_jobs)
                .where(
                    score_jobs.c.job_id == job_id,
                    score_jobs.c.status == "running",
                    score_jobs.c.leased_by == owner[:100],
                )
                .values(**values)
            ).rowcount
            == 1
        )


def renew(engine: Engine, job_id: int, owner: str, lease_seconds: float) -> bool:
    """Extend the lease while the job runs; False when it is no longer ours."""
    return _update_mine(engine, job_id, owner, lease_until=now() + timedelta(seconds=lease_seconds))


def release(engine: Engine, job_id: int, owner: str) -> bool:
    """Hand a running job back to the queue (a worker stopping): claimed again at once."""
    return _update_mine(
        engine, job_id, owner, status="queued", lease_until=None, leased_by=None, started_at=None
    )


def _finish(connection: Connection, job_id: int, owner: str, run_id: int | None) -> None:
    done = connection.execute(
        update(score_jobs)
        .where(
            score_jobs.c.job_id == job_id,
            score_jobs.c.status == "running",
            score_jobs.c.leased_by == owner[:100],
        )
        .values(status="done", finished_at=now(), run_id=run_id, lease_until=None)
    ).rowcount
    if done != 1:
        raise LeaseLostError(f"job {job_id} was claimed by another worker")


def fail(engine: Engine, job_id: int, owner: str, error: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(score_jobs)
            .where(score_jobs.c.job_id == job_id, score_jobs.c.leased_by == owner[:100])
            .values(
                status="failed", finished_at=now(), lease_until=None, error=error[:_ERROR_LENGTH]
            )
        )


def run(
    engine: Engine,
    settings: Settings,
    job: Any,
    owner: str,
    models: dict[str, Model] | None = None,
    notes: dict[str, str] | None = None,
    invoice_model: InvoiceModel | None = None,
) -> RunSummary:
    """Score for a claimed job and mark it done in the run's own transaction.

    A ``LeaseLostError`` means another worker has the job: nothing was stored. Any
    other error fails the job, with its message, and is raised again."""
    job_id = int(job.job_id)

    def mark_done(connection: Connection, run_id: int | None) -> None:
        _finish(connection, job_id, owner, run_id)

    try:
        summary = score(
            engine,
            settings,
            str(job.requested_by),
            as_of=job.as_of,
            models=models,
            notes=notes,
            within=mark_done,
            invoice_model=invoice_model,
        )
    except LeaseLostError:
        log.warning("score job %s: lease lost to another worker, nothing stored", job_id)
        raise
    except Exception as exc:
        fail(engine, job_id, owner, str(exc) or type(exc).__name__)
        raise
    if summary.same_date_run is not None:
        # A run of the same date finished while this one computed and stands for it.
        with engine.begin() as connection:
            mark_done(connection, summary.same_date_run)
    return summary


def get(engine: Engine, job_id: int) -> dict[str, Any] | None:
    with engine.connect() as connection:
        row = connection.execute(select(score_jobs).where(score_jobs.c.job_id == job_id)).first()
    return None if row is None else shown(row)


def recent(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """The latest jobs, newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(score_jobs).order_by(score_jobs.c.job_id.desc()).limit(limit)
        ).all()
    return [shown(row) for row in rows]
