"""How the scores hold up in use: drift since training, calibration against the
outcomes seen since, and what PMs said about the flags (per kind of reason).

Everything reads the app database; the notebooks only call these functions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from features.build import FEATURES
from features.bundle.summary import event_dates
from features.labels import build_labels
from features.risks import RISKS
from risk.explain import reason_kind
from risk.scoring.flags import feedback_labels
from risk.store.load import read_bundle
from risk.store.tables import score_runs, scores, signals


def scored_outcomes(engine: Engine) -> pd.DataFrame:
    """Every stored score with its outcome where the label window has passed in the
    data (``outcome`` NaN otherwise): columns run_id, as_of, client_id, risk,
    probability, level, outcome."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                scores.c.run_id,
                scores.c.as_of,
                scores.c.client_id,
                scores.c.risk,
                scores.c.probability,
                scores.c.level,
            )
        ).all()
    frame = pd.DataFrame(
        rows, columns=["run_id", "as_of", "client_id", "risk", "probability", "level"]
    )
    if frame.empty:
        return frame.assign(outcome=pd.Series(dtype="float64"))
    frame["as_of"] = pd.to_datetime(frame["as_of"]).astype("datetime64[ns]")
    keys = pd.MultiIndex.from_frame(frame[["client_id", "as_of"]].drop_duplicates())
    bundle = read_bundle(engine)
    labels = build_labels(bundle, keys)
    _, found = event_dates(bundle)
    last = found if found is not None else pd.Timestamp.min
    outcome = np.full(len(frame), np.nan)
    for risk in RISKS:
        target = risk.label
        mine = (frame["risk"] == risk.name).to_numpy()
        index = pd.MultiIndex.from_frame(frame.loc[mine, ["client_id", "as_of"]])
        known = labels[target].reindex(index).to_numpy()
        # An event inside a window still open is known, its absence is not: count
        # only windows that have passed, or calibration would see only the events.
        passed = (
            frame.loc[mine, "as_of"] + pd.Timedelta(days=risk.horizon_days) <= last
        ).to_numpy()
        outcome[mine] = np.where(passed, known, np.nan)
    return frame.assign(outcome=outcome)


def calibration(outcomes: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Per risk and probability bin (equal width): scores, mean predicted, observed rate.
    Only scores whose outcome is known count."""
    known = outcomes[outcomes["outcome"].notna()]
    edges = np.linspace(0, 1, bins + 1)
    binned = known.assign(
        bin=np.clip(np.digitize(known["probability"].to_numpy(), edges[1:-1]), 0, bins - 1)
    )
    table = (
        binned.groupby(["risk", "bin"])
        .agg(
            scores=("probability", "size"),
            predicted=("probability", "mean"),
            observed=("outcome", "mean"),
        )
        .reset_index()
    )
    table["bin"] = [f"{edges[int(b)]:.1f}-{edges[int(b) + 1]:.1f}" for b in table["bin"]]
    return table


def recent_signals(engine: Engine, runs: int = 4) -> pd.DataFrame:
    """The feature values of the latest ``runs`` score runs, one row per client and run."""
    with engine.connect() as connection:
        latest = [
            run_id
            for (run_id,) in connection.execute(
                select(score_runs.c.run_id).order_by(score_runs.c.run_id.desc()).limit(runs)
            )
        ]
        rows = connection.execute(
            select(signals.c.features).where(signals.c.run_id.in_(latest))
        ).scalars()
        values = [dict(row) for row in rows]
    return pd.DataFrame(values, columns=list(FEATURES)).astype("float64")


def feedback_by_kind(engine: Engine) -> pd.DataFrame:
    """Feedback per risk and kind of the flag's strongest reason (invoice, progress,
    check-in, payment): how often PMs found each kind of flag right."""
    feedback = feedback_labels(engine)
    if feedback.empty:
        return pd.DataFrame(
            columns=["risk", "kind", "valid", "false_alarm", "premature", "share_valid"]
        )
    kinds = [
        reason_kind(reasons[0]["feature"]) if reasons else "none" for reasons in feedback["reasons"]
    ]
    table = (
        feedback.assign(kind=kinds)
        .pivot_table(
            index=["risk", "kind"],
            columns="feedback",
            values="flag_id",
            aggfunc="count",
            fill_value=0,
        )
        .reindex(columns=["valid", "false_alarm", "premature"], fill_value=0)
        .reset_index()
    )
    table.columns.name = None
    total = table[["valid", "false_alarm", "premature"]].sum(axis=1)
    table["share_valid"] = table["valid"] / total
    return table
