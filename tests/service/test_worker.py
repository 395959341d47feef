"""``risk worker`` as a real process, on SQLite and on PostgreSQL.

The worker runs as a subprocess of the installed ``risk`` command against a firm
loaded but not yet scored (so a run opens flags and queues alerts), a real HTTP
receiver for the webhook and a real SMTP server (aiosmtpd) for the digests. The
tests follow jobs through the API and the database: a job queued over the API
waits until a worker starts; a worker killed mid-score leaves its job to the next
one, one run stored, every alert delivered once by its idempotency key; SIGTERM
hands a running job back and exits within 10 s; two workers at one schedule tick
make one run and one digest per lead; a worker whose PostgreSQL connections are
terminated resumes. The debounce, the digest's content and the refusal of bad
settings are checked in this process with the worker's own functions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, insert, select, text, update
from typer.testing import CliRunner

from risk.alerts.digest import queue_digests
from risk.scoring import jobs
from risk.scoring.run import score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import create_key
from risk.store.load import load
from risk.store.tables import (
    alerts,
    data_arrivals,
    digests,
    flag_events,
    flags,
    score_jobs,
    score_runs,
)
from risk.worker.debounce import queue_after_arrivals
from service.app import create_app
from service.cli import app as cli
from tests.conftest import POSTGRES_URL, postgres_schema
from tests.servers import Mailbox, Receiver
from tests.service.api_firm import THRESHOLDS, ScoredFirm

pytestmark = pytest.mark.integration

RISK = Path(sys.executable).parent / "risk"
#: Short, so a dead worker's job is claimed again within the test.
LEASE_SECONDS = 4


@dataclass
class Firm:
    """A firm loaded into a fresh database, not yet scored, with the trained models."""

    kind: str
    url: str
    home: Path
    mlflow_uri: str
    engine: Engine
    admin: dict[str, str]

    def env(self, **extra: str) -> dict[str, str]:
        settings = {
            "RISK_HOME": str(self.home),
            "RISK_DATABASE_URL": self.url,
            "MLFLOW_TRACKING_URI": self.mlflow_uri,
            "RISK_OUTBOX_POLL_SECONDS": "0.5",
            "RISK_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
            "RISK_SCORE_AFTER_INGEST_SECONDS": "0",
            "RISK_DIGEST_TIME": "",
            **{f"RISK_{name.upper()}": str(value) for name, value in THRESHOLDS.items()},
        }
        return {**settings, **extra}

    def settings(self, **extra: Any) -> Settings:
        return Settings(
            home=self.home,
            database_url=self.url,
            mlflow_tracking_uri=self.mlflow_uri,
            **THRESHOLDS,  # type: ignore[arg-type]
            **extra,
        )

    def count(self, table: Any, *where: Any) -> int:
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count()).select_from(table).where(*where)
                ).scalar_one()
            )

    def job(self, job_id: int) -> Any:
        with self.engine.connect() as connection:
            return connection.execute(select(score_jobs).where(score_jobs.c.job_id == job_id)).one()


@pytest.fixture(params=["sqlite", "postgresql"])
def firm(request: pytest.FixtureRequest, api_firm: ScoredFirm, tmp_path: Path) -> Iterator[Firm]:
    home = tmp_path / "home"
    if request.param == "sqlite":
        with _loaded(request.param, f"sqlite:///{home / 'risk.store.db'}", home, api_firm) as found:
            yield found
        return
    with postgres_schema() as schema:
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name=w-{schema}"
        with _loaded(request.param, url, home, api_firm) as found:
            yield found


@pytest.fixture
def sqlite_firm(api_firm: ScoredFirm, tmp_path: Path) -> Iterator[Firm]:
    home = tmp_path / "home"
    with _loaded("sqlite", f"sqlite:///{home / 'risk.store.db'}", home, api_firm) as found:
        yield found


@pytest.fixture
def pg_firm(api_firm: ScoredFirm, tmp_path: Path) -> Iterator[Firm]:
    with postgres_schema() as schema:
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}&application_name=w-{schema}"
        with _loaded("postgresql", url, tmp_path / "home", api_firm) as found:
            yield found


class _loaded:  # noqa: N801 (a context manager read as a phrase)
    def __init__(self, kind: str, url: str, home: Path, source: ScoredFirm) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(url)
        upgrade(self.engine)
        load(self.engine, source.bundle, "test")
        _, secret = create_key(self.engine, "admin", "admin@firm.example", "test")
        self.firm = Firm(kind, url, home, source.mlflow_uri, self.engine, {"X-API-Key": secret})

    def __enter__(self) -> Firm:
        return self.firm

    def __exit__(self, *_: object) -> None:
        self.engine.dispose()


class Workers:
    """Worker processes started by a test, stopped (killed if need be) after it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [str(RISK), "worker"],
            env={**os.environ, **env},
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def log(self, index: int = 0) -> str:
        return (self.folder / f"worker-{index}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(10)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    yield started
    started.stop_all()


def until(
    check: Callable[[], Any], seconds: float, what: str, workers: Workers | None = None
) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    logs = (
        ""
        if workers is None
        else "\n".join(workers.log(i)[-3000:] for i in range(len(workers.started)))
    )
    raise AssertionError(f"{what} not within {seconds} s\n{logs}")


def delivered_once(firm: Firm, sink: Receiver) -> None:
    """Every alert in the outbox reached the receiver, and none twice."""
    with firm.engine.connect() as connection:
        ids = set(connection.execute(select(alerts.c.alert_id)).scalars())
    assert ids, "the run queued no alert: the test would prove nothing"
    keys = sink.keys()
    assert set(keys) == ids
    assert max(keys.values()) == 1, keys.most_common(3)


# --- jobs through the API, a worker process, the webhook -------------------------------


def test_a_queued_job_waits_for_a_worker_survives_its_death_and_sigterm_hands_it_back(
    firm: Firm, receiver: Receiver, workers: Workers
) -> None:
    with TestClient(create_app(firm.settings())) as api:
        queued = api.post("/score", headers=firm.admin)
        assert queued.status_code == 202, queued.text
        job_id = queued.json()["job_id"]
        time.sleep(2)  # no worker: nothing runs it
        assert api.get(f"/score/{job_id}", headers=firm.admin).json()["status"] == "queued"
        # A worker claims it and is killed mid-score: nothing stored, the job still running.
        first = workers.start(firm.env(RISK_WEBHOOK_URL=receiver.url))
        until(lambda: firm.job(job_id).status == "running", 60, "the job claimed", workers)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert firm.job(job_id).run_id is None
        # The next worker claims it once the lease runs out, scores once, delivers once.
        worker = workers.start(firm.env(RISK_WEBHOOK_URL=receiver.url))
        done = until(
            lambda: (
                (j := api.get(f"/score/{job_id}", headers=firm.admin).json())["status"]
                in ("done", "failed")
                and j
            ),
            150,
            "the job done",
            workers,
        )
        assert done["status"] == "done", done
        assert firm.job(job_id).attempts == 2
        assert firm.count(score_runs) == 1
        until(lambda: firm.count(alerts, alerts.c.state == "pending") == 0, 30, "alerts sent")
        delivered_once(firm, receiver)
        health = api.get("/health").json()
        assert health["status"] == "ok", health
        assert health["worker"]["last_run"]["run_id"] == done["run_id"]
        # SIGTERM while a job scores: the job goes back to the queue, nothing is stored.
        again = api.post("/score", headers=firm.admin, params={"as_of": "2025-12-14"}).json()
        until(lambda: firm.job(again["job_id"]).status == "running", 30, "the job claimed", workers)
        stopped_at = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(10) == 0
        assert time.monotonic() - stopped_at < 10
    left = firm.job(again["job_id"])
    assert left.status == "queued", workers.log(1)
    assert left.run_id is None
    assert firm.count(score_runs) == 1


# --- PostgreSQL: two workers at one tick, the digest, connections terminated ------------


def test_two_workers_at_one_tick_make_one_run_and_one_digest_per_lead_after_an_outage(
    pg_firm: Firm, mailbox: tuple[Mailbox, int], workers: Workers
) -> None:
    box, port = mailbox
    firm = pg_firm
    # The day's flags, moved before the digest.
    score(firm.engine, firm.settings(), "test")
    # A tick with its second, so the test waits seconds, not up to a minute.
    tick = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=15)
    with firm.engine.connect() as connection:
        moved = connection.execute(
            select(flags.c.client_id).join(flag_events, flag_events.c.flag_id == flags.c.flag_id)
        ).scalars()
        moved_clients = set(moved)
    env = firm.env(
        RISK_SCORE_SCHEDULE=f"{tick.second} {tick.minute} {tick.hour} * * *",
        RISK_DIGEST_TIME=f"{tick.hour:02d}:{tick.minute:02d}:{tick.second:02d}",
        RISK_SMTP_HOST="127.0.0.1",
        RISK_SMTP_PORT=str(port),
        RISK_SMTP_SECURITY="none",
    )
    workers.start(env)
    workers.start(env)
    # Their database connections terminated while they wait: they resume by the tick.
    until(lambda: "started" in workers.log(0) and "started" in workers.log(1), 30, "started")
    assert _terminate_connections(firm) >= 2
    wait = (tick - datetime.now(UTC)).total_seconds()
    until(
        lambda: firm.count(
            score_jobs, score_jobs.c.kind == "schedule", score_jobs.c.status == "done"
        ),
        wait + 120,
        "the scheduled run",
        workers,
    )
    leads = _leads_of(firm, moved_clients)

    def digest_mails() -> list[Any]:
        # The run before also queued alerts of its own flags: those are mailed too.
        with firm.engine.connect() as connection:
            ids = set(
                connection.execute(
                    select(alerts.c.alert_id).where(alerts.c.kind == "digest")
                ).scalars()
            )
        return [m for m in box.mails if m.message["Message-ID"].strip("<>").split("@")[0] in ids]

    until(lambda: len(digest_mails()) >= len(leads), 30, "the digests", workers)
    time.sleep(2)  # a second digest, were there one, would come now
    assert firm.count(score_jobs, score_jobs.c.kind == "schedule") == 1
    assert firm.count(score_runs) == 2  # the one before, and the tick's
    mails = digest_mails()
    assert sorted(r for mail in mails for r in mail.rcpt_tos) == sorted(leads)
    assert firm.count(digests, digests.c.alert_id.is_not(None)) == len(leads)
    for mail in mails:
        body = mail.message.get_body(("plain",))
        assert body is not None
        content = body.get_content()
        assert mail.message["Subject"].startswith("[billing-risk] ")
        for client in leads[mail.rcpt_tos[0]]:
            assert f"{client})" in content


# --- in this process: settings, debounce, digests, the CLI waiting --------------------


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("RISK_SCORE_SCHEDULE", "61 * * * *"),
        ("RISK_SCORE_SCHEDULE", "every morning"),
        ("RISK_TIMEZONE", "Mars/Olympus"),
        ("RISK_DIGEST_TIME", "25:00"),
    ],
)
def test_the_worker_refuses_a_malformed_schedule_naming_the_setting(
    setting: str, value: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["--home", str(tmp_path), "worker"], env={setting: value}, catch_exceptions=False
    )
    assert result.exit_code == 1
    assert setting in result.output
    assert repr(value) in result.output


def _arrive(engine: Engine, *moments: datetime) -> None:
    with engine.begin() as connection:
        for moment in moments:
            connection.execute(insert(data_arrivals).values(at=moment, source="ingest", rows=1))


def test_arrivals_make_one_job_once_they_settle_or_the_first_has_waited_too_long(
    database: Engine,
) -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    ten = [start + timedelta(seconds=20 * i) for i in range(10)]
    _arrive(database, *ten)
    last = ten[-1]
    assert queue_after_arrivals(database, 300, 3600, last + timedelta(seconds=299)) is None
    job_id = queue_after_arrivals(database, 300, 3600, last + timedelta(seconds=300))
    assert job_id is not None
    with database.connect() as connection:
        assert set(connection.execute(select(data_arrivals.c.job_id)).scalars()) == {job_id}
    assert queue_after_arrivals(database, 300, 3600, last + timedelta(hours=1)) is None
    # A steady trickle, never quiet for 300 s: one job at the first arrival's hour.
    trickle = [start + timedelta(hours=2, seconds=100 * i) for i in range(40)]
    _arrive(database, *trickle)
    assert queue_after_arrivals(database, 300, 3600, trickle[35]) is None
    second = queue_after_arrivals(database, 300, 3600, trickle[0] + timedelta(seconds=3600))
    assert second is not None
    assert second != job_id
    # Turned off: nothing is queued, however long data waits.
    _arrive(database, start + timedelta(hours=5))
    assert queue_after_arrivals(database, 0, 3600, start + timedelta(days=2)) is None


def test_an_ingest_and_a_load_are_noted_as_arrivals(firm: Firm) -> None:
    assert firm.count(data_arrivals) == 1  # the fixture's load
    with TestClient(create_app(firm.settings())) as api:
        row = {
            "message_id": "M-ARRIVAL-1",
            "client_id": "C-00001",
            "sent_at": "2026-01-06T09:00:00Z",
            "channel": "email",
            "direction": "inbound",
            "text": "Thanks for the update.",
        }
        added = api.post("/ingest", headers=firm.admin, json={"file": "messages", "rows": [row]})
        assert added.status_code == 200, added.text
        assert firm.count(data_arrivals) == 2
        # The same row again changes nothing: no news, no arrival.
        api.post("/ingest", headers=firm.admin, json={"file": "messages", "rows": [row]})
        assert firm.count(data_arrivals) == 2


def test_the_digest_lists_what_moved_once_a_day_in_the_leads_language(firm: Firm) -> None:
    settings = firm.settings(digest_pms=False)
    score(firm.engine, settings, "test")
    now = datetime.now(UTC) + timedelta(seconds=1)
    queued = queue_digests(firm.engine, settings, now)
    with firm.engine.connect() as connection:
        opened = connection.execute(
            select(flags.c.client_id, flags.c.risk).where(flags.c.status == "open")
        ).all()
        sent = connection.execute(
            select(alerts.c.payload).where(alerts.c.kind == "digest")
        ).scalars()
        payloads = list(sent)
    leads = _leads_of(firm, {client for client, _ in opened})
    assert queued == len(leads) == len(payloads)
    for payload in payloads:
        assert {c["change"] for c in payload["changes"]} == {"opened"}
        listed = {(c["client_id"], c["risk"]) for c in payload["changes"]}
        assert listed == {(c, r) for c, r in opened if c in leads[payload["recipient"]]}
    # Once a day: a second worker, or a second tick, queues nothing more today.
    assert queue_digests(firm.engine, settings, now + timedelta(minutes=1)) == 0
    # The next day, with nothing moved since: a row for the day, no email.
    assert queue_digests(firm.engine, settings, now + timedelta(days=1)) == 0
    # Flags that fell and cleared are told the next day after that.
    with firm.engine.begin() as connection:
        flag = connection.execute(select(flags).where(flags.c.status == "open").limit(1)).one()
        connection.execute(
            insert(flag_events).values(
                flag_id=flag.flag_id,
                at=now + timedelta(days=1, hours=2),
                kind="cleared",
                actor="test",
                previous_level=flag.level,
            )
        )
        connection.execute(
            update(flags)
            .where(flags.c.flag_id == flag.flag_id)
            .values(status="cleared", level=None)
        )
    assert queue_digests(firm.engine, settings, now + timedelta(days=2)) == 1
    with firm.engine.connect() as connection:
        latest = (
            connection.execute(
                select(alerts.c.payload)
                .where(alerts.c.kind == "digest")
                .order_by(alerts.c.created_at.desc())
            )
            .scalars()
            .first()
        )
    assert latest is not None
    assert [(c["client_id"], c["change"]) for c in latest["changes"]] == [
        (flag.client_id, "cleared")
    ]


def test_risk_score_waits_while_another_job_runs(sqlite_firm: Firm, tmp_path: Path) -> None:
    firm = sqlite_firm
    with firm.engine.begin() as connection:
        running = jobs.queue(connection, "api", "test")
        connection.execute(
            update(score_jobs)
            .where(score_jobs.c.job_id == running)
            .values(
                status="running",
                leased_by="elsewhere",
                lease_until=datetime.now(UTC) + timedelta(minutes=5),
            )
        )
    log = (tmp_path / "score.log").open("wb")
    process = subprocess.Popen(
        [str(RISK), "score", "--top", "0"],
        env={**os.environ, **firm.env()},
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        until(
            lambda: (
                f"waiting: score job {running} is running" in (tmp_path / "score.log").read_text()
            ),
            60,
            "risk score waiting",
        )
        assert firm.count(score_runs) == 0
        with firm.engine.begin() as connection:
            connection.execute(
                update(score_jobs).where(score_jobs.c.job_id == running).values(status="done")
            )
        assert process.wait(120) == 0, (tmp_path / "score.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
    assert firm.count(score_runs) == 1
    assert firm.count(score_jobs, score_jobs.c.kind == "cli", score_jobs.c.status == "done") == 1


# --- helpers ------------------------------------------------------------------------


def _terminate_connections(firm: Firm) -> int:
    """Terminate every connection of the firm's database URL (the workers' and this
    test's): the server stays up, as when a failover or an admin drops sessions."""
    application = firm.url.rsplit("application_name=", 1)[1]
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": application},
            ).scalar_one()
    finally:
        admin.dispose()
    firm.engine.dispose()  # this test's own connections went too
    return int(killed)


def _leads_of(firm: Firm, client_ids: set[str]) -> dict[str, set[str]]:
    """Each account lead with flagged clients, and those clients."""
    from risk.store.tables import CONTRACT

    clients = CONTRACT["clients"]
    with firm.engine.connect() as connection:
        rows = connection.execute(select(clients.c.client_id, clients.c.account_lead)).all()
    leads: dict[str, set[str]] = {}
    for client_id, lead in rows:
        if client_id in client_ids:
            leads.setdefault(lead, set()).add(client_id)
    return leads
