"""How an alert leaves: email over SMTP, a signed webhook, or a log file when no channel
is set. One ``Channels`` per delivery run; an alert is delivered only when every
configured channel took it. Errors say what kind of failure it was, never a
server's text or a URL (they may hold credentials: Slack webhook URLs are secrets).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from risk.alerts.messages import email_message, webhook_body
from risk.settings import Settings

#: Seconds a webhook request may take before it counts as a failed attempt.
WEBHOOK_TIMEOUT = 10.0
#: Seconds an SMTP connection or command may take.
SMTP_TIMEOUT = 30.0


class DeliveryError(Exception):
    """A channel refused or could not take an alert; the message is safe to store."""


def sign(body: bytes, timestamp: str, secret: str) -> str:
    """The ``X-Billing-Risk-Signature`` value: ``sha256=<hex HMAC-SHA256>`` of the
    ``X-Billing-Risk-Timestamp`` value, a dot and the body.

    The timestamp is signed too, so a captured request cannot be replayed later
    under a fresh one. A receiver verifies with ``hmac.compare_digest(sign(body,
    timestamp, secret), header)`` over the exact bytes it received, before
    parsing them, and refuses a timestamp more than a few minutes old."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class Channels:
    """The configured channels; an alert is delivered only when all of them took it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.mailer = _Mailer(settings) if settings.smtp_host else None
        self.webhook = bool(settings.webhook_url)

    def send(self, alert_id: str, recipient: str, payload: dict[str, Any]) -> str:
        """Send one alert through every configured channel; the channels' names."""
        names = []
        if self.mailer is not None:
            self.mailer.send(email_message(alert_id, recipient, payload, self.settings.smtp_from))
            names.append("email")
        if self.webhook:
            # A webhook failure after a sent email fails the whole attempt; the retry
            # sends the email again under the same Message-ID, which is safe.
            post_webhook(alert_id, payload, self.settings)
            names.append("webhook")
        if not names:
            append_to_log(alert_id, recipient, payload, self.settings.home)
            names.append("log")
        return "+".join(names)

    def close(self) -> None:
        if self.mailer is not None:
            self.mailer.close()


class _Mailer:
    """One SMTP connection per delivery run, reopened after an error."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if s.smtp_security == "tls":
            connection = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            connection = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT)
            if s.smtp_security == "starttls":
                connection.starttls(context=context)
        try:
            if s.smtp_user:
                connection.login(s.smtp_user, s.smtp_password.get_secret_value())
        except BaseException:
            _quietly(connection.close)
            raise
        return connection

    def send(self, message: EmailMessage) -> None:
        try:
            if self.connection is not None:
                try:
                    self.connection.send_message(message)
                    return
                except smtplib.SMTPServerDisconnected:
                    # The server closed the connection kept from the previous alert
                    # (idle timeout): one fresh connection before calling it a failure.
                    self._drop()
            self.connection = self._connect()
            self.connection.send_message(message)
        except smtplib.SMTPResponseException as exc:
            self._drop()
            # The code says what happened; the server's text may echo the credentials.
            raise DeliveryError(f"email: {type(exc).__name__} {exc.smtp_code}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop()
            codes = sorted({code for code, _ in exc.recipients.values()})
            raise DeliveryError(f"email: recipient refused {codes}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise DeliveryError(f"email: {_describe(exc)}") from None

    def _drop(self) -> None:
        if self.connection is not None:
            _quietly(self.connection.close)
            self.connection = None

    def close(self) -> None:
        if self.connection is not None:
            _quietly(self.connection.quit)
        self._drop()


def _quietly(action: Callable[[], object]) -> None:
    # Closing a broken connection may fail too; the alert's outcome is already known.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        action()


def _describe(exc: BaseException) -> str:
    """The kind of a network error, without its message (it may hold a URL or host)."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{type(exc).__name__} errno {exc.errno}"
    return type(exc).__name__


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET and call the answer a
    # success; a redirect is not a 2xx, so it is a failed attempt.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_webhook(alert_id: str, payload: dict[str, Any], settings: Settings) -> None:
    """POST the alert; any answer but a 2xx, or no answer, raises ``DeliveryError``."""
    body = webhook_body(payload, settings.webhook_format)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "billing-risk",
        "Idempotency-Key": alert_id,
        "X-Billing-Risk-Timestamp": str(int(time.time())),
    }
    secret = settings.webhook_secret.get_secret_value()
    if secret:
        headers["X-Billing-Risk-Signature"] = sign(
            body, headers["X-Billing-Risk-Timestamp"], secret
        )
    request = urllib.request.Request(
        settings.webhook_url, data=body, headers=headers, method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DeliveryError(f"webhook: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        # Never the URL or the server's words: the URL may be the secret itself.
        raise DeliveryError(f"webhook: {_describe(exc)}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook: HTTP {status}")


def append_to_log(alert_id: str, recipient: str, payload: dict[str, Any], home: Path) -> None:
    """With no channel configured, keep the alert as one JSON line in ``home/alerts.log``."""
    path = home / "alerts.log"
    line = json.dumps(
        {
            "alert_id": alert_id,
            "recipient": recipient,
            "logged_at": datetime.now(UTC).isoformat(),
            "payload": payload,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            # On disk before the row says "sent": a power cut must not drop it.
            os.fsync(handle.fileno())
    except OSError as exc:
        raise DeliveryError(f"log: {_describe(exc)}") from None
