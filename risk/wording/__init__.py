"""Everything a person reads, in their language: one place for words and numbers.

Sentences come from gettext catalogs, one per language, at
``risk/locale/<lang>/LC_MESSAGES/billing_risk.po``: the reason sentences and next
steps, the alerts, the invoice explanation, the web page, the charts' labels and
the command line's words. The English text is the message id; each catalog holds
every message, with plural forms where a count appears. The English catalog
translates none: English is written in the code, and when it changes ``make
catalogs`` leaves the new text untranslated in the other catalogs, which a test
reports until a translator has read it. Numbers, percentages, money, months and dates
come from Babel by the language's locale, here and nowhere else.

The catalogs are read from their ``.po`` files the first time a language is used
(parsed by Babel and compiled in memory, under 10 ms each: ``make bench``): no build
step, and no compiled ``.mo`` file that could fall behind its source in an editable
install or a clone. ``make catalogs`` extracts the messages from the code and templates and
updates the catalogs (``pybabel extract`` and ``update``).

Adding a language is a catalog and one entry in ``LANGUAGES`` (the README says
how, step by step).

Call sites name the words of one language ``_`` (``_ = words(lang)``), so Babel's
extraction finds ``_("...")`` and ``_.ngettext("...", "...", n)`` as it would any
gettext call.
"""

from __future__ import annotations

import gettext
import io
import math
from datetime import date, datetime
from functools import cache
from importlib import resources

from babel import Locale, negotiate_locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

#: How many formatted numbers and days a language keeps (``Words.number``, ``day``).
FORMATTED_KEPT = 50_000
#: The languages people can read billing-risk in; the first is the default.
LANGUAGES = ("en", "de")
DOMAIN = "billing_risk"
#: Dates as a date pattern of Babel's; a language not listed uses its locale's medium
#: date. English keeps the ISO date: unambiguous across the firm's countries.
DATE_PATTERNS = {"en": "yyyy-MM-dd"}
NO_BREAK_SPACE = "\u00a0"


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it, which extraction knows)
    """Mark ``message`` for the catalogs where it is written (a table of messages); it is
    translated where it is used, with the reader's words."""
    return message


def language(value: str | None) -> str:
    """The supported language for a client's language field or a locale (``"de"``,
    ``"DE"``, ``"de-AT"``, ``"de_CH"``); the default for anything else."""
    base = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else LANGUAGES[0]


def negotiate(preferred: list[str]) -> str | None:
    """The best supported language for a reader's preferences (a browser's
    ``Accept-Language``, best first), by Babel's negotiation; None when none fits."""
    found = negotiate_locale([tag.replace("-", "_") for tag in preferred], list(LANGUAGES))
    return language(found) if found else None


class Words:
    """One language's words: messages from its catalog, and numbers and dates by its
    locale."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.locale = Locale.parse(lang)
        #: The compiled catalog, for callers that format themselves (templates).
        self.catalog = _catalog(lang)
        # Babel's text of each number and day formatted so far: a client's page formats
        # a few hundred, mostly the same weeks and amounts again, and Babel parses its
        # pattern and walks its locale data each time (a third of the page's time).
        self._formatted: dict[tuple[object, ...], str] = {}

    # --- messages --------------------------------------------------------------------

    def __call__(self, message: str, /, **values: object) -> str:
        """The catalog's ``message``, its ``{placeholders}`` filled with ``values``."""
        text = self.catalog.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a message for the count ``n`` (``{n}`` is filled in too)."""
        return self.catalog.ngettext(singular, plural, n).format(n=self.number(n), **values)

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """A message whose meaning depends on ``context`` (a short word said twice)."""
        text = self.catalog.pgettext(context, message)
        return text.format(**values) if values else text

    # --- numbers and dates ----------------------------------------------------------

    def number(self, x: float, decimals: int = 0) -> str:
        """``12,400`` and ``0.42`` in English, ``12.400`` and ``0,42`` in German."""
        # Rounded as Python rounds the float itself (Babel would round its decimal
        # text, which differs at exact halves), and "+ 0.0" so nobody reads "-0".
        rounded = round(float(x), decimals) + 0.0
        key = ("number", rounded, decimals)
        found = self._formatted.get(key)
        if found is None:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            found = self._remember(key, format_decimal(rounded, pattern, locale=self.locale))
        return found

    def percent(self, points: float, decimals: int = 0) -> str:
        """``78%`` in English, ``78 %`` in German, for a value in percent points."""
        rounded = round(float(points), decimals) + 0.0
        # The locale's own pattern places the sign ("78%", "78 %"); decimals as asked.
        pattern = self.locale.percent_formats[None].pattern
        if decimals:
            pattern = pattern.replace("0", "0." + "0" * decimals, 1)
        text = format_percent(rounded / 100, format=pattern, locale=self.locale)
        # The locale's no-break space becomes a plain one: these words travel in
        # JSON, plain-text mail and Slack, where a reader's tools would not expect it.
        return text.replace(NO_BREAK_SPACE, " ")

    def share(self, share: float) -> str:
        """A share of 1 as a percentage: 0.78 -> ``78%``."""
        return self.percent(share * 100)

    def compact(self, x: float) -> str:
        """A short amount for an axis: 950, 12k, 1.2M (``1,2M`` in German)."""
        # Our own, not Babel's compact format: CLDR writes German thousands out in
        # full ("131.400") and millions as "1,2 Mio.", too wide for an axis label.
        size = abs(x)
        if size >= 1_000_000:
            return self.number(x / 1_000_000, 0 if size >= 10_000_000 else 1) + "M"
        if size >= 1_000:
            return self.number(x / 1_000, 0 if size >= 10_000 else 1) + "k"
        return self.number(x)

    def money(self, x: float) -> str:
        """An amount in the firm's one currency, whole: no symbol, the PM knows it."""
        return self.number(x)

    def day(self, value: date | datetime | str) -> str:
        """``2025-11-30`` in English, ``30.11.2025`` in German."""
        day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if isinstance(day, datetime):
            day = day.date()
        key = ("day", day)
        found = self._formatted.get(key)
        if found is None:
            pattern = DATE_PATTERNS.get(self.lang, "medium")
            found = self._remember(key, format_date(day, pattern, locale=self.locale))
        return found

    def month(self, month: int) -> str:
        """A month's short name as it stands alone: ``Mar``, ``Mär``."""
        return format_date(date(2000, month, 1), "LLL", locale=self.locale)

    def whole(self, x: float) -> int:
        """Half up, not half to even: 2.5 days reads as 3."""
        return math.floor(x + 0.5)

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._formatted) >= FORMATTED_KEPT:
            self._formatted.clear()  # a bound, not a policy: a firm's values are few
        self._formatted[key] = text
        return text


@cache
def words(lang: str) -> Words:
    """The words of ``lang`` (a client's language field or a locale is fine)."""
    return Words(language(lang))


@cache
def _catalog(lang: str) -> gettext.GNUTranslations:
    source = resources.files("risk").joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
