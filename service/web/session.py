"""The page's sign-in session: its signed cookie (the session's token, the CSRF token,
a flash message), the key that signs it, and who is signed in (``risk.store.sessions``
answers that, never the cookie alone)."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from fastapi import Request
from sqlalchemy import Engine

from risk.settings import Settings
from risk.store import sessions
from risk.store.keys import Principal

SESSION_COOKIE = "risk_session"
SESSION_SECONDS = int(sessions.LIFETIME.total_seconds())


def session_secret(home: Path) -> str:
    """The key that signs session cookies: made once, kept in ``home/session.key`` (0600)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "session.key"
    if not path.exists():
        temporary = home / f".session.key.{secrets.token_hex(6)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):  # a concurrent start keeps the first key
                os.link(temporary, path)  # atomic: never a half-written key
        finally:
            temporary.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no usable session key: delete it to make a new one")
    return secret


def secure_cookies(settings: Settings) -> bool:
    """Whether cookies are sent over https only: when the page is served over https."""
    return settings.public_url.startswith("https://")


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, sent: str) -> bool:
    token = request.session.get("csrf")
    return (
        isinstance(token, str)
        and bool(sent)
        and secrets.compare_digest(token.encode("utf-8"), sent.encode("utf-8"))
    )


def current(request: Request) -> Principal | None:
    """The signed-in caller, from the session's row: the cookie alone signs no one in.
    A cookie whose session is unknown, ended or expired, or whose key was revoked,
    is cleared: at once for a write, which checks afresh; for a read, within
    ``KEY_CACHE_SECONDS`` when that happened in another process."""
    token = request.session.get("session")
    if not isinstance(token, str):
        return None
    checked = request.app.state.risk.sessions
    fresh = request.method not in ("GET", "HEAD")
    return _signed_in(request, checked.principal(engine_of(request), token, fresh))


async def signed_in(request: Request) -> Principal | None:
    """``current`` for a coroutine: on the event loop when the session was checked
    lately, else its lookup in a worker thread."""
    token = request.session.get("session")
    if not isinstance(token, str):
        return None
    checked = request.app.state.risk.sessions
    found = checked.cached(token)
    if found is None:
        found = await checked.ask(engine_of(request), token)
    return _signed_in(request, found)


def _signed_in(request: Request, found: Principal | None) -> Principal | None:
    if found is None:
        request.session.clear()
        return None
    request.state.principal = found
    return found


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def reader_of(request: Request) -> Engine:
    """The engine for pages that only read (``risk.store.db.for_reads``)."""
    engine: Engine = request.app.state.risk.reader
    return engine


def flash(request: Request, key: str, kind: str = "ok", **args: str) -> None:
    request.session["flash"] = {"key": key, "kind": kind, "args": args}
