"""No message can hold the scorer: every text scanner runs in time linear in its input,
and a message is read only up to ``SCORED_LENGTH`` characters.

An outside probe found ``\\S+@\\S+`` taking 4 s over 80,000 characters without an
``@`` (a base64 blob), holding the interpreter while it ran. The static rule in
``regex_audit`` keeps every pattern linear; the property test measures how the
cost of reading grows with a text's length, for texts of any shape (a factor of
8 in length must cost about 8 times as much, not 64). The absolute cost per
character is a benchmark figure (``tests/bench/bench_text.py``), not a test.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from features.text.billing_questions import is_billing_question
from features.text.doubts import is_relationship_doubt
from features.text.language import detect_language
from features.text.message_scores import SCORED_LENGTH, score_texts
from features.text.sentiment import SentimentScorer
from tests.reliability.regex_audit import product_patterns, unfenced_repeats

pytestmark = [pytest.mark.unit, pytest.mark.reliability]

PATTERNS = sorted(product_patterns(), key=lambda found: found[0])


def test_the_product_holds_the_patterns_the_audit_reads() -> None:
    where = {name.rsplit(".", 1)[0] for name, _ in PATTERNS}
    assert {"features.text.sentiment", "features.text.billing_questions"} <= where
    assert len(PATTERNS) >= 20, [name for name, _ in PATTERNS]


@pytest.mark.parametrize(("where", "pattern"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_every_pattern_on_untrusted_text_is_linear(where: str, pattern: re.Pattern[str]) -> None:
    assert unfenced_repeats(pattern) == [], f"{where}: {pattern.pattern[:200]}"


@pytest.mark.parametrize(
    ("pattern", "linear"),
    [
        # What froze the server, and the shapes like it.
        (r"\S+@\S+|@\w+", False),
        (r"\w+ing\b", False),
        (r"\bwhat is\b.*\bfor\b", False),
        (r"(?:a+)+b", False),
        (r"\beigene [\w-]*team\w* ", False),
        (r"budget\w*\b[^.]{0,60}\bcut", False),
        (r"\b(?:wirkt) (?:\w+ )*?hoch\b", False),
        # Their repairs, and the shapes the rule allows.
        (r"(?<!\S)\S+@\S+|@\w+", True),
        (r"\bwhat is\b.{0,200}\bfor\b", True),
        (r"\binvoic\w*", True),
        (r"\bdear\s+\w+\b", True),
        (r"[a-z]+(?:-[a-z]+)*", True),
        (r"budget\w{0,40}+\b[^.]{0,60}\bcut", True),
        (r"^[-+]?[\d.]*\d,\d+$", True),
        (r"\bstimmt (?:\w+ )?nicht", True),
    ],
)
def test_the_audit_tells_a_backtracking_pattern_from_a_linear_one(
    pattern: str, linear: bool
) -> None:
    assert (unfenced_repeats(re.compile(pattern, re.IGNORECASE)) == []) is linear


_SCORER = SentimentScorer()
READERS: dict[str, Callable[[str], object]] = {
    "polarity en": lambda text: _SCORER.score(text, "en"),
    "polarity de": lambda text: _SCORER.score(text, "de"),
    "language": detect_language,
    "billing question": lambda text: is_billing_question([text], [None]),
    "doubt": lambda text: is_relationship_doubt([text], [None]),
}
SHORT, LONG = 2_000, 16_000


def _cpu_seconds(read: Callable[[str], object], text: str) -> float:
    """The least CPU time of three reads: the machine is shared, the minimum is the cost."""
    best = float("inf")
    for _ in range(3):
        began = time.process_time()
        read(text)
        best = min(best, time.process_time() - began)
    return best


def _base64(length: int) -> str:
    rng = np.random.default_rng(0)
    return base64.b64encode(rng.bytes(length)).decode()[:length]


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    unit=st.text(alphabet=st.sampled_from("aäß0@.:/-_ ?!\n\t#xyz€'\""), min_size=1, max_size=6)
    | st.sampled_from(["what is ", "projekt", "budget", "eigene team", "dear ", "gut "])
)
@example(unit="a")
@example(unit="a@")
@example(unit=" ")
@example(unit="\n")
@example(unit="base64")
@example(unit="wirkt ")
@example(unit="x.")
def test_reading_a_text_costs_in_proportion_to_its_length(unit: str) -> None:
    long_text = _base64(LONG) if unit == "base64" else (unit * (LONG // len(unit) + 1))[:LONG]
    short_text = long_text[:SHORT]
    for name, read in READERS.items():
        short, long = _cpu_seconds(read, short_text), _cpu_seconds(read, long_text)
        if long < 0.003:
            continue  # too quick to tell growth from the clock's grain
        # Linear: about 8x for 8x the text; quadratic would be about 64x.
        assert long / max(short, 1e-4) < 20, f"{name} on {unit!r}: {short:.4f}s -> {long:.4f}s"


def test_a_message_is_read_only_up_to_its_scored_length() -> None:
    padding = "Thanks for the update, all good here. " * (SCORED_LENGTH // 38 + 10)
    question = " Why is the invoice so much higher than agreed? We will not pay for these hours."
    texts = pd.Series([padding[:SCORED_LENGTH] + question, question + padding])
    assert len(texts[0]) > SCORED_LENGTH
    read = score_texts(
        pd.DataFrame({"text": texts, "direction": ["inbound", "inbound"]}),
        pd.Series(["en", "en"], dtype=object),
    )
    assert list(read["billing_question"]) == [False, True]


def test_a_megabyte_of_any_shape_is_scored_whole_in_one_pass() -> None:
    shapes = ["a" * 1_000_000, "a@" * 500_000, _base64(1_000_000), " " * 1_000_000]
    read = score_texts(
        pd.DataFrame({"text": shapes, "direction": ["inbound"] * len(shapes)}),
        pd.Series([None] * len(shapes), dtype=object),
    )
    assert len(read) == len(shapes)
    assert read["polarity"].notna().all()
