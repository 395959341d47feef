"""Benchmark: the HTTP API's read path under wrk, beside a bare reference app.

**The firm.** A ``--clients`` x ``--months`` firm (default 2,000 x 24: two years of
history) is simulated; both models are fitted directly (no MLflow, as in
``bench_score``) on a small separate firm (300 x 18), which is much quicker than on the
big one, and score the big firm. It is loaded and scored once into SQLite and, with
``--database postgresql`` or ``both`` (default), once into PostgreSQL
(``RISK_TEST_POSTGRES_URL``, default the test server) in a schema of its own, dropped
at the end (``risk serve`` gets it by the URL's ``options=-csearch_path=...``), and
vacuumed and analysed after loading, as autovacuum would soon do anyway. Every
request is a PM's: the PM with the most clients, with a PM key, asking for their own
clients and invoices (the scoped queries a PM's page makes).

**The server.** ``risk serve`` runs in a process of its own on a free port (JSON
request logs to a file, as they would go to a collector), with ``--workers 1`` and,
when its ``--help`` offers ``--workers``, ``--workers 2`` (``--bench-workers``).

**The reference.** ``tests/bench/reference_app.py``: a bare FastAPI app on the same
stack (uvicorn, one process, SQLite) that checks the key as the real one does (its
SHA-256 looked up by an index) and answers a stored copy of the real ``/clients/{id}``
body (fetched once from the real server) with one more indexed lookup, in a
coroutine on the event loop as the real read routes answer a kept answer. It says what
the stack can do on this machine, so each route's figures read as a share of that.

**The load.** wrk (Debian's package, installed when missing) drives each route for
``--seconds`` per cell with a generated Lua script rotating through the PM's request
paths (ids shuffled with a fixed seed) with the ``X-API-Key`` header, or for the web
pages the cookie of a session signed in once through ``/login``; ``--latency``,
``--timeout 10s``, ``--connections`` (default 1, 8, 32; threads = min(connections, 2)).
Routes: ``/flags?page=1&per_page=50&snoozed=true``, ``/clients/{id}``,
``/clients/{id}/timeline``, ``/invoices/{id}/explanation``, ``/app/flags``,
``/app/clients/{id}``; the reference's ``/clients/{id}`` is measured first at each
connection count, right beside them, in every table. The 2-worker pass runs at the
largest connection count only (against the same one-process reference), after an
unmeasured run of each route at 8 connections, so its processes' caches are as warm
as the one-process pass's are when it reaches that count; that keeps the defaults
near 17 minutes on 2 cores: about 7 cells x 3 x 8 s per database for one worker,
7 x 2 x 8 s for two, plus building the firm.

**First visits.** Before the wrk cells, per database, a server that keeps no answers
(``RISK_READ_CACHE_MB=0``) gets ``FIRST_VISITS`` requests per route one at a time
(the PM's ids in the same shuffled order), and the report gives each route's server
time from the request log (p50, p90, max): what a PM's first look at a client costs
after a write. wrk's cells rotate through at most 2,000 paths, so past the first
connection count they mostly measure kept answers; this section is the computed
path. The pages' goal is a median under ``PAGE_GOAL_MS`` (20 ms).

**The report.** Per database and worker count, one row per cell: requests/s, p50 and
p99 latency, errors (socket errors, timeouts included, plus 4xx/5xx answers; the
timeouts also apart), and requests/s and p99 as ratios to the reference's at that
connection count. Then a verdict per route at the largest connection count against
the goals: ``/flags`` and ``/clients/{id}`` at >= 0.8x the reference's requests/s with
p99 <= 2x its p99; the timeline, the explanation and both pages at >= 0.4x; a cell
with errors misses its goal whatever its figures.

Caveat: wrk, the server and the reference share this machine's CPUs (2 here); wrk
takes up to one of them at 32 connections. Read the figures as a floor and the
ratios as the useful part; a timed-out request is missing from wrk's latencies, so a
cell with timeouts understates its p99.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pandas as pd
from sqlalchemy import create_engine, func, make_url, select
from sqlalchemy.exc import OperationalError

from features.bundle.load import Bundle
from features.risks import RISKS
from features.simulation import simulate
from models.dataset import training_set, weekly_as_of
from models.train import MODEL_KIND, fit
from risk.scoring.run import Model, score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import PREFIX, create_key, hash_key
from risk.store.load import load
from risk.store.tables import flags
from service.web.session import SESSION_COOKIE
from tests.bench import wrk
from tests.bench.reference_app import write_store

POSTGRES_URL = os.environ.get(
    "RISK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SEED = 20_250_601
#: Request paths per script (the PM's ids repeat in a shuffled order past this).
MAX_PATHS = 2_000
REFERENCE = "reference /clients/{id}"
#: Route -> (least share of the reference's requests/s, most multiple of its p99).
GOALS: dict[str, tuple[float, float | None]] = {
    "/flags": (0.8, 2.0),
    "/clients/{id}": (0.8, 2.0),
    "/clients/{id}/timeline": (0.4, None),
    "/invoices/{id}/explanation": (0.4, None),
    "/app/flags": (0.4, None),
    "/app/clients/{id}": (0.4, None),
}
SERVE = [sys.executable, "-c", "from service.cli import app; app()"]
#: Requests per route in the first-visit section (after a few unmeasured ones).
FIRST_VISITS = 60
#: The pages' goal: server time of a computed (not kept) answer at one connection.
PAGE_GOAL_MS = 20.0
#: The repository (the reference app runs as ``-m tests.bench.reference_app`` from it).
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Firm:
    """The big firm as loaded, and the PM whose requests the bench sends."""

    bundle: Bundle
    pm: str
    clients: list[str]
    invoices: list[str]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISK_")}
    env.pop("MLFLOW_TRACKING_URI", None)
    if database_url:
        env["RISK_DATABASE_URL"] = database_url
    if "RISK_BENCH_READ_CACHE_MB" in os.environ:
        env["RISK_READ_CACHE_MB"] = os.environ["RISK_BENCH_READ_CACHE_MB"]
    return env


def serve_has_workers() -> bool:
    """Whether the installed ``risk serve`` takes ``--workers``."""
    env = {**_env(""), "COLUMNS": "200", "TERM": "dumb", "NO_COLOR": "1"}
    shown = subprocess.run(
        [*SERVE, "serve", "--help"], capture_output=True, text=True, env=env, check=False
    )
    return "--workers" in shown.stdout + shown.stderr


def _wait_healthy(process: subprocess.Popen[bytes], port: int, log: Path, name: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}): {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    stop(process)
    raise RuntimeError(f"{name} did not answer /health within 120 s")


def start(
    command: list[str], env: dict[str, str], cwd: Path, port: int, log: Path, name: str
) -> subprocess.Popen[bytes]:
    """``command`` in a process group of its own, once it answers /health on ``port``."""
    with log.open("wb") as errors:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    _wait_healthy(process, port, log, name)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    """End ``process`` and its children (uvicorn's workers), by its own process group."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def postgres_url(required: bool) -> Iterator[str | None]:
    """A URL into a new schema of the PostgreSQL server, dropped afterwards; None (or
    an error when ``required``) when the server does not answer."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except OperationalError as exc:
        admin.dispose()
        if required:
            raise
        print(f"PostgreSQL does not answer at {POSTGRES_URL} ({exc.orig}): skipped", flush=True)
        yield None
        return
    try:
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def build(clients: int, months: int) -> tuple[Firm, dict[str, Model]]:
    """The big firm, and both models fitted on a small one."""
    small = simulate(300, 18, seed=3).bundle
    data = training_set(small, weekly_as_of(small))
    models = {
        risk.name: Model(
            risk.name, "bench", fit(data, risk.label, MODEL_KIND, risk.horizon_days).predict_proba
        )
        for risk in RISKS
    }
    bundle = simulate(clients, months, seed=11).bundle
    projects: pd.DataFrame = bundle.projects
    pm = str(projects.groupby("pm")["client_id"].nunique().idxmax())
    mine = sorted(set(projects.loc[projects["pm"] == pm, "client_id"]))
    invoices = bundle.invoices
    billed = sorted(invoices.loc[invoices["client_id"].isin(mine), "invoice_id"])
    return Firm(bundle, pm, mine, billed), models


def load_and_score(url: str, home: Path, firm: Firm, models: dict[str, Model]) -> str:
    """Load and score the firm into ``url`` (empty: SQLite under ``home``); the PM's key."""
    began = time.perf_counter()
    settings = Settings(home=home, database_url=url)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        load(engine, firm.bundle, "bench")
        run = score(engine, settings, "bench", models=models, notes={})
        _, secret = create_key(engine, "pm", firm.pm, "bench")
        if engine.dialect.name == "postgresql":
            # What autovacuum would do minutes after a bulk load, done before measuring
            # rather than during it (on 2 cores it competes with the server).
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        with engine.connect() as connection:
            open_flags = connection.execute(
                select(func.count()).select_from(flags).where(flags.c.status == "open")
            ).scalar_one()
    finally:
        engine.dispose()
    print(
        f"  loaded and scored at {run.as_of} ({open_flags} open flags) "
        f"in {time.perf_counter() - began:.0f} s",
        flush=True,
    )
    return secret


def sign_in(base: str, secret: str) -> str:
    """The Cookie header of a web session signed in with ``secret`` through /login."""
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as http:
        form = http.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        if token is None:
            raise RuntimeError("the sign-in form has no CSRF token")
        answer = http.post(
            "/login", data={"api_key": secret, "csrf_token": token.group(1), "next": "/app/flags"}
        )
        cookie = answer.cookies.get(SESSION_COOKIE)
        if answer.status_code != 303 or not cookie:
            raise RuntimeError(f"signing in answered {answer.status_code}, no session cookie")
    return f"{SESSION_COOKIE}={cookie}"


def fetch_bodies(base: str, secret: str, clients: list[str]) -> dict[str, bytes]:
    """Each client's real ``/clients/{id}`` body, for the reference."""
    bodies: dict[str, bytes] = {}
    with httpx.Client(base_url=base, timeout=60, headers={"X-API-Key": secret}) as http:
        for client in clients:
            answer = http.get(f"/clients/{client}")
            answer.raise_for_status()
            bodies[client] = answer.content
    return bodies


def request_paths(firm: Firm) -> dict[str, list[str]]:
    """Each route's request paths: the PM's ids, shuffled with a fixed seed."""
    rng = random.Random(SEED)

    def shuffled(ids: list[str]) -> list[str]:
        out: list[str] = []
        while len(out) < min(MAX_PATHS, max(len(ids), 1)):
            out += rng.sample(ids, len(ids))
        return out[:MAX_PATHS]

    clients, invoices = shuffled(firm.clients), shuffled(firm.invoices)
    return {
        REFERENCE: [f"/clients/{c}" for c in clients],
        "/flags": ["/flags?page=1&per_page=50&snoozed=true"],
        "/clients/{id}": [f"/clients/{c}" for c in clients],
        "/clients/{id}/timeline": [f"/clients/{c}/timeline" for c in clients],
        "/invoices/{id}/explanation": [f"/invoices/{i}/explanation" for i in invoices],
        "/app/flags": ["/app/flags"],
        "/app/clients/{id}": [f"/app/clients/{c}" for c in clients],
    }


def warm(targets: dict[str, tuple[str, list[str], dict[str, str]]]) -> None:
    """A few requests per route before measuring: warms caches, and says when a route
    does not answer 200 (a page that redirects to /login counts as a 3xx for wrk)."""
    notes = []
    for route, (base, paths, headers) in targets.items():
        statuses: dict[int, int] = {}
        size = 0
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            for path in paths[:10]:
                answer = http.get(path)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
                size += len(answer.content)
        shown = f"{route} {size / 1024 / min(len(paths), 10):.0f} KB"
        if set(statuses) != {200}:
            shown += f" (NOT ALL 200: {statuses})"
        notes.append(shown)
    print("  answers: " + "; ".join(notes), flush=True)


def first_visits(home: Path, url: str, secret: str, paths: dict[str, list[str]]) -> list[str]:
    """Each route's server time (the request log's ``ms``) over ``FIRST_VISITS``
    requests sent one at a time to a server that keeps no answers
    (``RISK_READ_CACHE_MB=0``): what a first visit costs, which wrk's cells mostly do
    not see once the answers they rotate through are kept. The pages' verdict is the
    median against ``PAGE_GOAL_MS``."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = home / "serve-first-visits.log"
    command = [*SERVE, "--home", str(home), "serve", "--port", str(port)]
    env = _env(url) | {"RISK_READ_CACHE_MB": "0"}
    server = start(command, env, home, port, log, "risk serve (no kept answers)")
    try:
        cookie = {"Cookie": sign_in(base, secret)}
        with httpx.Client(base_url=base, timeout=60) as http:
            for route, listed in paths.items():
                if route == REFERENCE:
                    continue
                headers = cookie if route.startswith("/app/") else {"X-API-Key": secret}
                for n in range(FIRST_VISITS + 3):  # the first three unmeasured
                    http.get(listed[n % len(listed)], headers=headers).raise_for_status()
    finally:
        stop(server)
    logged: dict[str, list[float]] = {}  # the log names a route by its template
    for line in log.read_text().splitlines():
        if '"event": "request"' in line:
            entry = json.loads(line)
            logged.setdefault(re.sub(r"\{\w+\}", "{id}", entry["route"]), []).append(entry["ms"])
    times = {route: logged.get(route, [])[-FIRST_VISITS:] for route in paths if route != REFERENCE}
    if short := [route for route, found in times.items() if len(found) < FIRST_VISITS]:
        raise RuntimeError(f"the request log of {log} lacks requests of {', '.join(short)}")
    lines = [f"  {'first visits (server ms)':<30} {'n':>4} {'p50':>7} {'p90':>7} {'max':>7}"]
    for route, found in times.items():
        tenths = statistics.quantiles(found, n=10)
        line = f"  {route:<30} {len(found):>4} {statistics.median(found):>7.1f}"
        line += f" {tenths[-1]:>7.1f} {max(found):>7.1f}"
        if route.startswith("/app/"):
            met = statistics.median(found) < PAGE_GOAL_MS
            line += f"  {'met' if met else 'MISSED'} (goal: median < {PAGE_GOAL_MS:.0f} ms)"
        lines.append(line)
    return lines


def verdicts(cells: list[wrk.Cell]) -> list[str]:
    """Each route against its goal at the largest connection count measured."""
    top = max(c.connections for c in cells)
    at_top = {c.route: c.result for c in cells if c.connections == top}
    reference = at_top[REFERENCE]
    lines = []
    for route, (share, p99_times) in GOALS.items():
        r = at_top[route]
        got = wrk.ratio(r.requests_per_second, reference.requests_per_second)
        p99 = wrk.ratio(r.p99_ms, reference.p99_ms)
        met = got >= share and (p99_times is None or p99 <= p99_times) and r.errors == 0
        goal = f">= {share}x req/s" + (f", p99 <= {p99_times:g}x" if p99_times else "")
        lines.append(
            f"  {route:<28} {got:.2f}x req/s, p99 {p99:.1f}x at {top} connections"
            f"{f', {r.errors} errors' if r.errors else ''}: "
            f"{'met' if met else 'MISSED'} (goal {goal})"
        )
    return lines


@dataclass
class Reference:
    """The reference app: its key, and its port once started."""

    key: str
    port: int = 0


def one_pass(
    home: Path,
    url: str,
    workers: int,
    secret: str,
    paths: dict[str, list[str]],
    reference: Reference,
    stack: ExitStack,
    args: argparse.Namespace,
) -> list[wrk.Cell]:
    """``risk serve --workers WORKERS`` over the database at ``url``: every cell. The
    first pass also fills and starts the reference (it runs until ``stack`` closes)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = home / f"serve-{workers}.log"
    command = [*SERVE, "--home", str(home), "serve", "--port", str(port)]
    command += ["--workers", str(workers)] if workers > 1 else []
    server = start(command, _env(url), home, port, log, "risk serve")
    try:
        if not reference.port:
            store = home.parent / "reference.db"
            clients = sorted({p.removeprefix("/clients/") for p in paths[REFERENCE]})
            write_store(store, [hash_key(reference.key)], fetch_bodies(base, secret, clients))
            reference.port = free_port()
            command = [sys.executable, "-m", "tests.bench.reference_app"]
            command += ["--store", str(store), "--port", str(reference.port)]
            log_file = home.parent / "reference.log"
            process = start(command, _env(""), ROOT, reference.port, log_file, "reference")
            stack.callback(stop, process)
        cookie = {"Cookie": sign_in(base, secret)}
        targets: dict[str, tuple[str, list[str], dict[str, str]]] = {}
        for route, listed in paths.items():
            if route == REFERENCE:
                address = f"http://127.0.0.1:{reference.port}"
                targets[route] = (address, listed, {"X-API-Key": reference.key})
            else:
                targets[route] = (
                    base,
                    listed,
                    cookie if route.startswith("/app/") else {"X-API-Key": secret},
                )
        scripts = {}
        for n, (route, (target, listed, headers)) in enumerate(targets.items()):
            script = home / f"route{n}.lua"
            script.write_text(wrk.lua_script(listed, headers))
            scripts[route] = (target, script)
        warm(targets)
        counts = args.connections if workers == 1 else args.connections[-1:]
        if len(counts) < len(args.connections):
            # The one-process pass reaches its largest cell with its caches warmed by the
            # smaller ones; this pass gets the same, unmeasured, before measuring.
            print(f"  warming each route for {args.seconds} s at 8 connections", flush=True)
            for target, script in scripts.values():
                wrk.run(args.wrk, target, script, 8, args.seconds)
        cells = wrk.measure(args.wrk, scripts, counts, args.seconds, REFERENCE)
    finally:
        stop(server)
    logged = log.read_text().count('"event": "request"')
    print(f"  server logged {logged:,} requests", flush=True)
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seconds", type=int, default=8, help="per cell (route x connections)")
    parser.add_argument("--connections", default="1,8,32", help="comma-separated")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--bench-workers", default="1,2", help="risk serve --workers, comma-separated"
    )
    parser.add_argument(
        "--read-cache-mb",
        type=int,
        default=None,
        help="the server's RISK_READ_CACHE_MB (0: every answer computed; default: its own)",
    )
    args, _ = parser.parse_known_args()  # `make bench` passes every bench the same options
    if args.read_cache_mb is not None:
        os.environ["RISK_BENCH_READ_CACHE_MB"] = str(args.read_cache_mb)
    args.connections = sorted({int(c) for c in args.connections.split(",")})
    passes = sorted({int(w) for w in args.bench_workers.split(",")})

    began = time.perf_counter()
    args.wrk = wrk.ensure_wrk()
    if any(w > 1 for w in passes) and not serve_has_workers():
        print(
            "note: `risk serve --help` offers no --workers: the 2-worker pass is skipped",
            flush=True,
        )
        passes = [w for w in passes if w == 1]
    firm, models = build(args.clients, args.months)
    print(
        f"firm: {args.clients:,} clients x {args.months} months, models fitted on 300 x 18; "
        f"PM {firm.pm}: {len(firm.clients)} clients, {len(firm.invoices)} invoices; "
        f"built in {time.perf_counter() - began:.0f} s; wrk {args.seconds} s per cell, "
        f"{os.cpu_count()} CPUs shared by wrk, the server and the reference",
        flush=True,
    )
    paths = request_paths(firm)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    summary: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        reference = Reference(key=PREFIX + secrets.token_urlsafe(32))
        for database in databases:
            url = ""
            if database == "postgresql":
                given = stack.enter_context(postgres_url(required=args.database == "postgresql"))
                if given is None:
                    continue
                url = given
            print(f"\n--- {database}", flush=True)
            home = Path(tmp) / database
            secret = load_and_score(url, home, firm, models)
            first = first_visits(home, url, secret, paths)
            print("\n" + "\n".join(first), flush=True)
            summary += [f"{database}, first visits, one at a time:", *first[1:]]
            for workers in passes:
                title = f"{database}, risk serve --workers {workers}"
                print(f"\n  {title}", flush=True)
                cells = one_pass(home, url, workers, secret, paths, reference, stack, args)
                lines = verdicts(cells)
                print("  verdicts:\n" + "\n".join(lines), flush=True)
                summary += [f"{title}:", *lines]
    print("\n=== verdicts\n" + "\n".join(summary), flush=True)
    print(f"bench_api took {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()
