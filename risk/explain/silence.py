"""Reasons from the silence family (``features/families/silence.py``): how long and how
unusually the client has been quiet.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _usual_note(c: Context) -> str:
    gap = c.value("usual_inbound_gap")
    if gap is None:
        return ""
    n = max(c.whole(gap), 1)
    if n == 1:
        return c._(" (usually daily)")
    return c._(" (usually every {n} days)", n=c.count(n))


def _silence(c: Context) -> str:
    days, ratio = c.value("days_since_inbound"), c.value("silence_ratio")
    if days is None:
        if ratio is not None:
            return c._(
                "The client has been silent {ratio} times as long as usual", ratio=c.ratio(ratio)
            )
        return c._("The client has never written")
    n = c.whole(days)
    if n <= 0:
        head = c._("The client wrote today")
    else:
        head = c._.ngettext(
            "No message from the client for {n} day", "No message from the client for {n} days", n
        )
    return head + _usual_note(c)


def _usual_gap(c: Context) -> str:
    gap, days = c.value("usual_inbound_gap"), c.value("days_since_inbound")
    if gap is None:
        return c._("Too few client messages in 180 days to know their usual rhythm")
    n = max(c.whole(gap), 1)
    if n == 1:
        head = c._("The client usually writes daily")
    else:
        head = c._("The client usually writes every {n} days", n=c.count(n))
    if days is None:
        return head
    return head + c._(" (last message {days})", days=c.ago(days))


def _longest_gap(c: Context) -> str:
    x = c.value("longest_gap_90d")
    if x is None:
        return c._("No data on client messages in the last 90 days")
    return c._("Longest stretch without a client message in 90 days: {x}", x=c.days(x))


def _volume(feature: str, days: int, before: int) -> Text:
    def sentence(c: Context) -> str:
        x = c.value(feature)
        if x is None:
            return c._(
                "No client messages in the {before} days before to compare with", before=before
            )
        return c._(
            "The client wrote {x} times as often as usual in the last {days} days",
            x=c.ratio(x),
            days=days,
        )

    return sentence


def _outbound(c: Context) -> str:
    x = c.value("outbound_unanswered")
    if x is None:
        return c._("No data on messages to the client")
    n = c.whole(x)
    if n == 0:
        return c._("No messages sent to the client since they last wrote")
    return c._.ngettext(
        "{n} message sent to the client since they last wrote",
        "{n} messages sent to the client since they last wrote",
        n,
    )


def _meetings(c: Context) -> str:
    x, ratio = c.value("meetings_60d"), c.value("meetings_ratio")
    if x is None:
        if ratio is not None:
            return c._(
                "Calls and meetings in the last 60 days: {ratio} times the usual",
                ratio=c.ratio(ratio),
            )
        return c._("No data on calls or meetings with the client")
    n = c.whole(x)
    if n == 0:
        head = c._("No calls or meetings with the client in the last 60 days")
    else:
        head = c._.ngettext(
            "{n} call or meeting with the client in 60 days",
            "{n} calls or meetings with the client in 60 days",
            n,
        )
    if ratio is None:
        return head
    return head + c._(", {ratio} times the usual", ratio=c.ratio(ratio))


def _days_since_survey(c: Context) -> str:
    x = c.value("days_since_survey")
    if x is None:
        return c._("No survey answered yet")
    return c._("Last survey answered {x}", x=c.ago(x))


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "days_since_inbound": Reason("check_in", _silence),
    "usual_inbound_gap": Reason("check_in", _usual_gap),
    "silence_ratio": Reason("check_in", _silence),
    "longest_gap_90d": Reason("check_in", _longest_gap),
    "inbound_volume_ratio": Reason("check_in", _volume("inbound_volume_ratio", 30, 90)),
    "inbound_volume_ratio_90d": Reason("check_in", _volume("inbound_volume_ratio_90d", 90, 270)),
    "outbound_unanswered": Reason("check_in", _outbound),
    "days_since_survey": Reason("check_in", _days_since_survey),
    "meetings_60d": Reason("check_in", _meetings),
    "meetings_ratio": Reason("check_in", _meetings),
}
