"""Does a client message question an invoice, a charge, hours or what is being paid for?

A rule in English and German with three parts:

1. the message names something billed: an invoice, a charge, hours or days,
   rates, fees, a price or discount, an amount, what "we pay for";
2. it questions it: a doubt ("doesn't add up", "zu hoch", "stimmt nicht"), a
   request to explain or justify ("breakdown", "time sheets", "Nachweis"), a
   refusal ("we won't pay for those hours") or, more weakly, a question mark;
3. and it is not routine: paying, sending or re-addressing an invoice, or
   asking a price for future work ("how much would SSO cost?") only counts when
   a strong doubt is there too.

The patterns are in ``lexicons/billing_questions.toml``. Measured on hand-written
labelled sets in ``tests/features/data/`` (see
``tests/features/test_billing_questions.py`` for the floors).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from features.text.lexicon import LANGUAGES, lexicon


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_LEXICON = lexicon("billing_questions")
_BILLED = {lang: _any(*_LEXICON["billed"][lang]) for lang in LANGUAGES}
_STRONG_DOUBT = {lang: _any(*_LEXICON["strong_doubt"][lang]) for lang in LANGUAGES}
_ROUTINE = {lang: _any(*_LEXICON["routine"][lang]) for lang in LANGUAGES}
_REFUSAL = _any(*_LEXICON["refusal"]["patterns"])


def is_billing_question(texts: Sequence[str | None], languages: Sequence[str | None]) -> np.ndarray:
    """One boolean per message; both languages' rules apply where the language is unknown."""
    out = np.zeros(len(texts), dtype=bool)
    for i, (text, language) in enumerate(zip(texts, languages, strict=True)):
        if not text:
            continue
        langs = (language,) if language in LANGUAGES else LANGUAGES
        if not any(_BILLED[lang].search(text) for lang in langs):
            continue
        doubt = "?" in text or any(_STRONG_DOUBT[lang].search(text) for lang in langs)
        routine = any(_ROUTINE[lang].search(text) for lang in langs)
        out[i] = doubt and (not routine or bool(_REFUSAL.search(text)))
    return out
