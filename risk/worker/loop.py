"""The worker's loop: schedule, debounce, digests, jobs, outbox and heartbeat."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from risk.alerts.digest import queue_digests
from risk.alerts.outbox import deliver
from risk.scoring import jobs
from risk.settings import Settings
from risk.worker import heartbeat
from risk.worker.debounce import queue_after_arrivals
from risk.worker.schedule import Schedule, cron, daily, zone_of

log = logging.getLogger("billing_risk.worker")

#: The main loop's step: how soon a tick, a queued job or a stop is noticed.
STEP_SECONDS = 1.0
#: The longest wait between two attempts to reach a database that went away.
MAX_BACKOFF_SECONDS = 30.0
#: How long a stopping worker waits for the alert in hand before it leaves.
STOP_GRACE_SECONDS = 7.0


@dataclass(frozen=True)
class Plan:
    """The worker's settings, checked: it refuses to start on a malformed one."""

    schedule: Schedule
    digest: Schedule | None

    @classmethod
    def of(cls, settings: Settings) -> Plan:
        zone = zone_of(settings.timezone)
        return cls(cron(settings.score_schedule, zone), daily(settings.digest_time, zone))


@dataclass
class Worker:
    """One worker process; ``run`` until ``stop`` is set."""

    engine: Engine
    settings: Settings
    plan: Plan
    digest: Callable[[Engine, Settings, datetime], int] | None = queue_digests
    worker_id: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    )
    stop: threading.Event = field(default_factory=threading.Event)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        now = datetime.now(UTC)
        self.next_run = self.plan.schedule.next_after(now)
        self.next_digest = self.plan.digest.next_after(now) if self.plan.digest else None
        self._job: Any = None
        self._job_thread: threading.Thread | None = None
        self._renewed = 0.0

    # --- the main loop ----------------------------------------------------------------

    def run(self) -> None:
        """Work until ``stop`` is set; then leave as the module says."""
        log.info(
            "worker %s started; next scheduled run %s",
            self.worker_id,
            self.next_run.isoformat(),
        )
        beats = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
        outbox = threading.Thread(target=self._deliver, name="outbox", daemon=True)
        beats.start()
        outbox.start()
        failures = 0
        while not self.stop.is_set():
            try:
                self.step(datetime.now(UTC))
                failures = 0
                self.stop.wait(STEP_SECONDS)
            except (OperationalError, DBAPIError) as exc:
                failures += 1
                wait = min(MAX_BACKOFF_SECONDS, 2.0 ** min(failures, 5))
                log.warning(
                    "database unreachable (%s); retrying in %.0f s",
                    type(exc.orig or exc).__name__,
                    wait,
                )
                self.stop.wait(wait)
        self._leave(outbox)

    def step(self, now: datetime) -> None:
        """One pass: queue what is due, claim or renew a job."""
        if now >= self.next_run:
            with self.engine.begin() as connection:
                job_id = jobs.queue(
                    connection, "schedule", "worker", key=f"schedule:{self.next_run.isoformat()}"
                )
            if job_id is not None:
                log.info("scheduled score job %s queued", job_id)
            self.next_run = self.plan.schedule.next_after(now)
        job_id = queue_after_arrivals(
            self.engine,
            self.settings.score_after_ingest_seconds,
            self.settings.score_after_ingest_max_seconds,
            now,
        )
        if job_id is not None:
            log.info("score job %s queued after new data", job_id)
        if self.digest is not None and self.next_digest is not None and now >= self.next_digest:
            queued = self.digest(self.engine, self.settings, now)
            log.info("daily digests queued: %d", queued)
            self.next_digest = self.plan.digest.next_after(now) if self.plan.digest else None
        if self._job_thread is not None and self._job_thread.is_alive():
            self._renew()
            return
        self._job, self._job_thread = None, None
        claimed = jobs.claim(self.engine, self.worker_id, self.settings.job_lease_seconds)
        if claimed is not None:
            self._start(claimed)

    # --- score jobs ----------------------------------------------------------------

    def _start(self, job: Any) -> None:
        log.info("score job %s claimed (%s, attempt %s)", job.job_id, job.kind, job.attempts)

        def work() -> None:
            try:
                summary = jobs.run(self.engine, self.settings, job, self.worker_id)
            except jobs.LeaseLostError:
                return
            except Exception:
                log.exception("score job %s failed", job.job_id)
                return
            log.info(
                "score job %s done: run %s, %d clients, flags opened %d, cleared %d, "
                "alerts queued %d",
                job.job_id,
                summary.same_date_run or summary.run_id,
                summary.clients,
                summary.opened,
                summary.cleared,
                summary.alerts,
            )

        self._job = job
        self._renewed = time.monotonic()
        self._job_thread = threading.Thread(target=work, name=f"job-{job.job_id}", daemon=True)
        self._job_thread.start()

    def _renew(self) -> None:
        if time.monotonic() - self._renewed < self.settings.job_lease_seconds / 3:
            return
        if not jobs.renew(
            self.engine, int(self._job.job_id), self.worker_id, self.settings.job_lease_seconds
        ):
            log.warning("score job %s: lease lost; its run will not be stored", self._job.job_id)
        self._renewed = time.monotonic()

    # --- threads ---------------------------------------------------------------------

    def _beat(self) -> None:
        while not self.stop.is_set():
            try:
                heartbeat.beat(self.engine, self.worker_id, self.started_at, self.next_run)
            except (OperationalError, DBAPIError) as exc:
                log.warning("heartbeat not written (%s)", type(exc.orig or exc).__name__)
            self.stop.wait(self.settings.outbox_poll_seconds)

    def _deliver(self) -> None:
        while not self.stop.is_set():
            try:
                deliver(self.engine, self.settings, worker=self.worker_id, stop=self.stop.is_set)
            except (OperationalError, DBAPIError) as exc:
                log.warning("outbox not read (%s)", type(exc.orig or exc).__name__)
            except Exception:
                log.exception("alert delivery failed")
            self.stop.wait(self.settings.outbox_poll_seconds)

    def _leave(self, outbox: threading.Thread) -> None:
        scoring = self._job_thread is not None and self._job_thread.is_alive()
        if scoring:
            try:
                jobs.release(self.engine, int(self._job.job_id), self.worker_id)
                log.info("score job %s handed back to the queue", self._job.job_id)
            except Exception:
                log.warning("score job %s: claimed again when its lease runs out", self._job.job_id)
        outbox.join(STOP_GRACE_SECONDS)
        try:
            heartbeat.stopped(self.engine, self.worker_id)
        except Exception:
            log.warning("could not record the stop; the heartbeat will go stale instead")
        log.info("worker %s stopped", self.worker_id)
        if scoring or outbox.is_alive():
            # The score's transaction must never commit now: leave without waiting for
            # it (a dead connection rolls back; the job is queued again).
            logging.shutdown()
            os._exit(0)
