"""Score jobs in the database (``risk.scoring.jobs``), on SQLite and PostgreSQL: claimed
oldest first, one running at a time, claimed again when a lease runs out, never
finished by a worker that lost its lease, given up after ``MAX_ATTEMPTS``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, update

from risk.scoring import jobs
from risk.store.tables import score_jobs

pytestmark = pytest.mark.integration

LEASE = 60.0


def _queue(engine: Engine, n: int = 1, key: str | None = None) -> list[int | None]:
    with engine.begin() as connection:
        return [jobs.queue(connection, "api", "test", key=key) for _ in range(n)]


def _expire(engine: Engine, job_id: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(score_jobs)
            .where(score_jobs.c.job_id == job_id)
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )


def test_jobs_are_claimed_oldest_first_one_at_a_time(database: Engine) -> None:
    first, second = _queue(database, 2)
    claimed = jobs.claim(database, "a", LEASE)
    assert claimed.job_id == first
    assert claimed.attempts == 1
    # Another worker finds the queue blocked while the first job runs.
    assert jobs.claim(database, "b", LEASE) is None
    with database.begin() as connection:
        jobs._finish(connection, int(first), "a", None)  # type: ignore[arg-type]
    assert jobs.claim(database, "b", LEASE).job_id == second


def test_a_job_whose_lease_ran_out_is_claimed_again_and_its_first_worker_stores_nothing(
    database: Engine,
) -> None:
    (job_id,) = _queue(database)
    assert job_id is not None
    assert jobs.claim(database, "dead", LEASE) is not None
    _expire(database, job_id)
    again = jobs.claim(database, "alive", LEASE)
    assert again.job_id == job_id
    assert again.attempts == 2
    # The first worker was only slow: its run's transaction may not finish the job.
    with pytest.raises(jobs.LeaseLostError), database.begin() as connection:
        jobs._finish(connection, job_id, "dead", None)
    assert not jobs.renew(database, job_id, "dead", LEASE)
    assert jobs.renew(database, job_id, "alive", LEASE)


def test_a_job_whose_workers_keep_dying_is_given_up(database: Engine) -> None:
    (job_id,) = _queue(database)
    assert job_id is not None
    for attempt in range(jobs.MAX_ATTEMPTS):
        assert jobs.claim(database, f"w{attempt}", LEASE) is not None
        _expire(database, job_id)
    assert jobs.claim(database, "last", LEASE) is None
    job = jobs.get(database, job_id)
    assert job is not None
    assert job["status"] == "failed"
    assert str(jobs.MAX_ATTEMPTS) in job["error"]


def test_a_released_job_is_claimed_again_at_once(database: Engine) -> None:
    (job_id,) = _queue(database)
    assert job_id is not None
    assert jobs.claim(database, "stopping", LEASE) is not None
    assert jobs.release(database, job_id, "stopping")
    assert jobs.get(database, job_id)["status"] == "queued"  # type: ignore[index]
    assert jobs.claim(database, "next", LEASE).job_id == job_id


def test_start_claims_its_own_job_or_queues_nothing_while_one_runs(database: Engine) -> None:
    mine = jobs.start(database, "cli", "cli:someone", "me", LEASE)
    assert mine is not None
    assert mine.status == "running"
    assert jobs.start(database, "cli", "cli:other", "other", LEASE) is None
    with database.connect() as connection:
        assert connection.execute(select(func.count()).select_from(score_jobs)).scalar_one() == 1


def test_a_key_queues_one_job(database: Engine) -> None:
    assert _queue(database, 3, key="schedule:2026-03-02T06:00:00+00:00")[1:] == [None, None]
    with database.connect() as connection:
        assert connection.execute(select(func.count()).select_from(score_jobs)).scalar_one() == 1
