"""The billing-question rule, measured on hand-written labelled messages.

``billing_questions.csv`` (273 messages) was used to develop the rule, so its
floors guard against regressions; ``billing_questions_holdout.csv`` (150 more,
written by someone who never saw the rule) was scored once the rule was done
and gives the honest estimate: its floors sit just under what was measured.
"""

from __future__ import annotations

import pytest

from features.text.billing_questions import is_billing_question
from tests.features.labelled import precision_recall

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("language", ["en", "de"])
def test_development_set(language: str) -> None:
    precision, recall, size = precision_recall(
        is_billing_question, "billing_questions.csv", language
    )
    assert size >= 130
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.mark.parametrize(
    ("language", "min_precision", "min_recall"), [("en", 0.75, 0.62), ("de", 0.78, 0.70)]
)
def test_held_out_set(language: str, min_precision: float, min_recall: float) -> None:
    precision, recall, size = precision_recall(
        is_billing_question, "billing_questions_holdout.csv", language
    )
    assert size >= 60
    assert precision >= min_precision
    assert recall >= min_recall


@pytest.mark.parametrize(
    "text",
    [
        "Could you walk us through the hours on INV-2041?",
        "Warum wurden im März 40 Stunden mehr berechnet als vereinbart?",
        "We won't pay for the extra QA round, that was never agreed.",
    ],
)
def test_questions(text: str) -> None:
    assert is_billing_question([text], [None])[0]


@pytest.mark.parametrize(
    "text",
    [
        "Please find attached invoice INV-2041 for March.",
        "Die Rechnung wurde gestern überwiesen.",
        "Why is the staging server down again?",
        "",
    ],
)
def test_not_questions(text: str) -> None:
    assert not is_billing_question([text], [None])[0]
