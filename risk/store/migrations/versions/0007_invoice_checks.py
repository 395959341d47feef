"""Invoice checks: every draft invoice checked before it was sent, and what the check
said

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 01:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_checks",
        sa.Column("check_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(200), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("project_id", sa.String(200), nullable=True),
        sa.Column("issued_at", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("model_version", sa.String(60), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("check_id", name="pk_invoice_checks"),
    )
    op.create_index("ix_invoice_checks_client_id", "invoice_checks", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_invoice_checks_client_id", table_name="invoice_checks")
    op.drop_table("invoice_checks")
