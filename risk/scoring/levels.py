"""From a calibrated probability to a level, a trend and a place in a PM's week.

Levels come from the thresholds in the settings (``high`` above ``elevated``);
an optional cap keeps at most K ``high`` flags per PM per run, highest risk
first, the rest shown as ``elevated``: a PM can act on a handful of accounts a
week, and ten "high" flags read as none.
"""

from __future__ import annotations

import pandas as pd

from features.risks import by_name
from risk.settings import Settings

LEVELS = ("elevated", "high")  # in rising order
_RANK = {None: 0, "elevated": 1, "high": 2}


def rank(level: str | None) -> int:
    """0 for no level, 1 elevated, 2 high: to compare levels."""
    return _RANK[level]


def levels_of(
    probability: pd.Series, risk: str, settings: Settings, flagged: pd.Series | None = None
) -> pd.Series:
    """``high``, ``elevated`` or None for each probability. A client whose flag is open
    (``flagged``) stays ``elevated`` down to ``clear_ratio`` x the elevated threshold."""
    elevated = getattr(settings, by_name(risk).elevated_setting)
    high = getattr(settings, by_name(risk).high_setting)
    out = pd.Series([None] * len(probability), index=probability.index, dtype=object)
    if flagged is not None:
        kept = flagged.reindex(probability.index, fill_value=False).astype(bool)
        out[kept & (probability >= elevated * settings.clear_ratio)] = "elevated"
    out[probability >= elevated] = "elevated"
    out[probability >= high] = "high"
    return out


def cap_high(levels: pd.Series, probability: pd.Series, pm: pd.Series, per_pm: int) -> pd.Series:
    """Keep ``high`` for each PM's ``per_pm`` riskiest clients; the rest become ``elevated``.
    ``pm`` is each client's PM (None: not capped). A cap of 0 keeps every level."""
    if per_pm <= 0:
        return levels
    high = (levels == "high") & pm.notna()
    order = probability[high].sort_values(ascending=False, kind="stable")
    place = order.groupby(pm[order.index]).cumcount()
    demoted = place.index[place.to_numpy() >= per_pm]
    out = levels.copy()
    out[demoted] = "elevated"
    return out


def trend(probability: float, previous: float | None, opened: bool, tolerance: float) -> str:
    """``new`` for a flag opened now, else ``rising``/``falling``/``steady`` against the
    previous run's probability (``cleared`` is set where a flag closes)."""
    if opened:
        return "new"
    if previous is None:
        return "steady"
    if probability - previous >= tolerance:
        return "rising"
    if previous - probability >= tolerance:
        return "falling"
    return "steady"
