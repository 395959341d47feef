"""One invoice at a time: ``risk invoices check`` (drafts before they are sent) and
``risk invoices backtest``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer

from service.cli.common import (
    actor,
    engine_for,
    fail,
    run_backtest,
    said,
    settings_from,
    show_table,
)

invoices_app = typer.Typer(
    help="The invoice-level dispute model: check drafts, backtest it.", no_args_is_help=True
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


@invoices_app.command("check")
def check(
    ctx: typer.Context,
    drafts: Annotated[
        Path,
        typer.Argument(
            help="CSV of drafts: client_id,amount[,project_id,issued_at,due_at,line_items,"
            "period_start,period_end]."
        ),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Also write each check as a CSV row here.")
    ] = None,
) -> None:
    """Check draft invoices before they are sent: the chance of a dispute within 60
    days, the facts behind it and what to do first. Each check is stored; no flag
    changes."""
    import csv

    from risk.invoice_check import DraftError, check_invoice, invoice_champion, read_drafts
    from risk.store.keys import Principal

    settings = settings_from(ctx)
    try:
        found = read_drafts(drafts)
    except (OSError, ValueError) as exc:
        raise fail(exc) from None
    model = invoice_champion(settings)
    _ = said()
    if model is None:
        raise fail(_("no invoice model yet: run `risk train` first"))
    engine = engine_for(settings)
    everyone = Principal(key_id="cli", role="admin", email=actor())
    rows = []
    for number, draft in enumerate(found, start=2):
        try:
            result = check_invoice(engine, everyone, draft, model, settings, actor())
        except DraftError as exc:
            raise fail(f"{drafts}: row {number}, column {exc.field}: {exc.message}") from None
        if result is None:
            raise fail(f"{drafts}: row {number}, column client_id: no client {draft.client_id!r}")
        rows.append(result)
        level = result["level"] or "-"
        typer.echo(
            f"{number:>4}  {draft.client_id}  {_.money(draft.amount):>10}  "
            f"{_.share(result['probability']):>5}  {level}"
        )
        for reason in result["reasons"]:
            sign = "+" if reason["direction"] == "raises" else "-"
            typer.echo(f"      {sign} {reason['text']}")
        for step in result["actions"]:
            typer.echo("      " + _("before sending: {step}", step=step))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(CHECK_COLUMNS)
            for result in rows:
                writer.writerow(_check_row(result))
        typer.echo(_("wrote {out}", out=out), err=True)


#: The columns ``risk invoices check --out`` writes.
CHECK_COLUMNS = (
    "check_id",
    "client_id",
    "project_id",
    "amount",
    "issued_at",
    "dispute_risk",
    "level",
    "reasons",
    "actions",
)


def _check_row(result: dict[str, Any]) -> list[object]:
    draft = result["draft"]
    raising = [r["text"] for r in result["reasons"] if r["direction"] == "raises"]
    return [
        result["check_id"],
        result["client_id"],
        draft["project_id"] or "",
        draft["amount"],
        draft["issued_at"],
        f"{result['probability']:.4f}",
        result["level"] or "",
        " | ".join(raising),
        " | ".join(result["actions"]),
    ]


def register(app: typer.Typer) -> None:
    app.add_typer(invoices_app, name="invoices")
