"""API keys: ``risk keys create``, ``list``, ``revoke``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from service.cli.common import actor, engine_for, fail, said, settings_from

keys_app = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option(help="pm, lead, analyst or admin.")],
    email: Annotated[str, typer.Option(help="Whose key: the PM's or lead's email.")],
) -> None:
    """Create a key and print it, alone on stdout, once: it is stored only hashed."""
    from risk.store.keys import create_key

    try:
        key_id, secret = create_key(engine_for(settings_from(ctx)), role, email, actor())
    except ValueError as exc:
        raise fail(exc, 2) from None
    _ = said()
    typer.echo(
        _(
            "created key {key_id} ({role}, {email}); keep it now:",
            key_id=key_id,
            role=role,
            email=email.strip().lower(),
        ),
        err=True,
    )
    typer.echo(secret)


@keys_app.command("list")
def keys_list(ctx: typer.Context) -> None:
    """Every key: id, role, email, created, revoked (never the key itself)."""
    from risk.store.keys import list_keys

    _ = said()
    for key in list_keys(engine_for(settings_from(ctx))):
        revoked = key["revoked_at"]
        if isinstance(revoked, dt.datetime):
            state = _("revoked {day}", day=_.day(revoked))
        else:
            state = _("active")
        created = key["created_at"]
        stamp = _.day(created) if isinstance(created, dt.datetime) else ""
        typer.echo(f"{key['key_id']}  {key['role']:<8} {key['email']:<32} {stamp}  {state}")


@keys_app.command("revoke")
def keys_revoke(ctx: typer.Context, key_id: Annotated[str, typer.Argument()]) -> None:
    """Revoke a key: requests with it get 401 from then on, and its web sessions end."""
    from risk.store.keys import revoke_key

    _ = said()
    if not revoke_key(engine_for(settings_from(ctx)), key_id):
        raise fail(_("no active key {key_id}", key_id=repr(key_id)))
    typer.echo(_("revoked {key_id}", key_id=key_id))


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
