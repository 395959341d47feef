"""Scoring: ``risk score``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import actor, engine_for, fail, said, settings_from
from service.cli.data import load_into
from service.cli.flags import print_flags

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from risk.invoice_check import InvoiceModel
    from risk.scoring.run import Model, RunSummary
    from risk.settings import Settings


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
    from risk.invoice_check import invoice_champion
    from risk.scoring.flags import list_flags
    from risk.scoring.run import champions, last_event_date
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
        invoice_model = invoice_champion(settings)
        end = day or last_event_date(read_bundle(engine))
        for back in range(weeks - 1, -1, -1):
            summary = _run_as_job(
                engine, settings, end - dt.timedelta(days=7 * back), models, notes, invoice_model
            )
            _print_run(summary)
    except ValueError as exc:
        raise fail(exc) from None
    if top:
        print_flags(list_flags(engine, today=summary.as_of)[:top])


#: How often a waiting ``risk score`` asks again whether the running job is done.
WAIT_SECONDS = 2.0


def _run_as_job(
    engine: Engine,
    settings: Settings,
    as_of: dt.date,
    models: dict[str, Model],
    notes: dict[str, str],
    invoice_model: InvoiceModel | None = None,
) -> RunSummary:
    """Score as a job this process claims itself: one history with the worker's runs,
    and never at once with another job (it waits, saying so, while one runs)."""
    import os
    import socket
    import time

    from risk.scoring import jobs

    owner = f"{socket.gethostname()}:{os.getpid()}:cli"
    said_waiting = False
    while (
        job := jobs.start(engine, "cli", actor(), owner, settings.job_lease_seconds, as_of)
    ) is None:
        if not said_waiting:
            _ = said()
            running = next((j for j in jobs.recent(engine, 20) if j["status"] == "running"), None)
            typer.echo(
                _(
                    "waiting: score job {job_id} is running",
                    job_id=running["job_id"] if running else "?",
                ),
                err=True,
            )
            said_waiting = True
        time.sleep(WAIT_SECONDS)
    with jobs.leased(engine, int(job.job_id), owner, settings.job_lease_seconds):
        return jobs.run(
            engine, settings, job, owner, models=models, notes=notes, invoice_model=invoice_model
        )


def _print_run(summary: RunSummary) -> None:
    _ = said()
    for risk, note in summary.notes.items():
        typer.echo(_("{risk}: not scored: {note}", risk=risk, note=note), err=True)
    if summary.same_date_run is not None:
        typer.echo(
            _(
                "run {run_id} at {as_of} finished while this one computed: "
                "it stands, and this one stored nothing",
                run_id=summary.same_date_run,
                as_of=_.day(summary.as_of),
            )
        )
        return
    levels = ", ".join(
        _(
            "{risk} {high} high / {elevated} elevated",
            risk=risk,
            high=_.number(counts["high"]),
            elevated=_.number(counts["elevated"]),
        )
        for risk, counts in summary.levels.items()
    )
    typer.echo(
        _.ngettext(
            "run {run_id} at {as_of}: {n} client with {models}; {levels}; "
            "flags opened {opened}, cleared {cleared}; alerts queued {alerts}",
            "run {run_id} at {as_of}: {n} clients with {models}; {levels}; "
            "flags opened {opened}, cleared {cleared}; alerts queued {alerts}",
            summary.clients,
            run_id=summary.run_id,
            as_of=_.day(summary.as_of),
            models=", ".join(summary.models.values()),
            levels=levels,
            opened=_.number(summary.opened),
            cleared=_.number(summary.cleared),
            alerts=_.number(summary.alerts),
        )
    )
    if summary.invoices:
        typer.echo(
            "  "
            + _.ngettext(
                "{n} invoice given its score at issue",
                "{n} invoices given their score at issue",
                summary.invoices,
            )
        )
    if summary.later_run_on is not None:
        typer.echo(
            "  "
            + _(
                "dated before the latest run ({day}): scores kept for history, "
                "flags and alerts left as they stand",
                day=_.day(summary.later_run_on),
            )
        )


def register(app: typer.Typer) -> None:
    app.command()(score)
