"""The database: ``risk db upgrade`` and ``risk load``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from risk.settings import Settings
from service.cli.common import actor, engine_for, load_or_exit, said, settings_from

db_app = typer.Typer(help="The app database: migrations.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations (SQLite by default, RISK_DATABASE_URL otherwise)."""
    from risk.store.db import current_revision, make_engine, upgrade

    settings = settings_from(ctx)
    engine = make_engine(settings.database_url, lock_timeout=settings.lock_timeout_seconds)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    _ = said()
    empty = _("empty")
    typer.echo(f"{url}: {before or empty} -> {after}")


def load(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
) -> None:
    """Import a bundle into the database: new rows added, changed rows updated, all or nothing."""
    load_into(settings_from(ctx), bundle)


def load_into(settings: Settings, bundle: Path) -> None:
    """Load ``bundle`` into the database of ``settings`` and say what changed."""
    from risk.store.load import load as load_bundle_into

    loaded = load_or_exit(bundle)
    engine = engine_for(settings)
    report = load_bundle_into(engine, loaded, actor(), source=str(bundle.resolve()))
    _ = said()
    typer.echo(_("load {load_id}: {bundle}", load_id=report.load_id, bundle=bundle))
    for name in report.added:
        typer.echo(
            f"  {name:<13} "
            + _(
                "{added} added {changed} changed {unchanged} unchanged",
                added=_.number(report.added[name]).rjust(9),
                changed=_.number(report.changed[name]).rjust(9),
                unchanged=_.number(report.unchanged[name]).rjust(9),
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.command()(load)
