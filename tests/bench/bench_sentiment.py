"""Benchmark: the message scorer and the billing-question rule on labelled text.

Sentiment (negative / neutral / positive, accuracy and macro-F1):
- ``../shared/data/sentiment``: airline tweets (EN) and GermEval 2017 dev (DE),
  public sets from other domains, never used to fit anything;
- ``tests/features/data/sentiment_dev.csv``: hand-labelled client messages, the
  set the thresholds were fixed on.
Billing questions (precision and recall): the development set and the held-out set.
Floors from the issue: macro-F1 >= 0.50 (EN) and >= 0.45 (DE) on the public sets.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from features.text.billing_questions import is_billing_question
from features.text.sentiment import SentimentScorer, sentiment_label
from tests.conftest import ROOT, SHARED

LABELS = ("negative", "neutral", "positive")


def report(name: str, truth: np.ndarray, predicted: np.ndarray) -> None:
    f1 = []
    for label in LABELS:
        hit = ((predicted == label) & (truth == label)).sum()
        precision = hit / max((predicted == label).sum(), 1)
        recall = hit / max((truth == label).sum(), 1)
        f1.append(0.0 if hit == 0 else 2 * precision * recall / (precision + recall))
    accuracy = (predicted == truth).mean()
    print(f"{name:<44} n={truth.size:>6,}  accuracy {accuracy:.3f}  macro-F1 {np.mean(f1):.3f}")


def main() -> None:
    scorer = SentimentScorer()
    sets: list[tuple[str, list[str], str, np.ndarray]] = []
    tweets = SHARED / "data" / "sentiment" / "airline-tweets-en.csv"
    if tweets.exists():
        data = pd.read_csv(tweets)
        sets.append(
            (
                "airline tweets (EN, public)",
                data["text"].tolist(),
                "en",
                data["airline_sentiment"].to_numpy(),
            )
        )
    germeval = SHARED / "data" / "sentiment" / "germeval2017-dev-de.xml"
    if germeval.exists():
        docs = list(ET.parse(germeval).getroot().iter("Document"))
        sets.append(
            (
                "GermEval 2017 dev (DE, public)",
                [d.findtext("text") or "" for d in docs],
                "de",
                np.array([d.findtext("sentiment") for d in docs]),
            )
        )
    dev = pd.read_csv(ROOT / "tests" / "features" / "data" / "sentiment_dev.csv")
    for language in ("en", "de"):
        part = dev[dev["language"] == language]
        sets.append(
            (
                f"client messages ({language.upper()}, thresholds' set)",
                part["text"].tolist(),
                language,
                part["label"].to_numpy(),
            )
        )
    public = pd.read_csv(ROOT / "tests" / "features" / "data" / "sentiment_dev_de_public.csv")
    sets.append(
        (
            "public posts and news (DE, own, development)",
            public["text"].tolist(),
            "de",
            public["label"].to_numpy(),
        )
    )
    for name, texts, language, truth in sets:
        began = time.perf_counter()
        polarity = scorer.score_many(texts, [language] * len(texts))
        took = time.perf_counter() - began
        report(name, truth, sentiment_label(polarity, [language] * len(texts)))
        print(f"{'':<44} {1e6 * took / len(texts):.0f} µs per message")

    print()
    for name in ("billing_questions.csv", "billing_questions_holdout.csv"):
        data = pd.read_csv(ROOT / "tests" / "features" / "data" / name)
        for language in ("en", "de"):
            part = data[data["language"] == language]
            predicted = is_billing_question(part["text"].tolist(), part["language"].tolist())
            truth = part["label"].to_numpy() == 1
            hits = (predicted & truth).sum()
            print(
                f"billing questions, {name:<30} {language}: n={len(part):>3}  precision "
                f"{hits / max(predicted.sum(), 1):.3f}  recall {hits / max(truth.sum(), 1):.3f}"
            )


if __name__ == "__main__":
    main()
