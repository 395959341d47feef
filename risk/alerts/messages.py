"""What an alert says, in the lead's language: the email (subject and text), the JSON
a webhook receives, and the Slack message. Nothing here sends: the channels in
``transports`` send what these build.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from risk.wording import Words, words


def _words(payload: dict[str, Any]) -> Words:
    return words(str(payload.get("language") or ""))


def _level(_: Words, level: str) -> str:
    """The level in capitals, as an alert's subject and headline name it."""
    if level == "high":
        return _.pgettext("alert level", "HIGH")
    if level == "elevated":
        return _.pgettext("alert level", "ELEVATED")
    return level.upper()


def _risk(_: Words, risk: str) -> str:
    if risk == "dispute":
        return _.pgettext("alert risk", "dispute")
    if risk == "churn":
        return _.pgettext("alert risk", "churn")
    return risk


def _facts(payload: dict[str, Any]) -> dict[str, str]:
    """The payload's facts in the lead's language, for every text channel."""
    _ = _words(payload)
    previous = payload.get("previous_level")
    return {
        "name": str(payload.get("client_name") or payload.get("client_id", "")),
        "client_id": str(payload.get("client_id", "")),
        "risk": _risk(_, str(payload.get("risk", ""))),
        "level": _level(_, str(payload.get("level", ""))),
        "was": _(" (was {previous})", previous=_level(_, str(previous)).lower())
        if previous
        else "",
    }


def subject(payload: dict[str, Any]) -> str:
    """``[billing-risk] HIGH dispute risk: Client name``, or its German wording."""
    _ = _words(payload)
    if _is_digest(payload):
        changes = len(payload.get("changes") or [])
        return "[billing-risk] " + _.ngettext(
            "Daily digest: {n} flag moved", "Daily digest: {n} flags moved", changes
        )
    return "[billing-risk] " + _("{level} {risk} risk: {name}", **_facts(payload))


def _is_digest(payload: dict[str, Any]) -> bool:
    return payload.get("kind") == "digest"


def _digest_lines(payload: dict[str, Any]) -> list[str]:
    """A digest's body: the moved flags by what happened, each with reasons and link."""
    _ = _words(payload)
    headings = {
        "opened": _("Opened"),
        "rose": _("Rose"),
        "fell": _("Fell"),
        "cleared": _("Cleared"),
    }
    lines = [
        _(
            "{day}: the flags of your clients that moved since your last digest",
            day=_.day(str(payload.get("day", ""))),
        )
    ]
    for change, heading in headings.items():
        moved = [c for c in payload.get("changes") or [] if c.get("change") == change]
        if not moved:
            continue
        lines += ["", f"{heading} ({_.number(len(moved))})"]
        for item in moved:
            facts = _facts({**item, "language": payload.get("language")})
            if change == "cleared":
                line = _("{name} (client {client_id}): {risk} risk cleared{was}", **facts)
            else:
                line = _("{name} (client {client_id}): {level} {risk} risk{was}", **facts)
            lines.append(f"- {line}")
            lines += [f"    {reason}" for reason in item.get("reasons") or []]
            if item.get("url"):
                lines.append(f"    {item['url']}")
    return lines


def _headline(payload: dict[str, Any]) -> str:
    _ = _words(payload)
    return _("{name} (client {client_id}) is at {level} {risk} risk{was}.", **_facts(payload))


def _probability(payload: dict[str, Any]) -> str:
    """``Probability: 42% as of 2025-06-30.``; empty when the payload has none."""
    if payload.get("probability") is None:
        return ""
    _ = _words(payload)
    as_of = payload.get("as_of")
    return _(
        "Probability: {probability} as of {as_of}.",
        probability=_.share(float(payload["probability"])),
        as_of=_.day(str(as_of)) if as_of else "",
    )


def text_body(alert_id: str, payload: dict[str, Any]) -> str:
    """The plain-text alert: what, why, the next step and the link."""
    _ = _words(payload)
    if _is_digest(payload):
        footer = _(
            "Digest {alert_id}. A repeated message with this id is the same digest.",
            alert_id=alert_id,
        )
        return "\n".join([*_digest_lines(payload), "", "-- ", footer]) + "\n"
    lines = [_headline(payload)]
    probability = _probability(payload)
    if probability:
        lines.append(probability)
    reasons = [str(reason) for reason in payload.get("reasons") or []]
    # Labels are looked up outside f-strings, where message extraction finds them.
    why, step, link = _("Why:"), _("Next step:"), _("Open:")
    if reasons:
        lines += ["", why, *(f"- {reason}" for reason in reasons)]
    if payload.get("next_step"):
        lines += ["", f"{step} {payload['next_step']}"]
    if payload.get("url"):
        lines += ["", f"{link} {payload['url']}"]
    lines += [
        "",
        "-- ",
        _(
            "Alert {alert_id}. A repeated message with this id is the same alert.",
            alert_id=alert_id,
        ),
    ]
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
    message["Content-Language"] = _words(payload).lang
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
    _ = _words(payload)
    if _is_digest(payload):
        text = "\n".join(_digest_lines(payload))
        return {
            "text": _slack_escape(subject(payload)),
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": subject(payload)[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(text)[:3000]}},
                {"type": "context", "elements": [{"type": "mrkdwn", "text": f"digest {alert_id}"}]},
            ],
        }
    headline = _headline(payload)
    # Labels are looked up outside f-strings, where message extraction finds them.
    why, step, link = _("Why:"), _("Next step:"), _("Open:")
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
                    "text": f"*{why}*\n"
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
                    "text": f"*{step}* {_slack_escape(str(payload['next_step']))}",
                },
            }
        )
    if payload.get("url"):
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"<{payload['url']}|{_slack_escape(link.rstrip(':'))}>",
                },
            }
        )
    blocks.append(
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"alert {alert_id}"}]}
    )
    # The text is the notification's fallback, and Slack reads it as mrkdwn too.
    return {"text": _slack_escape(f"{subject(payload)}. {headline}"), "blocks": blocks}
