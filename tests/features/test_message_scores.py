"""Message scores: computed once per message and kept on disk by id and text hash."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from features.simulation import Simulation
from features.text import message_scores
from features.text.message_scores import CACHE_FILE, score_messages
from tests.conftest import ROOT

pytestmark = pytest.mark.data


def test_cache_is_written_then_reused(
    tmp_path: Path, small_simulation: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = small_simulation.bundle
    cold = score_messages(bundle, tmp_path)
    assert (tmp_path / CACHE_FILE).exists()
    assert len(cold) == len(bundle.messages)
    assert cold["billing_question"].any()
    assert set(cold["language"]) == {"en", "de"}

    scored: list[int] = []
    real = message_scores.score_texts

    def counting(messages: pd.DataFrame, given: pd.Series) -> pd.DataFrame:
        scored.append(len(messages))
        return real(messages, given)

    monkeypatch.setattr(message_scores, "score_texts", counting)
    warm = score_messages(bundle, tmp_path)
    pd.testing.assert_frame_equal(cold, warm)
    assert scored == []

    edited = bundle.messages.copy()
    edited.loc[edited.index[0], "text"] = "We dispute this invoice, the hours are wrong!"
    again = score_messages(replace(bundle, messages=edited), tmp_path)
    assert scored == [1]  # only the edited message is scored again
    assert again["polarity"].iloc[0] != cold["polarity"].iloc[0]


def test_a_damaged_cache_is_scored_again(tmp_path: Path, small_simulation: Simulation) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"not parquet")
    scores = score_messages(small_simulation.bundle, tmp_path)
    assert scores["polarity"].notna().any()
    assert pd.read_parquet(tmp_path / CACHE_FILE).shape[0] == len(scores)


def test_an_earlier_cut_of_the_bundle_gets_its_own_scores(
    tmp_path: Path, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    full = score_messages(bundle, tmp_path)
    earlier = replace(bundle, messages=bundle.messages.iloc[:1000])
    scores = score_messages(earlier, tmp_path)
    assert len(scores) == 1000
    pd.testing.assert_frame_equal(scores, full.iloc[:1000])


def test_a_message_corrected_to_inbound_is_judged_by_its_words(
    tmp_path: Path, small_simulation: Simulation
) -> None:
    bundle = small_simulation.bundle
    messages = bundle.messages.copy()
    first = messages.index[0]
    messages.loc[first, ["text", "direction"]] = ["Why were we charged 40 hours?", "outbound"]
    assert not score_messages(replace(bundle, messages=messages), tmp_path)[
        "billing_question"
    ].iloc[0]
    messages.loc[first, "direction"] = "inbound"
    assert score_messages(replace(bundle, messages=messages), tmp_path)["billing_question"].iloc[0]


def test_scoring_across_processes_gives_the_same_scores(
    small_simulation: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = small_simulation.bundle
    alone = score_messages(bundle)
    monkeypatch.setattr(message_scores, "PARALLEL_FROM", 10)
    monkeypatch.setattr(message_scores.os, "cpu_count", lambda: 2)
    pooled = score_messages(bundle)
    pd.testing.assert_frame_equal(alone, pooled)


def test_a_script_without_a_main_guard_still_scores(tmp_path: Path) -> None:
    """Pool workers import the caller's main module; a plain script without the
    ``__main__`` guard breaks them. Scoring then runs in one process, with a warning."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import os\n"
        "from features.text import message_scores\n"
        "message_scores.PARALLEL_FROM = 10\n"
        "os.cpu_count = lambda: 2\n"
        "texts = [f'We are very unhappy with delay number {i}.' for i in range(40)]\n"
        "polarity, question, doubt = message_scores._score_distinct(\n"
        "    texts, ['en'] * 40, [True] * 40\n"
        ")\n"
        "print('scored', len(polarity), bool((polarity < 0).all()))\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-W", "always", str(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "scored 40 True"
    assert "fell back to one process" in done.stderr
