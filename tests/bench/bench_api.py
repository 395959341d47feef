"""Benchmark: the HTTP API under concurrent readers, as ``risk serve`` runs it.

A 500-client x 12-month firm is simulated, both models fitted directly (no MLflow,
as in ``bench_score``), the bundle loaded and scored into SQLite, and ``risk serve``
started in a process of its own on a free port (its JSON request logs go to a
file, as they would to a collector). Then, route by route, ``--concurrency``
threads each with their own keep-alive ``httpx`` client call it for ``--seconds``
with a PM's key (the scoped queries a PM's page makes), each request for a random
client, invoice or page of that PM's. Reports per route: requests, requests/s,
p50 / p95 / p99 latency and errors (anything but a 200, or no answer).

The load generator runs on the same machine as the server and competes with it
for the CPU: read the figures as a floor, not as the server's ceiling.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import func, select

from features.risks import RISKS
from features.simulation import simulate
from models.dataset import training_set, weekly_as_of
from models.train import MODEL_KIND, fit
from risk.scoring.run import Model, score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import create_key
from risk.store.load import load
from risk.store.tables import flags


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(home: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``risk --home HOME serve --port PORT`` in a process of its own, once it answers."""
    command = [
        sys.executable,
        "-c",
        "from service.cli import app; app()",
        "--home",
        str(home),
        "serve",
        "--port",
        str(port),
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISK_")}
    env.pop("MLFLOW_TRACKING_URI", None)
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=log.open("wb"), env=env, cwd=home
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"risk serve exited ({server.returncode}): {log.read_text()[-2000:]}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    server.terminate()
    raise RuntimeError("risk serve did not answer /health within 120 s")


def hammer(
    base: str,
    headers: dict[str, str],
    path: Callable[[random.Random], str],
    threads: int,
    seconds: float,
) -> tuple[Tally, float]:
    tally = Tally()
    stop = time.monotonic() + seconds

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        errors = 0
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while time.monotonic() < stop:
                url = path(rng)
                began = time.perf_counter()
                try:
                    ok = client.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - began)
                errors += not ok
        with tally.lock:
            tally.latencies += mine
            tally.errors += errors

    began = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return tally, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=15.0, help="per route")
    parser.add_argument("--concurrency", type=int, default=8)
    args, _ = parser.parse_known_args()  # `make bench` passes every bench the same options

    began = time.perf_counter()
    bundle = simulate(args.clients, args.months, seed=3).bundle
    data = training_set(bundle, weekly_as_of(bundle))
    models = {
        risk.name: Model(
            risk.name, "bench", fit(data, risk.label, MODEL_KIND, risk.horizon_days).predict_proba
        )
        for risk in RISKS
    }
    projects = bundle.projects
    pm = projects.groupby("pm")["client_id"].nunique().idxmax()
    clients = sorted(set(projects.loc[projects["pm"] == pm, "client_id"]))
    invoices = sorted(bundle.invoices.loc[bundle.invoices["client_id"].isin(clients), "invoice_id"])
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        settings = Settings(home=home)
        engine = make_engine(settings.database_url)
        upgrade(engine)
        load(engine, bundle, "bench")
        run = score(engine, settings, "bench", models=models, notes={})
        _, secret = create_key(engine, "pm", pm, "bench")
        with engine.connect() as connection:
            open_flags = connection.execute(
                select(func.count()).select_from(flags).where(flags.c.status == "open")
            ).scalar_one()
        engine.dispose()
        print(
            f"firm: {args.clients:,} clients x {args.months} months, scored at {run.as_of} "
            f"({open_flags} open flags); PM {pm}: {len(clients)} clients, {len(invoices)} "
            f"invoices; ready in {time.perf_counter() - began:.0f} s"
        )
        port = free_port()
        log = home / "serve.log"
        server = start_server(home, port, log)
        try:
            base = f"http://127.0.0.1:{port}"
            headers = {"X-API-Key": secret}
            routes: dict[str, Callable[[random.Random], str]] = {
                "GET /flags": lambda r: f"/flags?page={r.randint(1, 2)}&per_page=25&snoozed=true",
                "GET /clients/{id}": lambda r: f"/clients/{r.choice(clients)}",
                "GET /clients/{id}/timeline": lambda r: f"/clients/{r.choice(clients)}/timeline",
                "GET /invoices/{id}/explanation": (
                    lambda r: f"/invoices/{r.choice(invoices)}/explanation"
                ),
            }
            print(
                f"{args.concurrency} concurrent clients x {args.seconds:.0f} s per route "
                f"(server and load generator share {os.cpu_count()} CPUs)"
            )
            print(
                f"{'route':<32} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
                f"{'p99 ms':>7} {'errors':>6}"
            )
            for name, path in routes.items():
                tally, took = hammer(base, headers, path, args.concurrency, args.seconds)
                ms = np.asarray(tally.latencies) * 1000
                p50, p95, p99 = np.percentile(ms, [50, 95, 99]) if len(ms) else (np.nan,) * 3
                print(
                    f"{name:<32} {len(ms):>8,} {len(ms) / took:>7.1f} {p50:>7.1f} {p95:>7.1f} "
                    f"{p99:>7.1f} {tally.errors:>6}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        lines = log.read_text().count('"event": "request"')
        print(f"server logged {lines:,} requests")


if __name__ == "__main__":
    main()
