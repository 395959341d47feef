"""Reasons from the feedback family (``features/families/feedback.py``): tone of the
client's messages and its surveys.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _no_text(c: Context, window: int) -> str:
    return c._(
        "No written client messages in the last {window} days to judge the tone", window=window
    )


def _tone_mean(window: int) -> Text:
    def text(c: Context) -> str:
        x = c.value(f"sentiment_mean_{window}d")
        if x is None:
            return _no_text(c, window)
        return c._(
            "Tone of client messages over the last {window} days averages {x} (scale -1..1)",
            window=window,
            x=c.polarity(x),
        )

    return text


def _tone_min(window: int) -> Text:
    def text(c: Context) -> str:
        x = c.value(f"sentiment_min_{window}d")
        if x is None:
            return _no_text(c, window)
        return c._(
            "Most negative client message of the last {window} days scores {x} (scale -1..1)",
            window=window,
            x=c.polarity(x),
        )

    return text


def _tone_trend(c: Context) -> str:
    trend, recent = c.value("sentiment_trend"), c.value("sentiment_mean_30d")
    if trend is None:
        return c._("Too few written client messages to compare the tone over time")
    if recent is None:
        return c._(
            "Tone of client messages changed by {trend} against the 60 days before",
            trend=c.polarity(trend),
        )
    # The trend is the last 30 days' mean minus the 60 days' before, so the
    # earlier mean follows and both ends can be shown.
    before = recent - trend
    return c._(
        "Tone of client messages: {before} in the 60 days before, {recent} in the last 30 "
        "(scale -1..1)",
        before=c.polarity(before),
        recent=c.polarity(recent),
    )


def _negative_share(c: Context) -> str:
    x = c.value("negative_share_90d")
    if x is None:
        return _no_text(c, 90)
    return c._("{x} of client messages in the last 90 days read negative", x=c.share(x))


def _survey(c: Context) -> str:
    latest, change = c.value("survey_score_latest"), c.value("survey_score_change")
    if latest is None and change is None:
        return c._("No survey answered yet")
    if latest is None:
        assert change is not None  # narrowed for mypy: both None returned above
        return c._("Survey score changed by {change} points", change=c.score(change))
    if change is None:
        return c._(
            "Latest survey score is {latest} (no earlier survey to compare)", latest=c.score(latest)
        )
    before = latest - change
    if c.score(before) == c.score(latest):
        return c._("Survey score unchanged at {latest}", latest=c.score(latest))
    if change < 0:
        return c._(
            "Survey score fell from {before} to {latest}",
            before=c.score(before),
            latest=c.score(latest),
        )
    return c._(
        "Survey score rose from {before} to {latest}",
        before=c.score(before),
        latest=c.score(latest),
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
