"""Web sessions, kept server-side (a cookie saved before sign-out opens nothing)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("session_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_keys.key_id"], name=op.f("fk_web_sessions_key_id_api_keys")
        ),
        sa.PrimaryKeyConstraint("session_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_key_id"), "web_sessions", ["key_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_web_sessions_key_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
