"""Scoring: ``risk score``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import actor, engine_for, settings_from
from service.cli.data import load_into
from service.cli.flags import print_flags

if TYPE_CHECKING:
    from risk.scoring.run import RunSummary


def score(
    ctx: typer.Context,
    bundle: Annotated[
        Path | None, typer.Argument(help="Load this bundle first (optional).", show_default=False)
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Score at this date (default: the latest event date)."),
    ] = None,
    weeks: Annotated[
        int, typer.Option(min=1, help="Score this many weeks, one run each, ending at --as-of.")
    ] = 1,
    top: Annotated[int, typer.Option(help="Flagged clients to print.")] = 10,
) -> None:
    """Score every active client with the @champion models and update flags and alerts."""
    from risk.scoring.flags import list_flags
    from risk.scoring.run import champions, last_event_date
    from risk.scoring.run import score as run_score
    from risk.store.load import read_bundle

    settings = settings_from(ctx)
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(
                f"{as_of!r} is not an ISO date", param_hint="--as-of"
            ) from None
    if bundle is not None:
        load_into(settings, bundle)
    engine = engine_for(settings)
    try:
        models, notes = champions(settings)
        end = day or last_event_date(read_bundle(engine))
        for back in range(weeks - 1, -1, -1):
            summary = run_score(
                engine,
                settings,
                actor(),
                as_of=end - dt.timedelta(days=7 * back),
                models=models,
                notes=notes,
            )
            _print_run(summary)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if top:
        print_flags(list_flags(engine, today=summary.as_of)[:top])


def _print_run(summary: RunSummary) -> None:
    for risk, note in summary.notes.items():
        typer.echo(f"{risk}: not scored: {note}", err=True)
    if summary.same_date_run is not None:
        typer.echo(
            f"run {summary.same_date_run} at {summary.as_of} finished while this one computed: "
            "it stands, and this one stored nothing"
        )
        return
    levels = ", ".join(
        f"{risk} {counts['high']} high / {counts['elevated']} elevated"
        for risk, counts in summary.levels.items()
    )
    typer.echo(
        f"run {summary.run_id} at {summary.as_of}: {summary.clients:,} clients with "
        f"{', '.join(summary.models.values())}; {levels}; flags opened {summary.opened}, "
        f"cleared {summary.cleared}; alerts queued {summary.alerts}"
    )
    if summary.later_run_on is not None:
        typer.echo(
            f"  dated before the latest run ({summary.later_run_on}): scores kept for history, "
            "flags and alerts left as they stand"
        )


def register(app: typer.Typer) -> None:
    app.command()(score)
