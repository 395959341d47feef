"""How the worker stands, for ``/health`` and ``/metrics``: its heartbeat and next run,
the last score run, and the outbox's depth and oldest waiting alert."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from risk.settings import Settings
from risk.store.tables import alerts, score_jobs, score_runs
from risk.worker import heartbeat

#: An alert waiting longer than this makes the service degraded.
ALERT_WAIT_SECONDS = 3600.0
#: A heartbeat older than this many poll intervals makes the service degraded.
STALE_BEATS = 3


def worker_status(
    engine: Engine, settings: Settings, now: datetime | None = None
) -> dict[str, Any]:
    """The worker's state and ``problems``: why the service is degraded (empty when not)."""
    now = now or datetime.now(UTC)
    beat = heartbeat.latest(engine)
    with engine.connect() as connection:
        run = connection.execute(
            select(score_runs)
            .where(score_runs.c.finished_at.is_not(None))
            .order_by(score_runs.c.run_id.desc())
            .limit(1)
        ).first()
        # The job's time is the whole run (reading the data and the models too); a run
        # stored before jobs existed has only its own.
        job = None
        if run is not None:
            job = connection.execute(
                select(score_jobs.c.started_at, score_jobs.c.finished_at).where(
                    score_jobs.c.run_id == run.run_id, score_jobs.c.status == "done"
                )
            ).first()
        pending, oldest = connection.execute(
            select(func.count(), func.min(alerts.c.created_at)).where(alerts.c.state == "pending")
        ).one()
    oldest_age = None if oldest is None else (now - _utc(oldest)).total_seconds()
    problems = []
    if beat is None:
        problems.append("no worker is running (start `risk worker`)")
    else:
        age = (now - beat["beat_at"]).total_seconds()
        if age > STALE_BEATS * settings.outbox_poll_seconds:
            problems.append(f"the worker's last heartbeat is {age:.0f} s old")
    if oldest_age is not None and oldest_age > ALERT_WAIT_SECONDS:
        problems.append(f"an alert has waited {oldest_age / 60:.0f} minutes")
    return {
        "last_heartbeat": None if beat is None else beat["beat_at"],
        "next_run": None if beat is None else beat["next_run"],
        "last_run": None if run is None else _run(run, job),
        "outbox": {"pending": int(pending), "oldest_pending_seconds": oldest_age},
        "problems": problems,
    }


def _run(run: Any, job: Any) -> dict[str, Any]:
    started, finished = _utc(run.started_at), _utc(run.finished_at)
    if job is not None and job.started_at is not None and job.finished_at is not None:
        started, finished = _utc(job.started_at), _utc(job.finished_at)
    outcome = run.outcome or {}
    return {
        "run_id": run.run_id,
        "as_of": run.as_of,
        "finished_at": finished,
        "seconds": round((finished - started).total_seconds(), 1),
        "clients": run.clients,
        "flags_opened": outcome.get("opened"),
        "flags_cleared": outcome.get("cleared"),
        "alerts_queued": outcome.get("alerts"),
    }


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
