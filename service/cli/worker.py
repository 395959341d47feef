"""The worker and its jobs: ``risk worker`` and ``risk jobs``."""

from __future__ import annotations

import json
import logging
import signal
from types import FrameType

import typer

from service.cli.common import engine_for, fail, said, settings_from


def worker(ctx: typer.Context) -> None:
    """Run until stopped: score on schedule and after new data, run queued score jobs,
    deliver alerts and send the daily digests (SIGTERM or Ctrl-C stops it)."""
    from risk.worker.loop import Plan, Worker
    from risk.worker.schedule import ScheduleError

    settings = settings_from(ctx)
    try:
        plan = Plan.of(settings)
    except ScheduleError as exc:
        raise fail(exc) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # The migrations' own chatter on every connection check is not the worker's news.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    running = Worker(engine_for(settings), settings, plan)

    def stop(signum: int, _: FrameType | None) -> None:
        logging.getLogger("billing_risk.worker").info("%s: stopping", signal.Signals(signum).name)
        running.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    running.run()


def jobs(
    ctx: typer.Context,
    limit: int = typer.Option(20, min=1, help="Jobs to show, newest first."),
    output: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """The latest score jobs: queued, running, done or failed, and by whom."""
    from risk.scoring.jobs import recent

    found = recent(engine_for(settings_from(ctx)), limit)
    if output == "json":
        typer.echo(json.dumps(found, default=lambda value: value.isoformat(), indent=1))
        return
    _ = said()
    if not found:
        typer.echo(_("No score jobs yet."))
        return
    for job in found:
        # Kinds and states are the API's words, kept as they are.
        when = job["queued_at"].strftime("%Y-%m-%d %H:%M:%S")
        run = _("run {run_id}", run_id=job["run_id"]) if job["run_id"] else ""
        typer.echo(
            f"{job['job_id']:>6}  {job['status']:<8} {job['kind']:<9} {when}  "
            f"{job['requested_by']}  {run}  {job['error'] or ''}".rstrip()
        )


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(jobs)
