"""Score jobs in the database, arrivals of new data, the workers' heartbeats, and what
each score run changed; alerts of another kind (the daily digest)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


_PENDING = sa.text("state = 'pending'")


def _pending_index() -> None:
    """One pending alert per client and risk (as 0001 made it; digests have neither)."""
    op.create_index(
        "uq_alerts_pending_client_risk",
        "alerts",
        ["client_id", "risk"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )


def upgrade() -> None:
    op.add_column("score_runs", sa.Column("outcome", sa.JSON(), nullable=True))
    # SQLite rebuilds the table to relax NOT NULL: the partial unique index is dropped
    # and made again by hand, so its WHERE cannot get lost on the way.
    op.drop_index("uq_alerts_pending_client_risk", table_name="alerts")
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(
            sa.Column(
                "kind", sa.String(length=20), server_default=sa.text("'flag'"), nullable=False
            )
        )
        for name, length in (("flag_id", 40), ("client_id", 200), ("risk", 20), ("level", 20)):
            batch.alter_column(name, existing_type=sa.String(length=length), nullable=True)
    _pending_index()
    op.create_table(
        "digests",
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("recipient", "day", name=op.f("pk_digests")),
    )
    op.create_table(
        "score_jobs",
        sa.Column("job_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["score_runs.run_id"], name=op.f("fk_score_jobs_run_id_score_runs")
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_score_jobs")),
        sa.UniqueConstraint("key", name=op.f("uq_score_jobs_key")),
    )
    op.create_index(op.f("ix_score_jobs_status_queued_at"), "score_jobs", ["status", "queued_at"])
    op.create_table(
        "data_arrivals",
        sa.Column("arrival_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["score_jobs.job_id"], name=op.f("fk_data_arrivals_job_id_score_jobs")
        ),
        sa.PrimaryKeyConstraint("arrival_id", name=op.f("pk_data_arrivals")),
    )
    op.create_index(op.f("ix_data_arrivals_job_id"), "data_arrivals", ["job_id"])
    op.create_table(
        "workers",
        sa.Column("worker_id", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_run", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_workers")),
    )


def downgrade() -> None:
    op.drop_table("digests")
    op.execute(sa.text("DELETE FROM alerts WHERE kind <> 'flag'"))
    op.drop_index("uq_alerts_pending_client_risk", table_name="alerts")
    with op.batch_alter_table("alerts") as batch:
        for name, length in (("flag_id", 40), ("client_id", 200), ("risk", 20), ("level", 20)):
            batch.alter_column(name, existing_type=sa.String(length=length), nullable=False)
        batch.drop_column("kind")
    _pending_index()
    op.drop_table("workers")
    op.drop_index(op.f("ix_data_arrivals_job_id"), table_name="data_arrivals")
    op.drop_table("data_arrivals")
    op.drop_index(op.f("ix_score_jobs_status_queued_at"), table_name="score_jobs")
    op.drop_table("score_jobs")
    with op.batch_alter_table("score_runs") as batch:
        batch.drop_column("outcome")
