"""Which language a message is in: German or English, by its function words.

Where a client's language is not given, each message is read in the language it
is written in. The marker words are in ``lexicons/language.toml``.
"""

from __future__ import annotations

import re

from features.text.lexicon import lexicon

#: A word (letters, inner hyphens) or a punctuation mark that ends a clause.
WORD = re.compile(r"[a-zäöüß]+(?:-[a-zäöüß]+)*|[!?.,;:]", re.IGNORECASE)
_UMLAUTS = re.compile(r"[äöüß]")
_MARKERS = {
    language: frozenset(table["markers"]) for language, table in lexicon("language").items()
}


def detect_language(text: str) -> str:
    """``"de"`` or ``"en"`` by function words (and umlauts); ties go to English."""
    words = WORD.findall(text.lower())
    german = sum(w in _MARKERS["de"] for w in words) + 0.5 * len(_UMLAUTS.findall(text))
    english = sum(w in _MARKERS["en"] for w in words)
    return "de" if german > english else "en"
