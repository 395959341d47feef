"""``/health`` and ``/metrics``: for load balancers and Prometheus, no key needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from features.risks import NAMES
from risk.alerts.outbox import status as alert_status
from risk.store.tables import flags, score_runs
from risk.worker.status import worker_status
from service import schemas
from service.deps import StateDep

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=schemas.Health)
def get_health(state: StateDep) -> dict[str, Any]:
    """Database, model versions and the worker (no key needed: for load balancers).
    ``degraded`` (still 200) says why in ``reasons``: the database, a missing model, no
    worker or a stale heartbeat, an alert waiting over an hour."""
    reasons: list[str] = []
    worker = None
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
        worker = worker_status(state.engine, state.settings)
        reasons += worker.pop("problems")
    except Exception:
        database = "unreachable"
        reasons.append("the database cannot be reached")
    models, notes = state.champions()
    versions = {risk: (models[risk].version if risk in models else None) for risk in NAMES}
    reasons += [notes.get(risk, f"no model for {risk}") for risk in NAMES if risk not in models]
    return {
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
        "database": database,
        "models": versions,
        "worker": worker,
    }


@router.get("/metrics", response_class=Response)
def get_metrics(state: StateDep) -> Response:
    """Prometheus metrics: request latency, scores, open flags, outbox depth, model versions."""
    metrics = state.metrics
    with state.engine.connect() as connection:
        for state_name, count in alert_status(connection).items():
            metrics.outbox.labels(state=state_name).set(count)
        metrics.flags.clear()
        rows = connection.execute(
            select(flags.c.risk, flags.c.level, func.count())
            .where(flags.c.status == "open")
            .group_by(flags.c.risk, flags.c.level)
        ).all()
        for risk, level, count in rows:
            metrics.flags.labels(risk=risk, level=level).set(count)
        latest = connection.execute(
            select(score_runs.c.clients).order_by(score_runs.c.run_id.desc()).limit(1)
        ).scalar()
        metrics.scored.set(latest or 0)
    worker = worker_status(state.engine, state.settings)
    beat = worker["last_heartbeat"]
    metrics.heartbeat.set(beat.timestamp() if beat else 0)
    metrics.next_run.set(worker["next_run"].timestamp() if worker["next_run"] else 0)
    metrics.oldest_alert.set(worker["outbox"]["oldest_pending_seconds"] or 0)
    last = worker["last_run"]
    if last is not None:
        metrics.last_run_seconds.set(last["seconds"])
        metrics.last_run_finished.set(last["finished_at"].timestamp())
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
