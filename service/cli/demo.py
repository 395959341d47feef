"""Demo only: ``risk demo-feedback`` (hidden), feedback on past flags as PMs would have
given it once they knew.

A real firm's PMs mark flags ``valid``, ``false_alarm`` or ``premature``. The
demo has no PMs, but it has outcomes: for a share of the flags whose label
window has passed, this records the verdict a PM would give in hindsight
(the event came within the horizon: valid; later, but within the data:
premature; not at all: false alarm), so the monitoring notebook has feedback to show.
It is only ever used on simulated data (``make demo``), and every such event
is recorded as ``demo:hindsight``, so it never passes for a person's judgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import engine_for, said, settings_from

if TYPE_CHECKING:
    from sqlalchemy import Engine

ACTOR = "demo:hindsight"


def record_demo_feedback(engine: Engine, share: float = 0.6, seed: int = 0) -> int:
    """Give hindsight feedback on ``share`` of the flags whose window has passed.
    Returns the number of feedback events recorded."""
    # Imported here, as every command's heavy imports: ``risk --help`` answers at once.
    import numpy as np
    import pandas as pd
    from sqlalchemy import select

    from features.bundle.summary import event_dates
    from features.labels import events_for
    from features.risks import RISKS, by_name
    from risk.scoring.flags import give_feedback
    from risk.store.load import read_bundle
    from risk.store.tables import flag_events, flags

    bundle = read_bundle(engine)
    with engine.connect() as connection:
        candidates = pd.DataFrame(
            connection.execute(
                select(flags.c.flag_id, flags.c.client_id, flags.c.risk, flags.c.opened_on).where(
                    ~flags.c.flag_id.in_(
                        select(flag_events.c.flag_id).where(flag_events.c.kind == "feedback")
                    )
                )
            ).all(),
            columns=["flag_id", "client_id", "risk", "opened_on"],
        )
    if candidates.empty:
        return 0
    _, last = event_dates(bundle)
    if last is None:
        return 0
    events = {risk.name: events_for(bundle, risk.label) for risk in RISKS}
    rng = np.random.default_rng(seed)
    recorded = 0
    for flag_id, client_id, risk, opened_on in zip(
        candidates["flag_id"],
        candidates["client_id"],
        candidates["risk"],
        candidates["opened_on"],
        strict=True,
    ):
        horizon = pd.Timedelta(days=by_name(str(risk)).horizon_days)
        opened = pd.Timestamp(str(opened_on))
        if opened + horizon > last or rng.uniform() > share:
            continue
        days = events[str(risk)]
        after = days.loc[(days["client_id"] == client_id) & (days["day"] > opened), "day"]
        if len(after) and after.min() <= opened + horizon:
            verdict = "valid"
        elif len(after):
            verdict = "premature"  # it came, but later than the flag said
        else:
            verdict = "false_alarm"
        give_feedback(engine, str(flag_id), verdict, ACTOR, note="recorded in hindsight (demo)")
        recorded += 1
    return recorded


def demo_feedback(
    ctx: typer.Context,
    share: Annotated[float, typer.Option(min=0, max=1, help="Share of eligible flags.")] = 0.6,
    seed: Annotated[int, typer.Option(help="Which flags get feedback.")] = 0,
) -> None:
    """Demo only: record hindsight feedback on past flags of a simulated firm."""
    count = record_demo_feedback(engine_for(settings_from(ctx)), share=share, seed=seed)
    _ = said()
    typer.echo(
        _.ngettext(
            "recorded {n} feedback event as {actor}",
            "recorded {n} feedback events as {actor}",
            count,
            actor=ACTOR,
        )
    )


def register(app: typer.Typer) -> None:
    app.command("demo-feedback", hidden=True)(demo_feedback)
