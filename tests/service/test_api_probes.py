"""Probes of the running service, kept as tests so what they found stays fixed
(``pytest -m reliability`` runs them with the rest of the reliability suite).

What an outside probe found: a body or a text of any size was read whole; a bad
id was echoed whole in the 422; a database held by another writer answered a
plain-text 500 after 30 s, and the command line a 71-line traceback; actions on
a cleared flag answered 200 and wrote events; the timeline had no pages; JSON
answers lacked ``nosniff``. Each is checked here on SQLite and, where a lock
behaves differently, on PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select, text, update
from typer.testing import CliRunner

from features.bundle.contract import TEXT_MAX_LENGTH
from features.simulation import write_bundle
from risk.scoring.flags import acknowledge
from risk.scoring.run import score
from risk.settings import Settings
from risk.store.db import BUSY, make_engine, upgrade
from risk.store.load import load
from risk.store.tables import api_keys, flag_events, flags
from service.app import create_app
from service.cli import EXIT_BUSY
from service.cli import app as cli
from service.limits import INGEST_BODY_BYTES
from tests.conftest import POSTGRES_URL, postgres_schema
from tests.service.api_firm import THRESHOLDS, ScoredFirm, copy_home, open_flags
from tests.service.test_api import GOOD, count, key, problem

pytestmark = [pytest.mark.integration, pytest.mark.reliability]


@pytest.fixture(scope="module")
def api(api_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings)) as client:
        yield client


def _own_flag(firm: ScoredFirm, settings: Settings) -> tuple[str, str]:
    """(flag id, client id) of an open flag the PM may see."""
    found = open_flags(settings)
    mine = found[found["client_id"].isin(firm.visible("pm"))]
    assert not mine.empty
    return str(mine["flag_id"].iloc[0]), str(mine["client_id"].iloc[0])


def _events(settings: Settings, flag_id: str) -> int:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(flag_events)
                    .where(flag_events.c.flag_id == flag_id)
                ).scalar_one()
            )
    finally:
        engine.dispose()


# --- limits at the door ----------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    before = count(api_settings, "messages")
    body = b'{"file": "messages", "rows": [' + b" " * INGEST_BODY_BYTES + b"]}"
    response = api.post(
        "/ingest",
        headers={**key(api_firm, "admin"), "Content-Type": "application/json"},
        content=body,
    )
    assert "at most" in problem(response, 413, ["body"])["msg"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"file": "messages", "rows": ['
        for _ in range(INGEST_BODY_BYTES // (1024 * 1024) + 1):
            yield b" " * (1024 * 1024)
        yield b"]}"

    chunked = api.post(
        "/ingest",
        headers={**key(api_firm, "admin"), "Content-Type": "application/json"},
        content=chunks(),
    )
    problem(chunked, 413, ["body"])
    # A form or a small JSON body has a small limit of its own.
    flag_id, _ = _own_flag(api_firm, api_settings)
    problem(
        api.post(
            f"/flags/{flag_id}/snooze",
            headers=key(api_firm, "pm"),
            json={"until": "2099-01-01", "reason": "x" * 100_000},
        ),
        413,
        ["body"],
    )
    assert count(api_settings, "messages") == before


def test_a_text_over_the_limit_is_refused_by_its_field_and_not_echoed(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    _, client_id = _own_flag(api_firm, api_settings)
    row = dict(GOOD, client_id=client_id, message_id="M-PROBE-LONG", text="a@" * TEXT_MAX_LENGTH)
    before = count(api_settings, "messages")
    response = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": [row]}
    )
    found = problem(response, 422, ["body", "rows", 0, "text"])
    assert f"at most {TEXT_MAX_LENGTH:,}" in found["msg"]
    assert len(response.content) < 2_000
    assert count(api_settings, "messages") == before


def test_a_bad_value_of_any_size_is_echoed_as_a_short_prefix(
    api: TestClient, api_firm: ScoredFirm
) -> None:
    huge = "C" * 1_000_000
    rows = [dict(GOOD, client_id=huge, project_id=huge, message_id="M-PROBE-ID", **{huge: 1})]
    response = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": rows}
    )
    problem(response, 422)
    assert len(response.content) < 4_000
    long = huge[:60_000]  # about as long as a client library sends in a path
    for path in (f"/clients/{long}", f"/clients/{long}/timeline", f"/invoices/{long}/explanation"):
        answer = api.get(path, headers=key(api_firm, "pm"))
        assert answer.status_code in (404, 422)
        assert len(answer.content) < 2_000


def test_every_answer_says_nosniff(api: TestClient, api_firm: ScoredFirm) -> None:
    for method, path, headers in (
        ("GET", "/health", {}),
        ("GET", "/metrics", {}),
        ("GET", "/openapi.json", {}),
        ("GET", "/flags", {}),
        ("GET", "/flags", key(api_firm, "pm")),
        ("GET", "/no-such-route", {}),
        ("POST", "/ingest", key(api_firm, "pm")),
        ("GET", "/login", {}),
    ):
        response = api.request(method, path, headers=headers)
        assert response.headers.get("X-Content-Type-Options") == "nosniff", (method, path)


# --- flags that have cleared -----------------------------------------------------------


def test_acknowledging_or_snoozing_a_cleared_flag_is_a_conflict(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    flag_id, _ = _own_flag(api_firm, api_settings)
    engine = make_engine(api_settings.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(flags)
            .where(flags.c.flag_id == flag_id)
            .values(status="cleared", level=None, trend="cleared")
        )
    engine.dispose()
    before = _events(api_settings, flag_id)
    pm = key(api_firm, "pm")
    for action, body in (("ack", None), ("snooze", {"until": "2099-01-01", "reason": "later"})):
        found = problem(api.post(f"/flags/{flag_id}/{action}", headers=pm, json=body), 409)
        assert found["loc"] == ["path", "flag_id"]
        assert "cleared" in found["msg"]
    assert _events(api_settings, flag_id) == before
    # Whether it was right is often known only once it has cleared: feedback is kept.
    verdict = api.post(f"/flags/{flag_id}/feedback", headers=pm, json={"verdict": "false_alarm"})
    assert verdict.status_code == 200, verdict.text
    assert _events(api_settings, flag_id) == before + 1


# --- the timeline in pages ---------------------------------------------------------------


def test_the_timeline_comes_in_pages_that_join_up(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    _, client_id = _own_flag(api_firm, api_settings)
    pm = key(api_firm, "pm")
    whole = api.get(f"/clients/{client_id}/timeline", headers=pm, params={"limit": 5000}).json()
    assert {"messages", "invoices", "spend", "since", "before", "links"} <= set(whole)
    since, before = (datetime.fromisoformat(whole[k]) for k in ("since", "before"))
    assert before - since == timedelta(days=365)
    assert len(whole["messages"]) > 6, "the client needs messages for pages"
    for message in whole["messages"]:
        assert since <= datetime.fromisoformat(message["sent_at"]) < before
    seen: list[dict[str, Any]] = []
    url: str | None = f"/clients/{client_id}/timeline?limit=3"
    while url is not None and len(seen) < len(whole["messages"]):
        page = api.get(url, headers=pm)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["messages"]) <= 3 or len({m["sent_at"] for m in body["messages"]}) < len(
            body["messages"]
        )
        seen = body["messages"] + seen  # each page is older than the one before
        url = body["links"]["next"]
    assert [m["message_id"] for m in seen[-len(whole["messages"]) :]] == [
        m["message_id"] for m in whole["messages"]
    ]
    problem(api.get(f"/clients/{client_id}/timeline", headers=pm, params={"limit": 0}), 422)
    problem(
        api.get(f"/clients/{client_id}/timeline", headers=pm, params={"before": "soon"}),
        422,
        ["query", "before"],
    )


# --- a busy database -------------------------------------------------------------------


def _writes_are_refused_as_busy(
    api: TestClient, firm: ScoredFirm, flag_id: str, client_id: str
) -> None:
    """A flag action and an ingest, while another writer holds the database."""
    row = dict(GOOD, client_id=client_id, message_id="M-PROBE-BUSY")
    for response in (
        api.post(f"/flags/{flag_id}/ack", headers=key(firm, "pm")),
        api.post("/ingest", headers=key(firm, "admin"), json={"file": "messages", "rows": [row]}),
    ):
        assert problem(response, 503, ["database"])["msg"] == BUSY
        assert int(response.headers["Retry-After"]) > 0


def test_a_write_that_cannot_get_sqlites_lock_is_a_503_and_stores_nothing(
    api_firm: ScoredFirm, api_settings: Settings
) -> None:
    settings = api_settings.model_copy(update={"lock_timeout_seconds": 1.0})
    flag_id, client_id = _own_flag(api_firm, settings)
    before = (_events(settings, flag_id), count(settings, "messages"))
    holder = sqlite3.connect(settings.home / "risk.store.db", isolation_level=None)
    with TestClient(create_app(settings)) as api:
        holder.execute("BEGIN IMMEDIATE")  # another writer: a load, a score run
        try:
            _writes_are_refused_as_busy(api, api_firm, flag_id, client_id)
            assert api.get("/flags", headers=key(api_firm, "pm")).status_code == 200  # reads go on
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert (_events(settings, flag_id), count(settings, "messages")) == before
        assert api.post(f"/flags/{flag_id}/ack", headers=key(api_firm, "pm")).status_code == 200


def test_a_command_that_finds_sqlite_busy_says_so_and_exits_tempfail(
    api_firm: ScoredFirm, api_settings: Settings, tmp_path: Path
) -> None:
    write_bundle(api_firm.bundle, tmp_path / "bundle")
    holder = sqlite3.connect(api_settings.home / "risk.store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(
            cli,
            ["--home", str(api_settings.home), "load", str(tmp_path / "bundle")],
            env={"RISK_LOCK_TIMEOUT_SECONDS": "1"},
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == EXIT_BUSY, result.output
    assert result.output.strip().endswith(f"error: {BUSY}")
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def postgres_firm(
    api_firm: ScoredFirm, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The scored firm again, in a PostgreSQL schema of its own (dropped afterwards)."""
    with postgres_schema() as schema:
        settings = Settings(
            home=tmp_path_factory.mktemp("postgres-home"),
            database_url=f"{POSTGRES_URL}?options=-csearch_path%3D{schema}",
            mlflow_tracking_uri=api_firm.mlflow_uri,
            lock_timeout_seconds=1.0,
            **THRESHOLDS,
        )
        engine = make_engine(settings.database_url)
        try:
            upgrade(engine)
            load(engine, api_firm.bundle, "test")
            score(engine, settings, "test")
            # The same callers: their keys' rows, so the same secrets open this database.
            source = make_engine(f"sqlite:///{api_firm.home / 'risk.store.db'}")
            with source.connect() as connection:
                keys = [dict(row) for row in connection.execute(select(api_keys)).mappings()]
            source.dispose()
            with engine.begin() as connection:
                connection.execute(insert(api_keys), keys)
        finally:
            engine.dispose()
        yield settings


def test_a_write_that_cannot_get_a_postgresql_lock_is_a_503_and_stores_nothing(
    api_firm: ScoredFirm, postgres_firm: Settings
) -> None:
    flag_id, client_id = _own_flag(api_firm, postgres_firm)
    before = (_events(postgres_firm, flag_id), count(postgres_firm, "messages"))
    holder = make_engine(postgres_firm.database_url)
    with TestClient(create_app(postgres_firm)) as api, holder.connect() as held:
        transaction = held.begin()
        held.execute(select(flags.c.flag_id).where(flags.c.flag_id == flag_id).with_for_update())
        held.execute(text("LOCK TABLE messages IN EXCLUSIVE MODE"))
        try:
            _writes_are_refused_as_busy(api, api_firm, flag_id, client_id)
        finally:
            transaction.rollback()
        assert (_events(postgres_firm, flag_id), count(postgres_firm, "messages")) == before
        assert api.post(f"/flags/{flag_id}/ack", headers=key(api_firm, "pm")).status_code == 200
    holder.dispose()


def test_kept_answers_on_postgresql_follow_a_write_here_at_once_and_elsewhere_in_moments(
    api_firm: ScoredFirm, postgres_firm: Settings
) -> None:
    """The read cache's version on PostgreSQL comes by notification: this process's
    own write must not wait for it, another process's arrives within moments."""
    headers = key(api_firm, "pm")
    with TestClient(create_app(postgres_firm)) as api:

        def acknowledged_by(flag_id: str) -> str | None:
            items = api.get("/flags", headers=headers).json()["items"]
            return str({f["flag_id"]: f["acknowledged_by"] for f in items}[flag_id] or "") or None

        listed = api.get("/flags", headers=headers).json()
        here, elsewhere = [f["flag_id"] for f in listed["items"] if f["acknowledged_by"] is None][
            :2
        ]
        assert api.get("/flags", headers=headers).json() == listed  # kept: the same answer
        assert api.post(f"/flags/{here}/ack", headers=headers).status_code == 200
        assert acknowledged_by(here) is not None
        engine = make_engine(postgres_firm.database_url)
        try:  # as `risk flags ack` in another process would
            acknowledge(engine, elsewhere, "colleague@firm.example")
        finally:
            engine.dispose()
        deadline = time.monotonic() + 5
        while acknowledged_by(elsewhere) is None:
            assert time.monotonic() < deadline, "another process's write unseen after 5 s"
            time.sleep(0.01)
        assert acknowledged_by(elsewhere) == "colleague@firm.example"


def test_a_score_run_that_waits_on_another_run_says_the_database_is_busy(
    postgres_firm: Settings,
) -> None:
    from risk.scoring.run import RUN_LOCK

    runs = _count_runs(postgres_firm)
    holder = make_engine(postgres_firm.database_url)
    with holder.connect() as held:
        # The run's lock, held by another session (keyed as risk.store.db.serialise keys it).
        lock = "SELECT pg_advisory_{}(hashtext(:name), hashtext(current_schema()))"
        held.execute(text(lock.format("lock")), {"name": RUN_LOCK})
        try:
            result = CliRunner().invoke(
                cli,
                ["--home", str(postgres_firm.home), "score", "--top", "0"],
                env={
                    "RISK_DATABASE_URL": postgres_firm.database_url,
                    "MLFLOW_TRACKING_URI": postgres_firm.mlflow_tracking_uri,
                    "RISK_LOCK_TIMEOUT_SECONDS": "1",
                },
            )
        finally:
            held.execute(text(lock.format("unlock")), {"name": RUN_LOCK})
    holder.dispose()
    assert result.exit_code == EXIT_BUSY, result.output
    assert f"error: {BUSY}" in result.output
    assert "Traceback" not in result.output
    assert _count_runs(postgres_firm) == runs


def _count_runs(settings: Settings) -> int:
    from risk.store.tables import score_runs

    engine: Engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(score_runs)).scalar_one()
            )
    finally:
        engine.dispose()


# --- nothing private in the log --------------------------------------------------------


def test_a_failing_write_logs_json_without_the_text_the_author_or_the_key(
    api_firm: ScoredFirm, tmp_path: Path
) -> None:
    """A real ``risk serve``: its whole stderr is read, as an operator's log would be."""
    settings = copy_home(api_firm, tmp_path / "home")
    database = sqlite3.connect(settings.home / "risk.store.db")
    with database:  # the database refuses these writes, as a full disk or a bug would
        database.execute(
            "CREATE TRIGGER probe_messages BEFORE INSERT ON messages "
            "BEGIN SELECT RAISE(ABORT, 'refused by the probe'); END"
        )
        database.execute(
            "CREATE TRIGGER probe_events BEFORE INSERT ON flag_events "
            "BEGIN SELECT RAISE(ABORT, 'refused by the probe'); END"
        )
    database.close()
    flag_id, client_id = _own_flag(api_firm, settings)
    text = "Private: our CFO Ms Quigley doubts the March invoice, do not forward"
    author = "quigley.cfo@client-private.example"
    port = _free_port()
    log = tmp_path / "stderr.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "risk"), "serve", "--port", str(port)],
            env={
                **os.environ,
                "RISK_HOME": str(settings.home),
                "MLFLOW_TRACKING_URI": settings.mlflow_tracking_uri,
            },
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            row = dict(
                GOOD, client_id=client_id, message_id="M-PROBE-LOG", text=text, author=author
            )
            ingest = httpx.post(
                f"{base}/ingest",
                headers=key(api_firm, "admin"),
                json={"file": "messages", "rows": [row]},
                timeout=30,
            )
            problem(ingest, 500, ["server"])
            ack = httpx.post(f"{base}/flags/{flag_id}/ack", headers=key(api_firm, "pm"), timeout=30)
            problem(ack, 500, ["server"])
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    failures = [r for r in records if r["event"] == "database error"]
    assert len(failures) == 2, lines
    for failure in failures:
        assert failure["error"].endswith("IntegrityError")
        assert failure["traceback"]
        assert "statement" in failure
    everything = log.read_text(encoding="utf-8")
    private = [text, "Quigley", author, *(c.secret for c in api_firm.callers.values())]
    private.append(api_firm.callers["pm"].email)
    for secret in private:
        assert secret not in everything, secret


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"risk serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("risk serve did not answer within 60 s")


def test_risk_serve_with_two_workers_serves_from_two_processes_and_stops(
    api_firm: ScoredFirm, tmp_path: Path
) -> None:
    """``--workers 2``: two processes answer on one port, with the command line's own
    ``--home`` (passed to them through the environment), and SIGTERM stops them all."""
    settings = copy_home(api_firm, tmp_path / "home")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISK_")}
    env["MLFLOW_TRACKING_URI"] = settings.mlflow_tracking_uri
    server = subprocess.Popen(
        [
            *(str(Path(sys.executable).parent / "risk"), "--home", str(settings.home)),
            *("serve", "--port", str(port), "--workers", "2"),
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, server)
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        commands = [Path(f"/proc/{child}/cmdline").read_bytes() for child in children]
        # Besides multiprocessing's resource tracker: the two servers.
        assert sum(b"spawn_main" in command for command in commands) == 2, commands
        with httpx.Client(base_url=base, headers=key(api_firm, "pm"), timeout=30) as client:
            answers = [client.get("/flags") for _ in range(20)]
            assert [answer.status_code for answer in answers] == [200] * 20
            flag = next(f for f in answers[0].json()["items"] if f["acknowledged_by"] is None)
            assert client.post(f"/flags/{flag['flag_id']}/ack").status_code == 200
            # Whichever process answers, its kept list has moved with the write.
            # (a connection each, so both processes take some).
            fresh = {"Connection": "close"}
            after = [client.get("/flags", headers=fresh).json()["items"] for _ in range(20)]
        acknowledged = [
            {f["flag_id"]: f["acknowledged_by"] for f in a}[flag["flag_id"]] for a in after
        ]
        assert None not in acknowledged
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    assert server.returncode == 0
