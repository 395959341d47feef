"""Answers of the read routes, kept per server process under the data's version.

A read route (``/flags``, a client, its timeline, an invoice's explanation, the two
pages) answers from here when nothing it shows can have changed: the key is the
route's own parts (who asks, what, the page's language and session), the day (a
snooze ends at midnight with no write) and the version of the data
(``risk.store.versions``), which every write that changes what reads show moves in
its own transaction. So a request costs the key check (``KeyCache``), one
primary-key lookup of the version, and a dictionary lookup; the first request after
a write computes the answer again. Answers are bounded by their bytes, least
recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from risk.store import versions


@dataclass(frozen=True)
class Answer:
    """What a route answered: its status, body and the headers worth keeping."""

    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


class ReadCache:
    """Answers by (version, day, route's key), at most ``limit_bytes`` of bodies."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self.size = 0
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = threading.Lock()

    def answer(
        self, engine: Engine, key: Hashable, make: Callable[[], Answer | None]
    ) -> Answer | None:
        """The answer for ``key`` as of the data's version now: kept, or ``make()``'s
        (None: nothing to keep, e.g. not found, which ``make`` answers itself)."""
        if self.limit_bytes <= 0:
            return make()
        with engine.connect() as connection:
            version = versions.current(connection)
        full = (version, datetime.now(UTC).date(), key)
        with self._lock:
            kept = self._answers.get(full)
            if kept is not None:
                self._answers.move_to_end(full)
                return kept
        made = make()
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
