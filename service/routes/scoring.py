"""``/score`` and ``/models``: start a score run, follow it, pick up a moved champion."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from features.risks import NAMES
from risk.scoring.run import score as run_score
from service import schemas
from service.deps import Operator, StateDep
from service.errors import ApiError, not_found

router = APIRouter(tags=["scoring"])


@router.post("/score", status_code=202, response_model=schemas.ScoreJob)
def post_score(
    caller: Operator,
    state: StateDep,
    as_of: Annotated[date | None, Query(description="Default: the latest event date.")] = None,
) -> dict[str, Any]:
    """Start a score run now (one at a time); poll ``GET /score/{job_id}``."""
    models, notes = state.champions()
    if not models:
        raise ApiError(
            409, ["models"], "no @champion loaded: train, then POST /models/reload", "no_models"
        )

    def work() -> int:
        summary = run_score(
            state.engine, state.settings, caller.actor, as_of=as_of, models=models, notes=notes
        )
        state.metrics.scored.set(summary.clients)
        return summary.run_id

    job = state.jobs.start(work)
    if job is None:
        running = state.jobs.running()
        raise ApiError(
            409,
            ["score"],
            f"a score run is already running (job {running['job_id'] if running else '?'})",
            "busy",
        )
    state.metrics.runs.inc()
    return job


@router.get("/score/{job_id}", response_model=schemas.ScoreJob)
def get_score_job(
    job_id: Annotated[int, Path(ge=1)], caller: Operator, state: StateDep
) -> dict[str, Any]:
    """A score job's state."""
    if job_id not in state.jobs.jobs:
        raise not_found("score job", ["path", "job_id"])
    return state.jobs.jobs[job_id]


@router.post("/models/reload", response_model=schemas.ModelsOut)
def post_reload(caller: Operator, state: StateDep) -> dict[str, Any]:
    """Pick up a moved ``@champion``."""
    models = state.load_models()
    return {"models": {risk: (models[risk].version if risk in models else None) for risk in NAMES}}
