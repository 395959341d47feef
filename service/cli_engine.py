"""The risk engine's commands: ``risk db``, ``load``, ``score``, ``flags``, ``alerts``,
``thresholds``. Registered on the ``risk`` app by ``service.cli``."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from risk.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from risk.scoring.flags import Flag
    from risk.scoring.run import RunSummary

db_app = typer.Typer(help="The app database: migrations.", no_args_is_help=True)
flags_app = typer.Typer(help="Flagged clients: list them, or act on one.")
alerts_app = typer.Typer(help="Alerts to account leads: deliver the outbox, count it.")
keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
thresholds_app = typer.Typer(help="Probability thresholds of the levels.", no_args_is_help=True)


def actor() -> str:
    """Who a command-line action is recorded as."""
    return f"cli:{getpass.getuser()}"


def _settings(ctx: typer.Context) -> Settings:
    root = ctx.find_root()
    return Settings(**(root.obj or {}))


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
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    return engine


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations (SQLite by default, RISK_DATABASE_URL otherwise)."""
    from risk.store.db import current_revision, make_engine, upgrade

    settings = _settings(ctx)
    engine = make_engine(settings.database_url, lock_timeout=settings.lock_timeout_seconds)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = engine.url.render_as_string(hide_password=True)
    typer.echo(f"{url}: {before or 'empty'} -> {after}")


def load(
    ctx: typer.Context,
    bundle: Annotated[Path, typer.Argument(help="Folder holding the export bundle.")],
) -> None:
    """Import a bundle into the database: new rows added, changed rows updated, all or nothing."""
    from service.cli import _load_or_exit

    _load_into(_settings(ctx), bundle, _load_or_exit)


def _load_into(settings: Settings, bundle: Path, reader: object) -> None:
    from risk.store.load import load as load_bundle_into

    loaded = reader(bundle)  # type: ignore[operator]
    engine = engine_for(settings)
    report = load_bundle_into(engine, loaded, actor(), source=str(bundle.resolve()))
    typer.echo(f"load {report.load_id}: {bundle}")
    for name in report.added:
        typer.echo(
            f"  {name:<13} {report.added[name]:>9,} added {report.changed[name]:>9,} changed "
            f"{report.unchanged[name]:>9,} unchanged"
        )


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
    from risk.scoring.flags import list_flags
    from risk.scoring.run import champions, last_event_date
    from risk.scoring.run import score as run_score
    from risk.store.load import read_bundle
    from service.cli import _load_or_exit

    settings = _settings(ctx)
    day = None
    if as_of is not None:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            raise typer.BadParameter(
                f"{as_of!r} is not an ISO date", param_hint="--as-of"
            ) from None
    if bundle is not None:
        _load_into(settings, bundle, _load_or_exit)
    engine = engine_for(settings)
    try:
        models, notes = champions(settings)
        end = day or last_event_date(read_bundle(engine))
        for back in range(weeks - 1, -1, -1):
            summary = run_score(
                engine,
                settings,
                actor(),
                as_of=end - dt.timedelta(days=7 * back),
                models=models,
                notes=notes,
            )
            _print_run(summary)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if top:
        _print_flags(list_flags(engine, today=summary.as_of)[:top])


def _print_run(summary: RunSummary) -> None:
    for risk, note in summary.notes.items():
        typer.echo(f"{risk}: not scored: {note}", err=True)
    if summary.same_date_run is not None:
        typer.echo(
            f"run {summary.same_date_run} at {summary.as_of} finished while this one computed: "
            "it stands, and this one stored nothing"
        )
        return
    levels = ", ".join(
        f"{risk} {counts['high']} high / {counts['elevated']} elevated"
        for risk, counts in summary.levels.items()
    )
    typer.echo(
        f"run {summary.run_id} at {summary.as_of}: {summary.clients:,} clients with "
        f"{', '.join(summary.models.values())}; {levels}; flags opened {summary.opened}, "
        f"cleared {summary.cleared}; alerts queued {summary.alerts}"
    )
    if summary.later_run_on is not None:
        typer.echo(
            f"  dated before the latest run ({summary.later_run_on}): scores kept for history, "
            "flags and alerts left as they stand"
        )


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
        engine_for(_settings(ctx)), pm, risk=risk, level=level, include_snoozed=snoozed
    )
    if output == "json":
        typer.echo(json.dumps([flag.as_dict() for flag in found], indent=2, ensure_ascii=False))
    else:
        _print_flags(found)


def _print_flags(found: list[Flag]) -> None:
    if not found:
        typer.echo("no open flags")
        return
    for flag in found:
        typer.echo(
            f"{flag.flag_id}  {flag.level:<8} {flag.risk:<7} {flag.probability:5.0%} "
            f"{flag.trend:<8} {flag.client_id}  {flag.client_name or ''}"
        )
        for reason in flag.reasons:
            typer.echo(f"      - {reason['text']}")
        typer.echo(f"      next: {flag.next_step}")


def _act(ctx: typer.Context, action: str, flag_id: str, **values: object) -> None:
    from risk.scoring import flags as flag_actions

    engine = engine_for(_settings(ctx))
    try:
        if action == "ack":
            flag = flag_actions.acknowledge(engine, flag_id, actor())
        elif action == "snooze":
            flag = flag_actions.snooze(engine, flag_id, actor=actor(), **values)  # type: ignore[arg-type]
        else:
            flag = flag_actions.give_feedback(engine, flag_id, actor=actor(), **values)  # type: ignore[arg-type]
    except (flag_actions.FlagNotFoundError, flag_actions.FlagClearedError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{flag.flag_id}: {action} recorded for {flag.client_id} ({flag.risk}) by {actor()}")


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


@alerts_app.command("status")
def alerts_status(ctx: typer.Context) -> None:
    """Alerts per state: pending, sent, failed."""
    from risk.alerts.outbox import status

    with engine_for(_settings(ctx)).connect() as connection:
        for state, count in status(connection).items():
            typer.echo(f"{state}: {count}")


@alerts_app.command("deliver")
def alerts_deliver(ctx: typer.Context) -> None:
    """Deliver the pending alerts once (email, webhook, or the log file), with retries later."""
    from risk.alerts.outbox import deliver

    settings = _settings(ctx)
    report = deliver(engine_for(settings), settings)
    typer.echo(f"sent {report.sent}, retry later {report.retried}, failed {report.failed}")


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="pm, lead, analyst or admin.")],
    email: Annotated[str, typer.Option(help="Whose key: the PM's or lead's email.")],
) -> None:
    """Create a key and print it, alone on stdout, once: it is stored only hashed."""
    from risk.store.keys import create_key

    try:
        key_id, secret = create_key(engine_for(_settings(ctx)), role, email, actor())
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created key {key_id} ({role}, {email.strip().lower()}); keep it now:", err=True)
    typer.echo(secret)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """Every key: id, role, email, created, revoked (never the key itself)."""
    from risk.store.keys import list_keys

    for key in list_keys(engine_for(_settings(ctx))):
        revoked = key["revoked_at"]
        state = f"revoked {revoked:%Y-%m-%d}" if isinstance(revoked, dt.datetime) else "active"
        created = key["created_at"]
        stamp = f"{created:%Y-%m-%d}" if isinstance(created, dt.datetime) else ""
        typer.echo(f"{key['key_id']}  {key['role']:<8} {key['email']:<32} {stamp}  {state}")


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke a key: requests with it get 401 from then on, and its web sessions end."""
    from risk.store.keys import revoke_key

    if not revoke_key(engine_for(_settings(ctx)), key_id):
        typer.echo(f"error: no active key {key_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {key_id}")


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
) -> None:
    """Serve the API and the PMs' web page."""
    import uvicorn

    from service.app import create_app
    from service.logs import configure

    settings = _settings(ctx)
    engine_for(settings)  # migrate an empty database, refuse one behind the code
    configure(whole_process=True)
    # log_config=None: uvicorn keeps the JSON handlers instead of installing its own.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", log_config=None)


def demo_feedback(
    ctx: typer.Context,
    share: Annotated[float, typer.Option(min=0, max=1, help="Share of eligible flags.")] = 0.6,
    seed: Annotated[int, typer.Option(help="Which flags get feedback.")] = 0,
) -> None:
    """Demo only: record hindsight feedback on past flags of a simulated firm."""
    from risk.demo_feedback import ACTOR, record_demo_feedback

    count = record_demo_feedback(engine_for(_settings(ctx)), share=share, seed=seed)
    typer.echo(f"recorded {count} feedback events as {ACTOR}")


def register(app: typer.Typer) -> None:
    app.command("demo-feedback", hidden=True)(demo_feedback)
    app.command()(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(db_app, name="db")
    app.command()(load)
    app.command()(score)
    app.add_typer(flags_app, name="flags")
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(thresholds_app, name="thresholds")


@thresholds_app.command("suggest")
def thresholds_suggest(
    scores: Annotated[Path, typer.Argument(help="A `risk backtest --out` CSV.")],
    bundle: Annotated[Path, typer.Argument(help="The bundle the backtest ran on (outcomes).")],
) -> None:
    """Propose level thresholds from a backtest: high where the weekly top-10% precision
    holds, elevated where half of it does (and at least twice the base rate)."""
    from risk.scoring.thresholds import read_backtest, suggest
    from service.cli import _load_or_exit

    try:
        backtest = read_backtest(str(scores))
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    found = suggest(backtest, _load_or_exit(bundle))
    if not found:
        typer.echo(
            "error: the backtest's weeks hold no known outcome to set thresholds by", err=True
        )
        raise typer.Exit(1)
    for risk, s in found.items():
        typer.echo(
            f"# {risk}: weekly top-10% precision {s.top_precision:.2f}, "
            f"base rate {s.base_rate:.3f}\n"
            f"#   high >= {s.high:.3f}: {s.high_share:.1%} of client-weeks, precision "
            f"{s.high_precision:.2f}, recall {s.high_recall:.2f}\n"
            f"#   elevated >= {s.elevated:.3f}: {s.elevated_share:.1%} of client-weeks, precision "
            f"{s.elevated_precision:.2f}, recall {s.elevated_recall:.2f}\n"
            f"RISK_{risk.upper()}_HIGH={s.high:.3f}\nRISK_{risk.upper()}_ELEVATED={s.elevated:.3f}"
        )
