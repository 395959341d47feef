"""The HTTP API and the PMs' web page, built by ``create_app(settings)``.

Every route declares its response model, so ``/openapi.json`` is the contract.
Callers send an API key (``X-API-Key``, or ``Authorization: Bearer``); what a
caller may see is scoped in SQL by ``risk.store.keys.visible_clients``, and a
client, flag or invoice outside that scope answers 404 exactly like one that
does not exist. Every 4xx names the field and the reason (``service.errors``).
The routes live in ``service/routes`` (one module per resource), their
dependencies in ``service.deps``, the web page in ``service/web``.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from risk.settings import Settings, get_settings
from risk.store.db import current_revision, make_engine, require_current, upgrade
from service.errors import ERRORS, install_errors, internal_error, where
from service.limits import BodyLimit
from service.logs import configure
from service.reads import KeptAnswers
from service.routes import clients, flags, ingest, invoices, ops, scoring
from service.state import AppState
from service.web import install_web

log = logging.getLogger("billing_risk.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for ``settings`` (default: the environment). The database is migrated
    when empty; a database behind the code is refused at start."""
    settings = settings or get_settings()
    configure()
    engine = make_engine(
        settings.database_url,
        lock_timeout=settings.lock_timeout_seconds,
        pool_size=settings.database_pool_size,
    )
    if current_revision(engine) is None:
        upgrade(engine)
    require_current(engine)
    state = AppState(engine=engine, settings=settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Sync routes run in this pool; each holds a database connection while it runs.
        to_thread.current_default_thread_limiter().total_tokens = settings.serve_threads
        state.load_models()  # once, at start: loading a champion takes seconds
        state.reads.watch.known()  # starts watching the version before the first read
        # What start built (the champions, the libraries) lives as long as the
        # process: frozen out of the collector's sight, a full collection no longer
        # walks it in the middle of a request (bench, /clients/{id} at 32
        # connections: p99 150-184 ms without, 38-40 ms with).
        gc.collect()
        gc.freeze()
        yield
        state.reads.watch.close()
        engine.dispose()

    app = FastAPI(
        title="billing-risk",
        summary="Early warning for invoice disputes and churn at services firms.",
        version="0.1.0",
        lifespan=lifespan,
        responses=ERRORS,
    )
    app.state.risk = state
    app.state.engine = engine
    app.state.settings = settings
    install_errors(app)
    app.add_middleware(KeptAnswers)  # inside Observe: a kept answer is logged and counted
    app.add_middleware(Observe)
    for module in (flags, clients, invoices, ingest, scoring, ops):
        app.include_router(module.router)
    install_web(app, settings)  # the PMs' web page: session cookie, /login, /app/...
    app.add_middleware(BodyLimit)  # outermost: an oversized body is never read whole
    return app


def app_from_environment() -> FastAPI:
    """The app for the environment's settings: what each process of ``risk serve
    --workers N`` builds (uvicorn imports it by name in every worker process)."""
    return create_app()


class Observe:
    """Time, count and log every request; answer an unexpected error in our shape.
    Plain ASGI: Starlette's ``BaseHTTPMiddleware`` would copy every answer through a
    stream of its own (measured: a tenth of a cached read's time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500
        started = False

        async def sending(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started, status = True, message["status"]
                MutableHeaders(scope=message).setdefault("X-Content-Type-Options", "nosniff")
                if scope["method"] not in ("GET", "HEAD"):
                    # A write of this process has committed before its answer goes
                    # out: reads after it must not wait for its notification.
                    scope["app"].state.risk.reads.watch.written()
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            # Logged here, our way, and answered in the documented shape: left to the
            # server, it would print the exception's text (which can quote data).
            log.error("request failed", exc_info=exc, extra={"fields": where(Request(scope))})
            if started:
                raise  # half an answer went out: the server ends the connection
            await internal_error()(scope, receive, send)
            status = 500
        finally:
            seconds = time.perf_counter() - began
            request = Request(scope)
            fields = where(request)
            state: AppState = request.app.state.risk
            state.metrics.latency.labels(
                route=fields["route"], method=request.method, status=str(status)
            ).observe(seconds)
            principal = getattr(request.state, "principal", None)
            fields.update(
                status=status,
                ms=round(seconds * 1000, 1),
                key_id=getattr(principal, "key_id", None),
            )
            log.info("request", extra={"fields": fields})
