"""Flagged clients: ``risk flags`` (list), ``flags ack``, ``snooze``, ``feedback``."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from service.cli.common import actor, engine_for, fail, said, settings_from

if TYPE_CHECKING:
    from risk.scoring.flags import Flag

flags_app = typer.Typer(help="Flagged clients: list them, or act on one.")


@flags_app.callback(invoke_without_command=True)
def flags_list(
    ctx: typer.Context,
    pm: Annotated[str | None, typer.Option(help="Only this PM's clients (email).")] = None,
    risk: Annotated[str | None, typer.Option(help="dispute or churn.")] = None,
    level: Annotated[str | None, typer.Option(help="high or elevated.")] = None,
    output: Annotated[
        Literal["table", "json"], typer.Option("--format", help="table or json.")
    ] = "table",
    snoozed: Annotated[bool, typer.Option(help="Include snoozed flags.")] = False,
) -> None:
    """List the open flags, highest risk first."""
    if ctx.invoked_subcommand is not None:
        return
    from features.risks import NAMES
    from risk.scoring.flags import list_flags

    for hint, value, allowed in (
        ("--risk", risk, NAMES),
        ("--level", level, ("high", "elevated")),
    ):
        if value is not None and value not in allowed:
            raise typer.BadParameter(
                f"{value!r} is not one of {', '.join(allowed)}", param_hint=hint
            )
    found = list_flags(
        engine_for(settings_from(ctx)), pm, risk=risk, level=level, include_snoozed=snoozed
    )
    if output == "json":
        typer.echo(json.dumps([flag.as_dict() for flag in found], indent=2, ensure_ascii=False))
    else:
        print_flags(found)


def print_flags(found: list[Flag]) -> None:
    """One flag a line (level, risk and trend as the options name them), then its
    reasons and next step in the client's language, as they were stored."""
    _ = said()
    if not found:
        typer.echo(_("no open flags"))
        return
    for flag in found:
        typer.echo(
            f"{flag.flag_id}  {flag.level:<8} {flag.risk:<7} {_.share(flag.probability):>5} "
            f"{flag.trend:<8} {flag.client_id}  {flag.client_name or ''}"
        )
        for reason in flag.reasons:
            typer.echo(f"      - {reason['text']}")
        typer.echo("      " + _("next: {step}", step=flag.next_step))


def _act(ctx: typer.Context, action: str, flag_id: str, **values: object) -> None:
    from risk.scoring import flags as flag_actions

    engine = engine_for(settings_from(ctx))
    try:
        if action == "ack":
            flag = flag_actions.acknowledge(engine, flag_id, actor())
        elif action == "snooze":
            flag = flag_actions.snooze(engine, flag_id, actor=actor(), **values)  # type: ignore[arg-type]
        else:
            flag = flag_actions.give_feedback(engine, flag_id, actor=actor(), **values)  # type: ignore[arg-type]
    except (flag_actions.FlagNotFoundError, flag_actions.FlagClearedError) as exc:
        raise fail(exc) from None
    except ValueError as exc:
        raise fail(exc, 2) from None
    _ = said()
    typer.echo(
        _(
            "{flag_id}: {action} recorded for {client_id} ({risk}) by {actor}",
            flag_id=flag.flag_id,
            action=action,
            client_id=flag.client_id,
            risk=flag.risk,
            actor=actor(),
        )
    )


@flags_app.command("ack")
def flags_ack(ctx: typer.Context, flag_id: Annotated[str, typer.Argument()]) -> None:
    """Acknowledge a flag: no alert again until its level changes."""
    _act(ctx, "ack", flag_id)


@flags_app.command("snooze")
def flags_snooze(
    ctx: typer.Context,
    flag_id: Annotated[str, typer.Argument()],
    until: Annotated[str, typer.Option(help="Hide it until this date (ISO).")],
    reason: Annotated[str, typer.Option(help="Why (kept with the flag).")],
) -> None:
    """Snooze a flag until a date, with a reason."""
    try:
        day = dt.date.fromisoformat(until)
    except ValueError:
        raise typer.BadParameter(f"{until!r} is not an ISO date", param_hint="--until") from None
    _act(ctx, "snooze", flag_id, until=day, reason=reason)


@flags_app.command("feedback")
def flags_feedback(
    ctx: typer.Context,
    flag_id: Annotated[str, typer.Argument()],
    verdict: Annotated[str, typer.Argument(help="valid, false_alarm or premature.")],
    note: Annotated[str | None, typer.Option(help="Free text kept with the feedback.")] = None,
) -> None:
    """Say whether a flag was right: kept as a label for retraining."""
    _act(ctx, "feedback", flag_id, verdict=verdict, note=note)


def register(app: typer.Typer) -> None:
    app.add_typer(flags_app, name="flags")
