"""Plain-language reasons and next steps for a flagged client, in English or German.

A project manager acts on a warning only if it says what happened in terms they
recognise: "Billed 78% of the budget, 41% delivered (gap +37 points)", not a
feature name and a weight. The model's attributions pick which features to
show; this module turns each into one short sentence with the numbers behind
it, citing related values from the same row where they make the fact readable
(billed next to delivered, silence next to the usual rhythm).

Sentences state facts, never what the model thinks, and are worded to read
right whichever way the value points, because the same feature can be shown as
a reason one week and be back to normal the next. Every value may be unknown
(``None`` or NaN: no survey yet, no running project), and that too gets a
sentence, since "No survey answered yet" is itself worth knowing.

Each feature also has a kind of next step (explain an invoice, share progress,
check in, chase payment), so the screen can suggest one action for the
strongest reason.

The module is a pair of tables, one entry per feature, rather than branching
code: adding a feature means adding one line here, and the tests check that
the tables cover ``features.build.FEATURES`` exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["GROUPS", "NEXT_STEPS", "next_step", "reason_group", "reason_kind", "reason_text"]

#: What the PM can do about each kind of reason, per language.
NEXT_STEPS: dict[str, dict[str, str]] = {
    "invoice": {
        "en": "Walk the client through the latest invoice and what it covers",
        "de": "Die letzte Rechnung mit dem Kunden durchgehen und erklären, was sie abdeckt",
    },
    "progress": {
        "en": "Share a progress report: what is delivered, what is next, budget used",
        "de": "Einen Fortschrittsbericht schicken: was geliefert ist, was folgt, welches Budget "
        "verbraucht ist",
    },
    "check_in": {
        "en": "Book a check-in call with the client",
        "de": "Einen Abstimmungstermin mit dem Kunden vereinbaren",
    },
    "payment": {
        "en": "Follow up on open invoices with the client's finance contact",
        "de": "Offene Rechnungen mit der Buchhaltung des Kunden klären",
    },
    "follow_on": {
        "en": "Talk with the client's sponsor about what comes after the current work",
        "de": "Mit dem Auftraggeber besprechen, was nach der laufenden Arbeit kommt",
    },
}


def _is_german(language: str) -> bool:
    # Clients' languages come from a CRM field; accept "de", "DE", "de-AT", "de_CH".
    return language.strip().lower().replace("_", "-").split("-")[0] == "de"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


@dataclass(frozen=True)
class _Ctx:
    """One client's row and the language: reads values and formats numbers for it."""

    row: Mapping[str, float | None]
    de: bool

    def value(self, name: str) -> float | None:
        # None, NaN, infinity and a missing column all mean "not known": the
        # feature frame uses NaN, callers going through JSON use None.
        raw = self.row.get(name)
        if raw is None:
            return None
        number = float(raw)
        return number if math.isfinite(number) else None

    def say(self, en: str, de: str) -> str:
        return de if self.de else en

    def num(self, x: float, decimals: int = 0) -> str:
        # "+ 0.0" turns a rounded -0.0 into 0.0, so nobody reads "-0".
        text = f"{round(x, decimals) + 0.0:,.{decimals}f}"
        # German swaps the separators: 12.400 and 0,42.
        return text.translate(str.maketrans(",.", ".,")) if self.de else text

    def whole(self, x: float) -> int:
        # Half up, not Python's half to even: 2.5 days reads as 3.
        return math.floor(x + 0.5)

    def count(self, x: float) -> str:
        return self.num(self.whole(x))

    def money(self, x: float) -> str:
        # No currency symbol: the firm bills in one currency the PM knows.
        return self.num(x)

    def pct(self, percent: float) -> str:
        # German sets a space before the percent sign (DIN 5008).
        return f"{self.num(percent)} %" if self.de else f"{self.num(percent)}%"

    def share(self, share: float) -> str:
        return self.pct(share * 100)

    def points(self, x: float) -> str:
        rounded = self.whole(x)
        return f"+{self.num(rounded)}" if rounded > 0 else self.num(rounded)

    def ratio(self, x: float) -> str:
        return self.num(x, 1)

    def polarity(self, x: float) -> str:
        return self.num(x, 2)

    def score(self, x: float) -> str:
        # Scores are whole numbers as recorded but may be averaged: show "4.5", never "9.0".
        return self.num(x, 0 if abs(x - round(x)) < 0.05 else 1)

    def days(self, x: float) -> str:
        n = self.whole(x)
        return self.say(
            f"{self.num(n)} {_plural(n, 'day', 'days')}",
            f"{self.num(n)} {_plural(n, 'Tag', 'Tage')}",
        )

    def ago(self, x: float) -> str:
        n = self.whole(x)
        if n <= 0:
            return self.say("today", "heute")
        return self.say(
            f"{self.num(n)} {_plural(n, 'day', 'days')} ago",
            f"vor {self.num(n)} {_plural(n, 'Tag', 'Tagen')}",
        )


_Text = Callable[[_Ctx], str]


# --- Tone and surveys -------------------------------------------------------


def _no_text(c: _Ctx, window: int) -> str:
    return c.say(
        f"No written client messages in the last {window} days to judge the tone",
        f"Keine schriftlichen Kundennachrichten der letzten {window} Tage, um den Ton "
        "einzuschätzen",
    )


def _tone_mean(window: int) -> _Text:
    def text(c: _Ctx) -> str:
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


def _tone_min(window: int) -> _Text:
    def text(c: _Ctx) -> str:
        x = c.value(f"sentiment_min_{window}d")
        if x is None:
            return _no_text(c, window)
        return c.say(
            f"Most negative client message of the last {window} days scores "
            f"{c.polarity(x)} (scale -1..1)",
            f"Negativste Kundennachricht der letzten {window} Tage: {c.polarity(x)} (Skala -1..1)",
        )

    return text


def _tone_trend(c: _Ctx) -> str:
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


def _negative_share(c: _Ctx) -> str:
    x = c.value("negative_share_90d")
    if x is None:
        return _no_text(c, 90)
    return c.say(
        f"{c.share(x)} of client messages in the last 90 days read negative",
        f"{c.share(x)} der Kundennachrichten der letzten 90 Tage klingen negativ",
    )


def _survey(c: _Ctx) -> str:
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


def _days_since_survey(c: _Ctx) -> str:
    x = c.value("days_since_survey")
    if x is None:
        return c.say("No survey answered yet", "Noch keine Umfrage beantwortet")
    return c.say(f"Last survey answered {c.ago(x)}", f"Letzte Umfrage {c.ago(x)} beantwortet")


# --- Billing questions ------------------------------------------------------


def _unanswered_note(c: _Ctx, *, in_window: bool) -> str:
    # Unanswered is only counted over 90 days; say so unless the sentence is
    # already about those 90 days.
    u = c.value("billing_questions_unanswered_90d")
    if u is None:
        return ""
    n = c.whole(u)
    if n == 0:
        return c.say(", none unanswered", ", keine unbeantwortet")
    if in_window:
        return c.say(f", {c.count(n)} unanswered", f", {c.count(n)} unbeantwortet")
    return c.say(
        f"; {c.count(n)} unanswered in 90 days", f"; {c.count(n)} in 90 Tagen unbeantwortet"
    )


def _questions(window: int) -> _Text:
    def text(c: _Ctx) -> str:
        x = c.value(f"billing_questions_{window}d")
        if x is None:
            return c.say(
                f"No data on questions about invoices in the last {window} days",
                f"Keine Daten zu Rückfragen zu Rechnungen der letzten {window} Tage",
            )
        n = c.whole(x)
        if n == 0:
            return c.say(
                f"No questions about invoices in the last {window} days",
                f"Keine Rückfragen zu Rechnungen in den letzten {window} Tagen",
            )
        head = c.say(
            f"{c.count(n)} {_plural(n, 'question', 'questions')} about invoices in {window} days",
            f"{c.count(n)} {_plural(n, 'Rückfrage', 'Rückfragen')} zu Rechnungen in {window} Tagen",
        )
        return head + _unanswered_note(c, in_window=window == 90)

    return text


def _days_since_question(c: _Ctx) -> str:
    x = c.value("days_since_billing_question")
    if x is None:
        return c.say(
            "The client has never questioned an invoice",
            "Der Kunde hat noch nie eine Rechnung hinterfragt",
        )
    return c.say(
        f"Last question about an invoice {c.ago(x)}",
        f"Letzte Rückfrage zu einer Rechnung {c.ago(x)}",
    ) + _unanswered_note(c, in_window=False)


def _unanswered(c: _Ctx) -> str:
    u, total = c.value("billing_questions_unanswered_90d"), c.value("billing_questions_90d")
    if u is None:
        return c.say(
            "No data on unanswered questions about invoices",
            "Keine Daten zu unbeantworteten Rückfragen zu Rechnungen",
        )
    n = c.whole(u)
    if n == 0:
        if total is not None and c.whole(total) == 0:
            return _questions(90)(c)
        return c.say(
            "Questions about invoices in the last 90 days answered within 3 working days",
            "Rückfragen zu Rechnungen der letzten 90 Tage binnen 3 Arbeitstagen beantwortet",
        )
    of_en = f" of {c.count(total)}" if total is not None else ""
    of_de = f" von {c.count(total)}" if total is not None else ""
    questions_en = "question" if n == 1 and not of_en else "questions"
    questions_de = "Rückfrage" if n == 1 and not of_de else "Rückfragen"
    return c.say(
        f"{c.count(n)}{of_en} {questions_en} about invoices in 90 days not answered "
        "within 3 working days",
        f"{c.count(n)}{of_de} {questions_de} zu Rechnungen in 90 Tagen nicht binnen "
        "3 Arbeitstagen beantwortet",
    )


def _question_share(c: _Ctx) -> str:
    x, n = c.value("billing_question_share_90d"), c.value("billing_questions_90d")
    if x is None:
        return c.say(
            "No client messages in the last 90 days",
            "Keine Kundennachrichten in den letzten 90 Tagen",
        )
    count_en = f" ({c.count(n)} {_plural(c.whole(n), 'question', 'questions')})" if n else ""
    count_de = f" ({c.count(n)} {_plural(c.whole(n), 'Rückfrage', 'Rückfragen')})" if n else ""
    return c.say(
        f"{c.share(x)} of client messages in the last 90 days were about invoices{count_en}",
        f"{c.share(x)} der Kundennachrichten der letzten 90 Tage betrafen Rechnungen{count_de}",
    )


# --- Budget, billing and delivery -------------------------------------------


def _no_project(c: _Ctx) -> str:
    return c.say("No running project with a budget", "Kein laufendes Projekt mit Budget")


def _no_progress(c: _Ctx) -> str:
    return c.say(
        "No progress reported on running projects yet",
        "Noch kein Fortschritt zu laufenden Projekten gemeldet",
    )


def _delivered(c: _Ctx, *, average: bool) -> tuple[str, str]:
    # The delivered share to set beside a billed or worked share, ("", "") if unknown.
    p = c.value("progress_weighted")
    if p is None:
        return "", ""
    if average:
        return f", {c.pct(p)} delivered on average", f", im Schnitt {c.pct(p)} geliefert"
    return f", {c.pct(p)} delivered", f", {c.pct(p)} geliefert"


def _billed_share_max(c: _Ctx) -> str:
    x = c.value("billed_share_max")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=True)
    return c.say(
        f"Billed up to {c.share(x)} of a project's budget{en}",
        f"Bis zu {c.share(x)} eines Projektbudgets abgerechnet{de}",
    )


def _billed_share_weighted(c: _Ctx) -> str:
    x = c.value("billed_share_weighted")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=False)
    return c.say(
        f"Billed {c.share(x)} of the budget{en}",
        f"{c.share(x)} des Budgets abgerechnet{de}",
    )


def _time_value_max(c: _Ctx) -> str:
    x = c.value("time_value_share_max")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=True)
    return c.say(
        f"Time worked is worth up to {c.share(x)} of a project's budget{en}",
        f"Geleistete Zeit entspricht bis zu {c.share(x)} eines Projektbudgets{de}",
    )


def _time_value_weighted(c: _Ctx) -> str:
    x = c.value("time_value_share_weighted")
    if x is None:
        return _no_project(c)
    en, de = _delivered(c, average=False)
    return c.say(
        f"Time worked is worth {c.share(x)} of the budget{en}",
        f"Geleistete Zeit entspricht {c.share(x)} des Budgets{de}",
    )


def _progress(c: _Ctx) -> str:
    p, billed = c.value("progress_weighted"), c.value("billed_share_weighted")
    if p is None:
        return _no_progress(c)
    en = f", {c.share(billed)} of the budget billed" if billed is not None else ""
    de = f", {c.share(billed)} des Budgets abgerechnet" if billed is not None else ""
    return c.say(
        f"Running projects reported {c.pct(p)} complete{en}",
        f"Laufende Projekte zu {c.pct(p)} fertig gemeldet{de}",
    )


def _gap(variant: str) -> _Text:
    # The _max gap is the largest over projects while billed_share_max and
    # progress_weighted may come from other projects, so that sentence says
    # "up to", "on average" and "largest" rather than implying 78 - 41 = 37.
    def text(c: _Ctx) -> str:
        gap = c.value(f"billed_minus_progress_{variant}")
        billed, p = c.value(f"billed_share_{variant}"), c.value("progress_weighted")
        if gap is None:
            return _no_progress(c)
        if billed is None or p is None:
            return c.say(
                f"Gap between % of budget billed and % delivered: {c.points(gap)} points",
                f"Lücke zwischen abgerechnetem und geliefertem Anteil: {c.points(gap)} Punkte",
            )
        if variant == "max":
            return c.say(
                f"Billed up to {c.share(billed)} of a project's budget, {c.pct(p)} delivered "
                f"on average (largest gap {c.points(gap)} points)",
                f"Bis zu {c.share(billed)} eines Projektbudgets abgerechnet, im Schnitt "
                f"{c.pct(p)} geliefert (größte Lücke {c.points(gap)} Punkte)",
            )
        return c.say(
            f"Billed {c.share(billed)} of the budget, {c.pct(p)} delivered "
            f"(gap {c.points(gap)} points)",
            f"{c.share(billed)} des Budgets abgerechnet, {c.pct(p)} geliefert "
            f"(Lücke {c.points(gap)} Punkte)",
        )

    return text


def _overbilling(c: _Ctx) -> str:
    amount, share = c.value("overbilling_amount"), c.value("overbilling_share")
    if amount is None and share is None:
        return _no_progress(c)
    # The sign picks the word, so the sentence is true either way round.
    sign = amount if amount is not None else share
    assert sign is not None  # narrowed for mypy: both None returned above
    if c.whole(sign) == 0 and (share is None or c.whole(share * 100) == 0):
        return c.say(
            "Billing matches the value of work delivered",
            "Abrechnung entspricht dem Wert der gelieferten Arbeit",
        )
    more = sign > 0
    en_word, de_word = ("more", "mehr") if more else ("less", "weniger")
    of_budget_en = f"{c.share(abs(share))} of the budget" if share is not None else ""
    of_budget_de = f"{c.share(abs(share))} des Budgets" if share is not None else ""
    if amount is None:
        return c.say(
            f"Billed {of_budget_en} {en_word} than the work delivered is worth",
            f"{of_budget_de} {de_word} abgerechnet, als die gelieferte Arbeit wert ist",
        )
    note_en = f" ({of_budget_en})" if of_budget_en else ""
    note_de = f" ({of_budget_de})" if of_budget_de else ""
    return c.say(
        f"Billed {c.money(abs(amount))} {en_word} than the work delivered is worth{note_en}",
        f"{c.money(abs(amount))} {de_word} abgerechnet, als die gelieferte Arbeit wert ist"
        f"{note_de}",
    )


def _report_age(c: _Ctx) -> str:
    x = c.value("progress_report_age_max")
    if x is None:
        return c.say("No running projects", "Keine laufenden Projekte")
    n = c.whole(x)
    return c.say(
        f"A running project has had no progress report for {c.days(n)}",
        f"Ein laufendes Projekt hat seit {c.count(n)} {_plural(n, 'Tag', 'Tagen')} keinen "
        "Fortschrittsbericht",
    )


# --- Contact and silence ----------------------------------------------------


def _usual_note(c: _Ctx) -> str:
    gap = c.value("usual_inbound_gap")
    if gap is None:
        return ""
    n = max(c.whole(gap), 1)
    if n == 1:
        return c.say(" (usually daily)", " (sonst täglich)")
    return c.say(f" (usually every {c.count(n)})", f" (sonst alle {c.count(n)} Tage)")


def _silence(c: _Ctx) -> str:
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
            f"Seit {c.count(n)} {_plural(n, 'Tag', 'Tagen')} keine Nachricht vom Kunden",
        )
    return head + _usual_note(c)


def _usual_gap(c: _Ctx) -> str:
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


def _longest_gap(c: _Ctx) -> str:
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


def _volume(feature: str, days: int, before: int) -> _Text:
    def sentence(c: _Ctx) -> str:
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


def _outbound(c: _Ctx) -> str:
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
        f"{c.count(n)} {_plural(n, 'message', 'messages')} sent to the client since they "
        "last wrote",
        f"{c.count(n)} {_plural(n, 'Nachricht', 'Nachrichten')} an den Kunden seit seiner "
        "letzten Nachricht",
    )


def _meetings(c: _Ctx) -> str:
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
            f"{c.count(n)} {_plural(n, 'call or meeting', 'calls or meetings')} with the "
            "client in 60 days",
            f"{c.count(n)} {_plural(n, 'Telefonat oder Termin', 'Telefonate oder Termine')} "
            "mit dem Kunden in 60 Tagen",
        )
    if ratio is None:
        return head
    return head + c.say(
        f", {c.ratio(ratio)} times the usual", f", {c.ratio(ratio)}-mal so viele wie üblich"
    )


# --- Invoices and payment ---------------------------------------------------


def _invoices(
    count_name: str, amount_name: str, en_state: str, de_state: str, de_adjective: str
) -> _Text:
    # Count and amount tell one story, so both features get the same sentence.
    def text(c: _Ctx) -> str:
        x, amount = c.value(count_name), c.value(amount_name)
        if x is None:
            if amount is not None:
                return c.say(
                    f"Invoices {en_state}: {c.money(amount)} in total",
                    f"Rechnungen {de_state}: insgesamt {c.money(amount)}",
                )
            return c.say(
                f"No data on {en_state} invoices",
                f"Keine Daten zu {de_adjective} Rechnungen",
            )
        n = c.whole(x)
        if n == 0:
            return c.say(f"No invoices {en_state}", f"Keine Rechnung {de_state}")
        total_en = f", {c.money(amount)} in total" if amount is not None else ""
        total_de = f", insgesamt {c.money(amount)}" if amount is not None else ""
        return c.say(
            f"{c.count(n)} {_plural(n, 'invoice', 'invoices')} {en_state}{total_en}",
            f"{c.count(n)} {_plural(n, 'Rechnung', 'Rechnungen')} {de_state}{total_de}",
        )

    return text


def _days_late(c: _Ctx) -> str:
    x = c.value("days_late_mean_90d")
    if x is None:
        return c.say(
            "No invoices paid in the last 90 days",
            "Keine Rechnungen in den letzten 90 Tagen bezahlt",
        )
    n = c.whole(x)
    if n == 0:
        when_en, when_de = "on time", "pünktlich"
    elif n > 0:
        when_en, when_de = f"{c.days(n)} late", f"{c.days(n)} nach Fälligkeit"
    else:
        when_en, when_de = f"{c.days(-n)} early", f"{c.days(-n)} vor Fälligkeit"
    return c.say(
        f"Invoices paid in the last 90 days were paid {when_en} on average",
        f"Rechnungen der letzten 90 Tage im Schnitt {when_de} bezahlt",
    )


def _disputes(c: _Ctx) -> str:
    x = c.value("disputes_180d")
    if x is None:
        return c.say("No data on disputed invoices", "Keine Daten zu beanstandeten Rechnungen")
    n = c.whole(x)
    if n == 0:
        return c.say(
            "No invoices disputed in the last 180 days",
            "Keine Rechnung in den letzten 180 Tagen beanstandet",
        )
    return c.say(
        f"{c.count(n)} {_plural(n, 'invoice', 'invoices')} disputed in the last 180 days",
        f"{c.count(n)} {_plural(n, 'Rechnung', 'Rechnungen')} in den letzten 180 Tagen beanstandet",
    )


def _latest_invoice(c: _Ctx) -> str:
    x = c.value("latest_invoice_ratio")
    if x is None:
        return c.say(
            "No earlier invoices in the year before to compare the latest one with",
            "Keine früheren Rechnungen im Jahr davor zum Vergleich mit der letzten",
        )
    return c.say(
        f"Latest invoice is {c.ratio(x)} times the client's usual invoice amount",
        f"Letzte Rechnung ist {c.ratio(x)}-mal so hoch wie beim Kunden üblich",
    )


def _days_since_invoice(c: _Ctx) -> str:
    x = c.value("days_since_invoice")
    if x is None:
        return c.say("No invoice issued yet", "Noch keine Rechnung gestellt")
    return c.say(f"Latest invoice issued {c.ago(x)}", f"Letzte Rechnung {c.ago(x)} gestellt")


# --- Relationship -----------------------------------------------------------


def _tenure(c: _Ctx) -> str:
    x = c.value("tenure_days")
    if x is None:
        return c.say("Start of the relationship not known", "Beginn der Kundenbeziehung unbekannt")
    n = c.whole(x)
    if n >= 365:
        years = c.ratio(n / 365.25)
        return c.say(
            f"Client for {years} years ({c.days(n)})",
            f"Kunde seit {years} Jahren ({c.days(n)})",
        )
    return c.say(f"Client for {c.days(n)}", f"Kunde seit {c.count(n)} {_plural(n, 'Tag', 'Tagen')}")


def _projects(c: _Ctx) -> str:
    # Count and open budget describe the same running work: one sentence for both.
    x, budget = c.value("active_projects"), c.value("budget_open")
    if x is None:
        return c.say("No data on running projects", "Keine Daten zu laufenden Projekten")
    n = c.whole(x)
    if n == 0:
        return c.say("No projects running", "Keine laufenden Projekte")
    budget_en = f" with a budget of {c.money(budget)}" if budget is not None else ""
    budget_de = f" mit einem Budget von {c.money(budget)}" if budget is not None else ""
    return c.say(
        f"{c.count(n)} {_plural(n, 'project', 'projects')} running{budget_en}",
        f"{c.count(n)} {_plural(n, 'laufendes Projekt', 'laufende Projekte')}{budget_de}",
    )


def _new_contact(c: _Ctx) -> str:
    x = c.value("new_contact_30d")
    if x is None:
        return c.say("No data on contacts at the client", "Keine Daten zu Ansprechpersonen")
    if x >= 0.5:
        return c.say(
            "Someone new at the client wrote for the first time in the last 30 days",
            "Eine neue Person beim Kunden hat in den letzten 30 Tagen erstmals geschrieben",
        )
    return c.say(
        "No new contact at the client in the last 30 days",
        "Keine neue Ansprechperson beim Kunden in den letzten 30 Tagen",
    )


def _runway(c: _Ctx) -> str:
    x = c.value("runway_days")
    if x is None:
        return c.say("No project running", "Kein laufendes Projekt")
    n = c.whole(x)
    if n < 0:
        return c.say(
            f"Every running project is past its planned end (the latest by {c.days(-n)})",
            f"Alle laufenden Projekte sind über ihr geplantes Ende hinaus (das späteste um "
            f"{c.days(-n)})",
        )
    if n == 0:
        return c.say(
            "The last running project is planned to end today",
            "Das letzte laufende Projekt soll heute enden",
        )
    return c.say(
        f"The last running project is planned to end in {c.days(n)}",
        f"Das letzte laufende Projekt soll in {c.count(n)} {_plural(n, 'Tag', 'Tagen')} enden",
    )


def _project_start(c: _Ctx) -> str:
    x = c.value("days_since_project_start")
    if x is None:
        return c.say("No project started yet", "Noch kein Projekt begonnen")
    return c.say(f"Latest project started {c.ago(x)}", f"Letztes Projekt {c.ago(x)} begonnen")


def _work_hours(feature: str, days: int, before: int, usual: tuple[str, str]) -> _Text:
    """``usual``: the period compared with, in English and German ("month", "Monats")."""

    def sentence(c: _Ctx) -> str:
        x = c.value(feature)
        if x is None:
            return c.say(
                f"No hours logged in the {before} days before to compare with",
                f"Keine Stunden in den {before} Tagen davor zum Vergleich",
            )
        return c.say(
            f"Hours logged for the client in the last {days} days: {c.share(x)} of the usual "
            f"{usual[0]}",
            f"Für den Kunden erfasste Stunden der letzten {days} Tage: {c.share(x)} eines "
            f"üblichen {usual[1]}",
        )

    return sentence


def _days_since_work(c: _Ctx) -> str:
    x = c.value("days_since_work")
    if x is None:
        return c.say("No time logged for the client yet", "Noch keine Zeit für den Kunden erfasst")
    return c.say(
        f"Latest time logged for the client {c.ago(x)}",
        f"Zuletzt {c.ago(x)} Zeit für den Kunden erfasst",
    )


def _doubts(c: _Ctx) -> str:
    x, days = c.value("relationship_doubts_90d"), c.value("days_since_relationship_doubt")
    if x is None:
        return c.say("No data on client messages", "Keine Daten zu Kundennachrichten")
    n = c.whole(x)
    if n == 0:
        if days is not None:
            return c.say(
                f"The client last wrote of budget cuts, changes or ending the work {c.ago(days)}",
                f"Der Kunde schrieb zuletzt {c.ago(days)} von Kürzungen, Veränderungen oder "
                "einem Ende der Arbeit",
            )
        return c.say(
            "No client message in 90 days about budget cuts, changes or ending the work",
            "Keine Kundennachricht in 90 Tagen über Kürzungen, Veränderungen oder ein Ende der "
            "Arbeit",
        )
    latest_en = f" (latest {c.ago(days)})" if days is not None else ""
    latest_de = f" (zuletzt {c.ago(days)})" if days is not None else ""
    return c.say(
        f"{c.count(n)} client {_plural(n, 'message', 'messages')} in 90 days about budget "
        f"cuts, other providers or pausing{latest_en}",
        f"{c.count(n)} {_plural(n, 'Kundennachricht', 'Kundennachrichten')} in 90 Tagen über "
        f"Kürzungen, andere Anbieter oder eine Pause{latest_de}",
    )


# --- The table --------------------------------------------------------------


class _Reason(NamedTuple):
    kind: str
    text: _Text


_open = _invoices("open_invoices", "open_amount", "open", "offen", "offenen")
_overdue = _invoices("overdue_invoices", "overdue_amount", "overdue", "überfällig", "überfälligen")

#: Every feature of ``features.build.FEATURES``: its kind of next step and its sentence.
_REASONS: dict[str, _Reason] = {
    "sentiment_mean_30d": _Reason("check_in", _tone_mean(30)),
    "sentiment_mean_90d": _Reason("check_in", _tone_mean(90)),
    "sentiment_min_30d": _Reason("check_in", _tone_min(30)),
    "sentiment_min_90d": _Reason("check_in", _tone_min(90)),
    "sentiment_trend": _Reason("check_in", _tone_trend),
    "negative_share_90d": _Reason("check_in", _negative_share),
    "survey_score_latest": _Reason("check_in", _survey),
    "survey_score_change": _Reason("check_in", _survey),
    "billing_questions_30d": _Reason("invoice", _questions(30)),
    "billing_questions_90d": _Reason("invoice", _questions(90)),
    "days_since_billing_question": _Reason("invoice", _days_since_question),
    "billing_questions_unanswered_90d": _Reason("invoice", _unanswered),
    "billing_question_share_90d": _Reason("invoice", _question_share),
    "billed_share_max": _Reason("invoice", _billed_share_max),
    "billed_share_weighted": _Reason("invoice", _billed_share_weighted),
    "time_value_share_max": _Reason("progress", _time_value_max),
    "time_value_share_weighted": _Reason("progress", _time_value_weighted),
    "progress_weighted": _Reason("progress", _progress),
    "billed_minus_progress_max": _Reason("progress", _gap("max")),
    "billed_minus_progress_weighted": _Reason("progress", _gap("weighted")),
    "overbilling_share": _Reason("invoice", _overbilling),
    "overbilling_amount": _Reason("invoice", _overbilling),
    "progress_report_age_max": _Reason("progress", _report_age),
    "days_since_inbound": _Reason("check_in", _silence),
    "usual_inbound_gap": _Reason("check_in", _usual_gap),
    "silence_ratio": _Reason("check_in", _silence),
    "longest_gap_90d": _Reason("check_in", _longest_gap),
    "inbound_volume_ratio": _Reason("check_in", _volume("inbound_volume_ratio", 30, 90)),
    "inbound_volume_ratio_90d": _Reason("check_in", _volume("inbound_volume_ratio_90d", 90, 270)),
    "outbound_unanswered": _Reason("check_in", _outbound),
    "days_since_survey": _Reason("check_in", _days_since_survey),
    "meetings_60d": _Reason("check_in", _meetings),
    "meetings_ratio": _Reason("check_in", _meetings),
    "open_invoices": _Reason("payment", _open),
    "open_amount": _Reason("payment", _open),
    "overdue_invoices": _Reason("payment", _overdue),
    "overdue_amount": _Reason("payment", _overdue),
    "days_late_mean_90d": _Reason("payment", _days_late),
    "disputes_180d": _Reason("invoice", _disputes),
    "latest_invoice_ratio": _Reason("invoice", _latest_invoice),
    # A long time since the last invoice means the next one will be large: explain it.
    "days_since_invoice": _Reason("invoice", _days_since_invoice),
    # Tenure and the size of running work are about the relationship: talk to the client.
    "tenure_days": _Reason("check_in", _tenure),
    "active_projects": _Reason("check_in", _projects),
    "budget_open": _Reason("check_in", _projects),
    # Work running out is the commonest way a services client leaves: plan what follows.
    "runway_days": _Reason("follow_on", _runway),
    "days_since_project_start": _Reason("follow_on", _project_start),
    "work_hours_ratio": _Reason(
        "follow_on", _work_hours("work_hours_ratio", 30, 90, ("month", "Monats"))
    ),
    "work_hours_ratio_90d": _Reason(
        "follow_on", _work_hours("work_hours_ratio_90d", 90, 270, ("quarter", "Quartals"))
    ),
    "days_since_work": _Reason("follow_on", _days_since_work),
    "relationship_doubts_90d": _Reason("follow_on", _doubts),
    "days_since_relationship_doubt": _Reason("follow_on", _doubts),
    "new_contact_30d": _Reason("check_in", _new_contact),
}


#: Features that state the same fact from different angles (billed share and the
#: billed-minus-delivered gap; days of silence and the silence ratio). A reason is
#: a group: its contribution is the sum of its features' attributions (Shapley
#: values add up over a set of features), its sentence that of its strongest one,
#: so one fact is never shown twice under different names.
GROUPS: dict[str, tuple[str, ...]] = {
    "sentiment": (
        "sentiment_mean_30d",
        "sentiment_mean_90d",
        "sentiment_min_30d",
        "sentiment_min_90d",
        "sentiment_trend",
        "negative_share_90d",
    ),
    "survey": ("survey_score_latest", "survey_score_change", "days_since_survey"),
    "billing_questions": (
        "billing_questions_30d",
        "billing_questions_90d",
        "days_since_billing_question",
        "billing_questions_unanswered_90d",
        "billing_question_share_90d",
    ),
    "billed_vs_delivered": (
        "billed_share_max",
        "billed_share_weighted",
        "progress_weighted",
        "billed_minus_progress_max",
        "billed_minus_progress_weighted",
        "overbilling_share",
        "overbilling_amount",
    ),
    "effort": ("time_value_share_max", "time_value_share_weighted"),
    "stale_progress": ("progress_report_age_max",),
    "silence": (
        "days_since_inbound",
        "usual_inbound_gap",
        "silence_ratio",
        "longest_gap_90d",
        "inbound_volume_ratio",
        "inbound_volume_ratio_90d",
        "outbound_unanswered",
    ),
    "meetings": ("meetings_60d", "meetings_ratio"),
    "open_invoices": (
        "open_invoices",
        "open_amount",
        "overdue_invoices",
        "overdue_amount",
        "days_late_mean_90d",
    ),
    "disputes": ("disputes_180d",),
    "invoice_size": ("latest_invoice_ratio", "days_since_invoice"),
    "relationship": ("tenure_days", "active_projects", "budget_open"),
    "pipeline": ("runway_days", "days_since_project_start"),
    "workload": ("work_hours_ratio", "work_hours_ratio_90d", "days_since_work"),
    "doubts": ("relationship_doubts_90d", "days_since_relationship_doubt"),
    "new_contact": ("new_contact_30d",),
}
_GROUP_OF = {feature: group for group, members in GROUPS.items() for feature in members}


def reason_group(feature: str) -> str:
    """The group (a key of ``GROUPS``) ``feature`` belongs to; ``KeyError`` if none."""
    return _GROUP_OF[feature]


def reason_text(feature: str, row: Mapping[str, float | None], language: str) -> str:
    """One short sentence stating the fact behind ``feature`` for this client.

    ``row`` holds the client's feature values by name (``None``, NaN or a
    missing name mean unknown); related values are cited where they help.
    German if ``language`` is ``"de"`` (or a German locale), else English.
    Raises ``KeyError`` for a feature this module does not know.
    """
    return _REASONS[feature].text(_Ctx(row, _is_german(language)))


def reason_kind(feature: str) -> str:
    """The kind of next step, a key of ``NEXT_STEPS``, that fits ``feature``.

    Raises ``KeyError`` for a feature this module does not know.
    """
    return _REASONS[feature].kind


def next_step(features: Sequence[str], language: str) -> str:
    """The next step for the first, strongest, of ``features``, in the client's language.

    Raises ``ValueError`` for no features: a flagged client always has a
    reason, so an empty list is a caller's bug, not a case to paper over.
    """
    if not features:
        raise ValueError("next_step needs at least one feature")
    step = NEXT_STEPS[reason_kind(features[0])]
    return step["de"] if _is_german(language) else step["en"]
