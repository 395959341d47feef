"""Does a client message put the engagement's future in doubt?

Clients rarely announce that they will leave; they say what is happening around
them. The reasons professional-services firms lose clients are few and well
known, and each has its phrases, in English and German:

1. money: a budget cut or freeze, cost cutting, a review of all external spend;
2. change at the client: a reorganisation, a sale, merger or takeover, new
   management, the sponsor leaving;
3. a look elsewhere: a vendor review, a tender, RFP or pitch for the work,
   other providers, a preferred-supplier list, moving the work in-house or to
   software;
4. winding down: pausing, shelving, stopping, cancelling, reducing the scope or
   hours, not renewing, not commissioning the next phase, terminating;
5. doubting the value: whether to continue, whether it is worth it, rethinking
   the partnership.

A message counts when one of these is said and it is not routine: a paused
call or weekend ad campaign, an expired domain, a tender the client wants the
firm's help with, new owners who want *more* of the work. The patterns are in
``lexicons/doubts.toml``. Developed on
``tests/features/data/relationship_doubts.csv`` and measured on a holdout
written by someone else without sight of these rules
(``relationship_doubts_holdout.csv``; floors in
``tests/features/test_relationship_doubts.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from features.text.lexicon import LANGUAGES, lexicon

# German is often typed without umlauts ("gekuerzt", "verlaengern"): every [aä],
# [oö], [uü] and ß in a German pattern also matches ae, oe, ue and ss.
_TRANSLITERATED = {
    "[aä]": "(?:ä|ae|a)",
    "[oö]": "(?:ö|oe|o)",
    "[uü]": "(?:ü|ue|u)",
    "ß": "(?:ß|ss)",
}


def _any(*patterns: str, german: bool = False) -> re.Pattern[str]:
    """One regex matching any of ``patterns``, each from a word's start unless written
    with a leading ``~``: those may end a compound ("Marketingbudget", "Rahmenvertrag")."""
    anchored = (
        p[1:] if p.startswith("~") else p if p.startswith(r"\b") else r"\b" + p for p in patterns
    )
    joined = "|".join(f"(?:{p})" for p in anchored)
    if german:
        for umlaut, spelled in _TRANSLITERATED.items():
            joined = joined.replace(umlaut, spelled)
    return re.compile(joined, re.IGNORECASE)


class _Rule:
    """A language's patterns as two regexes: those anchored at a word's start, and
    those that may end a compound. One regex of both is twice as slow, since an
    unanchored branch makes the engine try every branch at every character."""

    def __init__(self, patterns: tuple[str, ...], german: bool) -> None:
        self.anchored = _any(*(p for p in patterns if not p.startswith("~")), german=german)
        compound = [p for p in patterns if p.startswith("~")]
        self.compound = _any(*compound, german=german) if compound else None

    def search(self, text: str) -> bool:
        if self.anchored.search(text):
            return True
        return self.compound is not None and self.compound.search(text) is not None


_LEXICON = lexicon("doubts")
_FRAGMENTS = {f"<{name}>": fragment for name, fragment in _LEXICON["fragments"].items()}


def _patterns(section: str, key: str) -> tuple[str, ...]:
    """The patterns of ``section`` under ``key`` (a language, or ``patterns``), with the
    shared fragments (``<work>``, ``<arbeit>``) filled in."""
    out = []
    for pattern in _LEXICON[section][key]:
        for placeholder, fragment in _FRAGMENTS.items():
            pattern = pattern.replace(placeholder, fragment)
        out.append(pattern)
    return tuple(out)


# 2. change at the client: news, not a threat, when the same message says the work goes on.
_CHANGE = {lang: _Rule(_patterns("change", lang), german=lang == "de") for lang in LANGUAGES}
_GOES_ON = _any(*_patterns("goes_on", "patterns"), german=True)
# 1, 3, 4 and 5: what says itself.
_DOUBT = {lang: _Rule(_patterns("doubt", lang), german=lang == "de") for lang in LANGUAGES}
# The same words in routine work.
_ROUTINE = _any(*_patterns("routine", "patterns"), german=True)


def is_relationship_doubt(
    texts: Sequence[str | None], languages: Sequence[str | None]
) -> np.ndarray:
    """One boolean per message; both languages' rules apply where the language is unknown."""
    out = np.zeros(len(texts), dtype=bool)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        if not text:
            continue
        langs = (language,) if language in LANGUAGES else LANGUAGES
        said = any(_DOUBT[lang].search(text) for lang in langs) or (
            any(_CHANGE[lang].search(text) for lang in langs) and not _GOES_ON.search(text)
        )
        out[i] = said and not _ROUTINE.search(text)
    return out
