"""Answers of the read routes, kept per server process under the data's version.

A read route (``/flags``, a client, its timeline, an invoice's explanation, the two
pages) answers from here when nothing it shows can have changed: the key is the
route's own parts (who asks, what, the page's language and session), the day (a
snooze ends at midnight with no write) and the version of the data
(``risk.store.versions``), which every write that changes what reads show moves in
its own transaction. So a kept answer costs the key check (``RecentlyChecked``),
the version as ``VersionWatch`` knows it (no query unless a commit may have moved
it) and a dictionary lookup, on the event loop: only the first request after a write
goes to a worker thread and computes the answer again. Answers are bounded by their
bytes, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool

from risk.store.versions import VersionWatch


@dataclass(frozen=True)
class Answer:
    """What a route answered: its status, body and the headers worth keeping."""

    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class ReadCache:
    """Answers by (version, day, route's key), at most ``limit_bytes`` of bodies."""

    def __init__(self, limit_bytes: int, watch: VersionWatch) -> None:
        self.limit_bytes = limit_bytes
        self.watch = watch
        self.size = 0
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    async def answer(self, key: Hashable, make: Callable[[], Answer | None]) -> Answer | None:
        """The answer for ``key`` as of the data's version now: kept, or ``make()``'s,
        run in a worker thread (None: nothing to keep, e.g. not found, which ``make``
        answers itself)."""
        if self.limit_bytes <= 0:
            return await run_in_threadpool(make)
        version = self.watch.known()
        if version is None:
            version = await run_in_threadpool(self.watch.read)
        # Read before ``make``: an answer made across a write is kept under the old
        # version, which the next request no longer asks for.
        full = (version, datetime.now(UTC).date(), key)
        with self._lock:
            kept = self._answers.get(full)
            if kept is not None:
                self._answers.move_to_end(full)
                return kept
        made = await run_in_threadpool(make)
        if made is None or len(made.body) > self.limit_bytes // 4:
            return made  # one answer never crowds out the rest
        with self._lock:
            if full not in self._answers:
                self._answers[full] = made
                self.size += len(made.body)
            while self.size > self.limit_bytes:
                _, dropped = self._answers.popitem(last=False)
                self.size -= len(dropped.body)
        return made
