"""The service: ``risk serve`` and ``risk config``."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from service.cli.common import engine_for, settings_from


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes (more use more cores: every process is a whole app, "
            "with its own database connections).",
        ),
    ] = 1,
) -> None:
    """Serve the API and the PMs' web page."""
    import uvicorn

    from service.app import create_app
    from service.logs import configure

    settings = settings_from(ctx)
    engine_for(settings)  # migrate an empty database, refuse one behind the code
    configure(whole_process=True)
    # log_config=None: uvicorn keeps the JSON handlers instead of installing its own.
    if workers == 1:
        uvicorn.run(
            create_app(settings), host=host, port=port, log_level="warning", log_config=None
        )
        return
    # Each worker process imports the app by name and reads its settings from the
    # environment: the command line's own options go there first.
    for name, value in (ctx.find_root().obj or {}).items():
        os.environ[f"RISK_{name.upper()}"] = str(value)
    uvicorn.run(
        "service.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        log_config=None,
    )


def config(ctx: typer.Context) -> None:
    """Print the effective settings (option > environment > .env > default)."""
    settings = settings_from(ctx)
    for name, value in settings.model_dump().items():
        typer.echo(f"{name} = {_without_secrets(name, value)}")


def _without_secrets(name: str, value: object) -> object:
    """A URL's password, and a webhook URL's path (often its token), are not printed."""
    if not isinstance(value, str) or "://" not in value:
        return value
    if name == "webhook_url":
        scheme, _, rest = value.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/..." if "/" in rest else value
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(value).render_as_string(hide_password=True)
    except ArgumentError:
        return value


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(config)
