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
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from risk.store.keys import Principal
from risk.store.versions import VersionWatch


@dataclass(frozen=True)
class Answer:
    """What a route answered: its status, body and the headers worth keeping (for
    ``KeptAnswers``: the headers as sent, and the route, for the log line)."""

    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    route: object = None
    raw: list[tuple[bytes, bytes]] = field(default_factory=list)


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
        kept = self.kept(version, key)
        if kept is not None:
            return kept
        made = await run_in_threadpool(make)
        if made is not None:
            self.keep(version, key, made)
        return made

    def kept(self, version: int, key: Hashable) -> Answer | None:
        """The answer kept for ``key`` at ``version`` today, if any."""
        full = (version, datetime.now(UTC).date(), key)
        with self._lock:
            kept = self._answers.get(full)
            if kept is not None:
                self._answers.move_to_end(full)
            return kept

    def keep(self, version: int, key: Hashable, answer: Answer) -> None:
        """Keep ``answer`` for ``key`` at ``version`` (read before it was made)."""
        if len(answer.body) > self.limit_bytes // 4:
            return  # one answer never crowds out the rest
        full = (version, datetime.now(UTC).date(), key)
        with self._lock:
            if full not in self._answers:
                self._answers[full] = answer
                self.size += len(answer.body)
            while self.size > self.limit_bytes:
                _, dropped = self._answers.popitem(last=False)
                self.size -= len(dropped.body)


def caller_scope(caller: Principal) -> tuple[str, ...]:
    """What decides which clients ``caller`` sees (``visible_clients``): keys with the
    same scope share the read routes' kept answers."""
    return ("all",) if caller.operator else (caller.role, caller.email)


#: The API's read routes whose 200 answers ``KeptAnswers`` keeps by address.
KEPT_ROUTES = frozenset(
    {
        "/flags",
        "/clients/{client_id}",
        "/clients/{client_id}/timeline",
        "/invoices/{invoice_id}/explanation",
    }
)


class KeptAnswers:
    """In front of the routing: a GET of an API read route that this process answered
    with a 200 for a caller of the same scope, at the same address (path and query)
    and version of the data, is answered again here, without routing, parameter
    validation or the route's dependencies (measured: FastAPI's dependency solving
    alone cost about half of a kept answer through the route). The key must have been
    checked lately (``RecentlyChecked``) and the version known without a query;
    anything else goes on to the app, and a read route's 200 is kept on the way out,
    under the version read before the app made it and the scope of the caller the
    route found.
    The route's own cache (``ReadCache.answer``) still serves the same answer asked
    another way (another order of the query, a page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state.risk
        reads: ReadCache = state.reads
        # Read before the app makes an answer, as ``ReadCache.answer`` does.
        version = reads.watch.known() if reads.limit_bytes > 0 else None
        if version is None:
            await self.app(scope, receive, send)
            return
        secret = _api_key(scope["headers"])
        caller = state.keys.cached(secret) if secret else None
        if caller is not None:
            key = ("address", caller_scope(caller), scope["path"], scope["query_string"])
            kept = reads.kept(version, key)
            if kept is not None:
                scope["route"] = kept.route  # for the request's log line and metrics
                scope.setdefault("state", {})["principal"] = caller
                await send(
                    {"type": "http.response.start", "status": kept.status, "headers": kept.raw}
                )
                await send({"type": "http.response.body", "body": kept.body})
                return
        started: Message = {}
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, sending)
        route = scope.get("route")
        # Who the route found behind the key (``service.deps.principal``).
        found = scope.get("state", {}).get("principal")
        if (
            started.get("status") == 200
            and getattr(route, "path", None) in KEPT_ROUTES
            and isinstance(found, Principal)
        ):
            key = ("address", caller_scope(found), scope["path"], scope["query_string"])
            raw = list(started.get("headers", []))
            reads.keep(version, key, Answer(b"".join(chunks), 200, route=route, raw=raw))


def _api_key(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The key as ``service.deps.principal`` reads it: ``X-API-Key``, else a Bearer."""
    bearer = None
    for name, value in headers:
        if name == b"x-api-key":
            return value.decode("latin-1")
        if name == b"authorization":
            scheme, _, rest = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer":
                bearer = rest.strip()
    return bearer
