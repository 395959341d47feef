"""The wording layer: which language a reader gets, and numbers, percentages, money
and dates by locale (Babel), with the strings the API and the alerts returned before."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from risk.wording import LANGUAGES, N_, Words, language, negotiate, words

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("field", "lang"),
    [
        ("de", "de"),
        ("DE", "de"),
        ("de-AT", "de"),
        ("de_CH", "de"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_client_language_field_or_locale_picks_one_of_ours(field: str | None, lang: str) -> None:
    assert language(field) == lang
    assert words(field or "").lang == lang


def test_the_browser_preference_is_negotiated() -> None:
    assert negotiate(["de-AT", "en"]) == "de"
    assert negotiate(["fr-FR", "de"]) == "de"
    assert negotiate(["en-US"]) == "en"
    assert negotiate(["fr", "it"]) is None


@pytest.mark.parametrize(
    ("lang", "number", "decimals", "percent", "share", "day", "month", "compact"),
    [
        ("en", "12,400", "0.42", "78%", "78%", "2025-11-30", "Mar", "1.2M"),
        ("de", "12.400", "0,42", "78 %", "78 %", "30.11.2025", "Mär", "1,2M"),
    ],
)
def test_numbers_and_dates_by_locale(
    lang: str,
    number: str,
    decimals: str,
    percent: str,
    share: str,
    day: str,
    month: str,
    compact: str,
) -> None:
    said = words(lang)
    assert said.number(12_400) == number
    assert said.number(0.4249, 2) == decimals
    assert said.percent(78) == percent  # a plain space: it travels in JSON, mail and Slack
    assert said.share(0.78) == share
    assert said.money(12_400.4) == number
    assert said.day(date(2025, 11, 30)) == day
    assert said.day(datetime(2025, 11, 30, 23, 59)) == day
    assert said.day("2025-11-30T08:00:00") == day
    assert said.month(3) == month
    assert said.compact(1_250_000) == compact


def test_rounding_reads_as_the_number_does() -> None:
    said = words("en")
    assert said.number(-0.004, 2) == "0.00"  # nobody reads "-0.00"
    assert said.number(2.675, 2) == "2.67"  # as the float rounds, as the old code wrote it
    assert said.percent(12.345, 1) == "12.3%"
    assert said.whole(2.5) == 3  # half up: 2.5 days read 3
    assert said.compact(950) == "950"
    assert said.compact(12_400) == "12k"
    assert said.compact(1_400) == "1.4k"


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [("en", "1 open flag", "3 open flags"), ("de", "1 offene Warnung", "3 offene Warnungen")],
)
def test_counts_take_their_plural_form(lang: str, one: str, many: str) -> None:
    said = words(lang)
    assert said.ngettext("{n} open flag", "{n} open flags", 1) == one
    assert said.ngettext("{n} open flag", "{n} open flags", 3) == many
    assert said.ngettext("{n} open flag", "{n} open flags", 1_200).startswith(
        "1,200" if lang == "en" else "1.200"
    )


def test_messages_come_from_the_catalog_and_fill_their_placeholders() -> None:
    assert words("de")("Snoozed until {day}: hidden from your list until then.", day="1.1.") == (
        "Zurückgestellt bis 1.1.: bis dahin nicht in Ihrer Liste."
    )
    # English is the source: a message reads as written.
    assert words("en")("no open flags") == "no open flags"
    # A message the catalogs lack reads as written too (the catalog test fails on it).
    assert words("de")("not in any catalog") == "not in any catalog"
    assert N_("marked only") == "marked only"


def test_every_language_has_its_catalog() -> None:
    for lang in LANGUAGES:
        assert words(lang).catalog.gettext("Open flags")
    assert words("de")("Open flags") != "Open flags"


def test_a_number_or_day_formatted_again_reads_the_same_and_the_kept_texts_are_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    english, german = Words("en"), Words("de")
    monkeypatch.setattr("risk.wording.FORMATTED_KEPT", 3)
    for _ in range(2):  # the second time from what was kept
        assert [english.number(2), english.number(2, 1), german.number(2, 1)] == [
            "2",
            "2.0",
            "2,0",
        ]
        assert [english.day("2025-11-30"), german.day(date(2025, 11, 30))] == [
            "2025-11-30",
            "30.11.2025",
        ]
        assert english.number(-0.001, 2) == "0.00"
    assert len(english._formatted) <= 3
