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

from features.bundle.load import Bundle
from features.bundle.parse import STRING
from features.families import billing, feedback, payments, relationship, silence, spend
from features.snapshot import Snapshot
from features.text.message_scores import score_messages

FAMILIES: tuple[ModuleType, ...] = (feedback, billing, spend, silence, payments, relationship)

#: Every feature with its one-line description and unit, in column order.
FEATURES: dict[str, str] = {
    name: text for family in FAMILIES for name, text in family.FEATURES.items()
}


def as_of_index(as_of_dates: Iterable[object] | object) -> pd.DatetimeIndex:
    """As-of dates as sorted, unique, tz-naive midnights (an as-of date means its whole day).

    Takes one date or many, as strings, dates, datetimes or timestamps; a zoned
    value counts by its UTC date.
    """
    if isinstance(as_of_dates, Iterable) and not isinstance(as_of_dates, (str, bytes)):
        values = list(as_of_dates)
    else:
        values = [as_of_dates]
    stamps = [pd.Timestamp(v) for v in values]
    naive = [x.tz_convert("UTC").tz_localize(None) if x.tzinfo else x for x in stamps]
    index = pd.DatetimeIndex(naive).normalize().unique().sort_values()
    return pd.DatetimeIndex(index.astype("datetime64[ns]"))


def build_features(
    bundle: Bundle,
    as_of_dates: Iterable[object] | object,
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
        had and ``frame.attrs["missing"]`` which files or optional columns that
        some feature needs were absent; those features are empty (NaN), never an
        error and never a misleading zero.
    """
    as_of = as_of_index(as_of_dates)
    snapshot = Snapshot.build(bundle, as_of, score_messages(bundle, cache_dir))
    columns: dict[str, np.ndarray] = {}
    missing: set[str] = set()
    for family in FAMILIES:
        values = family.compute(snapshot)
        requires: dict[str, tuple[str, ...]] = getattr(family, "REQUIRES", {})
        for name in family.FEATURES:
            absent = [r for r in (*family.SOURCES, *requires.get(name, ())) if not bundle.has(r)]
            missing.update(absent)
            columns[name] = np.full(snapshot.client.size, np.nan) if absent else values[name]
    index = pd.MultiIndex.from_arrays(
        [
            pd.Series(bundle.clients["client_id"].to_numpy()[snapshot.client], dtype=STRING),
            (np.datetime64("1970-01-01", "D") + snapshot.day).astype("datetime64[ns]"),
        ],
        names=["client_id", "as_of"],
    )
    frame = pd.DataFrame(columns, index=index)[list(FEATURES)]
    frame.attrs["sources"] = dict(bundle.sources)
    frame.attrs["missing"] = sorted(missing)
    return frame
