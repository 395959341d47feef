"""Deliver the alert outbox: email, a webhook, or a log file, at least once.

``risk.alerts.queue`` writes alerts into the ``alerts`` table inside the score
run's transaction, so an alert exists exactly when the flag change that caused
it was committed. This module sends what waits there. Its guarantee is *at
least once*, never *exactly once*, because no transaction can span the
database and an SMTP server or an HTTP receiver:

1. **Claim.** Each due row is claimed with a lease by one atomic
   compare-and-set ``UPDATE ... WHERE state = 'pending' AND (lease_until IS NULL
   OR lease_until < now)`` in its own short transaction; the deliverer owns the
   row only if that UPDATE changed exactly one row. Both SQLite (one writer at a
   time) and PostgreSQL (the WHERE is re-checked after a concurrent update)
   guarantee that two deliverers cannot both win, without ``SELECT FOR UPDATE``.
2. **Send**, outside any transaction, so a slow receiver holds no lock.
3. **Mark** the row ``sent`` (or count a failed attempt) only while this
   deliverer still holds the lease.

A deliverer that dies between 1 and 3 leaves the row pending with its lease;
once the lease expires, another deliverer sends it again. Receivers therefore
see every alert at least once and must deduplicate by its idempotency key, the
alert id, which every channel carries (``Message-ID: <alert_id@billing-risk>``
and ``Idempotency-Key`` headers; ``alert_id`` in JSON). Leases compare wall
clocks, so deliverers on different hosts need clocks in sync to within a small
fraction of ``alert_lease_seconds``.

A failed attempt is retried with exponential backoff (``alert_backoff_seconds``
doubling per attempt) until ``alert_attempts`` attempts have failed; the row is
then ``failed`` and stays visible in ``risk alerts status``. Message texts and
secrets are never logged, and ``last_error`` holds only an error's kind and
code: an SMTP reply or a URL can carry credentials (Slack webhook URLs are
secrets themselves).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, update

from risk.settings import Settings
from risk.tables import alerts

log = logging.getLogger(__name__)

#: Seconds a webhook request may take before it counts as a failed attempt.
WEBHOOK_TIMEOUT = 10.0
#: Seconds an SMTP connection or command may take.
SMTP_TIMEOUT = 30.0
#: ``last_error`` is for an operator's eye, not a stack trace.
_ERROR_LENGTH = 200
#: The longest wait between two attempts (seconds): a week.
_MAX_BACKOFF = 7 * 24 * 3600.0


@dataclass
class DeliveryReport:
    """What one ``deliver`` call did: alerts sent, to be retried later, given up on."""

    sent: int
    retried: int
    failed: int


class DeliveryError(Exception):
    """A channel refused or could not take an alert; the message is safe to store."""


@dataclass(frozen=True)
class _Claimed:
    alert_id: str
    recipient: str
    payload: dict[str, Any]
    attempts: int
    # What queue() may change while we send: if either differs at marking time,
    # the lead has not seen the newest state yet.
    level: str
    run_id: int | None


def sign(body: bytes, timestamp: str, secret: str) -> str:
    """The ``X-Billing-Risk-Signature`` value: ``sha256=<hex HMAC-SHA256>`` of the
    ``X-Billing-Risk-Timestamp`` value, a dot and the body.

    The timestamp is signed too, so a captured request cannot be replayed later
    under a fresh one. A receiver verifies with ``hmac.compare_digest(sign(body,
    timestamp, secret), header)`` over the exact bytes it received, before
    parsing them, and refuses a timestamp more than a few minutes old."""
    message = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def deliver(
    engine: Engine,
    settings: Settings,
    *,
    worker: str | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> DeliveryReport:
    """Send up to ``limit`` due pending alerts, oldest first, through the configured channels.

    ``worker`` names this deliverer in the lease (default: host, process and a
    random suffix). ``now`` fixes the clock (tests, replays); by default each
    step reads the current time, so a lease starts when its row is claimed.
    """
    owner = (worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")[:100]

    def clock() -> datetime:
        return datetime.now(UTC) if now is None else _utc(now)

    lease = timedelta(seconds=settings.alert_lease_seconds)
    report = DeliveryReport(sent=0, retried=0, failed=0)
    started = clock()
    with engine.connect() as connection:
        due = list(
            connection.execute(
                select(alerts.c.alert_id)
                .where(
                    alerts.c.state == "pending",
                    alerts.c.next_attempt_at <= started,
                    (alerts.c.lease_until.is_(None)) | (alerts.c.lease_until < started),
                )
                .order_by(alerts.c.created_at, alerts.c.alert_id)
                .limit(limit)
            ).scalars()
        )
    if not due:
        return report
    channels = _Channels(settings)
    try:
        for alert_id in due:
            claimed = _claim(engine, str(alert_id), owner, clock(), lease)
            if claimed is None:  # another deliverer has it, or it was sent meanwhile
                continue
            try:
                channel = channels.send(claimed)
            except DeliveryError as exc:
                outcome = _record_failure(engine, claimed, owner, clock(), str(exc), settings)
            except Exception as exc:
                # A bad payload must not stop the batch nor sit leased until the lease
                # runs out; only the error's type is kept, its message may quote the text.
                log.error("alert %s: %s while sending", claimed.alert_id, type(exc).__name__)
                error = f"unexpected {type(exc).__name__}"
                outcome = _record_failure(engine, claimed, owner, clock(), error, settings)
            else:
                outcome = _record_sent(engine, claimed, owner, clock(), channel)
            if outcome == "sent":
                report.sent += 1
            elif outcome == "failed":
                report.failed += 1
            elif outcome == "retry":
                report.retried += 1
    finally:
        channels.close()
    log.info(
        "alert delivery by %s: %d sent, %d to retry, %d failed",
        owner,
        report.sent,
        report.retried,
        report.failed,
    )
    return report


def _utc(moment: datetime) -> datetime:
    # SQLite keeps no offset: every stored time must be UTC, and naive means UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _claim(
    engine: Engine, alert_id: str, owner: str, at: datetime, lease: timedelta
) -> _Claimed | None:
    """Take the row's lease by compare-and-set; None when someone else holds it."""
    with engine.begin() as connection:
        won = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == alert_id,
                alerts.c.state == "pending",
                # Re-checked: another deliverer may have failed it into its backoff
                # since we listed it.
                alerts.c.next_attempt_at <= at,
                (alerts.c.lease_until.is_(None)) | (alerts.c.lease_until < at),
            )
            .values(lease_until=at + lease, leased_by=owner)
        ).rowcount
        if won != 1:
            return None
        # Read in the claiming transaction: the content sent is the content leased.
        row = connection.execute(
            select(
                alerts.c.recipient,
                alerts.c.payload,
                alerts.c.attempts,
                alerts.c.level,
                alerts.c.run_id,
            ).where(alerts.c.alert_id == alert_id)
        ).one()
    return _Claimed(
        alert_id=alert_id,
        recipient=str(row.recipient),
        payload=dict(row.payload),
        attempts=int(row.attempts),
        level=str(row.level),
        run_id=row.run_id,
    )


def _record_sent(engine: Engine, claimed: _Claimed, owner: str, at: datetime, channel: str) -> str:
    with engine.begin() as connection:
        marked = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == claimed.alert_id,
                alerts.c.state == "pending",
                alerts.c.leased_by == owner,
                alerts.c.level == claimed.level,
                alerts.c.run_id.is_not_distinct_from(claimed.run_id),
            )
            .values(
                state="sent",
                attempts=claimed.attempts + 1,
                sent_at=at,
                channel=channel,
                lease_until=None,
                leased_by=None,
                last_error=None,
            )
        ).rowcount
        if marked == 1:
            log.info("alert %s sent by %s", claimed.alert_id, channel)
            return "sent"
        # A score run replaced the waiting alert while we sent the old state: the
        # newer one waits under a new key and goes out next. Not a failed attempt.
        superseded = (
            connection.execute(
                select(alerts.c.alert_id).where(alerts.c.alert_id == claimed.alert_id)
            ).first()
            is None
        )
    if superseded:
        log.info(
            "alert %s was replaced while being sent; the newer one goes out next", claimed.alert_id
        )
        return "retry"
    # Our lease expired and another deliverer took the row: it will send and mark
    # it, so this copy was one of the allowed duplicates.
    log.warning("alert %s: lease lost before marking it sent", claimed.alert_id)
    return "lost"


def _record_failure(
    engine: Engine,
    claimed: _Claimed,
    owner: str,
    at: datetime,
    error: str,
    settings: Settings,
) -> str:
    attempts = claimed.attempts + 1
    gave_up = attempts >= settings.alert_attempts
    # Capped, so a large alert_attempts cannot overflow timedelta.
    delay = timedelta(
        seconds=min(settings.alert_backoff_seconds * 2 ** (attempts - 1), _MAX_BACKOFF)
    )
    with engine.begin() as connection:
        marked = connection.execute(
            update(alerts)
            .where(
                alerts.c.alert_id == claimed.alert_id,
                alerts.c.state == "pending",
                alerts.c.leased_by == owner,
            )
            .values(
                state="failed" if gave_up else "pending",
                attempts=attempts,
                last_error=error[:_ERROR_LENGTH],
                next_attempt_at=at + delay,
                lease_until=None,
                leased_by=None,
            )
        ).rowcount
    if marked != 1:
        log.warning("alert %s: lease lost before recording a failed attempt", claimed.alert_id)
        return "lost"
    log.warning(
        "alert %s: attempt %d of %d failed (%s)%s",
        claimed.alert_id,
        attempts,
        settings.alert_attempts,
        error[:_ERROR_LENGTH],
        "; giving up" if gave_up else "",
    )
    return "failed" if gave_up else "retry"


# --- channels ----------------------------------------------------------------


class _Channels:
    """The configured channels; an alert is delivered only when all of them took it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.mailer = _Mailer(settings) if settings.smtp_host else None
        self.webhook = bool(settings.webhook_url)

    def send(self, claimed: _Claimed) -> str:
        names = []
        if self.mailer is not None:
            self.mailer.send(
                email_message(
                    claimed.alert_id, claimed.recipient, claimed.payload, self.settings.smtp_from
                )
            )
            names.append("email")
        if self.webhook:
            # A webhook failure after a sent email fails the whole attempt; the retry
            # sends the email again under the same Message-ID, which is safe.
            post_webhook(claimed.alert_id, claimed.payload, self.settings)
            names.append("webhook")
        if not names:
            append_to_log(claimed.alert_id, claimed.recipient, claimed.payload, self.settings.home)
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


# --- email -------------------------------------------------------------------

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "dispute": "dispute",
        "churn": "churn",
        "high": "HIGH",
        "elevated": "ELEVATED",
        "subject": "{level} {risk} risk: {name}",
        "headline": "{name} (client {client_id}) is at {level} {risk} risk{was}.",
        "was": " (was {previous})",
        "probability": "Probability: {p:.0%} as of {as_of}.",
        "why": "Why:",
        "next": "Next step:",
        "open": "Open:",
        "footer": "Alert {alert_id}. A repeated message with this id is the same alert.",
    },
    "de": {
        "dispute": "Rechnungsstreit-Risiko",
        "churn": "Abwanderungsrisiko",
        "high": "HOCH",
        "elevated": "ERHÖHT",
        "subject": "{risk} {level}: {name}",
        "headline": "{name} (Kunde {client_id}): {risk} {level}{was}.",
        "was": " (vorher {previous})",
        "probability": "Wahrscheinlichkeit: {p:.0%} zum {as_of}.",
        "why": "Gründe:",
        "next": "Nächster Schritt:",
        "open": "Öffnen:",
        "footer": "Alarm {alert_id}. Eine wiederholte Nachricht mit dieser Kennung "
        "ist derselbe Alarm.",
    },
}


def _words(payload: dict[str, Any]) -> dict[str, str]:
    return _WORDS.get(str(payload.get("language") or "en"), _WORDS["en"])


def _facts(payload: dict[str, Any]) -> dict[str, str]:
    """The payload's facts in the lead's language, for every text channel."""
    words = _words(payload)
    risk = str(payload.get("risk", ""))
    level = str(payload.get("level", ""))
    previous = payload.get("previous_level")
    return {
        "name": str(payload.get("client_name") or payload.get("client_id", "")),
        "client_id": str(payload.get("client_id", "")),
        "risk": words.get(risk, risk),
        "level": words.get(level, level.upper()),
        "was": words["was"].format(previous=words.get(str(previous), str(previous)).lower())
        if previous
        else "",
    }


def subject(payload: dict[str, Any]) -> str:
    """``[billing-risk] HIGH dispute risk: Client name``, or its German wording."""
    return "[billing-risk] " + _words(payload)["subject"].format(**_facts(payload))


def _probability(payload: dict[str, Any]) -> str:
    """``Probability: 42% as of 2025-06-30.``; empty when the payload has none."""
    if payload.get("probability") is None:
        return ""
    line = _words(payload)["probability"].format(
        p=float(payload["probability"]), as_of=payload.get("as_of", "")
    )
    # German typesetting puts a space before the percent sign.
    return line.replace("%", " %") if payload.get("language") == "de" else line


def text_body(alert_id: str, payload: dict[str, Any]) -> str:
    """The plain-text alert: what, why, the next step and the link."""
    words, facts = _words(payload), _facts(payload)
    lines = [words["headline"].format(**facts)]
    probability = _probability(payload)
    if probability:
        lines.append(probability)
    reasons = [str(reason) for reason in payload.get("reasons") or []]
    if reasons:
        lines += ["", words["why"], *(f"- {reason}" for reason in reasons)]
    if payload.get("next_step"):
        lines += ["", f"{words['next']} {payload['next_step']}"]
    if payload.get("url"):
        lines += ["", f"{words['open']} {payload['url']}"]
    lines += ["", "-- ", words["footer"].format(alert_id=alert_id)]
    return "\n".join(lines) + "\n"


def email_message(
    alert_id: str, recipient: str, payload: dict[str, Any], sender: str
) -> EmailMessage:
    """The alert as an email; its Message-ID is the idempotency key."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject(payload)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # Mail systems and clients dedupe by Message-ID: a resent alert is one message.
    message["Message-ID"] = f"<{alert_id}@billing-risk>"
    message["Idempotency-Key"] = alert_id
    # Keeps vacation responders from answering an automated alert.
    message["Auto-Submitted"] = "auto-generated"
    language = str(payload.get("language") or "en")
    message["Content-Language"] = language if language in _WORDS else "en"
    message.set_content(text_body(alert_id, payload))
    return message


# --- webhook -----------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would turn a redirected POST into a GET and call the answer a
    # success; a redirect is not a 2xx, so it is a failed attempt.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def webhook_body(payload: dict[str, Any], webhook_format: str) -> bytes:
    """The exact bytes POSTed: the payload as JSON, or a Slack-compatible message."""
    document = slack_message(payload) if webhook_format == "slack" else payload
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn reads &, < and > as markup.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_message(payload: dict[str, Any]) -> dict[str, Any]:
    """``{"text": ..., "blocks": [...]}`` carrying the payload's facts."""
    alert_id = str(payload.get("alert_id", ""))
    words, facts = _words(payload), _facts(payload)
    headline = words["headline"].format(**facts)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": subject(payload)[:150]},
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(headline)}},
    ]
    probability = _probability(payload)
    if probability:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(probability)}}
        )
    reasons = [str(reason) for reason in payload.get("reasons") or []]
    if reasons:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{words['why']}*\n"
                    + "\n".join(f"• {_slack_escape(reason)}" for reason in reasons),
                },
            }
        )
    if payload.get("next_step"):
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*{words['next']}* {_slack_escape(str(payload['next_step']))}",
                },
            }
        )
    if payload.get("url"):
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"<{payload['url']}|{_slack_escape(words['open'].rstrip(':'))}>",
                },
            }
        )
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"alert {alert_id}"}]}
    )
    # The text is the notification's fallback, and Slack reads it as mrkdwn too.
    return {"text": _slack_escape(f"{subject(payload)}. {headline}"), "blocks": blocks}


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


# --- log file ----------------------------------------------------------------


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
