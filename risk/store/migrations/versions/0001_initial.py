"""Initial schema: the contract's files, score runs, flags, alerts

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:06:24.453317
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bundle_loads",
        sa.Column("load_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("absent_columns", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("load_id", name=op.f("pk_bundle_loads")),
    )
    op.create_table(
        "churn",
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("churned_at", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_churn")),
    )
    op.create_table(
        "clients",
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("account_lead", sa.String(length=320), nullable=False),
        sa.Column("client_since", sa.Date(), nullable=False),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_clients")),
    )
    op.create_table(
        "invoices",
        sa.Column("invoice_id", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=True),
        sa.Column("issued_at", sa.Date(), nullable=False),
        sa.Column("due_at", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("paid_at", sa.Date(), nullable=True),
        sa.Column("disputed_at", sa.Date(), nullable=True),
        sa.Column("line_items", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_invoices")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoices_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_invoices_project_id"), ["project_id"], unique=False)

    op.create_table(
        "messages",
        sa.Column("message_id", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_messages_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_messages_project_id"), ["project_id"], unique=False)

    op.create_table(
        "progress",
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("reported_at", sa.Date(), nullable=False),
        sa.Column("percent_complete", sa.Float(), nullable=False),
        sa.Column("milestone", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", "reported_at", name=op.f("pk_progress")),
    )
    op.create_table(
        "projects",
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("pm", sa.String(length=320), nullable=False),
        sa.Column("billing_model", sa.String(length=40), nullable=False),
        sa.Column("budget", sa.Float(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_projects")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_client_id"), ["client_id"], unique=False)

    op.create_table(
        "score_runs",
        sa.Column("run_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("clients", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_score_runs")),
    )
    with op.batch_alter_table("score_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_runs_as_of"), ["as_of"], unique=False)

    op.create_table(
        "time_entries",
        sa.Column("entry_id", sa.String(length=200), nullable=False),
        sa.Column("project_id", sa.String(length=200), nullable=False),
        sa.Column("worked_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("billable", sa.Boolean(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("person", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("invoice_id", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_time_entries")),
    )
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_time_entries_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "flags",
        sa.Column("flag_id", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("risk", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("trend", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("next_step", sa.Text(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("opened_run_id", sa.Integer(), nullable=False),
        sa.Column("updated_run_id", sa.Integer(), nullable=False),
        sa.Column("cleared_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("snooze_reason", sa.Text(), nullable=True),
        sa.Column("quiet_level", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_run_id"], ["score_runs.run_id"], name=op.f("fk_flags_opened_run_id_score_runs")
        ),
        sa.ForeignKeyConstraint(
            ["updated_run_id"],
            ["score_runs.run_id"],
            name=op.f("fk_flags_updated_run_id_score_runs"),
        ),
        sa.PrimaryKeyConstraint("flag_id", name=op.f("pk_flags")),
    )
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_client_id"), ["client_id"], unique=False)
        batch_op.create_index(
            "uq_flags_open_client_risk",
            ["client_id", "risk"],
            unique=True,
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "scores",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("risk", sa.String(length=20), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["score_runs.run_id"], name=op.f("fk_scores_run_id_score_runs")
        ),
        sa.PrimaryKeyConstraint("run_id", "client_id", "risk", name=op.f("pk_scores")),
    )
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scores_client_id_risk_as_of"),
            ["client_id", "risk", "as_of"],
            unique=False,
        )

    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.String(length=40), nullable=False),
        sa.Column("flag_id", sa.String(length=40), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("risk", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(length=100), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flag_id"], ["flags.flag_id"], name=op.f("fk_alerts_flag_id_flags")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["score_runs.run_id"], name=op.f("fk_alerts_run_id_score_runs")
        ),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alerts")),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_flag_id"), ["flag_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_alerts_state_next_attempt_at"),
            ["state", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            "uq_alerts_pending_client_risk",
            ["client_id", "risk"],
            unique=True,
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )

    op.create_table(
        "flag_events",
        sa.Column("event_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("flag_id", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("previous_level", sa.String(length=20), nullable=True),
        sa.Column("feedback", sa.String(length=20), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["flag_id"], ["flags.flag_id"], name=op.f("fk_flag_events_flag_id_flags")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["score_runs.run_id"], name=op.f("fk_flag_events_run_id_score_runs")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_flag_events")),
    )
    with op.batch_alter_table("flag_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flag_events_flag_id"), ["flag_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flag_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_events_flag_id"))

    op.drop_table("flag_events")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_alerts_pending_client_risk",
            sqlite_where=sa.text("state = 'pending'"),
            postgresql_where=sa.text("state = 'pending'"),
        )
        batch_op.drop_index(batch_op.f("ix_alerts_state_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_alerts_flag_id"))

    op.drop_table("alerts")
    with op.batch_alter_table("scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scores_client_id_risk_as_of"))

    op.drop_table("scores")
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_flags_open_client_risk",
            sqlite_where=sa.text("status = 'open'"),
            postgresql_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index(batch_op.f("ix_flags_client_id"))

    op.drop_table("flags")
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_time_entries_project_id"))

    op.drop_table("time_entries")
    with op.batch_alter_table("score_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_runs_as_of"))

    op.drop_table("score_runs")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_client_id"))

    op.drop_table("projects")
    op.drop_table("progress")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_messages_project_id"))
        batch_op.drop_index(batch_op.f("ix_messages_client_id"))

    op.drop_table("messages")
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoices_project_id"))
        batch_op.drop_index(batch_op.f("ix_invoices_client_id"))

    op.drop_table("invoices")
    op.drop_table("clients")
    op.drop_table("churn")
    op.drop_table("bundle_loads")
