"""What each message says: its language, polarity, whether it is a billing question and
whether it puts the engagement in doubt.

Each message is scored once, not once per as-of date, and the scores are kept
on disk (``message_scores.parquet`` in the cache folder) keyed by message id
and a hash of the text, so an edited message is scored again and an unchanged
one never is.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import warnings
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from features.bundle.load import Bundle
from features.bundle.parse import STRING
from features.text.billing_questions import is_billing_question
from features.text.doubts import is_relationship_doubt
from features.text.language import detect_language
from features.text.sentiment import SentimentScorer
from features.windows import codes_of

#: The scorer's version is in the name: when scoring changes, bump it, so that
#: old cached scores are never mixed with new ones.
SCORER_VERSION = 6
#: Characters of a message that are read. What a sender writes comes first; a
#: longer text is quoted history, a pasted log or an attachment's text, and
#: reading it all would let one message hold the scorer for as long as it likes.
SCORED_LENGTH = 10_000
CACHE_FILE = f"message_scores-v{SCORER_VERSION}.parquet"
#: What is kept per message, besides its id and text hash.
SCORES = ("language", "polarity", "billing_question", "relationship_doubt")


def _text_hash(texts: pd.Series, languages: pd.Series, directions: pd.Series) -> np.ndarray:
    """A 64-bit hash of each (text, language, direction), vectorised: hashing 2 million
    texts one by one in Python would cost more than the features themselves. The
    direction is in it because only the client's messages are read for questions
    and doubts: a message corrected from outbound to inbound is read again."""
    keys = pd.DataFrame(
        {
            "text": texts.fillna(""),
            "language": languages.fillna(""),
            "direction": directions.astype(str),
        }
    )
    return pd.util.hash_pandas_object(keys, index=False).to_numpy(np.uint64)


def score_messages(
    bundle: Bundle, cache_dir: str | Path | None = None, known: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per message of ``bundle`` (same order): ``language``, ``polarity``
    (-1..1, NaN for an empty text), ``billing_question`` and ``relationship_doubt``.

    ``known``: scores read earlier, in the cache's columns (``message_id``,
    ``text_hash``, then the scores), in place of the cache (what a score run stored
    for one client's messages): a message whose text hash matches is not read again."""
    messages = bundle.messages
    given = _given_languages(bundle)
    text_hash = _text_hash(messages["text"], given, messages["direction"])
    cached = _read_cache(cache_dir) if known is None else known
    if _same_messages(cached, messages["message_id"], text_hash):
        merged = cached.iloc[: len(messages)].reset_index(drop=True)  # a re-run: no new text
    else:
        keys = pd.DataFrame({"message_id": messages["message_id"], "text_hash": text_hash})
        merged = keys.merge(cached, on=["message_id", "text_hash"], how="left")
    missing = merged["polarity"].isna() & messages["text"].notna().to_numpy()
    missing |= merged["language"].isna()
    if missing.any():
        fresh = score_texts(messages.loc[missing.to_numpy()], given[missing.to_numpy()])
        merged.loc[missing, list(SCORES)] = fresh[list(SCORES)].to_numpy()
        if cache_dir is not None:
            # The bundle's messages first, in its order, so the next run takes the fast path.
            kept = pd.concat([merged, cached]).drop_duplicates(["message_id", "text_hash"])
            _write_cache(cache_dir, kept)
    inbound = (messages["direction"] == "inbound").to_numpy()
    return pd.DataFrame(
        {
            "language": merged["language"].astype(STRING).to_numpy(),
            "polarity": merged["polarity"].astype("float64").to_numpy(),
            # Read per distinct text: a text the firm also sent is still not its question.
            "billing_question": merged["billing_question"].astype(bool).to_numpy() & inbound,
            "relationship_doubt": merged["relationship_doubt"].astype(bool).to_numpy() & inbound,
        },
        index=messages.index,
    )


def text_hashes(bundle: Bundle) -> np.ndarray:
    """Per message of ``bundle`` (same order), the 64-bit hash of what its scores are
    read from (text, the client's language, direction): a stored score with another
    hash, or another ``SCORER_VERSION``, is out of date."""
    messages = bundle.messages
    return _text_hash(messages["text"], _given_languages(bundle), messages["direction"])


def _given_languages(bundle: Bundle) -> pd.Series:
    """The client's language where the export gives one we read (else detected)."""
    messages = bundle.messages
    language = bundle.clients["language"].to_numpy(dtype=object)
    return pd.Series(
        language[codes_of(messages["client_id"], bundle.clients["client_id"])], index=messages.index
    ).where(lambda v: v.isin(["en", "de"]))


def _same_messages(cached: pd.DataFrame, message_ids: pd.Series, text_hash: np.ndarray) -> bool:
    """Whether the cache starts with exactly these messages, in this order, unchanged."""
    if len(cached) < len(message_ids):
        return False
    head = cached.iloc[: len(message_ids)]
    same_ids = pc.all(
        pc.equal(
            pa.array(head["message_id"], type=pa.string(), from_pandas=True),
            pa.array(message_ids, type=pa.string(), from_pandas=True),
        )
    )
    return bool(same_ids.as_py()) and bool(np.array_equal(head["text_hash"].to_numpy(), text_hash))


def score_texts(messages: pd.DataFrame, given: pd.Series) -> pd.DataFrame:
    """``language``, ``polarity``, ``billing_question`` and ``relationship_doubt`` of each
    message, without the cache: the one way a message is read, for the features and for
    what the API shows. Questions and doubts are read only in texts the client sent
    (false otherwise), which halves a first run: the firm's own mail is half of all.
    Only a text's first ``SCORED_LENGTH`` characters are read."""
    texts = [t[:SCORED_LENGTH] if isinstance(t, str) else None for t in messages["text"].tolist()]
    languages = [
        g if isinstance(g, str) else (detect_language(t) if t else "en")
        for g, t in zip(given.tolist(), texts, strict=True)
    ]
    # Firms resend the same sentences ("Noted, thanks."): score each distinct one once.
    pairs = pd.MultiIndex.from_arrays([[t or "" for t in texts], languages])
    codes, uniques = pd.factorize(pairs)
    unique_texts = [text or None for text, _ in uniques]
    unique_languages = [language for _, language in uniques]
    from_client = np.zeros(len(uniques), dtype=bool)
    from_client[codes[(messages["direction"] == "inbound").to_numpy()]] = True
    polarity, question, doubt = (
        v[codes] for v in _score_distinct(unique_texts, unique_languages, from_client.tolist())
    )
    empty = np.array([t is None for t in texts], dtype=bool)
    return pd.DataFrame(
        {
            "language": languages,
            "polarity": np.where(empty, np.nan, polarity),
            "billing_question": question,
            "relationship_doubt": doubt,
        }
    )


#: Below this many distinct texts a process pool costs more than it saves.
PARALLEL_FROM = 50_000


def _score_distinct(
    texts: list[str | None], languages: list[str], from_client: list[bool]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polarity of each text; billing-question and doubt flags of those ``from_client``.
    The scorer is pure Python (one core); a first run over a large export splits the
    texts across processes."""
    workers = min(os.cpu_count() or 1, 8)
    if len(texts) < PARALLEL_FROM or workers < 2:
        return _score_chunk(texts, languages, from_client)
    bounds = np.linspace(0, len(texts), workers * 4 + 1).astype(int)
    chunks = [(texts[a:b], languages[a:b], from_client[a:b]) for a, b in pairwise(bounds)]
    # Fresh worker processes (not forks): a fork would share, and by touching copy,
    # the caller's whole loaded bundle; a worker needs only its texts.
    context = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_score_chunk, *zip(*chunks, strict=True)))
    except BrokenProcessPool:
        # A worker imports the caller's main module; a script without the
        # ``if __name__ == "__main__":`` guard makes it fail. Slower, not wrong:
        warnings.warn(
            "message scoring fell back to one process: guard your script's entry point "
            'with `if __name__ == "__main__":` to score across processes',
            RuntimeWarning,
            stacklevel=2,
        )
        return _score_chunk(texts, languages, from_client)
    return (
        np.concatenate([polarity for polarity, _, _ in parts]),
        np.concatenate([question for _, question, _ in parts]),
        np.concatenate([doubt for _, _, doubt in parts]),
    )


def _score_chunk(
    texts: list[str | None], languages: list[str], from_client: list[bool]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    polarity = SentimentScorer().score_many(texts, languages)
    said = [t if client else None for t, client in zip(texts, from_client, strict=True)]
    return (
        np.asarray(polarity, dtype="float64"),
        is_billing_question(said, languages),
        is_relationship_doubt(said, languages),
    )


def _read_cache(cache_dir: str | Path | None) -> pd.DataFrame:
    empty = pd.DataFrame(
        {
            "message_id": pd.Series(dtype=STRING),
            "text_hash": pd.Series(dtype=np.uint64),
            "language": pd.Series(dtype=STRING),
            "polarity": pd.Series(dtype="float64"),
            "billing_question": pd.Series(dtype=object),
            "relationship_doubt": pd.Series(dtype=object),
        }
    )
    if cache_dir is None or not (Path(cache_dir) / CACHE_FILE).exists():
        return empty
    try:
        cached = pd.read_parquet(Path(cache_dir) / CACHE_FILE)
    except (OSError, ValueError):
        return empty  # a damaged cache is only lost time: score again
    for column in ("message_id", "language"):
        cached[column] = cached[column].astype(STRING)
    return cached[list(empty.columns)]


def _write_cache(cache_dir: str | Path, scores: pd.DataFrame) -> None:
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    # A name of its own: two runs writing at once must not rename each other's file.
    partial = folder / f"{CACHE_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    out = scores.assign(
        billing_question=scores["billing_question"].astype(bool),
        relationship_doubt=scores["relationship_doubt"].astype(bool),
    )
    try:
        out.to_parquet(partial, index=False)
        partial.replace(folder / CACHE_FILE)  # atomic: a crash never leaves half a cache
    finally:
        partial.unlink(missing_ok=True)
