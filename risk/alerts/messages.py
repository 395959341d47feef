"""What an alert says, in the lead's language: the email (subject and text), the JSON
a webhook receives, and the Slack message. Nothing here sends: the channels in
``transports`` send what these build.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

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
