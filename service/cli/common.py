"""What the ``risk`` commands share: settings from the command line, the database,
the bundle, dates, and how a long command reports its steps."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from risk.settings import Settings
from risk.wording import Words, words

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from features.bundle.load import Bundle


def settings_from(ctx: typer.Context) -> Settings:
    """Settings with the command-line options (``--home``, kept on the root command) on
    top of the environment, ``.env`` and the defaults."""
    return Settings(**(ctx.find_root().obj or {}))


def said() -> Words:
    """The words the command line speaks: the language of the user's locale, read as
    gettext reads it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); English
    when that is not one of ours."""
    # Not Babel's default_locale: it also reads LC_CTYPE, which Python itself sets to
    # C.UTF-8 when the system lacks the user's locale (PEP 538), and a German user
    # would then read English.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(":")[0]
        if value:
            return words(value)
    return words("en")


def fail(detail: object, code: int = 1) -> typer.Exit:
    """Say ``error: <detail>`` on stderr; the exit to raise, with status ``code``."""
    _ = said()
    typer.echo(_("error: {detail}", detail=detail), err=True)
    return typer.Exit(code)


def actor() -> str:
    """Who a command-line action is recorded as."""
    return f"cli:{getpass.getuser()}"


def engine_for(settings: Settings, migrate_empty: bool = True) -> Engine:
    """The app database; an empty one gets its tables (the embedded default needs no
    setup step), one with an older schema is refused with what to run."""
    from risk.store.db import (
        DatabaseNotReadyError,
        current_revision,
        make_engine,
        require_current,
        upgrade,
    )

    engine = make_engine(settings.database_url, lock_timeout=settings.lock_timeout_seconds)
    if migrate_empty and current_revision(engine) is None:
        upgrade(engine)
    try:
        require_current(engine)
    except DatabaseNotReadyError as exc:
        raise fail(exc) from None
    return engine


def load_or_exit(bundle: Path) -> Bundle:
    """The loaded bundle, or its problems on stderr and exit status 1."""
    from features import BundleError, load_bundle

    try:
        return load_bundle(bundle)
    except BundleError as exc:
        typer.echo(exc.report(), err=True)
        raise typer.Exit(1) from None


def iso_date(text: str) -> str:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


@contextmanager
def steps() -> Iterator[Callable[[str], None]]:
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


_T = TypeVar("_T")


def run_backtest(
    ctx: typer.Context,
    bundle: Path,
    dates: tuple[str, str, str],
    run: Callable[..., _T],
) -> _T:
    """``run`` (a backtest) on ``bundle`` with the ``--train-until``, ``--from`` and
    ``--until`` ``dates``, the settings' tracking and cache and a progress line: a bad
    date or period is a usage error naming the option."""
    checked: list[str] = []
    for hint, value in zip(("--train-until", "--from", "--until"), dates, strict=True):
        try:
            checked.append(iso_date(value))
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from exc
    loaded = load_or_exit(bundle)
    settings = settings_from(ctx)
    options: dict[str, Any] = {
        "tracking_uri": settings.mlflow_tracking_uri,
        "cache_dir": settings.home / "cache",
    }
    try:
        with steps() as say:
            return run(loaded, *checked, say=say, **options)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--from/--until") from exc


def show_table(table: object) -> str:
    import pandas as pd

    assert isinstance(table, pd.DataFrame)
    # A client table's rows count is not a metric; an invoice table's counts are
    # whole numbers.
    shown = table.drop(columns=["rows"], errors="ignore")
    shown = shown.astype({c: int for c in ("invoices", "disputed") if c in shown.columns})
    return shown.to_string(float_format=lambda v: f"{v:.3f}")
