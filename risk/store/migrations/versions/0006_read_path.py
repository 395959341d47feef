"""The read path: what the score run read in each message, the version of what reads
show, and indexes for one client's rows (messages by time, the time entries of an
invoice, the latest signals) and for who sees a client (a PM, a lead)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_scores",
        sa.Column("message_id", sa.String(200), nullable=False),
        sa.Column("text_hash", sa.BigInteger(), nullable=False),
        sa.Column("scorer_version", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=True),
        sa.Column("billing_question", sa.Boolean(), nullable=False),
        sa.Column("relationship_doubt", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name="pk_message_scores"),
    )
    versions = op.create_table(
        "data_versions",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_data_versions"),
    )
    op.bulk_insert(versions, [{"name": "reads", "version": 0}])
    op.create_index("ix_messages_client_id_sent_at", "messages", ["client_id", "sent_at"])
    op.create_index("ix_time_entries_invoice_id", "time_entries", ["invoice_id"])
    op.create_index("ix_projects_pm", "projects", ["pm"])
    op.create_index("ix_clients_account_lead", "clients", ["account_lead"])
    op.create_index("ix_signals_client_id_run_id", "signals", ["client_id", "run_id"])


def downgrade() -> None:
    op.drop_index("ix_signals_client_id_run_id", table_name="signals")
    op.drop_index("ix_clients_account_lead", table_name="clients")
    op.drop_index("ix_projects_pm", table_name="projects")
    op.drop_index("ix_time_entries_invoice_id", table_name="time_entries")
    op.drop_index("ix_messages_client_id_sent_at", table_name="messages")
    op.drop_table("data_versions")
    op.drop_table("message_scores")
