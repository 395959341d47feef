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

The sentences live beside their feature family, one module each (``feedback``,
``billing``, ``spend``, ``silence``, ``payments``, ``relationship``, mirroring
``features/families``), as a table of one entry per feature rather than
branching code: adding a feature means adding one line to its family's table,
and the tests check that the tables cover ``features.build.FEATURES`` exactly.
``context`` formats the numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from risk.explain import billing, feedback, payments, relationship, silence, spend
from risk.explain.context import Context, Reason
from risk.wording import N_, words

__all__ = ["GROUPS", "NEXT_STEPS", "next_step", "reason_group", "reason_kind", "reason_text"]

#: What the PM can do about each kind of reason (said in the client's language).
NEXT_STEPS: dict[str, str] = {
    "invoice": N_("Walk the client through the latest invoice and what it covers"),
    "progress": N_("Share a progress report: what is delivered, what is next, budget used"),
    "check_in": N_("Book a check-in call with the client"),
    "payment": N_("Follow up on open invoices with the client's finance contact"),
    "follow_on": N_("Talk with the client's sponsor about what comes after the current work"),
}

_REASONS: dict[str, Reason] = {
    **feedback.REASONS,
    **billing.REASONS,
    **spend.REASONS,
    **silence.REASONS,
    **payments.REASONS,
    **relationship.REASONS,
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
    In ``language`` (a client's language field or a locale: ``de``, ``de-AT``), English
    where billing-risk does not speak it.
    Raises ``KeyError`` for a feature this module does not know.
    """
    return _REASONS[feature].text(Context(row, words(language)))


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
    return words(language)(NEXT_STEPS[reason_kind(features[0])])
