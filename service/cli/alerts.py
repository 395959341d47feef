"""Alerts to account leads: ``risk alerts deliver`` and ``alerts status``."""

from __future__ import annotations

import typer

from service.cli.common import engine_for, said, settings_from

alerts_app = typer.Typer(help="Alerts to account leads: deliver the outbox, count it.")


@alerts_app.command("status")
def alerts_status(ctx: typer.Context) -> None:
    """Alerts per state: pending, sent, failed."""
    from risk.alerts.outbox import status

    _ = said()
    with engine_for(settings_from(ctx)).connect() as connection:
        for state, count in status(connection).items():
            # The states are the API's words (pending, sent, failed), kept as they are.
            typer.echo(f"{state}: {_.number(count)}")


@alerts_app.command("deliver")
def alerts_deliver(ctx: typer.Context) -> None:
    """Deliver the pending alerts once (email, webhook, or the log file), with retries later."""
    from risk.alerts.outbox import deliver

    settings = settings_from(ctx)
    report = deliver(engine_for(settings), settings)
    _ = said()
    typer.echo(
        _(
            "sent {sent}, retry later {retried}, failed {failed}",
            sent=_.number(report.sent),
            retried=_.number(report.retried),
            failed=_.number(report.failed),
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
