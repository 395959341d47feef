"""Benchmark: what reading one message costs, by its length and shape.

Every scanner (polarity EN and DE, language, billing question, doubt) is run on
texts of 100,000 and 1,000,000 characters of shapes an attacker or a broken
export sends: one character, ``a@``, base64, whitespace, repeated words the
rules look for. Linear scanners cost the same per character at both lengths.
Then ``score_texts``, which reads only the first ``SCORED_LENGTH`` characters,
on the megabyte texts; and, side by side in this run, the address pattern the
probe found (``\\S+@\\S+``) against today's on the same unbroken runs.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from features.text.billing_questions import is_billing_question
from features.text.doubts import is_relationship_doubt
from features.text.language import detect_language
from features.text.message_scores import SCORED_LENGTH, score_texts
from features.text.sentiment import _ADDRESSES, SentimentScorer


def shape(name: str, length: int) -> str:
    if name == "base64":
        return base64.b64encode(np.random.default_rng(0).bytes(length)).decode()[:length]
    unit = {"one character": "a", "a@": "a@", "whitespace": " \n\t", "words": "budget what is "}[
        name
    ]
    return (unit * (length // len(unit) + 1))[:length]


def seconds(work: Callable[[], object]) -> float:
    began = time.process_time()
    work()
    return time.process_time() - began


def main() -> None:
    scorer = SentimentScorer()
    readers: dict[str, Callable[[str], object]] = {
        "polarity en": lambda t: scorer.score(t, "en"),
        "polarity de": lambda t: scorer.score(t, "de"),
        "language": detect_language,
        "billing question": lambda t: is_billing_question([t], [None]),
        "doubt": lambda t: is_relationship_doubt([t], [None]),
    }
    shapes = ("one character", "a@", "base64", "whitespace", "words")
    print("each scanner on the whole text, microseconds per character (CPU)")
    print(f"{'shape':<14} {'scanner':<17} {'100k chars':>11} {'1M chars':>10}")
    worst = 0.0
    for name in shapes:
        for reader, read in readers.items():
            row = []
            for length in (100_000, 1_000_000):
                text = shape(name, length)
                row.append(seconds(lambda read=read, text=text: read(text)) / length * 1e6)
            worst = max(worst, *row)
            print(f"{name:<14} {reader:<17} {row[0]:>11.2f} {row[1]:>10.2f}")
    print(f"worst: {worst:.2f} us per character")

    texts = [shape(name, 1_000_000) for name in shapes]
    frame = pd.DataFrame({"text": texts, "direction": ["inbound"] * len(texts)})
    took = seconds(lambda: score_texts(frame, pd.Series([None] * len(texts), dtype=object)))
    print(
        f"score_texts on {len(texts)} texts of 1,000,000 characters "
        f"(read up to {SCORED_LENGTH:,} each): {took:.2f} s"
    )

    old = re.compile(r"\S+@\S+|@\w+|https?://\S+|www\.\S+")
    print("address pattern on an unbroken run without '@' (the probe's case), seconds")
    print(f"{'characters':>10} {'old':>8} {'today':>8}")
    for length in (10_000, 40_000, 80_000):
        run = shape("base64", length).replace("@", "a")
        print(
            f"{length:>10,} {seconds(lambda run=run: old.sub(' ', run)):>8.3f} "
            f"{seconds(lambda run=run: _ADDRESSES.sub(' ', run)):>8.3f}"
        )


if __name__ == "__main__":
    main()
