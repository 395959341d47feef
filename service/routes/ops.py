"""``/health`` and ``/metrics``: for load balancers and Prometheus, no key needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from features.risks import NAMES
from risk.alerts.outbox import status as alert_status
from risk.store.tables import flags, score_runs
from service import schemas
from service.deps import StateDep

router = APIRouter(tags=["operations"])


@router.get("/health", response_model=schemas.Health)
def get_health(state: StateDep) -> dict[str, Any]:
    """Database and model versions (no key needed: for load balancers)."""
    try:
        with state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        database = "unreachable"
    models, _ = state.champions()
    versions = {risk: (models[risk].version if risk in models else None) for risk in NAMES}
    healthy = database == "ok" and all(versions.values())
    return {"status": "ok" if healthy else "degraded", "database": database, "models": versions}


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
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
