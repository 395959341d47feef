"""What a running app holds besides its database: the champions in use and the Prometheus
metrics. Score jobs live in the database (``risk.scoring.jobs``): the worker runs them."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from risk.invoice_check import InvoiceModel, invoice_champion
from risk.scoring.run import Model, champions
from risk.settings import Settings
from risk.store import sessions
from risk.store.db import for_reads
from risk.store.keys import Principal, authenticate, hash_key
from risk.store.versions import VersionWatch
from service.reads import ReadCache

log = logging.getLogger("billing_risk.api")

#: How long a checked API key or session is trusted without asking the database again,
#: so a key revoked by another process is refused within this many seconds.
KEY_CACHE_SECONDS = 2.0


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
        self.heartbeat = Gauge(
            "billing_risk_worker_heartbeat_timestamp_seconds",
            "When a worker last beat (0: none running).",
            registry=self.registry,
        )
        self.next_run = Gauge(
            "billing_risk_next_run_timestamp_seconds",
            "The next scheduled score run.",
            registry=self.registry,
        )
        self.last_run_seconds = Gauge(
            "billing_risk_last_run_seconds",
            "How long the last score run took.",
            registry=self.registry,
        )
        self.last_run_finished = Gauge(
            "billing_risk_last_run_timestamp_seconds",
            "When the last score run finished.",
            registry=self.registry,
        )
        self.oldest_alert = Gauge(
            "billing_risk_oldest_pending_alert_seconds",
            "Age of the oldest alert waiting in the outbox.",
            registry=self.registry,
        )
        self.runs = Counter(
            "billing_risk_score_runs", "Score runs queued through the API.", registry=self.registry
        )


class RecentlyChecked:
    """Secrets (API keys, session tokens) checked in the last ``seconds``, by their
    SHA-256, with who holds them: a request then costs no database lookup for them. A
    key revoked or a session ended elsewhere (``risk keys revoke``, another server
    process) is refused once its entry ages out; unknown secrets are never kept, so a
    new key works at once and guessing costs a lookup each."""

    def __init__(
        self,
        check: Callable[[Engine, str], Principal | None],
        seconds: float = KEY_CACHE_SECONDS,
        size: int = 10_000,
    ) -> None:
        self.check = check
        self.seconds = seconds
        self.size = size
        self._checked: dict[str, tuple[Principal, float]] = {}
        self._pending: dict[str, asyncio.Future[Principal | None]] = {}

    def cached(self, secret: str) -> Principal | None:
        """Who holds ``secret`` if it was checked lately; None: ask ``principal``."""
        hit = self._checked.get(hash_key(secret))
        return hit[0] if hit is not None and hit[1] > time.monotonic() else None

    def principal(self, engine: Engine, secret: str, fresh: bool = False) -> Principal | None:
        """Who holds ``secret`` (None: unknown, revoked or ended), from the cache or
        the database (always the database when ``fresh``: a write's check)."""
        digest = hash_key(secret)
        now = time.monotonic()
        hit = self._checked.get(digest)
        if hit is not None and hit[1] > now and not fresh:
            return hit[0]
        found = self.check(engine, secret)
        if found is None:
            self._checked.pop(digest, None)
            return None
        if len(self._checked) >= self.size:
            self._checked.clear()  # a bound, not an eviction policy: keys are few
        self._checked[digest] = (found, now + self.seconds)
        return found

    async def ask(self, engine: Engine, secret: str, fresh: bool = False) -> Principal | None:
        """``principal`` off the event loop, once for all who ask at the same moment:
        when a busy key's entry ages out, the requests in flight wait for one lookup
        rather than each sending its own (measured on PostgreSQL: 32 concurrent
        lookups every two seconds were the slowest hundredth of kept answers)."""
        digest = hash_key(secret)
        pending = None if fresh else self._pending.get(digest)
        if pending is None:
            pending = asyncio.ensure_future(
                run_in_threadpool(self.principal, engine, secret, fresh)
            )
            if not fresh:
                self._pending[digest] = pending
                pending.add_done_callback(lambda _: self._pending.pop(digest, None))
        # Shielded: one waiter's cancellation (its client went away) is not the others'.
        return await asyncio.shield(pending)

    def forget(self, secret: str) -> None:
        """``secret`` ended here (a sign-out): refused from now on in this process."""
        self._checked.pop(hash_key(secret), None)


def _open_session(engine: Engine, token: str) -> Principal | None:
    return sessions.find(engine, token, datetime.now(UTC))


@dataclass
class AppState:
    """The app's own state, one per ``create_app``."""

    engine: Engine
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    models: dict[str, Model] = field(default_factory=dict)
    #: The invoice model's champion, for ``POST /invoices/check`` (None: none yet).
    invoice_model: InvoiceModel | None = None
    #: Checks computed at once in this process: a check is pandas under the GIL, and
    #: eight at once in eight threads finish later than one after another (bench_check:
    #: 5 checks/s at 8 connections, 12 at one) while starving every other route.
    check_slots: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))
    notes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    keys: RecentlyChecked = field(default_factory=lambda: RecentlyChecked(authenticate))
    sessions: RecentlyChecked = field(default_factory=lambda: RecentlyChecked(_open_session))
    reads: ReadCache = field(init=False)
    #: The engine for the read routes and pages (``risk.store.db.for_reads``).
    reader: Engine = field(init=False)

    def __post_init__(self) -> None:
        self.reader = for_reads(self.engine)
        self.reads = ReadCache(self.settings.read_cache_mb * 1024 * 1024, VersionWatch(self.engine))

    def load_models(self) -> dict[str, Model]:
        """Load each risk's ``@champion`` (at start, and on ``POST /models/reload``)."""
        invoice: InvoiceModel | None = None
        try:
            models, notes = champions(self.settings)
            invoice = invoice_champion(self.settings)
        except Exception:  # MLflow unreachable: serve what is stored, say so in /health
            log.exception("loading the champions failed")
            models, notes = {}, {"models": "MLflow could not be reached"}
        with self.lock:
            self.models, self.notes, self.invoice_model = models, notes, invoice
        self.metrics.model.clear()
        for risk, model in models.items():
            self.metrics.model.labels(risk=risk, version=model.version).set(1)
        return models

    def champions(self) -> tuple[dict[str, Model], dict[str, str]]:
        """The champions in use and why a risk has none, as of now."""
        with self.lock:
            return dict(self.models), dict(self.notes)
