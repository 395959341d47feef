"""``build_features``: one point-in-time feature frame, for training and for scoring alike.

Training asks for many as-of dates, scoring for one; both call this function,
so a feature cannot be computed one way in training and another in production.
Every value at as-of ``t`` uses only what was known at the end of day ``t``
(UTC), by each file's known-at column (DATA_CONTRACT.md): an invoice paid after
``t`` is unpaid at ``t``, a dispute raised after ``t`` does not exist yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from features import billing, delivery, feedback, payments, relationship, silence
from features.bundle import STRING, Bundle
from features.message_scores import score_messages
from features.snapshot import Snapshot

FAMILIES: tuple[ModuleType, ...] = (feedback, billing, delivery, silence, payments, relationship)

#: Every feature with its one-line description and unit, in column order.
FEATURES: dict[str, str] = {
    name: text for family in FAMILIES for name, text in family.FEATURES.items()
}


def as_of_index(as_of_dates: Iterable[object] | pd.Timestamp | str) -> pd.DatetimeIndex:
    """As-of dates as sorted, unique, tz-naive midnights (an as-of date means its whole day)."""
    values = [as_of_dates] if isinstance(as_of_dates, (str, pd.Timestamp)) else list(as_of_dates)
    stamps = pd.DatetimeIndex([pd.Timestamp(v) for v in values])  # type: ignore[arg-type]
    if stamps.tz is not None:
        stamps = stamps.tz_convert("UTC").tz_localize(None)
    return pd.DatetimeIndex(stamps.normalize().unique().sort_values().astype("datetime64[ns]"))


def build_features(
    bundle: Bundle,
    as_of_dates: Iterable[object] | pd.Timestamp | str,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Features for every client that exists and has not churned, at each as-of date.

    Parameters
    ----------
    bundle
        A loaded export bundle.
    as_of_dates
        One date or many; each means the end of that day, UTC.
    cache_dir
        Where message scores are kept between runs (none: score in memory only).

    Returns
    -------
    pandas.DataFrame
        Indexed by (``client_id``, ``as_of``), one column per entry of
        :data:`FEATURES`. ``frame.attrs["sources"]`` says which sources the bundle
        had; features of a missing source are empty (NaN), never an error.
    """
    as_of = as_of_index(as_of_dates)
    snapshot = Snapshot.build(bundle, as_of, score_messages(bundle, cache_dir))
    columns: dict[str, np.ndarray] = {}
    for family in FAMILIES:
        values = family.compute(snapshot)
        present = all(bundle.sources[source] for source in family.SOURCES)
        for name in family.FEATURES:
            columns[name] = values[name] if present else np.full(snapshot.client.size, np.nan)
    index = pd.MultiIndex.from_arrays(
        [
            pd.Series(bundle.clients["client_id"].to_numpy()[snapshot.client], dtype=STRING),
            (np.datetime64("1970-01-01", "D") + snapshot.day).astype("datetime64[ns]"),
        ],
        names=["client_id", "as_of"],
    )
    frame = pd.DataFrame(columns, index=index)[list(FEATURES)]
    frame.attrs["sources"] = dict(bundle.sources)
    return frame
