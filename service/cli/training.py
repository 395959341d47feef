"""The models: ``risk train``, ``promote``, ``backtest``, ``thresholds suggest``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from service.cli.common import (
    fail,
    iso_date,
    load_or_exit,
    run_backtest,
    said,
    settings_from,
    show_table,
    steps,
)

thresholds_app = typer.Typer(help="Probability thresholds of the levels.", no_args_is_help=True)


def train(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    until: Annotated[
        str | None, typer.Option(help="Last as-of date to learn from (default: last event).")
    ] = None,
) -> None:
    """Train, evaluate and register the dispute, churn and invoice models in MLflow."""
    from models.retrain import retrain

    if until is not None:
        try:
            until = iso_date(until)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--until") from exc
    loaded = load_or_exit(bundle)
    settings = settings_from(ctx)
    began = time.perf_counter()
    with steps() as say:
        results = retrain(
            loaded,
            settings.mlflow_tracking_uri,
            until=until,
            cache_dir=settings.home / "cache",
            say=say,
        )
    _ = said()
    for result in results:
        # The decision is the champion gate's record, as MLflow keeps it: in English.
        typer.echo(f"\n{result.target}: {result.decision}")
        if result.table is not None:
            typer.echo(show_table(result.table))
        if result.slices is not None:
            pr_auc = result.slices["pr_auc"].unstack("scorer")
            typer.echo(
                _("PR-AUC by slice:") + "\n" + pr_auc.to_string(float_format="{:.3f}".format)
            )
    typer.echo(
        "\n"
        + _(
            "trained in {seconds}s; tracking at {uri}",
            seconds=_.number(time.perf_counter() - began),
            uri=settings.mlflow_tracking_uri,
        ),
        err=True,
    )


def promote(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(help="billing-risk-dispute, billing-risk-churn or billing-risk-invoice."),
    ],
    version: Annotated[str, typer.Argument(help="The registered version to make champion.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the version).")],
) -> None:
    """Make a registered model version the @champion by hand, recording who and why."""
    from models.registry import promote as move_alias

    try:
        by = move_alias(settings_from(ctx).mlflow_tracking_uri, name, version, reason)
    except ValueError as exc:
        raise fail(exc) from None
    _ = said()
    typer.echo(
        _(
            "{name} v{version} is @champion (by {by}: {reason})",
            name=name,
            version=version,
            by=by,
            reason=reason,
        )
    )


def backtest(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
    train_until: Annotated[str, typer.Option(help="Learn only from labels known by this date.")],
    start: Annotated[str, typer.Option("--from", help="First scoring date.")],
    until: Annotated[str, typer.Option(help="Last scoring date (weekly from --from).")],
    out: Annotated[Path, typer.Option(help="CSV: client_id,as_of,dispute_risk,churn_risk.")],
) -> None:
    """Train as of a past date, score every client weekly after it, compare with baselines."""
    from models.backtest import backtest as client_backtest

    began = time.perf_counter()
    result = run_backtest(ctx, bundle, (train_until, start, until), client_backtest)
    out.parent.mkdir(parents=True, exist_ok=True)
    result.scores.to_csv(out, index=False)
    for note in result.notes:
        typer.echo(note, err=True)
    for target, table in result.tables.items():
        typer.echo(f"\n{target}")
        typer.echo(show_table(table))
    _ = said()
    typer.echo(
        "\n"
        + _.ngettext(
            "wrote {out} ({n} row) in {seconds}s",
            "wrote {out} ({n} rows) in {seconds}s",
            len(result.scores),
            out=out,
            seconds=_.number(time.perf_counter() - began),
        ),
        err=True,
    )


@thresholds_app.command("suggest")
def thresholds_suggest(
    scores: Annotated[
        Path, typer.Argument(help="A `risk backtest --out` or `risk invoices backtest --out` CSV.")
    ],
    bundle: Annotated[Path, typer.Argument(help="The bundle the backtest ran on (outcomes).")],
) -> None:
    """Propose level thresholds from a backtest: high where the weekly top-10% precision
    holds, elevated where half of it does (and at least twice the base rate). An invoice
    backtest proposes a checked invoice's levels the same way."""
    from risk.scoring.thresholds import (
        is_invoice_backtest,
        read_backtest,
        suggest,
        suggest_invoice,
    )

    try:
        invoices = is_invoice_backtest(str(scores))
        if invoices:
            one = suggest_invoice(str(scores), load_or_exit(bundle))
            found = {} if one is None else {"invoice": one}
        else:
            found = suggest(read_backtest(str(scores)), load_or_exit(bundle))
    except (OSError, ValueError) as exc:
        raise fail(exc) from None
    _ = said()
    if not found:
        raise fail(_("the backtest's weeks hold no known outcome to set thresholds by"))
    # Comments for a reader, then lines for a .env file: those stay as they are, in
    # any language, with a decimal point.
    for risk, s in found.items():
        head = (
            _("{risk}: top-10% precision over the invoices {precision}, base rate {base_rate}")
            if invoices
            else _("{risk}: weekly top-10% precision {precision}, base rate {base_rate}")
        )
        typer.echo(
            "# "
            + head.format(
                risk=risk,
                precision=_.number(s.top_precision, 2),
                base_rate=_.number(s.base_rate, 3),
            )
        )
        for level, threshold, share, precision, recall in (
            ("high", s.high, s.high_share, s.high_precision, s.high_recall),
            ("elevated", s.elevated, s.elevated_share, s.elevated_precision, s.elevated_recall),
        ):
            line = (
                _("{share} of invoices, precision {precision}, recall {recall}")
                if invoices
                else _("{share} of client-weeks, precision {precision}, recall {recall}")
            )
            typer.echo(
                f"#   {level} >= {threshold:.3f}: "
                + line.format(
                    share=_.percent(share * 100, 1),
                    precision=_.number(precision, 2),
                    recall=_.number(recall, 2),
                )
            )
        typer.echo(
            f"RISK_{risk.upper()}_HIGH={s.high:.3f}\nRISK_{risk.upper()}_ELEVATED={s.elevated:.3f}"
        )


def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command()(promote)
    app.command()(backtest)
    app.add_typer(thresholds_app, name="thresholds")
