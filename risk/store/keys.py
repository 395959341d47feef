"""API keys: who is calling, in which role, and which clients they may see.

A key is 32 random bytes (``brk_`` + URL-safe base64), shown once and stored
only as its SHA-256: a fast hash suits random keys (a password hash such as
bcrypt would cost 50-300 ms on every request and adds nothing when the secret
has 256 bits of entropy). Roles:

- ``pm``: clients of the projects they manage (closed projects included);
- ``lead``: clients they are account lead of;
- ``analyst`` and ``admin``: every client; they may also re-score, reload
  models and ingest data.

Scoping is a SQL condition (``visible_clients``) added to every query, never a
filter applied after loading.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Engine, insert, select, true, update

from risk.store.tables import CONTRACT, api_keys, web_sessions

ROLES = ("pm", "lead", "analyst", "admin")
#: Roles that may change what is scored: re-score, reload models, ingest.
OPERATORS = frozenset({"analyst", "admin"})
PREFIX = "brk_"


@dataclass(frozen=True)
class Principal:
    """The owner of a key: what the API knows about its caller."""

    key_id: str
    role: str
    email: str

    @property
    def actor(self) -> str:
        """How this caller is named in flag events and logs."""
        return f"{self.role}:{self.email}"

    @property
    def operator(self) -> bool:
        return self.role in OPERATORS


#: Longest address a key may have: "<role>:<email>" names the actor in flag events.
KEY_EMAIL_MAX_LENGTH = 190


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_key(engine: Engine, role: str, email: str, created_by: str) -> tuple[str, str]:
    """A new key for ``email`` in ``role``: returns (key id, the key itself)."""
    if role not in ROLES:
        raise ValueError(f"role: {role!r} is not one of {', '.join(ROLES)}")
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError(f"email: {email!r} is not an email address")
    if len(email) > KEY_EMAIL_MAX_LENGTH:
        # The key's owner is named "<role>:<email>" in flag events (200 characters).
        raise ValueError(
            f"email: {len(email)} characters long; a key's address is at most "
            f"{KEY_EMAIL_MAX_LENGTH}"
        )
    key_id = secrets.token_hex(6)
    secret = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(
            insert(api_keys).values(
                key_id=key_id,
                key_hash=hash_key(secret),
                role=role,
                email=email,
                created_at=datetime.now(UTC),
                created_by=created_by,
            )
        )
    return key_id, secret


def list_keys(engine: Engine) -> list[dict[str, object]]:
    """Every key (never the key itself), newest first."""
    query = select(
        api_keys.c.key_id,
        api_keys.c.role,
        api_keys.c.email,
        api_keys.c.created_at,
        api_keys.c.created_by,
        api_keys.c.revoked_at,
    ).order_by(api_keys.c.created_at.desc())
    with engine.connect() as connection:
        return [dict(row) for row in connection.execute(query).mappings()]


def revoke_key(engine: Engine, key_id: str) -> bool:
    """Revoke a key and end its web sessions; False when there is no such active key."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        changed = connection.execute(
            update(api_keys)
            .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        ).rowcount
        if changed == 1:
            # Its sessions end with it (``risk.store.sessions`` refuses a revoked key's
            # session anyway; ending the rows says so in the table too).
            connection.execute(
                update(web_sessions)
                .where(web_sessions.c.key_id == key_id, web_sessions.c.ended_at.is_(None))
                .values(ended_at=now)
            )
    return changed == 1


def authenticate(engine: Engine, secret: str) -> Principal | None:
    """The principal holding ``secret``, or None (unknown or revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    query = select(api_keys.c.key_id, api_keys.c.role, api_keys.c.email).where(
        api_keys.c.key_hash == hash_key(secret), api_keys.c.revoked_at.is_(None)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    return None if row is None else Principal(key_id=row.key_id, role=row.role, email=row.email)


def visible_clients(principal: Principal, client_id: ColumnElement[str]) -> ColumnElement[bool]:
    """A SQL condition true where ``client_id`` is a client ``principal`` may see."""
    projects = CONTRACT["projects"]
    clients = CONTRACT["clients"]
    if principal.role == "pm":
        return client_id.in_(select(projects.c.client_id).where(projects.c.pm == principal.email))
    if principal.role == "lead":
        return client_id.in_(
            select(clients.c.client_id).where(clients.c.account_lead == principal.email)
        )
    return true()
