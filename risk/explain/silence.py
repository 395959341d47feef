"""Reasons from the silence family (``features/families/silence.py``): how long and how
unusually the client has been quiet.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text, plural


def _usual_note(c: Context) -> str:
    gap = c.value("usual_inbound_gap")
    if gap is None:
        return ""
    n = max(c.whole(gap), 1)
    if n == 1:
        return c.say(" (usually daily)", " (sonst täglich)")
    return c.say(f" (usually every {c.count(n)})", f" (sonst alle {c.count(n)} Tage)")


def _silence(c: Context) -> str:
    days, ratio = c.value("days_since_inbound"), c.value("silence_ratio")
    if days is None:
        if ratio is not None:
            return c.say(
                f"The client has been silent {c.ratio(ratio)} times as long as usual",
                f"Der Kunde schweigt {c.ratio(ratio)}-mal so lange wie üblich",
            )
        return c.say("The client has never written", "Der Kunde hat noch nie geschrieben")
    n = c.whole(days)
    if n <= 0:
        head = c.say("The client wrote today", "Der Kunde hat heute geschrieben")
    else:
        head = c.say(
            f"No message from the client for {c.days(n)}",
            f"Seit {c.count(n)} {plural(n, 'Tag', 'Tagen')} keine Nachricht vom Kunden",
        )
    return head + _usual_note(c)


def _usual_gap(c: Context) -> str:
    gap, days = c.value("usual_inbound_gap"), c.value("days_since_inbound")
    if gap is None:
        return c.say(
            "Too few client messages in 180 days to know their usual rhythm",
            "Zu wenige Kundennachrichten in 180 Tagen für einen üblichen Rhythmus",
        )
    n = max(c.whole(gap), 1)
    if n == 1:
        head = c.say("The client usually writes daily", "Der Kunde schreibt sonst täglich")
    else:
        head = c.say(
            f"The client usually writes every {c.days(n)}",
            f"Der Kunde schreibt sonst alle {c.count(n)} Tage",
        )
    if days is None:
        return head
    return head + c.say(f" (last message {c.ago(days)})", f" (letzte Nachricht {c.ago(days)})")


def _longest_gap(c: Context) -> str:
    x = c.value("longest_gap_90d")
    if x is None:
        return c.say(
            "No data on client messages in the last 90 days",
            "Keine Daten zu Kundennachrichten der letzten 90 Tage",
        )
    return c.say(
        f"Longest stretch without a client message in 90 days: {c.days(x)}",
        f"Längste Zeit ohne Kundennachricht in 90 Tagen: {c.days(x)}",
    )


def _volume(feature: str, days: int, before: int) -> Text:
    def sentence(c: Context) -> str:
        x = c.value(feature)
        if x is None:
            return c.say(
                f"No client messages in the {before} days before to compare with",
                f"Keine Kundennachrichten in den {before} Tagen davor zum Vergleich",
            )
        return c.say(
            f"The client wrote {c.ratio(x)} times as often as usual in the last {days} days",
            f"Der Kunde schrieb in den letzten {days} Tagen {c.ratio(x)}-mal so oft wie üblich",
        )

    return sentence


def _outbound(c: Context) -> str:
    x = c.value("outbound_unanswered")
    if x is None:
        return c.say(
            "No data on messages to the client", "Keine Daten zu Nachrichten an den Kunden"
        )
    n = c.whole(x)
    if n == 0:
        return c.say(
            "No messages sent to the client since they last wrote",
            "Keine Nachricht an den Kunden seit seiner letzten Nachricht",
        )
    return c.say(
        f"{c.count(n)} {plural(n, 'message', 'messages')} sent to the client since they last wrote",
        f"{c.count(n)} {plural(n, 'Nachricht', 'Nachrichten')} an den Kunden seit seiner "
        "letzten Nachricht",
    )


def _meetings(c: Context) -> str:
    x, ratio = c.value("meetings_60d"), c.value("meetings_ratio")
    if x is None:
        if ratio is not None:
            return c.say(
                f"Calls and meetings in the last 60 days: {c.ratio(ratio)} times the usual",
                f"Telefonate und Termine der letzten 60 Tage: {c.ratio(ratio)}-mal so viele "
                "wie üblich",
            )
        return c.say(
            "No data on calls or meetings with the client",
            "Keine Daten zu Telefonaten oder Terminen mit dem Kunden",
        )
    n = c.whole(x)
    if n == 0:
        head = c.say(
            "No calls or meetings with the client in the last 60 days",
            "Keine Telefonate oder Termine mit dem Kunden in den letzten 60 Tagen",
        )
    else:
        head = c.say(
            f"{c.count(n)} {plural(n, 'call or meeting', 'calls or meetings')} with the "
            "client in 60 days",
            f"{c.count(n)} {plural(n, 'Telefonat oder Termin', 'Telefonate oder Termine')} "
            "mit dem Kunden in 60 Tagen",
        )
    if ratio is None:
        return head
    return head + c.say(
        f", {c.ratio(ratio)} times the usual", f", {c.ratio(ratio)}-mal so viele wie üblich"
    )


def _days_since_survey(c: Context) -> str:
    x = c.value("days_since_survey")
    if x is None:
        return c.say("No survey answered yet", "Noch keine Umfrage beantwortet")
    return c.say(f"Last survey answered {c.ago(x)}", f"Letzte Umfrage {c.ago(x)} beantwortet")


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
