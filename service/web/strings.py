"""The web page's words that depend on a value (a risk, a level, a trend, an error, a
flash message): their messages, marked for the catalogs and translated where shown,
in the reader's language (``risk.wording``). Every other word is written in its
template as ``_("...")``."""

from __future__ import annotations

from risk.invoices import BASIS_LINKED, BASIS_PERIOD
from risk.wording import N_

RISK_NAMES = {"dispute": N_("Invoice dispute"), "churn": N_("Churn")}

#: Names the templates look up by kind and value: ``name("level", "high")``.
NAMES: dict[str, dict[str, str]] = {
    "risk": RISK_NAMES,
    "horizon": {"dispute": N_("within 30 days"), "churn": N_("within 90 days")},
    "level": {"high": N_("High"), "elevated": N_("Elevated"), "none": N_("Below threshold")},
    "trend": {
        "new": N_("New"),
        "rising": N_("Rising"),
        "steady": N_("Steady"),
        "falling": N_("Falling"),
        "cleared": N_("Cleared"),
    },
    "basis": {
        BASIS_LINKED: N_("Time entries linked to the invoice"),
        BASIS_PERIOD: N_("Billable time of the project in the invoice's period"),
    },
    "verdict": {
        "valid": N_("Yes, valid"),
        "false_alarm": N_("No, a false alarm"),
        "premature": N_("Too early"),
    },
    "draft_field": {
        "amount": N_("the amount (a positive number)"),
        "project_id": N_("the project (one of this client's)"),
        "issued_at": N_("the issue date"),
        "due_at": N_("the due date (not before the issue date)"),
        "line_items": N_("the line items (a whole number, at least 1)"),
        "period_start": N_("the period's start"),
        "period_end": N_("the period's end (not before its start)"),
    },
    "error_title": {
        "not_found": N_("Not found"),
        "forbidden": N_("Form expired"),
        "busy": N_("Busy, please try again"),
    },
    "error": {
        "not_found": N_("There is no such client or flag, or it is not one of yours."),
        "forbidden": N_(
            "The form's security token is missing or does not match. Reload the page and try again."
        ),
        "busy": N_(
            "The database is busy with a scoring run or an import. Please try again in a "
            "few seconds: nothing was changed."
        ),
    },
}

#: What the page says after a form, by the key the form's handler flashes.
FLASH = {
    "done_ack": N_("Acknowledged: no alert again until its level changes."),
    "done_snooze": N_("Snoozed until {day}: hidden from your list until then."),
    "done_feedback": N_("Thank you: your feedback is kept for retraining."),
    "error_until": N_("Pick a date after today."),
    "error_cleared": N_(
        "This flag has cleared in the meantime: there is nothing left to acknowledge or snooze."
    ),
    "error_reason": N_("A snooze needs a reason."),
    "error_verdict": N_("Pick one of the answers."),
}
