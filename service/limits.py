"""Limits at the door: a request body over its size is refused before it is read whole.

``/ingest`` takes up to ``INGEST_BODY_BYTES`` (10,000 rows of ordinary messages
fit many times over; a text longer than the contract's limit is refused later,
by field), every other route ``BODY_BYTES`` (forms and small JSON bodies). A
body that announces its length is judged by it; one sent in chunks is counted
as it arrives. Either way the answer is a 413 in the API's error shape, naming
the body.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The largest body ``POST /ingest`` reads.
INGEST_BODY_BYTES = 32 * 1024 * 1024
#: The largest body any other route reads.
BODY_BYTES = 64 * 1024


def body_limit(path: str) -> int:
    return INGEST_BODY_BYTES if path == "/ingest" else BODY_BYTES


class BodyLimit:
    """ASGI middleware refusing bodies over ``body_limit(path)`` with a 413."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, int(declared), limit)
            return
        # Read the body here, counting, so a chunked one cannot grow without end.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, None, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only a disconnect can come

        await self.app(scope, replay, send)


async def _too_large(send: Send, size: int | None, limit: int) -> None:
    said = f"{size:,} bytes" if size is not None else f"over {limit:,} bytes"
    problem = {
        "loc": ["body"],
        "msg": f"the body is {said}; at most {limit:,} per request (send fewer rows at once)",
        "type": "too_large",
    }
    content = json.dumps({"detail": [problem]}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode("ascii")),
                (b"x-content-type-options", b"nosniff"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})
