"""``/score`` and ``/models``: queue a score run for the worker, follow it, pick up a moved
champion."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from features.risks import NAMES
from risk.scoring import jobs
from risk.store.tables import score_jobs
from service import schemas
from service.deps import Operator, StateDep
from service.errors import ApiError, not_found

router = APIRouter(tags=["scoring"])
#: Job ids are the database's 32-bit integers: a larger one names no job (a 422).
MAX_JOB_ID = 2**31 - 1


@router.post("/score", status_code=202, response_model=schemas.ScoreJob)
def post_score(
    caller: Operator,
    state: StateDep,
    as_of: Annotated[date | None, Query(description="Default: the latest event date.")] = None,
) -> dict[str, Any]:
    """Queue a score run for the worker (``risk worker``); poll ``GET /score/{job_id}``.
    A run for the same date still waiting is answered instead of a second one."""
    models, _ = state.champions()
    if not models:
        raise ApiError(
            409, ["models"], "no @champion loaded: train, then POST /models/reload", "no_models"
        )
    with state.engine.begin() as connection:
        waiting = connection.execute(
            select(score_jobs.c.job_id)
            .where(score_jobs.c.status == "queued", score_jobs.c.as_of.is_not_distinct_from(as_of))
            .order_by(score_jobs.c.job_id)
            .limit(1)
        ).scalar()
        job_id = waiting or jobs.queue(connection, "api", caller.actor, as_of)
    assert job_id is not None  # a job without a key is always queued
    state.metrics.runs.inc()
    return _shown(jobs.get(state.engine, int(job_id)))


@router.get("/score", response_model=list[schemas.ScoreJob])
def list_score_jobs(
    caller: Operator,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=500, description="Jobs, newest first.")] = 50,
) -> list[dict[str, Any]]:
    """The latest score jobs, newest first: from the API, the CLI, the schedule and new data."""
    return [_shown(job) for job in jobs.recent(state.engine, limit)]


@router.get("/score/{job_id}", response_model=schemas.ScoreJob)
def get_score_job(
    job_id: Annotated[int, Path(ge=1, le=MAX_JOB_ID)], caller: Operator, state: StateDep
) -> dict[str, Any]:
    """A score job's state: queued, running, done (with its run) or failed (with the error)."""
    job = jobs.get(state.engine, job_id)
    if job is None:
        raise not_found("score job", ["path", "job_id"])
    return _shown(job)


def _shown(job: dict[str, Any] | None) -> dict[str, Any]:
    assert job is not None
    return {name: job[name] for name in schemas.ScoreJob.model_fields}


@router.post("/models/reload", response_model=schemas.ModelsOut)
def post_reload(caller: Operator, state: StateDep) -> dict[str, Any]:
    """Pick up a moved ``@champion``."""
    models = state.load_models()
    return {"models": {risk: (models[risk].version if risk in models else None) for risk in NAMES}}
