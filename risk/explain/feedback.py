"""Reasons from the feedback family (``features/families/feedback.py``): tone of the
client's messages and its surveys.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _no_text(c: Context, window: int) -> str:
    return c.say(
        f"No written client messages in the last {window} days to judge the tone",
        f"Keine schriftlichen Kundennachrichten der letzten {window} Tage, um den Ton "
        "einzuschätzen",
    )


def _tone_mean(window: int) -> Text:
    def text(c: Context) -> str:
        x = c.value(f"sentiment_mean_{window}d")
        if x is None:
            return _no_text(c, window)
        return c.say(
            f"Tone of client messages over the last {window} days averages "
            f"{c.polarity(x)} (scale -1..1)",
            f"Ton der Kundennachrichten der letzten {window} Tage im Schnitt "
            f"{c.polarity(x)} (Skala -1..1)",
        )

    return text


def _tone_min(window: int) -> Text:
    def text(c: Context) -> str:
        x = c.value(f"sentiment_min_{window}d")
        if x is None:
            return _no_text(c, window)
        return c.say(
            f"Most negative client message of the last {window} days scores "
            f"{c.polarity(x)} (scale -1..1)",
            f"Negativste Kundennachricht der letzten {window} Tage: {c.polarity(x)} (Skala -1..1)",
        )

    return text


def _tone_trend(c: Context) -> str:
    trend, recent = c.value("sentiment_trend"), c.value("sentiment_mean_30d")
    if trend is None:
        return c.say(
            "Too few written client messages to compare the tone over time",
            "Zu wenige schriftliche Kundennachrichten, um den Ton über die Zeit zu vergleichen",
        )
    if recent is None:
        return c.say(
            f"Tone of client messages changed by {c.polarity(trend)} against the 60 days before",
            f"Ton der Kundennachrichten um {c.polarity(trend)} verändert gegenüber den 60 Tagen "
            "davor",
        )
    # The trend is the last 30 days' mean minus the 60 days' before, so the
    # earlier mean follows and both ends can be shown.
    before = recent - trend
    return c.say(
        f"Tone of client messages: {c.polarity(before)} in the 60 days before, "
        f"{c.polarity(recent)} in the last 30 (scale -1..1)",
        f"Ton der Kundennachrichten: {c.polarity(before)} in den 60 Tagen davor, "
        f"{c.polarity(recent)} in den letzten 30 (Skala -1..1)",
    )


def _negative_share(c: Context) -> str:
    x = c.value("negative_share_90d")
    if x is None:
        return _no_text(c, 90)
    return c.say(
        f"{c.share(x)} of client messages in the last 90 days read negative",
        f"{c.share(x)} der Kundennachrichten der letzten 90 Tage klingen negativ",
    )


def _survey(c: Context) -> str:
    latest, change = c.value("survey_score_latest"), c.value("survey_score_change")
    if latest is None and change is None:
        return c.say("No survey answered yet", "Noch keine Umfrage beantwortet")
    if latest is None:
        assert change is not None  # narrowed for mypy: both None returned above
        return c.say(
            f"Survey score changed by {c.score(change)} points",
            f"Umfragewert um {c.score(change)} Punkte verändert",
        )
    if change is None:
        return c.say(
            f"Latest survey score is {c.score(latest)} (no earlier survey to compare)",
            f"Letzter Umfragewert: {c.score(latest)} (keine frühere Umfrage zum Vergleich)",
        )
    before = latest - change
    if c.score(before) == c.score(latest):
        return c.say(
            f"Survey score unchanged at {c.score(latest)}",
            f"Umfragewert unverändert bei {c.score(latest)}",
        )
    en_verb, de_verb = ("fell", "gefallen") if change < 0 else ("rose", "gestiegen")
    return c.say(
        f"Survey score {en_verb} from {c.score(before)} to {c.score(latest)}",
        f"Umfragewert von {c.score(before)} auf {c.score(latest)} {de_verb}",
    )


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "sentiment_mean_30d": Reason("check_in", _tone_mean(30)),
    "sentiment_mean_90d": Reason("check_in", _tone_mean(90)),
    "sentiment_min_30d": Reason("check_in", _tone_min(30)),
    "sentiment_min_90d": Reason("check_in", _tone_min(90)),
    "sentiment_trend": Reason("check_in", _tone_trend),
    "negative_share_90d": Reason("check_in", _negative_share),
    "survey_score_latest": Reason("check_in", _survey),
    "survey_score_change": Reason("check_in", _survey),
}
