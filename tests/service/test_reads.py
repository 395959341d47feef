"""The read routes' cache: kept under the data's version, bounded by bytes; and the
watch that knows the version without a query per read, yet sees every commit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, event, text

from risk.store import versions
from risk.store.db import make_engine
from risk.store.keys import Principal
from risk.store.versions import VersionWatch
from service.reads import Answer, ReadCache
from service.state import RecentlyChecked

pytestmark = pytest.mark.integration


@pytest.fixture
def watch(database: Engine) -> Iterator[VersionWatch]:
    watching = VersionWatch(database)
    yield watching
    watching.close()


def ask(cache: ReadCache, key: str, make: Callable[[], Answer | None]) -> Answer | None:
    return asyncio.run(cache.answer(key, make))


def bump(engine: Engine) -> None:
    with engine.begin() as connection:
        versions.bump(connection)


def version(watch: VersionWatch) -> int:
    known = watch.known()
    return watch.read() if known is None else known


def settled(watch: VersionWatch) -> int:
    """The version once the watch trusts it without a query (PostgreSQL: listening)."""
    deadline = time.monotonic() + 10
    while (known := watch.known()) is None:
        assert time.monotonic() < deadline, "the watch never started listening"
        watch.read()
        time.sleep(0.05)
    return known


def test_an_answer_is_kept_until_the_version_moves(watch: VersionWatch) -> None:
    cache = ReadCache(limit_bytes=1_000, watch=watch)
    made: list[str] = []

    def make() -> Answer:
        made.append("x")
        return Answer(f"answer {len(made)}".encode())

    assert ask(cache, "k", make) == Answer(b"answer 1")
    assert ask(cache, "k", make) == Answer(b"answer 1")
    bump(watch.engine)
    watch.written()  # as the server marks its own writes
    assert ask(cache, "k", make) == Answer(b"answer 2")
    assert len(made) == 2


def test_answers_are_bounded_by_their_bytes_oldest_out(watch: VersionWatch) -> None:
    cache = ReadCache(limit_bytes=1_000, watch=watch)
    for name in "abcde":
        ask(cache, name, lambda: Answer(b"." * 240))
    assert cache.size <= 1_000
    ask(cache, "e", lambda: Answer(b"new"))  # still kept: not made again
    assert ask(cache, "e", lambda: Answer(b"new")) == Answer(b"." * 240)
    assert ask(cache, "a", lambda: Answer(b"new")) == Answer(b"new")
    # One answer never takes more than a quarter: made, not kept.
    assert ask(cache, "big", lambda: Answer(b"." * 400)) is not None
    assert ask(cache, "big", lambda: Answer(b"again")) == Answer(b"again")


def test_not_found_is_never_kept(watch: VersionWatch) -> None:
    cache = ReadCache(limit_bytes=1_000, watch=watch)
    assert ask(cache, "gone", lambda: None) is None
    assert ask(cache, "gone", lambda: Answer(b"here")) == Answer(b"here")


def test_the_watch_asks_the_database_only_when_a_commit_may_have_moved_it(
    watch: VersionWatch,
) -> None:
    before = settled(watch)
    queries: list[str] = []

    @event.listens_for(watch.engine, "before_cursor_execute")
    def count(*args: object) -> None:
        queries.append(str(args[2]))

    for _ in range(20):
        assert watch.known() == before
    assert queries == []
    event.remove(watch.engine, "before_cursor_execute", count)


def test_a_commit_by_another_process_moves_the_version_it_knows(watch: VersionWatch) -> None:
    before = settled(watch)
    # Another engine stands for another process (`risk load`, the worker, a second
    # server process): its commit reaches this watch by the database alone.
    schema = None
    if watch.engine.dialect.name == "postgresql":
        with watch.engine.connect() as connection:
            schema = connection.exec_driver_sql("SELECT current_schema()").scalar()
    other = make_engine(watch.engine.url.render_as_string(hide_password=False), schema=schema)
    try:
        bump(other)
        deadline = time.monotonic() + 5
        while version(watch) == before:
            assert time.monotonic() < deadline, "a commit elsewhere was not seen in 5 s"
            time.sleep(0.01)
        assert version(watch) == before + 1
    finally:
        other.dispose()


def test_a_rolled_back_write_leaves_the_version(watch: VersionWatch) -> None:
    before = settled(watch)
    with watch.engine.connect() as connection:
        versions.bump(connection)
        connection.rollback()
    watch.written()
    assert version(watch) == before


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_lost_listener_reads_per_request_then_listens_again(watch: VersionWatch) -> None:
    settled(watch)
    pid = watch.listener_pid
    assert pid is not None
    with watch.engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    deadline = time.monotonic() + 5
    while watch.known() is not None:  # not trusted while nobody listens
        assert time.monotonic() < deadline, "a lost listener was still trusted after 5 s"
        time.sleep(0.01)
    before = version(watch)
    assert settled(watch) == before
    assert watch.listener_pid not in (None, pid)
    bump(watch.engine)  # another process's commit: only the new listener can tell
    deadline = time.monotonic() + 5
    while version(watch) == before:
        assert time.monotonic() < deadline, "the new listener missed a commit"
        time.sleep(0.01)


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_commit_heard_of_during_a_read_leaves_that_read_untrusted(
    watch: VersionWatch,
) -> None:
    settled(watch)
    watch.written()

    @event.listens_for(watch.engine, "before_cursor_execute")
    def meanwhile(*args: object) -> None:
        watch.written()  # as a notification arriving while the version is read

    watch.read()
    event.remove(watch.engine, "before_cursor_execute", meanwhile)
    assert watch.known() is None  # that read may predate the commit: not trusted
    watch.read()
    assert watch.known() is not None


def test_a_key_asked_for_by_many_requests_at_once_is_looked_up_once() -> None:
    looked_up: list[str] = []

    def check(_: Engine | None, secret: str) -> Principal:
        looked_up.append(secret)
        time.sleep(0.05)  # a database's round trip, while the others arrive
        return Principal(key_id="k1", role="pm", email="pm@firm.example")

    checked = RecentlyChecked(check)  # type: ignore[arg-type]

    async def at_once(count: int, fresh: bool = False) -> list[Principal | None]:
        asks = (checked.ask(None, "brk_x", fresh) for _ in range(count))  # type: ignore[arg-type]
        return await asyncio.gather(*asks)

    found = asyncio.run(at_once(20))
    assert looked_up == ["brk_x"]
    assert None not in found
    assert {f.key_id for f in found if f is not None} == {"k1"}
    # A write's check is its own, never one shared with others.
    asyncio.run(at_once(2, fresh=True))
    assert looked_up == ["brk_x"] * 3
