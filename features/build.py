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
from features.windows import codes_of, day_numbers

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
    message_scores: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Features for every client that exists and has not churned, at each as-of date.

    Parameters
    ----------
    bundle
        A loaded export bundle.
    as_of_dates
        One date or many; each means the end of that day, UTC. Or a
        ``pandas.MultiIndex`` of (``client_id``, ``as_of``) pairs: only those rows,
        each client at its own dates (an invoice's client the day before it was
        issued), with the values the whole grid would give them.
    cache_dir
        Where message scores are kept between runs (none: score in memory only).
    message_scores
        What each message of the bundle says, as ``score_messages`` returns it (same
        order), when the caller has it already (the scores a run stored): the texts
        are then not read again.

    Returns
    -------
    pandas.DataFrame
        Indexed by (``client_id``, ``as_of``), one column per entry of
        :data:`FEATURES`. ``frame.attrs["sources"]`` says which sources the bundle
        had and ``frame.attrs["missing"]`` which files or optional columns that
        some feature needs were absent; those features are empty (NaN), never an
        error and never a misleading zero.
    """
    rows = None
    if isinstance(as_of_dates, pd.MultiIndex):
        rows = _grid_rows(bundle, as_of_dates)
        as_of = as_of_index(as_of_dates.get_level_values("as_of"))
    else:
        as_of = as_of_index(as_of_dates)
    if message_scores is None:
        message_scores = score_messages(bundle, cache_dir)
    snapshot = Snapshot.build(bundle, as_of, message_scores, rows)
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


def _grid_rows(bundle: Bundle, pairs: pd.MultiIndex) -> tuple[np.ndarray, np.ndarray]:
    """The unique (client code, day number) rows of ``pairs``, in the grid's order
    (client, then date); an unknown client is an error."""
    client = codes_of(pd.Series(pairs.get_level_values("client_id")), bundle.clients["client_id"])
    if (client < 0).any():
        unknown = pd.Series(pairs.get_level_values("client_id"))[client < 0].iloc[0]
        raise ValueError(f"client {unknown!r} is not in the bundle's clients")
    day = day_numbers(pd.Series(pd.to_datetime(pairs.get_level_values("as_of"), utc=True)))
    unique = np.unique(np.stack([client.astype(np.int64), day]), axis=1)
    return unique[0], unique[1]
