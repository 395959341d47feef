"""Real servers for the tests that deliver: an HTTP receiver for webhooks and an SMTP
server (aiosmtpd), both on 127.0.0.1 at a port the OS picks. ``tests/conftest.py``
makes ``receiver`` and ``mailbox`` fixtures of every test."""

from __future__ import annotations

import asyncio
import hmac
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

#: The webhook secret the receiver verifies signatures with, unless told another.
SECRET = "whsec-test-0123456789"

# --- an HTTP receiver -------------------------------------------------------------


@dataclass
class Received:
    key: str | None
    body: bytes
    signature: str | None
    timestamp: str | None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Records every POST; answers 500 to the first ``fail_first``; can hold the first
    request unanswered until ``release`` is set; verifies signatures with ``secret``."""

    secret: str = SECRET
    fail_first: int = 0
    hold_first: bool = False
    delay: float = 0.0
    on_request: Callable[[Received], None] | None = None
    requests: list[Received] = field(default_factory=list)
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def keys(self) -> Counter[str | None]:
        return Counter(request.key for request in self.requests)

    def verified(self, request: Received) -> bool:
        if request.signature is None or request.timestamp is None:
            return False
        signed = request.timestamp.encode() + b"." + request.body
        expected = "sha256=" + hmac.new(self.secret.encode(), signed, "sha256").hexdigest()
        fresh = abs(time.time() - int(request.timestamp)) < 300
        return fresh and hmac.compare_digest(expected, request.signature)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = Received(
            key=self.headers.get("Idempotency-Key"),
            body=body,
            signature=self.headers.get("X-Billing-Risk-Signature"),
            timestamp=self.headers.get("X-Billing-Risk-Timestamp"),
        )
        with receiver.lock:
            receiver.requests.append(request)
            number = len(receiver.requests)
        if receiver.on_request is not None:
            receiver.on_request(request)
        if receiver.hold_first and number == 1:
            # Received but never answered: the sender dies waiting for the 200.
            receiver.held.set()
            receiver.release.wait(30)
            self.close_connection = True
            return
        time.sleep(receiver.delay)
        self.send_response(500 if number <= receiver.fail_first else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    state = Receiver()
    server.receiver = state  # type: ignore[attr-defined]
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/risk"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


# --- an SMTP server -------------------------------------------------------------


class _Controller(Controller):
    # aiosmtpd probes the server on self.port after starting it: learn the port
    # the OS gave for port 0 first.
    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


@dataclass
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Mailbox:
    password: str = "mail-pass-42"
    mails: list[Mail] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook name)
        message = message_from_bytes(envelope.original_content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.mails.append(Mail(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        return AuthResult(success=password == self.password, handled=False)


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    controller = _Controller(
        box,
        hostname="127.0.0.1",
        port=0,
        authenticator=box.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield box, controller.port
    controller.stop()
