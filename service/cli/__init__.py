"""The ``risk`` command line.

Imports of the heavier layers happen inside each command, so ``risk --help``
answers at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from service.cli import (
    alerts,
    bundle,
    data,
    demo,
    flags,
    invoices,
    keys,
    score,
    serve,
    training,
    worker,
)

if TYPE_CHECKING:
    # typer carries its own copy of click: its Context is the one commands receive.
    from typer._click.core import Context as ClickContext

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
            from service.cli.common import fail

            raise fail(BUSY, EXIT_BUSY) from None


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


for commands in (bundle, training, invoices, data, score, flags, alerts, keys, serve, worker, demo):
    commands.register(app)
