"""A score job after new data, once the arrivals settle.

``RISK_SCORE_AFTER_INGEST_SECONDS`` after the last arrival, but never later than
``RISK_SCORE_AFTER_INGEST_MAX_SECONDS`` after the first one still waiting: a steady
trickle of ingests still gets scored. The job's key is the first arrival it covers,
so two workers seeing the same arrivals queue one job.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from risk.scoring import jobs
from risk.store.tables import data_arrivals


def queue_after_arrivals(
    engine: Engine, quiet_seconds: float, longest_seconds: float, at: datetime
) -> int | None:
    """Queue one score job for the arrivals that waited long enough; its id, or None."""
    if quiet_seconds <= 0:
        return None
    with engine.begin() as connection:
        waiting = connection.execute(
            select(data_arrivals.c.arrival_id, data_arrivals.c.at)
            .where(data_arrivals.c.job_id.is_(None))
            .order_by(data_arrivals.c.arrival_id)
        ).all()
        if not waiting:
            return None
        first, last = _utc(waiting[0].at), _utc(waiting[-1].at)
        settled = at - last >= timedelta(seconds=quiet_seconds)
        overdue = at - first >= timedelta(seconds=longest_seconds)
        if not (settled or overdue):
            return None
        job_id = jobs.queue(connection, "ingest", "worker", key=f"ingest:{waiting[0].arrival_id}")
        if job_id is None:  # another worker queued it
            return None
        connection.execute(
            update(data_arrivals)
            .where(
                data_arrivals.c.job_id.is_(None),
                data_arrivals.c.arrival_id <= waiting[-1].arrival_id,
            )
            .values(job_id=job_id)
        )
        return job_id


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
