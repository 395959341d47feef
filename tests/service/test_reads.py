"""The read routes' cache: kept under the data's version, bounded by bytes."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from risk.store import versions
from service.reads import Answer, ReadCache

pytestmark = pytest.mark.integration


def test_an_answer_is_kept_until_the_version_moves(database: Engine) -> None:
    cache = ReadCache(limit_bytes=1_000)
    made: list[str] = []

    def make() -> Answer:
        made.append("x")
        return Answer(f"answer {len(made)}".encode())

    assert cache.answer(database, "k", make) == Answer(b"answer 1")
    assert cache.answer(database, "k", make) == Answer(b"answer 1")
    with database.begin() as connection:
        versions.bump(connection)
    assert cache.answer(database, "k", make) == Answer(b"answer 2")
    assert len(made) == 2


def test_answers_are_bounded_by_their_bytes_oldest_out(database: Engine) -> None:
    cache = ReadCache(limit_bytes=1_000)
    for name in "abcde":
        cache.answer(database, name, lambda: Answer(b"." * 240))
    assert cache.size <= 1_000
    cache.answer(database, "e", lambda: Answer(b"new"))  # still kept: not made again
    assert cache.answer(database, "e", lambda: Answer(b"new")) == Answer(b"." * 240)
    assert cache.answer(database, "a", lambda: Answer(b"new")) == Answer(b"new")
    # One answer never takes more than a quarter: made, not kept.
    assert cache.answer(database, "big", lambda: Answer(b"." * 400)) is not None
    assert cache.answer(database, "big", lambda: Answer(b"again")) == Answer(b"again")


def test_not_found_is_never_kept(database: Engine) -> None:
    cache = ReadCache(limit_bytes=1_000)
    assert cache.answer(database, "gone", lambda: None) is None
    assert cache.answer(database, "gone", lambda: Answer(b"here")) == Answer(b"here")
