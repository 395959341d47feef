"""The message scorer: rules in both languages, and its accuracy on labelled text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.text.language import detect_language
from features.text.sentiment import SentimentScorer, sentiment_label
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

DEV_SET = ROOT / "tests" / "features" / "data" / "sentiment_dev.csv"


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return SentimentScorer()


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ("Wir sind zufrieden.", "Wir sind nicht zufrieden."),
        ("Das Ergebnis gefällt uns.", "Das Ergebnis gefällt uns nicht."),
        ("Wir sind sehr zufrieden.", "Wir sind etwas zufrieden."),
        ("Ein guter Start.", "Kein guter Start."),
        ("We are happy with the result.", "We are not happy with the result."),
        ("Great work.", "Terrible work."),
        ("Die Lieferung war pünktlich.", "Die Lieferung war schon wieder verspätet."),
    ],
)
def test_negation_and_intensity_move_polarity(
    scorer: SentimentScorer, better: str, worse: str
) -> None:
    assert scorer.score(better) > scorer.score(worse)


def test_inflected_german_forms_are_matched(scorer: SentimentScorer) -> None:
    assert scorer.score("Wir haben einen zufriedenen Kunden.", "de") > 0.1
    assert scorer.score("Eine enttäuschende Leistung.", "de") < -0.1
    assert scorer.score("Die Ergebnisse sind schlechter geworden.", "de") < 0


def test_but_shifts_weight_to_what_follows(scorer: SentimentScorer) -> None:
    assert scorer.score("Das Team ist nett, aber die Qualität ist schlecht.", "de") < 0
    assert scorer.score("Der Start war holprig, aber das Ergebnis ist hervorragend.", "de") > 0


def test_greetings_and_addresses_carry_no_mood(scorer: SentimentScorer) -> None:
    assert scorer.score("Best regards, Anna", "en") == 0
    assert scorer.score("Mit freundlichen Grüßen", "de") == 0
    assert scorer.score("@united please call me", "en") == 0
    assert scorer.score("", "en") == 0


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Können Sie uns die Rechnung erklären?", "de"),
        ("Wir sind nicht zufrieden mit dem Fortschritt.", "de"),
        ("Fuer die Abnahme brauchen wir noch die Protokolle.", "de"),
        ("Can you explain the invoice?", "en"),
        ("We are not happy with the progress.", "en"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_score_many_scores_each_distinct_text_once(scorer: SentimentScorer) -> None:
    texts = ["Great work.", None, "Great work.", "Das ist schlecht."]
    scores = scorer.score_many(texts, ["en", "en", "en", None])
    assert scores[0] == scores[2] > 0
    assert scores[1] == 0
    assert scores[3] < 0


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    scores = []
    for label in ("negative", "neutral", "positive"):
        hit = ((predicted == label) & (truth == label)).sum()
        precision = hit / max((predicted == label).sum(), 1)
        recall = hit / max((truth == label).sum(), 1)
        scores.append(0 if hit == 0 else 2 * precision * recall / (precision + recall))
    return float(np.mean(scores))


def test_macro_f1_on_german_public_posts_and_news(scorer: SentimentScorer) -> None:
    """Own development set in the register of public posts and news (hand-written):
    loaded topic words in neutral reports are where a lexicon struggles."""
    data = pd.read_csv(DEV_SET.parent / "sentiment_dev_de_public.csv")
    polarity = scorer.score_many(data["text"].tolist(), ["de"] * len(data))
    predicted = sentiment_label(polarity, ["de"] * len(data))
    assert macro_f1(data["label"].to_numpy(), predicted) >= 0.52


@pytest.mark.parametrize(("language", "floor"), [("en", 0.75), ("de", 0.80)])
def test_macro_f1_on_hand_labelled_client_messages(
    scorer: SentimentScorer, language: str, floor: float
) -> None:
    """The set the thresholds were fixed on (written independently of the scorer):
    a regression guard, not an unbiased estimate (``make bench`` measures that)."""
    data = pd.read_csv(DEV_SET)
    data = data[data["language"] == language]
    polarity = scorer.score_many(data["text"].tolist(), [language] * len(data))
    predicted = sentiment_label(polarity, [language] * len(data))
    assert macro_f1(data["label"].to_numpy(), predicted) >= floor
