"""Reasons from the billing family (``features/families/billing.py``): the client's
questions about invoices and what it pays for.
"""

from __future__ import annotations

from risk.explain.context import Context, Reason, Text


def _unanswered_note(c: Context, *, in_window: bool) -> str:
    # Unanswered is only counted over 90 days; say so unless the sentence is
    # already about those 90 days.
    u = c.value("billing_questions_unanswered_90d")
    if u is None:
        return ""
    n = c.whole(u)
    if n == 0:
        return c._(", none unanswered")
    if in_window:
        return c._(", {n} unanswered", n=c.count(n))
    return c._("; {n} unanswered in 90 days", n=c.count(n))


def _questions(window: int) -> Text:
    def text(c: Context) -> str:
        x = c.value(f"billing_questions_{window}d")
        if x is None:
            return c._(
                "No data on questions about invoices in the last {window} days", window=window
            )
        n = c.whole(x)
        if n == 0:
            return c._("No questions about invoices in the last {window} days", window=window)
        head = c._.ngettext(
            "{n} question about invoices in {window} days",
            "{n} questions about invoices in {window} days",
            n,
            window=window,
        )
        return head + _unanswered_note(c, in_window=window == 90)

    return text


def _days_since_question(c: Context) -> str:
    x = c.value("days_since_billing_question")
    if x is None:
        return c._("The client has never questioned an invoice")
    return c._("Last question about an invoice {x}", x=c.ago(x)) + _unanswered_note(
        c, in_window=False
    )


def _unanswered(c: Context) -> str:
    u, total = c.value("billing_questions_unanswered_90d"), c.value("billing_questions_90d")
    if u is None:
        return c._("No data on unanswered questions about invoices")
    n = c.whole(u)
    if n == 0:
        if total is not None and c.whole(total) == 0:
            return _questions(90)(c)
        return c._("Questions about invoices in the last 90 days answered within 3 working days")
    if total is not None:
        # "of 3" makes the noun plural in both languages, whatever the count.
        return c._(
            "{n} of {total} questions about invoices in 90 days not answered within 3 working days",
            n=c.count(n),
            total=c.count(total),
        )
    return c._.ngettext(
        "{n} question about invoices in 90 days not answered within 3 working days",
        "{n} questions about invoices in 90 days not answered within 3 working days",
        n,
    )


def _question_share(c: Context) -> str:
    x, n = c.value("billing_question_share_90d"), c.value("billing_questions_90d")
    if x is None:
        return c._("No client messages in the last 90 days")
    if not n:
        return c._(
            "{share} of client messages in the last 90 days were about invoices",
            share=c.share(x),
        )
    return c._.ngettext(
        "{share} of client messages in the last 90 days were about invoices ({n} question)",
        "{share} of client messages in the last 90 days were about invoices ({n} questions)",
        c.whole(n),
        share=c.share(x),
    )


#: Each feature's kind of next step and its sentence.
REASONS: dict[str, Reason] = {
    "billing_questions_30d": Reason("invoice", _questions(30)),
    "billing_questions_90d": Reason("invoice", _questions(90)),
    "days_since_billing_question": Reason("invoice", _days_since_question),
    "billing_questions_unanswered_90d": Reason("invoice", _unanswered),
    "billing_question_share_90d": Reason("invoice", _question_share),
}
