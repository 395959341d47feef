"""Reasons from the billing family (``features/families/billing.py``): the client's
questions about invoices and what it pays for.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text, plural


def _unanswered_note(c: Context, *, in_window: bool) -> str:
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


def _questions(window: int) -> Text:
    def text(c: Context) -> str:
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
            f"{c.count(n)} {plural(n, 'question', 'questions')} about invoices in {window} days",
            f"{c.count(n)} {plural(n, 'Rückfrage', 'Rückfragen')} zu Rechnungen in {window} Tagen",
        )
        return head + _unanswered_note(c, in_window=window == 90)

    return text


def _days_since_question(c: Context) -> str:
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


def _unanswered(c: Context) -> str:
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


def _question_share(c: Context) -> str:
    x, n = c.value("billing_question_share_90d"), c.value("billing_questions_90d")
    if x is None:
        return c.say(
            "No client messages in the last 90 days",
            "Keine Kundennachrichten in den letzten 90 Tagen",
        )
    count_en = f" ({c.count(n)} {plural(c.whole(n), 'question', 'questions')})" if n else ""
    count_de = f" ({c.count(n)} {plural(c.whole(n), 'Rückfrage', 'Rückfragen')})" if n else ""
    return c.say(
        f"{c.share(x)} of client messages in the last 90 days were about invoices{count_en}",
        f"{c.share(x)} der Kundennachrichten der letzten 90 Tage betrafen Rechnungen{count_de}",
    )


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "billing_questions_30d": Reason("invoice", _questions(30)),
    "billing_questions_90d": Reason("invoice", _questions(90)),
    "days_since_billing_question": Reason("invoice", _days_since_question),
    "billing_questions_unanswered_90d": Reason("invoice", _unanswered),
    "billing_question_share_90d": Reason("invoice", _question_share),
}
