"""The ``risk`` command line.

Imports of the heavier layers happen inside each command, so ``risk --help``
answers at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from risk.settings import Settings

if TYPE_CHECKING:
    # typer carries its own copy of click: its Context is the one commands receive.
    from typer._click.core import Context as ClickContext

    from features.bundle.load import Bundle

#: The exit status of a command that found the database busy: sysexits' EX_TEMPFAIL,
#: which cron wrappers and supervisors read as "try again later".
EXIT_BUSY = 75


class _Commands(TyperGroup):
    """The ``risk`` commands, with one answer for a database another writer holds."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            from risk.store.db import BUSY, is_busy

            if not is_busy(exc):
                raise
            typer.echo(f"error: {BUSY}", err=True)
            raise typer.Exit(EXIT_BUSY) from None


app = typer.Typer(
    cls=_Commands,
    name="risk",
    help="billing-risk: early warning for invoice disputes and churn at services firms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", help="Data directory (overrides RISK_HOME and .env).", show_default=False
    ),
]


@app.callback()
def main(ctx: typer.Context, home: HomeOption = None) -> None:
    """billing-risk: early warning for invoice disputes and churn at services firms."""
    overrides = {"home": home} if home is not None else {}
    ctx.obj = overrides


def settings_from(ctx: typer.Context) -> Settings:
    """Settings with the command-line options on top of environment, .env and defaults."""
    return Settings(**(ctx.obj or {}))


@app.command()
def simulate(
    out: Annotated[Path, typer.Argument(help="Folder to write the bundle into.")],
    clients: Annotated[int, typer.Option(min=1, help="Number of clients.")] = 300,
    months: Annotated[int, typer.Option(min=1, max=120, help="Months of history.")] = 18,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 0,
    start: Annotated[str, typer.Option(help="First day of the history (ISO date).")] = "2025-01-06",
    file_format: Annotated[
        str, typer.Option("--format", help="csv or parquet.", case_sensitive=False)
    ] = "csv",
) -> None:
    """Write a demo export bundle that behaves like a real firm's."""
    from features.simulation import simulate as run_simulation
    from features.simulation import write_bundle

    if file_format not in ("csv", "parquet"):
        raise typer.BadParameter("must be csv or parquet", param_hint="--format")
    try:
        day = _iso_date(start)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start") from exc
    began = time.perf_counter()
    typer.echo(f"simulating {clients} clients over {months} months (seed {seed})...", err=True)
    result = run_simulation(clients=clients, months=months, seed=seed, start=day)
    fmt: Literal["csv", "parquet"] = "parquet" if file_format == "parquet" else "csv"
    folder = write_bundle(result.bundle, out, fmt)
    rows = ", ".join(f"{name} {len(frame):,}" for name, frame in result.bundle.frames())
    typer.echo(f"wrote {folder} in {time.perf_counter() - began:.1f}s: {rows}", err=True)


@app.command()
def validate(
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
) -> None:
    """Check a bundle against the data contract; list every problem or summarise it."""
    from features.bundle.summary import summarize

    loaded = _load_or_exit(bundle)
    typer.echo(f"{bundle}: valid export bundle")
    for line in summarize(loaded).lines():
        typer.echo(f"  {line}")


@app.command()
def features(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    out: Annotated[Path, typer.Option(help="Where to write the features (.csv or .parquet).")],
    as_of: Annotated[
        list[str] | None,
        typer.Option("--as-of", help="As-of date (repeatable); default: the last event date."),
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First of a series of as-of dates.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last as-of date of the series (default: last event).")
    ] = None,
    every: Annotated[int, typer.Option(min=1, help="Days between as-of dates of the series.")] = 7,
    labels: Annotated[bool, typer.Option(help="Add the dispute_30d and churn_90d labels.")] = False,
) -> None:
    """Compute point-in-time features (and labels) for every active client."""
    import pandas as pd

    from features import build_features, build_labels
    from features.bundle.summary import event_dates

    if out.suffix not in (".csv", ".parquet"):
        raise typer.BadParameter("must end in .csv or .parquet", param_hint="--out")
    dates = []
    for value in as_of or []:
        try:
            dates.append(_iso_date(value))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--as-of") from exc
    loaded = _load_or_exit(bundle)
    _, last = event_dates(loaded)
    if start is not None:
        try:
            first, end = _iso_date(start), _iso_date(until) if until else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--from/--until") from exc
        stop = end or (f"{last:%Y-%m-%d}" if last is not None else first)
        dates += [f"{d:%Y-%m-%d}" for d in pd.date_range(first, stop, freq=f"{every}D")]
    if not dates:
        if last is None:
            raise typer.BadParameter("the bundle has no dated events", param_hint="--as-of")
        dates = [f"{last:%Y-%m-%d}"]
    began = time.perf_counter()
    frame = build_features(loaded, dates, cache_dir=settings_from(ctx).home / "cache")
    missing = [name for name, present in frame.attrs["sources"].items() if not present]
    if labels:
        frame = frame.join(build_labels(loaded, frame))
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".parquet":
        frame.to_parquet(out)
    else:
        frame.to_csv(out, date_format="%Y-%m-%d")
    typer.echo(
        f"wrote {out}: {len(frame):,} rows x {frame.shape[1]} columns in "
        f"{time.perf_counter() - began:.1f}s"
        + (
            f"; missing sources (their features are empty): {', '.join(missing)}" if missing else ""
        ),
        err=True,
    )


def _load_or_exit(bundle: Path) -> Bundle:
    """The loaded bundle, or its problems on stderr and exit status 1."""
    from features import BundleError, load_bundle

    try:
        return load_bundle(bundle)
    except BundleError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from None


@contextmanager
def _steps() -> Iterator[Callable[[str], None]]:
    """Report the steps of a long command: a live spinner with the elapsed time on
    a terminal, one line per step otherwise (CI logs, pipes)."""
    if not sys.stderr.isatty():
        yield lambda message: typer.echo(message, err=True)
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("starting...", total=None)

        def say(message: str) -> None:
            progress.console.print(message)
            progress.update(task, description=message)

        yield say


def _show(table: object) -> str:
    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    shown = table.drop(columns=["rows"]).copy()
    return shown.to_string(float_format=lambda v: f"{v:.3f}")


@app.command()
def train(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    until: Annotated[
        str | None, typer.Option(help="Last as-of date to learn from (default: last event).")
    ] = None,
) -> None:
    """Train, evaluate and register the dispute and churn models in MLflow."""
    from models.retrain import retrain

    if until is not None:
        try:
            until = _iso_date(until)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--until") from exc
    loaded = _load_or_exit(bundle)
    settings = settings_from(ctx)
    began = time.perf_counter()
    with _steps() as say:
        results = retrain(
            loaded,
            settings.mlflow_tracking_uri,
            until=until,
            cache_dir=settings.home / "cache",
            say=say,
        )
    for result in results:
        typer.echo(f"\n{result.target}: {result.decision}")
        if result.table is not None:
            typer.echo(_show(result.table))
        if result.slices is not None:
            pr_auc = result.slices["pr_auc"].unstack("scorer")
            typer.echo("PR-AUC by slice:\n" + pr_auc.to_string(float_format=lambda v: f"{v:.3f}"))
    typer.echo(
        f"\ntrained in {time.perf_counter() - began:.0f}s; tracking at "
        f"{settings.mlflow_tracking_uri}",
        err=True,
    )


@app.command()
def promote(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="billing-risk-dispute or billing-risk-churn.")],
    version: Annotated[str, typer.Argument(help="The registered version to make champion.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the version).")],
) -> None:
    """Make a registered model version the @champion by hand, recording who and why."""
    from models.registry import promote as move_alias

    try:
        by = move_alias(settings_from(ctx).mlflow_tracking_uri, name, version, reason)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{name} v{version} is @champion (by {by}: {reason})")


@app.command()
def backtest(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    train_until: Annotated[str, typer.Option(help="Learn only from labels known by this date.")],
    start: Annotated[str, typer.Option("--from", help="First scoring date.")],
    until: Annotated[str, typer.Option(help="Last scoring date (weekly from --from).")],
    out: Annotated[Path, typer.Option(help="CSV: client_id,as_of,dispute_risk,churn_risk.")],
) -> None:
    """Train as of a past date, score every client weekly after it, compare with baselines."""
    from models.backtest import backtest as run_backtest

    dates = {}
    for hint, value in (("--train-until", train_until), ("--from", start), ("--until", until)):
        try:
            dates[hint] = _iso_date(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from exc
    loaded = _load_or_exit(bundle)
    settings = settings_from(ctx)
    began = time.perf_counter()
    try:
        with _steps() as say:
            result = run_backtest(
                loaded,
                dates["--train-until"],
                dates["--from"],
                dates["--until"],
                tracking_uri=settings.mlflow_tracking_uri,
                cache_dir=settings.home / "cache",
                say=say,
            )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--from/--until") from exc
    out.parent.mkdir(parents=True, exist_ok=True)
    result.scores.to_csv(out, index=False)
    for note in result.notes:
        typer.echo(note, err=True)
    for target, table in result.tables.items():
        typer.echo(f"\n{target}")
        typer.echo(_show(table))
    typer.echo(
        f"\nwrote {out} ({len(result.scores):,} rows) in {time.perf_counter() - began:.0f}s",
        err=True,
    )


@app.command()
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


def _iso_date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _register_engine_commands() -> None:
    from service.cli_engine import register

    register(app)


_register_engine_commands()
