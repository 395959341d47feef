"""What each message says: its language, polarity and whether it is a billing question.

Each message is scored once, not once per as-of date, and the scores are kept
on disk (``message_scores.parquet`` in the cache folder) keyed by message id
and a hash of the text, so an edited message is scored again and an unchanged
one never is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from features.billing_questions import is_billing_question
from features.bundle import STRING, Bundle
from features.sentiment import SentimentScorer, detect_language

CACHE_FILE = "message_scores.parquet"
#: Bump when scoring changes, so old cached scores are not reused.
SCORER_VERSION = "1"


def _text_hash(texts: pd.Series, languages: pd.Series) -> pd.Series:
    joined = (SCORER_VERSION + "\x1f" + languages.fillna("") + "\x1f" + texts.fillna("")).tolist()
    return pd.Series(
        [hashlib.blake2b(t.encode("utf-8"), digest_size=8).hexdigest() for t in joined],
        index=texts.index,
        dtype=STRING,
    )


def score_messages(bundle: Bundle, cache_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per message of ``bundle`` (same order): ``language``, ``polarity``
    (-1..1, NaN for an empty text) and ``billing_question``."""
    messages = bundle.messages
    given = messages["client_id"].map(bundle.clients.set_index("client_id")["language"])
    given = given.where(given.isin(["en", "de"]))
    text_hash = _text_hash(messages["text"], given)
    keys = pd.DataFrame({"message_id": messages["message_id"], "text_hash": text_hash})
    cached = _read_cache(cache_dir)
    merged = keys.merge(cached, on=["message_id", "text_hash"], how="left")
    missing = merged["polarity"].isna() & messages["text"].notna().to_numpy()
    missing |= merged["language"].isna()
    if missing.any():
        fresh = _score(messages.loc[missing.to_numpy()], given[missing.to_numpy()])
        merged.loc[missing, ["language", "polarity", "billing_question"]] = fresh.to_numpy()
        if cache_dir is not None:
            _write_cache(
                cache_dir,
                pd.concat([cached, merged]).drop_duplicates(
                    ["message_id", "text_hash"], keep="last"
                ),
            )
    return pd.DataFrame(
        {
            "language": merged["language"].astype(STRING).to_numpy(),
            "polarity": merged["polarity"].astype("float64").to_numpy(),
            "billing_question": merged["billing_question"].astype(bool).to_numpy(),
        },
        index=messages.index,
    )


def _score(messages: pd.DataFrame, given: pd.Series) -> pd.DataFrame:
    texts = messages["text"].tolist()
    texts = [t if isinstance(t, str) else None for t in texts]
    languages = [
        g if isinstance(g, str) else (detect_language(t) if t else "en")
        for g, t in zip(given.tolist(), texts, strict=True)
    ]
    polarity = SentimentScorer().score_many(texts, languages)
    polarity = np.where([t is None for t in texts], np.nan, polarity)
    inbound = (messages["direction"] == "inbound").to_numpy()
    question = is_billing_question(texts, languages) & inbound
    return pd.DataFrame({"language": languages, "polarity": polarity, "billing_question": question})


def _read_cache(cache_dir: str | Path | None) -> pd.DataFrame:
    empty = pd.DataFrame(
        {
            "message_id": pd.Series(dtype=STRING),
            "text_hash": pd.Series(dtype=STRING),
            "language": pd.Series(dtype=STRING),
            "polarity": pd.Series(dtype="float64"),
            "billing_question": pd.Series(dtype=object),
        }
    )
    if cache_dir is None or not (Path(cache_dir) / CACHE_FILE).exists():
        return empty
    try:
        cached = pd.read_parquet(Path(cache_dir) / CACHE_FILE)
    except (OSError, ValueError):
        return empty  # a damaged cache is only lost time: score again
    for column in ("message_id", "text_hash", "language"):
        cached[column] = cached[column].astype(STRING)
    return cached[list(empty.columns)]


def _write_cache(cache_dir: str | Path, scores: pd.DataFrame) -> None:
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (CACHE_FILE + ".tmp")
    out = scores.assign(billing_question=scores["billing_question"].astype(bool))
    out.to_parquet(partial, index=False)
    partial.replace(folder / CACHE_FILE)  # atomic: a crash never leaves half a cache
