"""Invoice scores at issue: what the invoice model said of each issued invoice as of
the day before its issue, written by the score run

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_scores",
        sa.Column("invoice_id", sa.String(200), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("issued_at", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(60), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["score_runs.run_id"], name="fk_invoice_scores_run_id_score_runs"
        ),
        sa.PrimaryKeyConstraint("invoice_id", name="pk_invoice_scores"),
    )
    op.create_index("ix_invoice_scores_client_id", "invoice_scores", ["client_id"])


def downgrade() -> None:
    op.drop_index("ix_invoice_scores_client_id", table_name="invoice_scores")
    op.drop_table("invoice_scores")
