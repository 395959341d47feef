"""The web page's sessions, kept in the database (``web_sessions``).

Signing in makes a row; the browser's cookie carries a random token that is
stored here only as its SHA-256, as API keys are. Whether a caller is signed in
is the row's answer, never the cookie's: signing out, the end of its lifetime or
the key's revocation ends the session for every copy of the cookie.

A session lasts ``LIFETIME`` from sign-in, however busy: keeping the lifetime
fixed spares a database write on every request.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from risk.store.keys import Principal, hash_key
from risk.store.tables import api_keys, web_sessions

LIFETIME = timedelta(hours=8)
#: Longer than any token ``create`` makes: a cookie with more is not worth hashing.
TOKEN_MAX_LENGTH = 100


def create(engine: Engine, key_id: str, now: datetime) -> str:
    """A new session of ``key_id`` from ``now`` (UTC): returns its token, for the cookie."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(
            insert(web_sessions).values(
                session_hash=hash_key(token),
                key_id=key_id,
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return token


def find(engine: Engine, token: str, now: datetime) -> Principal | None:
    """The owner of the session ``token`` at ``now``; None when it is unknown, ended,
    expired, or its key revoked."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    # One lookup by primary key, joined with the key so a revocation counts at once.
    query = (
        select(api_keys.c.key_id, api_keys.c.role, api_keys.c.email)
        .select_from(web_sessions.join(api_keys))
        .where(
            web_sessions.c.session_hash == hash_key(token),
            web_sessions.c.ended_at.is_(None),
            web_sessions.c.expires_at > now,
            api_keys.c.revoked_at.is_(None),
        )
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else Principal(key_id=row.key_id, role=row.role, email=row.email)


def end(engine: Engine, token: str, now: datetime) -> bool:
    """End the session ``token`` (sign-out); False when there is no such open session."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return False
    with engine.begin() as connection:
        changed = connection.execute(
            update(web_sessions)
            .where(
                web_sessions.c.session_hash == hash_key(token), web_sessions.c.ended_at.is_(None)
            )
            .values(ended_at=now)
        ).rowcount
    return changed == 1
