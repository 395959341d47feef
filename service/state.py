"""What a running app holds besides its database: the champions in use and the Prometheus
metrics. Score jobs live in the database (``risk.scoring.jobs``): the worker runs them."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy import Engine

from risk.scoring.run import Model, champions
from risk.settings import Settings

log = logging.getLogger("billing_risk.api")


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


@dataclass
class AppState:
    """The app's own state, one per ``create_app``."""

    engine: Engine
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    models: dict[str, Model] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def load_models(self) -> dict[str, Model]:
        """Load each risk's ``@champion`` (at start, and on ``POST /models/reload``)."""
        try:
            models, notes = champions(self.settings)
        except Exception:  # MLflow unreachable: serve what is stored, say so in /health
            log.exception("loading the champions failed")
            models, notes = {}, {"models": "MLflow could not be reached"}
        with self.lock:
            self.models, self.notes = models, notes
        self.metrics.model.clear()
        for risk, model in models.items():
            self.metrics.model.labels(risk=risk, version=model.version).set(1)
        return models

    def champions(self) -> tuple[dict[str, Model], dict[str, str]]:
        """The champions in use and why a risk has none, as of now."""
        with self.lock:
            return dict(self.models), dict(self.notes)
