"""What a running app holds besides its database: the champions in use, the score jobs
started through the API, and the Prometheus metrics."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

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
        self.runs = Counter(
            "billing_risk_score_runs", "Score runs started through the API.", registry=self.registry
        )


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


@dataclass
class AppState:
    """The app's own state, one per ``create_app``."""

    engine: Engine
    settings: Settings
    metrics: Metrics = field(default_factory=Metrics)
    jobs: ScoreJobs = field(default_factory=ScoreJobs)
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
