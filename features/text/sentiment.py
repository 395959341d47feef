"""Polarity of client messages in English and German, offline, from published lexicons.

English uses VADER (Hutto & Gilbert 2014, the ``vaderSentiment`` package, MIT):
its lexicon and rules (negation, intensifiers, "but", capitals, exclamation).
German uses the German Polarity Lexicon (Klenner, Clematide et al. 2010) as
shipped in ``textblob-de`` (``data/de-sentiment.xml``), read directly because
textblob-de's own tokenizer wants an NLTK download that fails offline. The
German rules follow VADER's: inflected forms are matched to the lexicon's base
forms, negation may come before the word or after it in the same clause
("nicht zufrieden", "gefällt uns nicht"), intensifiers and dampeners scale,
"aber"/"jedoch" shift weight to what follows, and the sum is squashed to
-1..1 with VADER's normalisation, so both languages share one scale.

Both lexicons are general-purpose; a short list of terms from client service
(deliveries running late, bugs, invoices that are "too expensive") is added to
each, since those are the words that carry a client's mood in this domain.

Thresholds (``THRESHOLDS``) and the procedural word lists were fixed on
hand-labelled sets of our own (client messages; German public posts and news)
before measuring on public sets; ``tests/bench/bench_sentiment.py`` reports accuracy and
macro-F1 on the airline tweets (EN) and GermEval 2017 (DE).
"""

from __future__ import annotations

import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from features.text.language import WORD, detect_language
from features.text.lexicon import lexicon

#: |polarity| from which a message reads positive or negative, per language, fixed
#: on the hand-labelled client messages in tests/features/data/sentiment_dev.csv
#: (English keeps VADER's published 0.05; German scores run hotter, its best is 0.15).
THRESHOLDS = {"en": 0.05, "de": 0.15}

_LEXICON = lexicon("sentiment")
# Client-service terms the general lexicons lack or under-weight, and words of
# business mail that carry no mood (lexicons/sentiment.toml says why each is there).
_EN_DOMAIN: dict[str, float] = _LEXICON["en_domain"]
_EN_PROCEDURAL = tuple(_LEXICON["en_procedural"]["words"])
_DE_DOMAIN: dict[str, float] = _LEXICON["de_domain"]
_DE_PROCEDURAL = frozenset(_LEXICON["de_procedural"]["words"])
_DE_PARTICLES = frozenset(_LEXICON["de_particles"]["words"])
_DE_NEGATIONS = frozenset(_LEXICON["de_negations"]["words"])
_DE_BOOST: dict[str, float] = _LEXICON["de_boost"]
_DE_BUT = frozenset(_LEXICON["de_but"]["words"])
# Inflected forms generated from the lexicon's base forms (never stripped from
# the text, which would confuse "sich" with "sicher").
_ADJECTIVE_ENDINGS = (
    "",
    "e",
    "en",
    "em",
    "er",
    "es",
    "ere",
    "eren",
    "erem",
    "erer",
    "eres",
    "ste",
    "sten",
    "stem",
    "ster",
    "stes",
)
_NOUN_ENDINGS = ("", "s", "es", "n", "en", "e", "er", "ern")
_VERB_ENDINGS = ("e", "st", "t", "en", "et", "te", "test", "ten", "tet")
# Nouns in this lexicon are often topics ("Ticket", "Steuer") rather than opinions,
# and its verbs were tagged by rule and are noisy ("kaufen" -0.7): adjectives,
# the words that evaluate, carry full weight.
_POS_WEIGHT = {"NN": 0.5, "VB": 0.5}
_ALPHA = 15.0  # VADER's normalisation constant
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# Greetings and sign-offs are formulae, not mood ("Best regards", "Liebe Grüße").
_FORMULAIC = re.compile(
    r"\b(?:(?:best|kind|warm|warmest|kindest)\s+(?:regards|wishes)|regards|dear\s+\w+"
    r"|(?:mit\s+)?(?:freundlichen|besten|lieben|herzlichen|vielen|viele|beste|liebe|herzliche)"
    r"\s+gr(?:ü|ue)(?:ß|ss)(?:e|en)?|sehr\s+geehrte[rn]?(?:\s+damen\s+und\s+herren)?"
    r"|liebe[rs]?\s+\w+|hallo|guten\s+(?:morgen|tag|abend)|(?:would|'d)\s+like\s+to)\b",
    re.IGNORECASE,
)
# Addresses carry no mood, but their words can ("@united", "happy@client.com").
# An address is tried only where a run of non-space starts: tried at every
# character, a long run without "@" cost time in the square of its length.
_ADDRESSES = re.compile(r"(?<!\S)\S+@\S+|@\w+|https?://\S+|www\.\S+")


def _inflections(form: str, pos: str) -> list[str]:
    if pos == "NN":
        return [form + ending for ending in _NOUN_ENDINGS]
    if pos == "VB" and form.endswith(("en", "ln", "rn")):
        stem = form[:-2] if form.endswith("en") else form[:-1]
        return [form, "ge" + stem + "t", *(stem + ending for ending in _VERB_ENDINGS)]
    return [form + ending for ending in _ADJECTIVE_ENDINGS]


def _textblob_de_lexicon() -> Path:
    # find_spec locates the package without importing it (its import pulls in NLTK).
    spec = importlib.util.find_spec("textblob_de")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("textblob-de is not installed: it ships the German polarity lexicon")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "de-sentiment.xml"


@lru_cache(maxsize=1)
def _german_lexicon() -> dict[str, float]:
    """Every inflected form -> polarity on VADER's -4..4 scale; base forms win collisions."""
    base: dict[str, tuple[float, str]] = {}
    for word in ET.parse(_textblob_de_lexicon()).getroot().iter("word"):
        form, polarity = (word.get("form") or "").lower(), float(word.get("polarity") or 0)
        if form and polarity:
            pos = word.get("pos") or "JJ"
            base[form] = (2.5 * polarity * _POS_WEIGHT.get(pos, 1.0), pos)
    for form, polarity in _DE_DOMAIN.items():
        base[form] = (2.5 * polarity, "JJ")
    forms: dict[str, float] = {}
    for form, (value, pos) in base.items():
        for inflected in _inflections(form, pos):
            forms.setdefault(inflected, value)
    forms.update({form: value for form, (value, _) in base.items()})
    for neutral in _DE_PROCEDURAL | _DE_PARTICLES:
        forms.pop(neutral, None)
    return forms


class SentimentScorer:
    """Scores message texts from -1 (hostile) to 1 (delighted); 0 where no word carries mood."""

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()
        self._vader.lexicon.update(_EN_DOMAIN)
        for word in _EN_PROCEDURAL:
            self._vader.lexicon.pop(word, None)
        self._german = _german_lexicon()

    def score(self, text: str | None, language: str | None = None) -> float:
        """Polarity of one text; ``language`` is detected where not ``en``/``de``."""
        text = _FORMULAIC.sub(" ", _ADDRESSES.sub(" ", text or ""))
        if not text.strip():
            return 0.0
        lang = language if language in ("en", "de") else detect_language(text)
        # As VADER's authors advise for longer texts: score each sentence, then
        # average, so one loaded word in a long neutral report stays weak.
        sentences = [part for part in _SENTENCE.split(text) if part.strip()]
        if lang == "de":
            scores = [self._score_german(part) for part in sentences]
        else:
            scores = [self._vader.polarity_scores(part)["compound"] for part in sentences]
        return float(np.mean(scores)) if scores else 0.0

    def score_many(
        self, texts: Sequence[str | None], languages: Sequence[str | None]
    ) -> np.ndarray:
        """Polarity of each text; each distinct (text, language) is scored once."""
        seen: dict[tuple[str | None, str | None], float] = {}
        out = np.empty(len(texts))
        for i, key in enumerate(zip(texts, languages, strict=True)):
            value = seen.get(key)
            if value is None:
                value = seen[key] = self.score(*key)
            out[i] = value
        return out

    def _score_german(self, text: str) -> float:
        tokens = WORD.findall(text.lower())
        breaks = [token in ".,;:!?" or token in _DE_BUT for token in tokens]
        # Where each token's clause ends, in one pass from the back: searching forward
        # from every word cost time in the square of a long clause's length.
        clause_ends = [len(tokens)] * len(tokens)
        for i in range(len(tokens) - 2, -1, -1):
            clause_ends[i] = i + 1 if breaks[i + 1] else clause_ends[i + 1]
        valences: list[float] = []
        clause_start = 0
        for i, token in enumerate(tokens):
            if breaks[i]:
                clause_start = i + 1
                valences.append(0.0)
                continue
            value = self._german.get(token, 0.0)
            if value == 0.0:
                valences.append(0.0)
                continue
            for back in (1, 2):
                if i - back >= clause_start:
                    boost = _DE_BOOST.get(tokens[i - back], 0.0)
                    value += boost * math.copysign(1.0, value)
            clause_end = clause_ends[i]
            window = tokens[max(clause_start, i - 3) : i] + tokens[i + 1 : min(clause_end, i + 4)]
            if any(w in _DE_NEGATIONS for w in window):
                value *= -0.74  # VADER's negation scalar
            valences.append(value)
        but = next((i for i, t in enumerate(tokens) if t in _DE_BUT), None)
        if but is not None:
            valences = [v * (0.5 if i < but else 1.5) for i, v in enumerate(valences)]
        total = sum(valences)
        if total:
            total += math.copysign(min(text.count("!"), 4) * 0.292, total)
        return total / math.sqrt(total * total + _ALPHA)


def sentiment_label(polarity: np.ndarray, languages: Sequence[str] | np.ndarray) -> np.ndarray:
    """negative / neutral / positive, by each language's threshold."""
    threshold = np.where(np.asarray(languages) == "de", THRESHOLDS["de"], THRESHOLDS["en"])
    return np.where(
        polarity >= threshold, "positive", np.where(polarity <= -threshold, "negative", "neutral")
    )
