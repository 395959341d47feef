"""The HTTP API (FastAPI): flags, clients, invoices, actions, ingest, scoring, health.

Every route declares its response model, so ``/openapi.json`` is the contract.
Callers send an API key (``X-API-Key``, or ``Authorization: Bearer``); what a
caller may see is scoped in SQL by ``risk.keys.visible_clients``, and a client,
flag or invoice outside that scope answers 404 exactly like one that does not
exist. Every 4xx names the field and the reason (``{"detail": [{"loc", "msg"}]}``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from features.risks import NAMES
from risk.alerts.outbox import status as alert_status
from risk.clients import TIMELINE_LIMIT, TIMELINE_MAX_LIMIT, client_detail, timeline
from risk.invoices import explain_invoice
from risk.scoring.flags import (
    FlagClearedError,
    FlagNotFoundError,
    acknowledge,
    give_feedback,
    list_flags,
    snooze,
)
from risk.scoring.run import Model, champions
from risk.scoring.run import score as run_score
from risk.settings import Settings, get_settings
from risk.store.db import BUSY, current_revision, is_busy, make_engine, require_current, upgrade
from risk.store.ingest import IngestError, ingest
from risk.store.keys import Principal, authenticate
from risk.store.tables import flags as flags_table
from risk.store.tables import score_runs
from service import schemas
from service.limits import BodyLimit
from service.logs import configure
from service.web import error_page, install_web, is_page

log = logging.getLogger("billing_risk.api")

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorResponse},
    401: {
        "model": schemas.ErrorResponse,
        "description": "No API key, or an unknown or revoked one.",
    },
    403: {"model": schemas.ErrorResponse, "description": "The key's role may not do this."},
    404: {
        "model": schemas.ErrorResponse,
        "description": "No such thing, or not one the caller may see.",
    },
    422: {"model": schemas.ErrorResponse},
}


class ApiError(Exception):
    """A 4xx with the field it is about and why."""

    def __init__(
        self, status: int, loc: list[str | int], msg: str, kind: str = "value_error"
    ) -> None:
        self.status = status
        self.problems = [{"loc": loc, "msg": msg, "type": kind}]
        super().__init__(msg)


#: Seconds a client is asked to wait when the database is busy.
RETRY_AFTER = "5"


def _internal_error() -> JSONResponse:
    problems = [{"loc": ["server"], "msg": "internal error; it was logged", "type": "internal"}]
    return JSONResponse({"detail": problems}, status_code=500)


def _where(request: Request) -> dict[str, object]:
    route = request.scope.get("route")
    return {"method": request.method, "route": getattr(route, "path", "unmatched")}


def not_found(what: str, loc: list[str | int]) -> ApiError:
    return ApiError(404, loc, f"no {what} with this id", "not_found")


class ScoreJobs:
    """At most one score run at a time; the API answers 202 and the run goes on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs: dict[int, dict[str, Any]] = {}

    def start(self, work: Callable[[], int]) -> dict[str, Any] | None:
        if not self.lock.acquire(blocking=False):
            return None
        job_id = len(self.jobs) + 1
        job: dict[str, Any] = {
            "job_id": job_id,
            "status": "running",
            "started_at": datetime.now(UTC),
            "finished_at": None,
            "run_id": None,
            "error": None,
        }
        self.jobs[job_id] = job

        def run() -> None:
            try:
                job["run_id"] = work()
                job["status"] = "done"
            except Exception as exc:  # reported on the job, not lost in a thread
                job["status"] = "failed"
                job["error"] = str(exc)[:500]
                log.exception("score job failed", extra={"fields": {"job_id": job_id}})
            finally:
                job["finished_at"] = datetime.now(UTC)
                self.lock.release()

        threading.Thread(target=run, name=f"score-job-{job_id}", daemon=True).start()
        return job

    def running(self) -> dict[str, Any] | None:
        return next((j for j in self.jobs.values() if j["status"] == "running"), None)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "billing_risk_request_seconds",
            "HTTP request latency by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.scored = Gauge(
            "billing_risk_clients_scored",
            "Clients scored by the latest run.",
            registry=self.registry,
        )
        self.flags = Gauge(
            "billing_risk_open_flags",
            "Open flags by risk and level.",
            ["risk", "level"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "billing_risk_alerts",
            "Alerts in the outbox by state.",
            ["state"],
            registry=self.registry,
        )
        self.model = Gauge(
            "billing_risk_model_version",
            "The champion version in use (1 for the version in use).",
            ["risk", "version"],
            registry=self.registry,
        )
        self.runs = Counter(
            "billing_risk_score_runs", "Score runs started through the API.", registry=self.registry
        )


def principal(
    request: Request,
    x_api_key: Annotated[str | None, Header(alias="X-API-Key", description="An API key.")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <API key>.")] = None,
) -> Principal:
    secret = x_api_key
    if secret is None and authorization is not None:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer":
            secret = value.strip()
    if not secret:
        raise ApiError(401, ["header", "X-API-Key"], "an API key is required", "missing_key")
    found = authenticate(request.app.state.engine, secret)
    if found is None:
        raise ApiError(401, ["header", "X-API-Key"], "unknown or revoked API key", "invalid_key")
    request.state.principal = found
    return found


def operator(caller: Annotated[Principal, Depends(principal)]) -> Principal:
    if not caller.operator:
        raise ApiError(
            403,
            ["header", "X-API-Key"],
            f"role {caller.role!r} may not do this; analyst or admin may",
            "forbidden",
        )
    return caller


Caller = Annotated[Principal, Depends(principal)]
Operator = Annotated[Principal, Depends(operator)]
# No id holds a NUL (ingest refuses them; PostgreSQL cannot even bind one).
NO_NUL = r"^[^\x00]*$"
ClientId = Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL)]
FlagId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for ``settings`` (default: the environment). The database is migrated
    when empty; a database behind the code is refused at start."""
    settings = settings or get_settings()
    configure()
    engine = make_engine(settings.database_url, lock_timeout=settings.lock_timeout_seconds)
    if current_revision(engine) is None:
        upgrade(engine)
    require_current(engine)
    metrics = Metrics()
    state: dict[str, Any] = {"models": {}, "notes": {}}
    models_lock = threading.Lock()
    jobs = ScoreJobs()

    def load_models() -> dict[str, Model]:
        try:
            models, notes = champions(settings)
        except Exception:  # MLflow unreachable: serve what is stored, say so in /health
            log.exception("loading the champions failed")
            models, notes = {}, {"models": "MLflow could not be reached"}
        with models_lock:
            state["models"], state["notes"] = models, notes
        metrics.model.clear()
        for risk, model in models.items():
            metrics.model.labels(risk=risk, version=model.version).set(1)
        return models

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        load_models()
        yield
        engine.dispose()

    app = FastAPI(
        title="billing-risk",
        summary="Early warning for invoice disputes and churn at services firms.",
        version="0.1.0",
        lifespan=lifespan,
        responses=ERRORS,
    )
    app.state.engine = engine
    app.state.settings = settings

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.problems}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's and Starlette's own 4xx (a body that does not parse, a path no route
        # matches, a method a route lacks) in the documented shape too.
        where: dict[int, list[str | int]] = {400: ["body"], 405: ["method"]}
        loc = where.get(exc.status_code, ["path"])
        problems = [{"loc": loc, "msg": str(exc.detail), "type": "http_error"}]
        return JSONResponse({"detail": problems}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> Response:
        # The transaction was rolled back by the engine: nothing of the request is stored.
        if is_busy(exc):
            if is_page(request):
                page = error_page(request, 503)
                page.headers["Retry-After"] = RETRY_AFTER
                return page
            problems = [{"loc": ["database"], "msg": BUSY, "type": "busy"}]
            return JSONResponse(
                {"detail": problems}, status_code=503, headers={"Retry-After": RETRY_AFTER}
            )
        log.error("database error", exc_info=exc, extra={"fields": _where(request)})
        return _internal_error()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Field and reason only: the rejected input is not echoed back.
        problems = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.middleware("http")
    async def _observe(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        began = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
        except Exception as exc:
            # Logged here, our way, and answered in the documented shape: left to the
            # server, it would print the exception's text (which can quote data).
            log.error("request failed", exc_info=exc, extra={"fields": _where(request)})
            response = _internal_error()
        try:
            status = response.status_code
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            return response
        finally:
            route = request.scope.get("route")
            template = getattr(route, "path", "unmatched")
            seconds = time.perf_counter() - began
            metrics.latency.labels(
                route=template, method=request.method, status=str(status)
            ).observe(seconds)
            principal = getattr(request.state, "principal", None)
            log.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "route": template,
                        "status": status,
                        "ms": round(seconds * 1000, 1),
                        "key_id": getattr(principal, "key_id", None),
                    }
                },
            )

    @app.get("/flags", response_model=schemas.FlagPage, tags=["flags"])
    def get_flags(
        caller: Caller,
        risk: Annotated[schemas.Risk | None, Query()] = None,
        level: Annotated[schemas.Level | None, Query()] = None,
        pm: Annotated[
            str | None, Query(max_length=320, pattern=NO_NUL, description="Only this PM's clients.")
        ] = None,
        trend: Annotated[schemas.Trend | None, Query()] = None,
        snoozed: Annotated[bool, Query(description="Include snoozed flags.")] = False,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """Open flags the caller may see, highest level and probability first."""
        found = list_flags(
            engine,
            pm,
            risk=risk,
            level=level,
            trend=trend,
            include_snoozed=snoozed,
            principal=caller,
        )
        start = (page - 1) * per_page
        return {
            "items": [f.as_dict() for f in found[start : start + per_page]],
            "total": len(found),
            "page": page,
            "per_page": per_page,
        }

    @app.get("/clients/{client_id}", response_model=schemas.ClientOut, tags=["clients"])
    def get_client(client_id: ClientId, caller: Caller) -> dict[str, Any]:
        """Current scores with reasons, open flags, score history, latest signals."""
        found = client_detail(engine, caller, client_id)
        if found is None:
            raise not_found("client", ["path", "client_id"])
        return found

    @app.get("/clients/{client_id}/timeline", response_model=schemas.Timeline, tags=["clients"])
    def get_timeline(
        client_id: ClientId,
        caller: Caller,
        before: Annotated[
            datetime | None,
            Query(description="The page ends before this instant (default: after the latest)."),
        ] = None,
        limit: Annotated[
            int, Query(ge=1, le=TIMELINE_MAX_LIMIT, description="At most this many messages.")
        ] = TIMELINE_LIMIT,
    ) -> dict[str, Any]:
        """A year of messages with sentiment, invoices, and billed vs delivered vs budget by
        week, newest first by page: ``links.next`` is the page before this one."""
        if before is not None and before.tzinfo is None:
            before = before.replace(tzinfo=UTC)  # the contract's rule: no zone is UTC
        found = timeline(engine, caller, client_id, before=before, limit=limit)
        if found is None:
            raise not_found("client", ["path", "client_id"])
        older = found.pop("next_before")
        found["links"] = {
            "next": None
            if older is None
            else f"/clients/{quote(client_id, safe='')}/timeline?"
            + urlencode({"before": older.isoformat(), "limit": limit})
        }
        return found

    @app.get(
        "/invoices/{invoice_id}/explanation",
        response_model=schemas.InvoiceExplanation,
        tags=["invoices"],
    )
    def get_explanation(
        invoice_id: Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL)],
        caller: Caller,
    ) -> dict[str, Any]:
        """What the client is paying for, and a text the PM can send."""
        found = explain_invoice(engine, caller, invoice_id)
        if found is None:
            raise not_found("invoice", ["path", "invoice_id"])
        return found

    def _flag_action(action: Callable[[], Any]) -> dict[str, Any]:
        try:
            flag = action()
        except FlagNotFoundError:
            raise not_found("flag", ["path", "flag_id"]) from None
        except FlagClearedError as exc:
            raise ApiError(409, ["path", "flag_id"], str(exc), "flag_cleared") from None
        except ValueError as exc:
            field, _, reason = str(exc).partition(": ")
            raise ApiError(422, ["body", field], reason or str(exc)) from None
        return dict(flag.as_dict())

    @app.post("/flags/{flag_id}/ack", response_model=schemas.FlagOut, tags=["flags"])
    def post_ack(flag_id: FlagId, caller: Caller) -> dict[str, Any]:
        """Acknowledge: no alert again until the flag's level changes."""
        return _flag_action(lambda: acknowledge(engine, flag_id, caller.actor, principal=caller))

    @app.post("/flags/{flag_id}/snooze", response_model=schemas.FlagOut, tags=["flags"])
    def post_snooze(flag_id: FlagId, body: schemas.SnoozeIn, caller: Caller) -> dict[str, Any]:
        """Hide the flag until a date, with a reason."""
        return _flag_action(
            lambda: snooze(engine, flag_id, body.until, body.reason, caller.actor, principal=caller)
        )

    @app.post("/flags/{flag_id}/feedback", response_model=schemas.FlagOut, tags=["flags"])
    def post_feedback(flag_id: FlagId, body: schemas.FeedbackIn, caller: Caller) -> dict[str, Any]:
        """Was the flag right? Kept as a label for retraining."""
        return _flag_action(
            lambda: give_feedback(
                engine, flag_id, body.verdict, caller.actor, body.note, principal=caller
            )
        )

    @app.post("/ingest", response_model=schemas.IngestOut, tags=["data"])
    def post_ingest(body: schemas.IngestIn, caller: Operator) -> dict[str, Any]:
        """New rows for one contract file: validated like a bundle, idempotent by id,
        all or nothing."""
        try:
            report = ingest(engine, body.file, body.rows)
        except IngestError as exc:
            problems = [
                {
                    "loc": [
                        "body",
                        "rows",
                        *([] if p.row is None else [p.row]),
                        *([p.field] if p.field else []),
                    ],
                    "msg": p.message,
                    "type": "contract",
                }
                for p in exc.problems
            ]
            return JSONResponse({"detail": problems}, status_code=422)  # type: ignore[return-value]
        log.info(
            "ingest",
            extra={
                "fields": {"file": report.file, "added": report.added, "changed": report.changed}
            },
        )
        return report.__dict__

    @app.post("/score", status_code=202, response_model=schemas.ScoreJob, tags=["scoring"])
    def post_score(
        caller: Operator,
        as_of: Annotated[date | None, Query(description="Default: the latest event date.")] = None,
    ) -> dict[str, Any]:
        """Start a score run now (one at a time); poll ``GET /score/{job_id}``."""
        with models_lock:
            models, notes = dict(state["models"]), dict(state["notes"])
        if not models:
            raise ApiError(
                409, ["models"], "no @champion loaded: train, then POST /models/reload", "no_models"
            )

        def work() -> int:
            summary = run_score(
                engine, settings, caller.actor, as_of=as_of, models=models, notes=notes
            )
            metrics.scored.set(summary.clients)
            return summary.run_id

        job = jobs.start(work)
        if job is None:
            running = jobs.running()
            raise ApiError(
                409,
                ["score"],
                f"a score run is already running (job {running['job_id'] if running else '?'})",
                "busy",
            )
        metrics.runs.inc()
        return job

    @app.get("/score/{job_id}", response_model=schemas.ScoreJob, tags=["scoring"])
    def get_score_job(job_id: Annotated[int, Path(ge=1)], caller: Operator) -> dict[str, Any]:
        """A score job's state."""
        if job_id not in jobs.jobs:
            raise not_found("score job", ["path", "job_id"])
        return jobs.jobs[job_id]

    @app.post("/models/reload", response_model=schemas.ModelsOut, tags=["scoring"])
    def post_reload(caller: Operator) -> dict[str, Any]:
        """Pick up a moved ``@champion``."""
        models = load_models()
        return {
            "models": {risk: (models[risk].version if risk in models else None) for risk in NAMES}
        }

    @app.get("/health", response_model=schemas.Health, tags=["operations"])
    def get_health() -> dict[str, Any]:
        """Database and model versions (no key needed: for load balancers)."""
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            database = "ok"
        except Exception:
            database = "unreachable"
        with models_lock:
            models = dict(state["models"])
        versions = {risk: (models[risk].version if risk in models else None) for risk in NAMES}
        healthy = database == "ok" and all(versions.values())
        return {"status": "ok" if healthy else "degraded", "database": database, "models": versions}

    @app.get("/metrics", tags=["operations"], response_class=Response)
    def get_metrics() -> Response:
        """Prometheus metrics: request latency, scores, open flags, outbox depth, model versions."""
        with engine.connect() as connection:
            for state_name, count in alert_status(connection).items():
                metrics.outbox.labels(state=state_name).set(count)
            metrics.flags.clear()
            rows = connection.execute(
                select(flags_table.c.risk, flags_table.c.level, func.count())
                .where(flags_table.c.status == "open")
                .group_by(flags_table.c.risk, flags_table.c.level)
            ).all()
            for risk, level, count in rows:
                metrics.flags.labels(risk=risk, level=level).set(count)
            latest = connection.execute(
                select(score_runs.c.clients).order_by(score_runs.c.run_id.desc()).limit(1)
            ).scalar()
            metrics.scored.set(latest or 0)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    install_web(app, settings)  # the PMs' web page: session cookie, /login, /app/...
    app.add_middleware(BodyLimit)  # outermost: an oversized body is never read whole
    return app


def engine_of(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine
