"""Alembic's entry point: migrate the engine handed over by ``risk.store.db``."""

from __future__ import annotations

from alembic import context

from risk.store.tables import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place: copy-and-move batches do it.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
