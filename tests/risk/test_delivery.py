"""Alert delivery against real components: a migrated database (SQLite, and
PostgreSQL where it answers), a real SMTP server (aiosmtpd), a real HTTP receiver,
and real processes killed with SIGKILL between the steps of a delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from sqlalchemy import Connection, Engine, create_engine, insert, select, text, update
from sqlalchemy.exc import OperationalError

from risk.alerts.outbox import DeliveryReport, deliver, queue
from risk.alerts.transports import sign
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.tables import alerts, flags, score_runs
from tests.conftest import ROOT, service_missing
from tests.servers import SECRET, Mailbox, Received, Receiver

pytestmark = pytest.mark.integration

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AS_OF = date(2025, 6, 30)
RISK_CLI = str(Path(sys.executable).parent / "risk")


class Client(NamedTuple):
    client_id: str
    name: str
    language: str
    recipient: str


ACME = Client("C-001", "Acme Ltd", "en", "lead.one@example.com")
MUELLER = Client("C-002", "Müller & Söhne GmbH", "de", "lead.two@example.com")
CLIENTS = [
    ACME,
    MUELLER,
    *(Client(f"C-{n:03}", f"Client {n}", "en", "l@x.org") for n in range(3, 40)),
]

REASONS = {
    "en": ["3 billing questions in the last 30 days.", "Survey score fell by 4 points."],
    "de": ["3 Rechnungsfragen in den letzten 30 Tagen.", "Umfragewert um 4 Punkte gefallen."],
}
NEXT_STEP = {
    "en": "Call the client about the open invoice.",
    "de": "Rufen Sie den Kunden wegen der offenen Rechnung an.",
}


def payload_for(client: Client, level: str = "high", risk: str = "dispute") -> dict[str, Any]:
    """What ``risk.scoring`` puts into an alert."""
    return {
        "client_id": client.client_id,
        "client_name": client.name,
        "risk": risk,
        "level": level,
        "previous_level": "elevated" if level == "high" else None,
        "probability": 0.4213,
        "as_of": AS_OF.isoformat(),
        "reasons": REASONS[client.language],
        "next_step": NEXT_STEP[client.language],
        "language": client.language,
        "url": f"http://risk.example/clients/{client.client_id}",
    }


def new_run(connection: Connection) -> int:
    result = connection.execute(
        insert(score_runs).values(
            as_of=AS_OF,
            started_at=datetime.now(UTC),
            started_by="test",
            models={"dispute": "billing-risk-dispute/1"},
            notes={},
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def queue_alert(connection: Connection, run_id: int, client: Client, level: str = "high") -> str:
    """A flag for the client (opened if needed) and its alert, as a score run writes them."""
    flag_id = connection.execute(
        select(flags.c.flag_id).where(
            flags.c.client_id == client.client_id, flags.c.status == "open"
        )
    ).scalar()
    if flag_id is None:
        flag_id = uuid.uuid4().hex
        connection.execute(
            insert(flags).values(
                flag_id=flag_id,
                client_id=client.client_id,
                risk="dispute",
                status="open",
                level=level,
                probability=0.4213,
                trend="new",
                reasons=[{"text": reason} for reason in REASONS[client.language]],
                next_step=NEXT_STEP[client.language],
                opened_on=AS_OF,
                opened_run_id=run_id,
                updated_run_id=run_id,
            )
        )
    return queue(
        connection,
        flag_id=flag_id,
        client_id=client.client_id,
        risk="dispute",
        level=level,
        recipient=client.recipient,
        payload=payload_for(client, level),
        run_id=run_id,
    )


def seed(engine: Engine, clients: Sequence[Client]) -> list[str]:
    """One committed score run that queued an alert per client; the alert ids."""
    with engine.begin() as connection:
        run_id = new_run(connection)
        return [queue_alert(connection, run_id, client) for client in clients]


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives times back without their (UTC) offset."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def rows(engine: Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as connection:
        found = connection.execute(select(alerts)).mappings().all()
    result = {}
    for row in found:
        values = dict(row)
        for column in ("next_attempt_at", "lease_until", "sent_at", "created_at"):
            values[column] = utc(values[column])
        result[str(row["alert_id"])] = values
    return result


def make_settings(home: Path, **values: Any) -> Settings:
    """Settings with every channel stated, so the caller's environment cannot leak in."""
    base: dict[str, Any] = {
        "home": home,
        "smtp_host": "",
        "smtp_user": "",
        "smtp_password": "",
        "webhook_url": "",
        "webhook_secret": "",
        "webhook_format": "json",
        "alert_attempts": 8,
        "alert_backoff_seconds": 10.0,
        "alert_lease_seconds": 120.0,
    }
    return Settings(_env_file=None, **{**base, **values})  # type: ignore[call-arg]


# --- databases ------------------------------------------------------------------


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'risk.store.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgresql_engine() -> Iterator[Engine]:
    """A migrated, empty schema of its own in the test PostgreSQL, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as exc:
        admin.dispose()
        service_missing(f"PostgreSQL at 127.0.0.1:5432 does not answer ({type(exc).__name__})")
    engine = create_engine(
        PG_URL, connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 3}
    )
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Engine:
    return request.getfixturevalue(f"{request.param}_engine")  # type: ignore[no-any-return]


# --- the core: webhook on SQLite and PostgreSQL ------------------------------------------


def test_sign_is_hmac_sha256_of_the_timestamp_and_body() -> None:
    body = b'{"alert_id":"a1"}'
    expected = hmac.new(b"k3y", b"1767866400." + body, hashlib.sha256).hexdigest()
    assert sign(body, "1767866400", "k3y") == f"sha256={expected}"
    assert sign(body, "1767866400", "other") != sign(body, "1767866400", "k3y")
    assert sign(body + b" ", "1767866400", "k3y") != sign(body, "1767866400", "k3y")
    # A replay under a fresh timestamp does not verify.
    assert sign(body, "1767866401", "k3y") != sign(body, "1767866400", "k3y")


def test_webhook_delivers_every_alert_once_signed(
    engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    ids = seed(engine, CLIENTS[:3])
    settings = make_settings(tmp_path, webhook_url=receiver.url, webhook_secret=SECRET)
    before = time.time()

    report = deliver(engine, settings, worker="w1")

    assert report == DeliveryReport(sent=3, retried=0, failed=0)
    assert len(receiver.requests) == 3
    assert receiver.keys() == Counter(ids)
    stored = rows(engine)
    # Oldest first: the order they were queued in.
    oldest_first = sorted(ids, key=lambda alert_id: (stored[alert_id]["created_at"], alert_id))
    assert [request.key for request in receiver.requests] == oldest_first
    for request in receiver.requests:
        assert receiver.verified(request)
        assert request.json() == stored[str(request.key)]["payload"]
        assert request.json()["alert_id"] == request.key
        assert request.timestamp is not None
        assert before - 2 <= int(request.timestamp) <= time.time() + 2
    for alert_id in ids:
        row = stored[alert_id]
        assert row["state"] == "sent"
        assert row["channel"] == "webhook"
        assert row["attempts"] == 1  # the delivery itself was an attempt
        assert row["sent_at"] is not None
        assert row["lease_until"] is None
        assert row["leased_by"] is None
        assert row["last_error"] is None

    assert deliver(engine, settings, worker="w2") == DeliveryReport(0, 0, 0)
    assert len(receiver.requests) == 3


def test_concurrent_deliverers_never_send_a_row_twice(
    engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    ids = seed(engine, CLIENTS[:12])
    receiver.delay = 0.02  # keeps both deliverers busy at the same time
    settings = make_settings(tmp_path, webhook_url=receiver.url, webhook_secret=SECRET)
    start = threading.Barrier(2)
    reports: dict[str, DeliveryReport] = {}

    def run(worker: str) -> None:
        start.wait()
        reports[worker] = deliver(engine, settings, worker=worker)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(reports) == ["a", "b"]
    assert reports["a"].sent + reports["b"].sent == 12
    assert reports["a"].retried + reports["b"].retried == 0
    assert receiver.keys() == Counter(ids)  # each key exactly once
    assert len(receiver.requests) == 12
    assert {row["state"] for row in rows(engine).values()} == {"sent"}


def test_a_leased_row_waits_for_its_lease_to_expire(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    held, free = seed(sqlite_engine, [ACME, MUELLER])
    t0 = datetime.now(UTC)
    # A deliverer claimed ``held`` and crashed before marking it: its lease stands.
    with sqlite_engine.begin() as connection:
        connection.execute(
            update(alerts)
            .where(alerts.c.alert_id == held)
            .values(lease_until=t0 + timedelta(seconds=60), leased_by="crashed:1")
        )
    settings = make_settings(tmp_path, webhook_url=receiver.url, webhook_secret=SECRET)

    assert deliver(sqlite_engine, settings, now=t0 + timedelta(seconds=59)) == DeliveryReport(
        1, 0, 0
    )
    assert receiver.keys() == Counter([free])
    assert rows(sqlite_engine)[held]["state"] == "pending"
    assert rows(sqlite_engine)[held]["leased_by"] == "crashed:1"

    later = t0 + timedelta(seconds=61)
    assert deliver(sqlite_engine, settings, now=later) == DeliveryReport(1, 0, 0)
    assert receiver.keys() == Counter([free, held])
    row = rows(sqlite_engine)[held]
    assert (row["state"], row["leased_by"], row["lease_until"]) == ("sent", None, None)
    assert row["sent_at"] == later


# --- retries ------------------------------------------------------------------


def test_failed_attempt_backs_off_then_succeeds(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    (alert_id,) = seed(sqlite_engine, [ACME])
    receiver.fail_first = 1
    settings = make_settings(tmp_path, webhook_url=receiver.url, alert_backoff_seconds=10)
    t0 = datetime.now(UTC) + timedelta(seconds=1)

    assert deliver(sqlite_engine, settings, now=t0) == DeliveryReport(0, 1, 0)
    row = rows(sqlite_engine)[alert_id]
    assert row["state"] == "pending"
    assert row["attempts"] == 1
    assert row["next_attempt_at"] == t0 + timedelta(seconds=10)
    assert row["last_error"] == "webhook: HTTP 500"
    assert (row["lease_until"], row["leased_by"]) == (None, None)

    # Not due yet: nothing is sent.
    assert deliver(sqlite_engine, settings, now=t0 + timedelta(seconds=9)) == DeliveryReport(
        0, 0, 0
    )
    assert len(receiver.requests) == 1

    done = t0 + timedelta(seconds=10)
    assert deliver(sqlite_engine, settings, now=done) == DeliveryReport(1, 0, 0)
    row = rows(sqlite_engine)[alert_id]
    assert (row["state"], row["attempts"], row["sent_at"]) == ("sent", 2, done)
    assert receiver.keys() == Counter({alert_id: 2})
    assert receiver.requests[0].body == receiver.requests[1].body


def test_gives_up_after_alert_attempts(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    (alert_id,) = seed(sqlite_engine, [ACME])
    receiver.fail_first = 100
    settings = make_settings(
        tmp_path, webhook_url=receiver.url, alert_attempts=3, alert_backoff_seconds=10
    )
    t0 = datetime.now(UTC) + timedelta(seconds=1)

    assert deliver(sqlite_engine, settings, now=t0) == DeliveryReport(0, 1, 0)
    t1 = t0 + timedelta(seconds=10)
    assert deliver(sqlite_engine, settings, now=t1) == DeliveryReport(0, 1, 0)
    row = rows(sqlite_engine)[alert_id]
    assert (row["attempts"], row["next_attempt_at"]) == (2, t1 + timedelta(seconds=20))

    t2 = t1 + timedelta(seconds=20)
    assert deliver(sqlite_engine, settings, now=t2) == DeliveryReport(0, 0, 1)
    row = rows(sqlite_engine)[alert_id]
    assert (row["state"], row["attempts"], row["last_error"]) == ("failed", 3, "webhook: HTTP 500")
    assert deliver(sqlite_engine, settings, now=t2 + timedelta(days=30)) == DeliveryReport(0, 0, 0)
    assert len(receiver.requests) == 3


def test_unreachable_webhook_keeps_its_url_out_of_the_error(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    (alert_id,) = seed(sqlite_engine, [ACME])
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/T0SECRETTOKEN"
    settings = make_settings(tmp_path, webhook_url=url, webhook_secret=SECRET)

    assert deliver(sqlite_engine, settings) == DeliveryReport(0, 1, 0)
    error = rows(sqlite_engine)[alert_id]["last_error"]
    assert error.startswith("webhook: ConnectionRefusedError")
    assert "T0SECRETTOKEN" not in error
    assert str(port) not in error
    assert SECRET not in error


def test_alert_updated_while_being_sent_goes_out_again(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    (alert_id,) = seed(sqlite_engine, [ACME])

    def level_changes_meanwhile(request: Received) -> None:
        if len(receiver.requests) == 1:  # a score run commits while the first POST is out
            with sqlite_engine.begin() as connection:
                queue_alert(connection, new_run(connection), ACME, level="elevated")

    receiver.on_request = level_changes_meanwhile
    settings = make_settings(tmp_path, webhook_url=receiver.url)

    assert deliver(sqlite_engine, settings) == DeliveryReport(0, 1, 0)
    (newer,) = rows(sqlite_engine).values()  # replaced, under a new idempotency key
    assert newer["alert_id"] != alert_id
    assert (newer["state"], newer["attempts"], newer["leased_by"]) == ("pending", 0, None)
    assert newer["payload"]["level"] == "elevated"

    assert deliver(sqlite_engine, settings) == DeliveryReport(1, 0, 0)
    assert [request.json()["level"] for request in receiver.requests] == ["high", "elevated"]
    assert [request.key for request in receiver.requests] == [alert_id, newer["alert_id"]]
    assert rows(sqlite_engine)[newer["alert_id"]]["state"] == "sent"


# --- formats and channels ------------------------------------------------------------


def test_slack_format_has_text_and_blocks(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    (alert_id,) = seed(sqlite_engine, [MUELLER])
    settings = make_settings(tmp_path, webhook_url=receiver.url, webhook_format="slack")

    assert deliver(sqlite_engine, settings) == DeliveryReport(1, 0, 0)
    (request,) = receiver.requests
    assert request.key == alert_id
    assert request.signature is None  # no secret configured
    body = request.json()
    assert sorted(body) == ["blocks", "text"]
    # Slack reads &, < and > as markup: escaped in mrkdwn, plain in the plain-text header.
    assert body["text"].startswith(
        "[billing-risk] Rechnungsstreit-Risiko HOCH: Müller &amp; Söhne GmbH. "
    )
    assert body["blocks"][0] == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "[billing-risk] Rechnungsstreit-Risiko HOCH: Müller & Söhne GmbH",
        },
    }
    blocks = json.dumps(body["blocks"], ensure_ascii=False)
    for reason in REASONS["de"]:
        assert reason in blocks
    assert NEXT_STEP["de"] in blocks
    assert "Wahrscheinlichkeit: 42 % zum 30.06.2025." in blocks
    assert "http://risk.example/clients/C-002" in blocks
    assert alert_id in blocks
    assert all("type" in block for block in body["blocks"])


def test_no_channel_appends_json_lines_to_the_log(sqlite_engine: Engine, tmp_path: Path) -> None:
    ids = seed(sqlite_engine, [ACME, MUELLER])
    home = tmp_path / "not" / "yet" / "there"
    settings = make_settings(home)

    assert deliver(sqlite_engine, settings) == DeliveryReport(2, 0, 0)
    lines = (home / "alerts.log").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [entry["alert_id"] for entry in entries] == ids
    stored = rows(sqlite_engine)
    for entry in entries:
        assert entry["payload"] == stored[entry["alert_id"]]["payload"]
        assert entry["recipient"] == stored[entry["alert_id"]]["recipient"]
    assert {(row["state"], row["channel"]) for row in stored.values()} == {("sent", "log")}

    assert deliver(sqlite_engine, settings) == DeliveryReport(0, 0, 0)
    assert len((home / "alerts.log").read_text(encoding="utf-8").splitlines()) == 2


def test_email_arrives_once_in_the_clients_language(
    sqlite_engine: Engine, mailbox: tuple[Mailbox, int], tmp_path: Path
) -> None:
    box, port = mailbox
    english, german = seed(sqlite_engine, [ACME, MUELLER])
    settings = make_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user="risk-bot",
        smtp_password=box.password,
        smtp_from="billing-risk@firm.example",
    )

    assert deliver(sqlite_engine, settings) == DeliveryReport(2, 0, 0)
    assert deliver(sqlite_engine, settings) == DeliveryReport(0, 0, 0)

    assert len(box.mails) == 2
    assert box.logins == [("risk-bot", box.password)]  # one connection for the run
    by_id = {mail.message["Message-ID"]: mail for mail in box.mails}
    assert sorted(by_id) == sorted([f"<{english}@billing-risk>", f"<{german}@billing-risk>"])

    en = by_id[f"<{english}@billing-risk>"]
    assert en.mail_from == "billing-risk@firm.example"
    assert en.rcpt_tos == [ACME.recipient]
    assert en.message["Idempotency-Key"] == english
    assert en.message["Subject"] == "[billing-risk] HIGH dispute risk: Acme Ltd"
    body = en.message.get_content()
    assert "Acme Ltd (client C-001) is at HIGH dispute risk (was elevated)." in body
    assert "Probability: 42% as of 2025-06-30." in body
    for reason in REASONS["en"]:
        assert f"- {reason}" in body
    assert f"Next step: {NEXT_STEP['en']}" in body
    assert "Open: http://risk.example/clients/C-001" in body

    de = by_id[f"<{german}@billing-risk>"]
    assert de.rcpt_tos == [MUELLER.recipient]
    assert de.message["Idempotency-Key"] == german
    assert de.message["Subject"] == (
        "[billing-risk] Rechnungsstreit-Risiko HOCH: Müller & Söhne GmbH"
    )
    body = de.message.get_content()
    assert "Müller & Söhne GmbH (Kunde C-002): Rechnungsstreit-Risiko HOCH (vorher erhöht)." in (
        body
    )
    assert "Wahrscheinlichkeit: 42 % zum 30.06.2025." in body
    assert "Gründe:" in body
    for reason in REASONS["de"]:
        assert f"- {reason}" in body
    assert f"Nächster Schritt: {NEXT_STEP['de']}" in body
    assert "Öffnen: http://risk.example/clients/C-002" in body
    assert "Why:" not in body

    stored = rows(sqlite_engine)
    assert {(row["state"], row["channel"]) for row in stored.values()} == {("sent", "email")}


def test_refused_smtp_login_is_retried_without_the_password(
    sqlite_engine: Engine, mailbox: tuple[Mailbox, int], tmp_path: Path
) -> None:
    box, port = mailbox
    (alert_id,) = seed(sqlite_engine, [ACME])
    settings = make_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_user="risk-bot",
        smtp_password="wrong-pass-77",
    )

    assert deliver(sqlite_engine, settings) == DeliveryReport(0, 1, 0)
    assert box.mails == []
    row = rows(sqlite_engine)[alert_id]
    assert row["last_error"] == "email: SMTPAuthenticationError 535"
    assert "wrong-pass-77" not in row["last_error"]


def test_email_and_webhook_must_both_succeed(
    sqlite_engine: Engine, mailbox: tuple[Mailbox, int], receiver: Receiver, tmp_path: Path
) -> None:
    box, port = mailbox
    (alert_id,) = seed(sqlite_engine, [ACME])
    receiver.fail_first = 1
    settings = make_settings(
        tmp_path,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        webhook_url=receiver.url,
        webhook_secret=SECRET,
    )
    t0 = datetime.now(UTC) + timedelta(seconds=1)

    assert deliver(sqlite_engine, settings, now=t0) == DeliveryReport(0, 1, 0)
    assert (len(box.mails), len(receiver.requests)) == (1, 1)
    assert rows(sqlite_engine)[alert_id]["state"] == "pending"

    assert deliver(sqlite_engine, settings, now=t0 + timedelta(seconds=10)) == DeliveryReport(
        1, 0, 0
    )
    # The retry resent both, under the same idempotency key.
    assert [mail.message["Message-ID"] for mail in box.mails] == [f"<{alert_id}@billing-risk>"] * 2
    assert receiver.keys() == Counter({alert_id: 2})
    row = rows(sqlite_engine)[alert_id]
    assert (row["state"], row["channel"]) == ("sent", "email+webhook")


# --- crashes of real processes ----------------------------------------------------


def cli_env(database_url: str, **values: str) -> dict[str, str]:
    """The environment of a ``risk`` process: ours without any RISK_ setting, plus these."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("RISK_")}
    env["RISK_DATABASE_URL"] = database_url
    env.update({f"RISK_{key.upper()}": value for key, value in values.items()})
    return env


WRITER = textwrap.dedent(
    """
    import json, sys, time
    from risk.store.db import make_engine
    from tests.risk.test_delivery import CLIENTS, new_run, queue_alert, seed

    engine = make_engine(sys.argv[1])
    ids = seed(engine, CLIENTS[:3])
    with engine.begin() as connection:  # a second run, killed before it commits
        queue_alert(connection, new_run(connection), CLIENTS[3])
        print(json.dumps(ids), flush=True)
        time.sleep(60)
    """
)


def test_alerts_of_a_killed_writer_are_all_delivered_by_the_cli(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    url = sqlite_engine.url.render_as_string(hide_password=False)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        ids = json.loads(writer.stdout.readline())
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(10)
    assert writer.returncode == -signal.SIGKILL
    # The committed run's alerts wait in the outbox; the killed run left nothing.
    assert sorted(rows(sqlite_engine)) == sorted(ids)
    with sqlite_engine.connect() as connection:
        clients = connection.execute(select(flags.c.client_id)).scalars().all()
    assert sorted(clients) == ["C-001", "C-002", "C-003"]

    done = subprocess.run(
        [RISK_CLI, "--home", str(tmp_path / "home"), "alerts", "deliver"],
        cwd=tmp_path,
        env=cli_env(url, webhook_url=receiver.url, webhook_secret=SECRET),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "sent 3, retry later 0, failed 0"
    assert receiver.keys() == Counter(ids)
    assert all(receiver.verified(request) for request in receiver.requests)
    assert {row["state"] for row in rows(sqlite_engine).values()} == {"sent"}


def test_deliverer_killed_after_sending_is_redelivered_after_its_lease(
    sqlite_engine: Engine, receiver: Receiver, tmp_path: Path
) -> None:
    ids = seed(sqlite_engine, [ACME, MUELLER, CLIENTS[2]])
    receiver.hold_first = True
    url = sqlite_engine.url.render_as_string(hide_password=False)
    env = cli_env(url, webhook_url=receiver.url, webhook_secret=SECRET, alert_lease_seconds="1")
    command = [RISK_CLI, "--home", str(tmp_path / "home"), "alerts", "deliver"]

    first = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert receiver.held.wait(30), "the deliverer never sent"
    finally:
        first.send_signal(signal.SIGKILL)  # sent, but not yet marked sent
        first.communicate(timeout=10)
        receiver.release.set()
    assert first.returncode == -signal.SIGKILL
    held = receiver.requests[0].key
    stored = rows(sqlite_engine)
    assert held == min(ids, key=lambda alert_id: (stored[alert_id]["created_at"], alert_id))
    others = [alert_id for alert_id in ids if alert_id != held]
    row = stored[held]
    assert row["state"] == "pending"
    assert row["attempts"] == 0
    assert row["leased_by"] is not None
    lease_until = row["lease_until"]
    assert lease_until is not None

    # While the dead deliverer's lease runs, another one leaves its row alone.
    settings = make_settings(tmp_path, webhook_url=receiver.url, webhook_secret=SECRET)
    early = deliver(sqlite_engine, settings, now=lease_until - timedelta(milliseconds=300))
    assert early == DeliveryReport(2, 0, 0)
    assert receiver.keys() == Counter([held, *others])

    time.sleep(max(0.0, (lease_until - datetime.now(UTC)).total_seconds() + 0.05))
    second = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "sent 1, retry later 0, failed 0"

    # Every alert arrived; the killed delivery was repeated under the same key.
    assert len(receiver.requests) == 4
    assert receiver.keys() == Counter([held, held, *others])
    assert set(receiver.keys()) == set(ids)  # deduplicated by key: each alert once
    copies = [request.body for request in receiver.requests if request.key == held]
    assert copies[0] == copies[1]
    assert all(receiver.verified(request) for request in receiver.requests)
    stored = rows(sqlite_engine)
    assert {(row["state"], row["leased_by"]) for row in stored.values()} == {("sent", None)}
