"""Clients' email domains; contacts (people at the client, by address)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot alter a table in place, PostgreSQL just adds the column.
    with op.batch_alter_table("clients") as batch:
        batch.add_column(sa.Column("domains", sa.Text(), nullable=True))
    op.create_table(
        "contacts",
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_contacts")),
    )
    op.create_index(op.f("ix_contacts_client_id"), "contacts", ["client_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contacts_client_id"), table_name="contacts")
    op.drop_table("contacts")
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("domains")
