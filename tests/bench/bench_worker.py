"""Benchmark: the worker's latency to a queued job, and alerts delivered per second.

1. **Queued to claimed.** A real ``risk worker`` process runs against a fresh SQLite
   database (and PostgreSQL where it answers) with no model registered, so each
   job it claims fails at once; ``--jobs`` jobs are queued one after another, each
   when the previous one ended, and the time from ``queued_at`` to ``started_at``
   (both written by the database's clients, on this machine's clock) is reported.
   The worker looks every second (``risk.worker.loop.STEP_SECONDS``).
2. **Alerts per second.** ``--alerts`` alerts, as a score run writes them, are
   delivered by ``deliver`` (what the worker's outbox thread calls) to a local HTTP
   receiver and to a local SMTP server (aiosmtpd), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, create_engine, insert, select

from risk.alerts.outbox import deliver, queue
from risk.scoring import jobs
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.tables import flags, score_jobs, score_runs

POSTGRES_URL = os.environ.get(
    "RISK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RISK = Path(sys.executable).parent / "risk"


class _Quiet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Sink:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "250 accepted"


class _Controller(Controller):
    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


def _database(name: str, folder: Path) -> tuple[str, Engine, str | None] | None:
    """(URL for a process, engine, PostgreSQL schema to drop), or None when absent."""
    if name == "sqlite":
        url = f"sqlite:///{folder / 'risk.store.db'}"
        return url, make_engine(url), None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        admin.dispose()
    except Exception as exc:
        print(f"postgresql: skipped ({type(exc).__name__}: the server does not answer)")
        return None
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    return url, make_engine(url), schema


def _drop(schema: str) -> None:
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


def queued_to_claimed(url: str, engine: Engine, home: Path, n: int) -> list[float]:
    env = {
        **os.environ,
        "RISK_HOME": str(home),
        "RISK_DATABASE_URL": url,
        "MLFLOW_TRACKING_URI": f"sqlite:///{home / 'mlflow.db'}",
        "RISK_DIGEST_TIME": "",
        "RISK_SCORE_AFTER_INGEST_SECONDS": "0",
    }
    log = (home / "worker.log").open("wb")
    worker = subprocess.Popen(
        [str(RISK), "worker"], env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT
    )
    waits = []
    try:
        time.sleep(5)  # started and idle
        for _ in range(n):
            with engine.begin() as connection:
                job_id = jobs.queue(connection, "api", "bench")
            while True:
                with engine.connect() as connection:
                    row = connection.execute(
                        select(score_jobs).where(score_jobs.c.job_id == job_id)
                    ).one()
                if row.status in ("done", "failed"):
                    break
                time.sleep(0.05)
            waits.append((_utc(row.started_at) - _utc(row.queued_at)).total_seconds())
    finally:
        worker.terminate()
        worker.wait(15)
    return waits


def _seed_alerts(engine: Engine, n: int, tag: str) -> None:
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(score_runs).values(
                as_of=date(2026, 1, 5),
                started_at=datetime.now(UTC),
                started_by="bench",
                models={},
                notes={},
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        for i in range(n):
            flag_id = uuid.uuid4().hex
            client_id = f"C-{tag}-{i:06}"
            connection.execute(
                insert(flags).values(
                    flag_id=flag_id,
                    client_id=client_id,
                    risk="dispute",
                    status="open",
                    level="high",
                    probability=0.42,
                    trend="new",
                    reasons=[{"text": "Billed 78% of the budget, 41% delivered"}],
                    next_step="Share a progress report",
                    opened_on=date(2026, 1, 5),
                    opened_run_id=run_id,
                    updated_run_id=run_id,
                )
            )
            queue(
                connection,
                flag_id=flag_id,
                client_id=client_id,
                risk="dispute",
                level="high",
                recipient=f"lead{i % 7}@firm.example",
                payload={
                    "client_id": client_id,
                    "client_name": f"Client {i}",
                    "risk": "dispute",
                    "level": "high",
                    "previous_level": None,
                    "probability": 0.42,
                    "as_of": "2026-01-05",
                    "reasons": ["Billed 78% of the budget, 41% delivered (gap +37 points)"],
                    "next_step": "Share a progress report",
                    "language": "en" if i % 2 else "de",
                    "url": f"https://risk.example/app/clients/{client_id}",
                },
                run_id=run_id,
            )


def alerts_per_second(engine: Engine, settings: Settings, n: int, tag: str) -> float:
    _seed_alerts(engine, n, tag)
    began = time.perf_counter()
    report = deliver(engine, settings, limit=n)
    took = time.perf_counter() - began
    assert report.sent == n, report
    return n / took


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--alerts", type=int, default=500)
    args, _ = parser.parse_known_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    webhook = f"http://127.0.0.1:{server.server_address[1]}/hook"
    smtp = _Controller(_Sink(), hostname="127.0.0.1", port=0)
    smtp.start()

    print(f"queued to claimed, {args.jobs} jobs, seconds: median / p90 / max")
    print(f"alerts delivered per second ({args.alerts} alerts): webhook, SMTP")
    try:
        for name in ("sqlite", "postgresql"):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                found = _database(name, folder)
                if found is None:
                    continue
                url, engine, schema = found
                try:
                    upgrade(engine)
                    waits = sorted(queued_to_claimed(url, engine, folder, args.jobs))
                    p90 = waits[int(0.9 * (len(waits) - 1))]
                    print(
                        f"{name:<11} queued->claimed {statistics.median(waits):.2f} / "
                        f"{p90:.2f} / {waits[-1]:.2f} s"
                    )
                    rates = []
                    for channel in ("webhook", "smtp"):
                        settings = Settings(
                            home=folder,
                            database_url=url,
                            webhook_url=webhook if channel == "webhook" else "",
                            smtp_host="127.0.0.1" if channel == "smtp" else "",
                            smtp_port=smtp.port,
                            smtp_security="none",
                        )
                        rates.append(alerts_per_second(engine, settings, args.alerts, channel))
                    print(f"{name:<11} alerts/s webhook {rates[0]:.0f}, SMTP {rates[1]:.0f}")
                finally:
                    engine.dispose()
                    if schema is not None:
                        _drop(schema)
    finally:
        smtp.stop()
        server.shutdown()


if __name__ == "__main__":
    main()
