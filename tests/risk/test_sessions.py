"""The web page's sessions in the database: made at sign-in, found by their token
only while open, unexpired and of an active key; ended by sign-out and by the
key's revocation. Each test runs on SQLite and on PostgreSQL (``database``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update

from risk.store import sessions
from risk.store.keys import Principal, create_key, hash_key, revoke_key
from risk.store.tables import api_keys, web_sessions

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 9, 9, 30, tzinfo=UTC)


def _pm(engine: Engine, email: str = "pm@firm.example") -> Principal:
    key_id, _ = create_key(engine, "pm", email, "test")
    return Principal(key_id=key_id, role="pm", email=email)


def _ended(engine: Engine, key_id: str) -> list[bool]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(web_sessions.c.ended_at).where(web_sessions.c.key_id == key_id)
        ).scalars()
        return sorted(ended is not None for ended in rows)


def test_a_session_is_found_by_its_token_until_it_expires(database: Engine) -> None:
    pm = _pm(database)
    token = sessions.create(database, pm.key_id, NOW)
    assert sessions.find(database, token, NOW) == pm
    almost = NOW + sessions.LIFETIME - timedelta(seconds=1)
    assert sessions.find(database, token, almost) == pm
    assert sessions.find(database, token, NOW + sessions.LIFETIME) is None

    # Only the token's SHA-256 is stored.
    with database.connect() as connection:
        stored = connection.execute(select(web_sessions)).one()
    assert stored.session_hash == hash_key(token)
    assert token not in tuple(str(value) for value in stored)

    assert sessions.find(database, token[:-1], NOW) is None
    assert sessions.find(database, "", NOW) is None
    assert sessions.find(database, token * 3, NOW) is None
    assert sessions.create(database, pm.key_id, NOW) != token


def test_sign_out_ends_one_session_and_leaves_the_others(database: Engine) -> None:
    pm = _pm(database)
    first = sessions.create(database, pm.key_id, NOW)
    second = sessions.create(database, pm.key_id, NOW)
    assert sessions.end(database, first, NOW + timedelta(minutes=5))
    assert not sessions.end(database, first, NOW + timedelta(minutes=6))  # already ended
    assert not sessions.end(database, "no-such-session", NOW)
    assert sessions.find(database, first, NOW + timedelta(minutes=5)) is None
    assert sessions.find(database, second, NOW + timedelta(minutes=5)) == pm
    assert _ended(database, pm.key_id) == [False, True]


def test_revoking_a_key_ends_its_sessions_and_no_others(database: Engine) -> None:
    pm, other = _pm(database), _pm(database, "other@firm.example")
    mine = [sessions.create(database, pm.key_id, NOW) for _ in range(2)]
    theirs = sessions.create(database, other.key_id, NOW)
    assert revoke_key(database, pm.key_id)
    assert _ended(database, pm.key_id) == [True, True]
    assert _ended(database, other.key_id) == [False]
    assert all(sessions.find(database, token, NOW) is None for token in mine)
    assert sessions.find(database, theirs, NOW) == other
    assert revoke_key(database, other.key_id)
    assert not revoke_key(database, other.key_id)
    assert sessions.find(database, theirs, NOW) is None


def test_a_revoked_key_counts_even_on_a_session_left_open(database: Engine) -> None:
    pm = _pm(database)
    token = sessions.create(database, pm.key_id, NOW)
    # As a key revoked before sessions were ended with it: the join refuses it.
    with database.begin() as connection:
        connection.execute(
            update(api_keys).where(api_keys.c.key_id == pm.key_id).values(revoked_at=NOW)
        )
    assert _ended(database, pm.key_id) == [False]
    assert sessions.find(database, token, NOW) is None
