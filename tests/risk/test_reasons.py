"""Reasons shown to the PM: one short, factual sentence per feature, in English or German."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.build import FEATURES
from risk.explain import NEXT_STEPS, next_step, reason_kind, reason_text
from risk.wording import words

pytestmark = pytest.mark.unit

LANGUAGES = ("en", "de")

#: A plausible flagged client: every feature known.
TYPICAL: dict[str, float | None] = {
    "sentiment_mean_30d": -0.42,
    "sentiment_mean_90d": -0.1,
    "sentiment_min_30d": -0.8,
    "sentiment_min_90d": -0.85,
    "sentiment_trend": -0.3,
    "negative_share_90d": 0.426,
    "survey_score_latest": 5.0,
    "survey_score_change": -4.0,
    "billing_questions_30d": 3.0,
    "billing_questions_90d": 4.0,
    "days_since_billing_question": 12.0,
    "billing_questions_unanswered_90d": 1.0,
    "billing_question_share_90d": 0.25,
    "billed_share_max": 0.78,
    "billed_share_weighted": 0.78,
    "time_value_share_max": 0.95,
    "time_value_share_weighted": 0.8,
    "progress_weighted": 41.0,
    "billed_minus_progress_max": 37.0,
    "billed_minus_progress_weighted": 37.0,
    "overbilling_share": 0.15,
    "overbilling_amount": 12400.0,
    "progress_report_age_max": 45.0,
    "days_since_inbound": 34.0,
    "usual_inbound_gap": 6.2,
    "silence_ratio": 5.5,
    "longest_gap_90d": 40.0,
    "inbound_volume_ratio": 0.4,
    "inbound_volume_ratio_90d": 0.5,
    "outbound_unanswered": 3.0,
    "days_since_survey": 200.0,
    "meetings_60d": 2.0,
    "meetings_ratio": 0.5,
    "open_invoices": 3.0,
    "open_amount": 12400.0,
    "overdue_invoices": 2.0,
    "overdue_amount": 8000.0,
    "days_late_mean_90d": 12.4,
    "disputes_180d": 1.0,
    "latest_invoice_ratio": 2.345,
    "days_since_invoice": 12.0,
    "tenure_days": 1460.0,
    "active_projects": 3.0,
    "budget_open": 120000.0,
    "runway_days": 23.0,
    "days_since_project_start": 300.0,
    "work_hours_ratio": 0.35,
    "work_hours_ratio_90d": 0.6,
    "days_since_work": 9.0,
    "relationship_doubts_90d": 2.0,
    "days_since_relationship_doubt": 6.0,
    "new_contact_30d": 1.0,
}
ALL_NONE: dict[str, float | None] = dict.fromkeys(FEATURES)
ALL_NAN: dict[str, float | None] = dict.fromkeys(FEATURES, math.nan)

# Leaked placeholders: Python's spellings of missing or infinite values.
LEAK = re.compile(r"\b(nan|NaN|None|inf|Infinity)\b")


def check_sentence(text: str) -> None:
    assert text.strip(), "empty sentence"
    assert len(text) < 110, f"too long ({len(text)}): {text}"
    assert not LEAK.search(text), text
    assert "model" not in text.lower(), text
    assert text == text.strip()


def test_typical_row_has_every_feature() -> None:
    assert set(TYPICAL) == set(FEATURES)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("feature", list(FEATURES))
@pytest.mark.parametrize(
    "row", [TYPICAL, ALL_NONE, ALL_NAN, {}], ids=["typical", "none", "nan", "missing"]
)
def test_every_feature_has_a_sentence(
    feature: str, language: str, row: dict[str, float | None]
) -> None:
    check_sentence(reason_text(feature, row, language))


@pytest.mark.parametrize("feature", list(FEATURES))
def test_german_differs_from_english(feature: str) -> None:
    for row in (TYPICAL, ALL_NONE):
        assert reason_text(feature, row, "de") != reason_text(feature, row, "en")


@pytest.mark.parametrize(
    ("feature", "word"),
    [
        ("days_since_inbound", "Tagen"),
        ("open_invoices", "Rechnungen"),
        ("overdue_amount", "überfällig"),
        ("billing_questions_30d", "Rechnungen"),
        ("days_since_invoice", "Rechnung"),
        ("survey_score_latest", "Umfragewert"),
        ("billed_minus_progress_weighted", "Budgets"),
    ],
)
def test_german_is_german(feature: str, word: str) -> None:
    assert word in reason_text(feature, TYPICAL, "de")
    assert word not in reason_text(feature, TYPICAL, "en")


def test_billed_against_delivered() -> None:
    row = {"billed_share_weighted": 0.78, "progress_weighted": 41.0}
    row["billed_minus_progress_weighted"] = 37.0
    assert (
        reason_text("billed_minus_progress_weighted", row, "en")
        == "Billed 78% of the budget, 41% delivered (gap +37 points)"
    )
    assert (
        reason_text("billed_minus_progress_weighted", row, "de")
        == "78 % des Budgets abgerechnet, 41 % geliefert (Lücke +37 Punkte)"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_billed_against_delivered_max(language: str) -> None:
    row = {"billed_share_max": 0.78, "progress_weighted": 41.0, "billed_minus_progress_max": 37.0}
    text = reason_text("billed_minus_progress_max", row, language)
    percent = " %" if language == "de" else "%"
    assert f"78{percent}" in text
    assert f"41{percent}" in text
    assert "+37" in text


@pytest.mark.parametrize(
    ("runway", "en", "de"),
    [
        (
            23.0,
            "The last running project is planned to end in 23 days",
            "Das letzte laufende Projekt soll in 23 Tagen enden",
        ),
        (
            -15.0,
            "Every running project is past its planned end (the latest by 15 days)",
            "Alle laufenden Projekte sind über ihr geplantes Ende hinaus (das späteste um 15 Tage)",
        ),
        (None, "No project running", "Kein laufendes Projekt"),
    ],
)
def test_runway(runway: float | None, en: str, de: str) -> None:
    assert reason_text("runway_days", {"runway_days": runway}, "en") == en
    assert reason_text("runway_days", {"runway_days": runway}, "de") == de


def test_doubts_cite_count_and_latest() -> None:
    row = {"relationship_doubts_90d": 2.0, "days_since_relationship_doubt": 6.0}
    assert reason_text("relationship_doubts_90d", row, "en") == (
        "2 client messages in 90 days about budget cuts, other providers or pausing "
        "(latest 6 days ago)"
    )
    assert reason_text("days_since_relationship_doubt", row, "de").startswith(
        "2 Kundennachrichten in 90 Tagen"
    )


def test_work_hours_as_share_of_usual() -> None:
    row = {"work_hours_ratio": 0.35}
    assert reason_text("work_hours_ratio", row, "en") == (
        "Hours logged for the client in the last 30 days: 35% of the usual month"
    )


def test_quarters_compared_with_the_three_before() -> None:
    row = {"work_hours_ratio_90d": 0.6, "inbound_volume_ratio_90d": 0.5}
    assert reason_text("work_hours_ratio_90d", row, "en") == (
        "Hours logged for the client in the last 90 days: 60% of the usual quarter"
    )
    assert reason_text("inbound_volume_ratio_90d", row, "de") == (
        "Der Kunde schrieb in den letzten 90 Tagen 0,5-mal so oft wie üblich"
    )


def test_billed_gap_below_zero_has_no_plus() -> None:
    row = {"billed_minus_progress_max": -12.4}
    text = reason_text("billed_minus_progress_max", row, "en")
    assert "-12 points" in text
    assert "+" not in text


def test_silence() -> None:
    row = {"days_since_inbound": 34.0, "usual_inbound_gap": 6.2, "silence_ratio": 5.5}
    expected_en = "No message from the client for 34 days (usually every 6 days)"
    expected_de = "Seit 34 Tagen keine Nachricht vom Kunden (sonst alle 6 Tage)"
    for feature in ("days_since_inbound", "silence_ratio"):
        assert reason_text(feature, row, "en") == expected_en
        assert reason_text(feature, row, "de") == expected_de
    usual = reason_text("usual_inbound_gap", row, "en")
    assert "6 days" in usual
    assert "34 days ago" in usual


def test_singular_days() -> None:
    row = {"days_since_inbound": 1.0, "longest_gap_90d": 1.0}
    assert "for 1 day " in reason_text("days_since_inbound", row, "en") + " "
    assert "Seit 1 Tag keine" in reason_text("days_since_inbound", row, "de")
    assert reason_text("longest_gap_90d", row, "de").endswith(": 1 Tag")


def test_billing_questions() -> None:
    row = {
        "billing_questions_30d": 3.0,
        "billing_questions_90d": 4.0,
        "billing_questions_unanswered_90d": 1.0,
    }
    en = reason_text("billing_questions_30d", row, "en")
    assert en.startswith("3 questions about invoices in 30 days")
    assert "1 unanswered" in en
    de = reason_text("billing_questions_30d", row, "de")
    assert de.startswith("3 Rückfragen zu Rechnungen in 30 Tagen")
    assert "unbeantwortet" in de
    assert "1 of 4 questions" in reason_text("billing_questions_unanswered_90d", row, "en")
    answered = {**row, "billing_questions_unanswered_90d": 0.0}
    assert "none unanswered" in reason_text("billing_questions_30d", answered, "en")
    assert reason_text("billing_questions_30d", {"billing_questions_30d": 1.0}, "en") == (
        "1 question about invoices in 30 days"
    )


@pytest.mark.parametrize(
    ("row", "en", "de"),
    [
        (
            {"survey_score_latest": 5.0, "survey_score_change": -4.0},
            "Survey score fell from 9 to 5",
            "Umfragewert von 9 auf 5 gefallen",
        ),
        (
            {"survey_score_latest": 4.0, "survey_score_change": 1.0},
            "Survey score rose from 3 to 4",
            "Umfragewert von 3 auf 4 gestiegen",
        ),
        (
            {"survey_score_latest": 7.0, "survey_score_change": 0.0},
            "Survey score unchanged at 7",
            "Umfragewert unverändert bei 7",
        ),
        ({}, "No survey answered yet", "Noch keine Umfrage beantwortet"),
    ],
)
def test_survey(row: dict[str, float | None], en: str, de: str) -> None:
    for feature in ("survey_score_latest", "survey_score_change"):
        assert reason_text(feature, row, "en") == en
        assert reason_text(feature, row, "de") == de


def test_money_separators() -> None:
    row = {"open_invoices": 3.0, "open_amount": 1234567.4, "overbilling_amount": 12400.0}
    assert "1,234,567" in reason_text("open_amount", row, "en")
    assert "1.234.567" in reason_text("open_amount", row, "de")
    assert "12,400" in reason_text("overbilling_amount", row, "en")
    assert "12.400" in reason_text("overbilling_amount", row, "de")


def test_ratio_one_decimal_and_percent_whole() -> None:
    assert "2.3 times" in reason_text("latest_invoice_ratio", TYPICAL, "en")
    assert "2,3-mal" in reason_text("latest_invoice_ratio", TYPICAL, "de")
    assert reason_text("negative_share_90d", TYPICAL, "en").startswith("43% ")
    assert reason_text("negative_share_90d", TYPICAL, "de").startswith("43 % ")


def test_sentiment_cites_the_scale() -> None:
    assert (
        reason_text("sentiment_mean_30d", TYPICAL, "en")
        == "Tone of client messages over the last 30 days averages -0.42 (scale -1..1)"
    )
    assert "-0,42" in reason_text("sentiment_mean_30d", TYPICAL, "de")


def test_direction_words_follow_the_sign() -> None:
    under = {"overbilling_amount": -3000.0, "overbilling_share": -0.05}
    assert "3,000 less" in reason_text("overbilling_amount", under, "en")
    assert "weniger" in reason_text("overbilling_amount", under, "de")
    assert "more" in reason_text("overbilling_amount", TYPICAL, "en")
    early = {"days_late_mean_90d": -3.2}
    assert "3 days early" in reason_text("days_late_mean_90d", early, "en")
    assert "vor Fälligkeit" in reason_text("days_late_mean_90d", early, "de")
    assert "12 days late" in reason_text("days_late_mean_90d", TYPICAL, "en")


def test_other_languages_get_english_and_german_locales_german() -> None:
    english = reason_text("open_invoices", TYPICAL, "en")
    assert reason_text("open_invoices", TYPICAL, "fr") == english
    assert reason_text("open_invoices", TYPICAL, "") == english
    german = reason_text("open_invoices", TYPICAL, "de")
    for language in ("DE", "de-AT", "de_CH"):
        assert reason_text("open_invoices", TYPICAL, language) == german


def test_unknown_feature() -> None:
    with pytest.raises(KeyError):
        reason_text("no_such_feature", TYPICAL, "en")
    with pytest.raises(KeyError):
        reason_kind("no_such_feature")
    with pytest.raises(KeyError):
        next_step(["no_such_feature"], "en")


def test_next_steps_table() -> None:
    assert set(NEXT_STEPS) == {"invoice", "progress", "check_in", "payment", "follow_on"}
    for step in NEXT_STEPS.values():
        said = {language: words(language)(step) for language in LANGUAGES}
        assert all(text.strip() for text in said.values())
        assert said["en"] == step
        assert said["en"] != said["de"]


@pytest.mark.parametrize("feature", list(FEATURES))
def test_every_feature_has_a_kind(feature: str) -> None:
    assert reason_kind(feature) in NEXT_STEPS


@pytest.mark.parametrize(
    ("feature", "kind"),
    [
        ("billing_questions_30d", "invoice"),
        ("latest_invoice_ratio", "invoice"),
        ("billed_share_max", "invoice"),
        ("overbilling_amount", "invoice"),
        ("disputes_180d", "invoice"),
        ("progress_weighted", "progress"),
        ("time_value_share_weighted", "progress"),
        ("progress_report_age_max", "progress"),
        ("billed_minus_progress_max", "progress"),
        ("sentiment_trend", "check_in"),
        ("survey_score_change", "check_in"),
        ("silence_ratio", "check_in"),
        ("meetings_60d", "check_in"),
        ("new_contact_30d", "check_in"),
        ("tenure_days", "check_in"),
        ("open_amount", "payment"),
        ("overdue_invoices", "payment"),
        ("days_late_mean_90d", "payment"),
    ],
)
def test_kinds(feature: str, kind: str) -> None:
    assert reason_kind(feature) == kind


def test_next_step_follows_the_strongest_reason() -> None:
    features = ["overdue_amount", "billing_questions_30d"]
    assert next_step(features, "de") == words("de")(NEXT_STEPS["payment"])
    assert next_step(features, "en") == NEXT_STEPS["payment"]
    assert next_step(features[::-1], "en") == NEXT_STEPS["invoice"]
    assert next_step(("silence_ratio",), "de-AT") == words("de")(NEXT_STEPS["check_in"])
    with pytest.raises(ValueError, match="at least one"):
        next_step([], "en")


values = st.one_of(
    st.none(),
    st.just(math.nan),
    st.just(math.inf),
    st.floats(min_value=-1_000_000, max_value=1_000_000, allow_nan=False),
)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries(dict.fromkeys(FEATURES, values)))
def test_any_row_gives_clean_sentences(row: dict[str, float | None]) -> None:
    # Out-of-range and contradictory rows must still read cleanly, never crash.
    for feature in FEATURES:
        for language in LANGUAGES:
            text = reason_text(feature, row, language)
            assert text.strip()
            assert not LEAK.search(text), text


def test_zero_days_reads_today() -> None:
    row = {"days_since_invoice": 0.2, "days_since_inbound": 0.0}
    assert reason_text("days_since_invoice", row, "en") == "Latest invoice issued today"
    assert reason_text("days_since_invoice", row, "de") == "Letzte Rechnung heute gestellt"
    assert reason_text("days_since_inbound", row, "en") == "The client wrote today"


def test_every_feature_is_in_exactly_one_reason_group() -> None:
    from risk.explain import GROUPS, reason_group

    members = [feature for group in GROUPS.values() for feature in group]
    assert sorted(members) == sorted(FEATURES)
    assert reason_group("silence_ratio") == reason_group("days_since_inbound") == "silence"
