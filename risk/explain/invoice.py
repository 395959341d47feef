"""Reasons and actions for one invoice checked before it is sent.

An invoice check reads the client's features and the invoice's own
(``features.invoice_features.INVOICE_FEATURES``); the client's have their sentences
in the family modules beside this one, the invoice's have them here, one entry per
feature as there. Each group of features that states one fact about the invoice is
one reason, as ``GROUPS`` is for a client.

A check also says what to do before sending, the strongest reasons first: send the
progress report first, attach the hours by role, answer the open billing questions,
split the amount. Those are actions on the invoice, not on the account, so a
client-level reason gets one here too where it has one (billing questions, billing
ahead of progress); otherwise the client's next step stands.
"""

from __future__ import annotations

from collections.abc import Mapping

from risk.explain import GROUPS, NEXT_STEPS, reason_kind, reason_text
from risk.explain.context import Context, Reason
from risk.wording import N_, words


def _amount_vs_usual(c: Context) -> str:
    x = c.value("amount_vs_usual")
    if x is None or c.value("days_since_previous") is None:
        return c._("The client's first invoice: no usual amount to compare with")
    return c._("The amount is {x} times the client's usual invoice", x=c.ratio(x))


def _billed_ahead(c: Context) -> str:
    x = c.value("billed_after_minus_progress")
    if x is None:
        return c._("No project budget to compare the billing with")
    n = c.whole(abs(x) * 100)
    if n == 0:
        return c._("With this invoice, billing keeps pace with the project's reported progress")
    if x > 0:
        return c._.ngettext(
            "With this invoice, billing runs {n} point ahead of the project's reported progress",
            "With this invoice, billing runs {n} points ahead of the project's reported progress",
            n,
        )
    return c._.ngettext(
        "With this invoice, billing stays {n} point behind the project's reported progress",
        "With this invoice, billing stays {n} points behind the project's reported progress",
        n,
    )


def _budget_left(c: Context) -> str:
    x = c.value("amount_vs_budget_left")
    if x is None:
        return c._("No project budget left to set the amount against")
    return c._("The amount is {share} of what the project's budget has left", share=c.share(x))


def _progress_age(c: Context) -> str:
    x = c.value("days_since_progress")
    if x is None:
        return c._("No progress reported on the project yet")
    return c._("The project's latest progress report was {ago}", ago=c.ago(x))


def _first_of_project(c: Context) -> str:
    if (c.value("first_of_project") or 0) >= 1:
        return c._("The project's first invoice")
    return c._("The project has been invoiced before")


def _previous(c: Context) -> str:
    x = c.value("days_since_previous")
    if x is None:
        return c._("The client's first invoice")
    return c._("The client's previous invoice was {ago}", ago=c.ago(x))


def _terms(c: Context) -> str:
    x = c.value("terms_vs_usual") or 0.0
    n = c.whole(abs(x))
    if n == 0:
        return c._("The client's usual payment terms")
    if x > 0:
        return c._("{days} longer to pay than the client's usual terms", days=c.days(n))
    return c._("{days} less to pay than the client's usual terms", days=c.days(n))


def _work_value(c: Context) -> str:
    x = c.value("work_value_vs_amount")
    if x is None:
        return c._("No time recorded behind this invoice")
    return c._("The time worked behind it is worth {share} of the amount", share=c.share(x))


def _hours(c: Context) -> str:
    x = c.value("hours_behind")
    if not x:
        return c._("No hours recorded behind this invoice")
    n = c.whole(x)
    return c._.ngettext("{n} hour worked behind it", "{n} hours worked behind it", n)


def _linked(c: Context) -> str:
    x = c.value("linked_share")
    if x is None:
        return c._("No hours behind it to link to the invoice")
    return c._("{share} of those hours are linked to the invoice", share=c.share(x))


def _line_items(c: Context) -> str:
    x = c.value("line_items")
    if x is None:
        return c._("No line items given")
    n = c.whole(x)
    return c._.ngettext("{n} line item", "{n} line items", n)


#: What to do before sending, by kind.
ACTIONS: dict[str, str] = {
    "progress_first": N_("Send the progress report before the invoice"),
    "hours": N_("Attach the hours by role behind the invoice"),
    "split": N_("Split the amount, or say in the cover note why it is larger than usual"),
    "terms": N_("Keep the client's usual payment terms"),
    "questions": N_("Answer the client's open billing questions before sending"),
}

#: Each invoice feature's kind of action and its sentence.
REASONS: dict[str, Reason] = {
    "amount_vs_usual": Reason("split", _amount_vs_usual),
    "billed_after_minus_progress": Reason("progress_first", _billed_ahead),
    "amount_vs_budget_left": Reason("split", _budget_left),
    "days_since_progress": Reason("progress_first", _progress_age),
    "first_of_project": Reason("hours", _first_of_project),
    "days_since_previous": Reason("split", _previous),
    "terms_vs_usual": Reason("terms", _terms),
    "work_value_vs_amount": Reason("hours", _work_value),
    "hours_behind": Reason("hours", _hours),
    "linked_share": Reason("hours", _linked),
    "line_items": Reason("hours", _line_items),
}

#: The invoice's facts, each a group of features as ``risk.explain.GROUPS`` (whose
#: client groups a check uses too).
INVOICE_GROUPS: dict[str, tuple[str, ...]] = {
    "billed_ahead": ("billed_after_minus_progress", "amount_vs_budget_left"),
    "progress_age": ("days_since_progress",),
    "amount": ("amount_vs_usual", "days_since_previous", "first_of_project"),
    "work_behind": ("work_value_vs_amount", "hours_behind", "linked_share", "line_items"),
    "terms": ("terms_vs_usual",),
}
#: Client-level groups whose fact has an action on the invoice itself.
CLIENT_ACTIONS: dict[str, str] = {
    "billing_questions": "questions",
    "billed_vs_delivered": "progress_first",
    "stale_progress": "progress_first",
    "effort": "hours",
}
ALL_GROUPS: dict[str, tuple[str, ...]] = {**GROUPS, **INVOICE_GROUPS}
_GROUP_OF = {feature: group for group, members in ALL_GROUPS.items() for feature in members}


def group_of(feature: str) -> str:
    """The group of a client or invoice feature; ``KeyError`` if none."""
    return _GROUP_OF[feature]


def invoice_reason_text(feature: str, row: Mapping[str, float | None], language: str) -> str:
    """The sentence of a client or invoice feature, in ``language``."""
    if feature in REASONS:
        return REASONS[feature].text(Context(row, words(language)))
    return reason_text(feature, row, language)


def action(feature: str, language: str) -> str:
    """What to do before sending about the fact behind ``feature``, in ``language``."""
    said = words(language)
    if feature in REASONS:
        return said(ACTIONS[REASONS[feature].kind])
    kind = CLIENT_ACTIONS.get(group_of(feature))
    return said(ACTIONS[kind]) if kind else said(NEXT_STEPS[reason_kind(feature)])
