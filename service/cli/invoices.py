"""One invoice at a time: ``risk invoices backtest`` (and, next, ``risk invoices check``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import run_backtest, said, show_table

invoices_app = typer.Typer(
    help="The invoice-level dispute model: backtest it.", no_args_is_help=True
)


@invoices_app.command("backtest")
def backtest(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    train_until: Annotated[
        str, typer.Option(help="Learn only from invoices whose 60 days ended by this date.")
    ],
    start: Annotated[str, typer.Option("--from", help="First issue date to score.")],
    until: Annotated[str, typer.Option(help="Score invoices issued before this date.")],
    out: Annotated[Path, typer.Option(help="CSV: invoice_id,issued_at,dispute_risk.")],
) -> None:
    """Train the invoice model as of a past date, score every invoice issued after it as
    of the day before its issue, and compare with the client score and the scorecard."""
    from models.invoice_model import invoice_backtest

    began = time.perf_counter()
    result = run_backtest(ctx, bundle, (train_until, start, until), invoice_backtest)
    out.parent.mkdir(parents=True, exist_ok=True)
    result.scores.to_csv(out, index=False)
    for note in result.notes:
        typer.echo(note, err=True)
    if result.table is not None:
        typer.echo(show_table(result.table))
    _ = said()
    typer.echo(
        "\n"
        + _.ngettext(
            "wrote {out} ({n} invoice) in {seconds}s",
            "wrote {out} ({n} invoices) in {seconds}s",
            len(result.scores),
            out=out,
            seconds=_.number(time.perf_counter() - began),
        ),
        err=True,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(invoices_app, name="invoices")
