"""Signals before events: a signal's mean in each of the weeks before a client's dispute
or churn, beside its mean for clients who never had one (``01_explore``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class EventProfile:
    """Signals lined up on the events: ``before`` holds their mean over rows that
    many weeks before a client's next event (index ``weeks_before``, 1 = the week
    before it), ``baseline`` their mean over clients that never had the event, and
    ``rows`` how many rows each week's means stand on."""

    before: pd.DataFrame
    baseline: pd.Series
    rows: pd.Series


def event_profile(
    features: pd.DataFrame, events: pd.DataFrame, signals: Sequence[str], weeks: int = 12
) -> EventProfile:
    """Mean of each of ``signals`` by whole weeks until the client's next event.

    ``features`` is indexed by (``client_id``, ``as_of``); ``events`` has columns
    ``client_id`` and ``day`` (as :func:`models.retrain.events_for` returns them). A
    row at ``t`` is ``k`` weeks before an event on day ``d`` when
    ``7(k - 1) < d - t <= 7k``: the event lies ahead, as in the labels' window
    ``(t, t + horizon]``. Rows more than ``weeks`` weeks ahead of their client's next
    event, or after its last, count in neither part.
    """
    columns = list(signals)
    rows = features[columns].reset_index()
    rows["as_of"] = rows["as_of"].astype("datetime64[ns]")
    rows["client_id"] = rows["client_id"].astype(str)
    dated = events.dropna(subset=["day"])
    ahead = pd.DataFrame(
        {
            "client_id": dated["client_id"].astype(str).to_numpy(),
            "day": pd.to_datetime(dated["day"]).astype("datetime64[ns]").to_numpy(),
        }
    ).sort_values("day")
    merged = pd.merge_asof(
        rows.sort_values("as_of"),
        ahead,
        left_on="as_of",
        right_on="day",
        by="client_id",
        direction="forward",
        allow_exact_matches=False,
    )
    week = pd.Series(np.ceil((merged["day"] - merged["as_of"]).dt.days / 7), index=merged.index)
    near = week.between(1, weeks)
    grouped = merged.loc[near, columns].groupby(week[near].astype(int).rename("weeks_before"))
    order = pd.RangeIndex(1, weeks + 1, name="weeks_before")
    never = ~merged["client_id"].isin(set(ahead["client_id"]))
    return EventProfile(
        before=grouped.mean().reindex(order),
        baseline=merged.loc[never, columns].mean(),
        rows=grouped.size().reindex(order, fill_value=0).rename("rows"),
    )


def plot_event_profile(profile: EventProfile, event: str) -> Figure:
    """One panel per signal: its mean by weeks before the ``event`` (solid, the week
    before it at the right) and over clients that never had one (dashed)."""
    import matplotlib.pyplot as plt

    signals = list(profile.before.columns)
    fig, axes = plt.subplots(1, len(signals), figsize=(3.6 * len(signals), 3.4), squeeze=False)
    for ax, signal in zip(axes[0], signals, strict=True):
        ax.plot(profile.before.index, profile.before[signal], "o-", label=f"before a {event}")
        ax.axhline(profile.baseline[signal], color="grey", linestyle="--", label=f"never a {event}")
        ax.set(title=signal, xlabel=f"weeks before the {event}")
        ax.invert_xaxis()
    axes[0][0].legend(fontsize="small")
    fig.suptitle(
        f"signals before a {event}: {int(profile.rows.iloc[0]):,} rows a week before one, "
        f"{int(profile.rows.sum()):,} in all"
    )
    fig.tight_layout()
    return fig
