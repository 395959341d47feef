"""The bundle and its features: ``risk simulate``, ``validate``, ``features``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Literal

import typer

from service.cli.common import iso_date, load_or_exit, said, settings_from


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
        day = iso_date(start)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--start") from exc
    began = time.perf_counter()
    _ = said()
    typer.echo(
        _.ngettext(
            "simulating {n} client over {months} months (seed {seed})...",
            "simulating {n} clients over {months} months (seed {seed})...",
            clients,
            months=_.number(months),
            seed=seed,
        ),
        err=True,
    )
    result = run_simulation(clients=clients, months=months, seed=seed, start=day)
    fmt: Literal["csv", "parquet"] = "parquet" if file_format == "parquet" else "csv"
    folder = write_bundle(result.bundle, out, fmt)
    rows = ", ".join(f"{name} {_.number(len(frame))}" for name, frame in result.bundle.frames())
    seconds = _.number(time.perf_counter() - began, 1)
    typer.echo(
        _("wrote {folder} in {seconds}s: {rows}", folder=folder, seconds=seconds, rows=rows),
        err=True,
    )


def validate(
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
) -> None:
    """Check a bundle against the data contract; list every problem or summarise it."""
    from features.bundle.summary import summarize

    loaded = load_or_exit(bundle)
    _ = said()
    typer.echo(_("{bundle}: valid export bundle", bundle=bundle))
    # The summary is the contract's own report (file names, columns, counts), in
    # English like the validation errors: it is written below the wording layer.
    for line in summarize(loaded).lines():
        typer.echo(f"  {line}")


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
            dates.append(iso_date(value))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--as-of") from exc
    loaded = load_or_exit(bundle)
    _first, last = event_dates(loaded)
    if start is not None:
        try:
            first, end = iso_date(start), iso_date(until) if until else None
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
    _ = said()
    wrote = _(
        "wrote {out}: {rows} rows x {columns} columns in {seconds}s",
        out=out,
        rows=_.number(len(frame)),
        columns=_.number(frame.shape[1]),
        seconds=_.number(time.perf_counter() - began, 1),
    )
    if missing:
        wrote += _(
            "; missing sources (their features are empty): {names}", names=", ".join(missing)
        )
    typer.echo(wrote, err=True)


def register(app: typer.Typer) -> None:
    app.command()(simulate)
    app.command()(validate)
    app.command()(features)
