"""Point-in-time windows over dated events, for many (entity, as-of) pairs at once.

Events are sorted once by (entity, day). A question such as "how many inbound
messages did client c send in the 30 days up to t" is then two binary searches
for every (c, t) pair at once, and sums are differences of cumulative sums:
no loop over clients, rows or as-of dates. An event dated ``d`` is known at
as-of ``t`` when ``d <= t``; "the last N days" is ``(t - N, t]``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_OFFSET = 400_000  # days, so that any date from year 900 on gives a positive key
_SPAN = 1_000_000  # key = entity * span + offset + day


def day_numbers(values: pd.Series | pd.Index | np.ndarray) -> np.ndarray:
    """UTC calendar day numbers (days since 1970-01-01) of dates or timestamps; NaT -> -1e9."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_convert(None)
    # Integer arithmetic on the nanoseconds: no per-value conversion over 12 million dates.
    nanoseconds = series.to_numpy(dtype="datetime64[ns]").view(np.int64)
    days = nanoseconds // 86_400_000_000_000
    return np.where(nanoseconds == np.iinfo(np.int64).min, -(10**9), days)


class Events:
    """Events of many entities, sorted by (entity, day), with cumulative sums of values."""

    def __init__(
        self,
        entity: np.ndarray,
        day: np.ndarray,
        values: Mapping[str, np.ndarray] | None = None,
        second: np.ndarray | None = None,
    ) -> None:
        """``second`` (UTC seconds), where given, orders events within a day, so
        "the latest" is the latest in time, not in file order."""
        known = day > -(10**9)
        keys = entity[known].astype(np.int64) * _SPAN + _OFFSET + day[known].astype(np.int64)
        if second is None:
            order = np.argsort(keys, kind="stable")
        else:
            order = np.lexsort((second[known], keys))
        self.keys = keys[order]
        self.entity = entity[known][order]
        self.day = day[known][order].astype(np.int64)
        self.values = {name: np.asarray(v)[known][order] for name, v in (values or {}).items()}
        self._cumsums: dict[str, np.ndarray] = {}
        self._tables: dict[tuple[str, str], list[np.ndarray]] = {}

    def position_at_second(self, entity: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Like :meth:`position`, to the second (UTC seconds, for events built with
        ``second`` and a ``"second"`` value)."""
        shift = 42  # up to 2 million entities
        if "_second_keys" not in self.__dict__:
            self._second_keys = (self.entity.astype(np.int64) << shift) + self.values["second"]
        keys = (entity.astype(np.int64) << shift) + second.astype(np.int64)
        return np.asarray(np.searchsorted(self._second_keys, keys, side="right"))

    def __len__(self) -> int:
        return int(self.keys.size)

    def position(self, entity: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Number of events up to and including ``day`` across all entities sorted before."""
        # Days before the offset would reach into the previous entity's keys.
        day = np.maximum(day, -_OFFSET)
        keys = entity.astype(np.int64) * _SPAN + _OFFSET + day
        return np.asarray(np.searchsorted(self.keys, keys, side="right"))

    def count(self, entity: np.ndarray, day: np.ndarray, days: int | None = None) -> np.ndarray:
        """Events of each entity in ``(day - days, day]``; all up to ``day`` without ``days``."""
        return np.asarray(self.position(entity, day) - self._start(entity, day, days))

    def total(
        self, name: str, entity: np.ndarray, day: np.ndarray, days: int | None = None
    ) -> np.ndarray:
        """Sum of value ``name`` over the same window as :meth:`count`."""
        cumsum = self._cumsum(name)
        return np.asarray(
            cumsum[self.position(entity, day)] - cumsum[self._start(entity, day, days)]
        )

    def mean(
        self, name: str, entity: np.ndarray, day: np.ndarray, days: int | None = None
    ) -> np.ndarray:
        count = self.count(entity, day, days)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, self.total(name, entity, day, days) / count, np.nan)

    def last(self, entity: np.ndarray, day: np.ndarray, back: int = 1) -> np.ndarray:
        """Index of each entity's ``back``-th latest event on or before ``day``, or -1."""
        index = self.position(entity, day) - back
        valid = index >= 0
        safe = np.where(valid, index, 0)
        same = valid & (self.entity[safe] == entity) if len(self) else valid & False
        return np.where(same, index, -1)

    def days_since_last(self, entity: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Days from each entity's latest event on or before ``day`` (NaN if none)."""
        return np.asarray(day - self.day_at(self.last(entity, day)))

    def day_at(self, index: np.ndarray) -> np.ndarray:
        """Day of the events at ``index`` (NaN where the index is -1 or out of range)."""
        valid = (index >= 0) & (index < len(self))
        if not len(self):
            return np.full(index.shape, np.nan)
        return np.where(valid, self.day[np.clip(index, 0, len(self) - 1)], np.nan)

    def value_at(self, name: str, index: np.ndarray) -> np.ndarray:
        """Value ``name`` of the events at ``index`` (NaN where the index is -1)."""
        values = self.values[name].astype(np.float64)
        if values.size == 0:
            return np.full(index.shape, np.nan)
        return np.where(index >= 0, values[np.maximum(index, 0)], np.nan)

    def window_min(self, name: str, entity: np.ndarray, day: np.ndarray, days: int) -> np.ndarray:
        """Smallest value ``name`` in ``(day - days, day]``, NaN where there is none."""
        lo, hi = self.position(entity, day - days), self.position(entity, day)
        return self.range_extreme(name, lo, hi, np.minimum)

    def _start(self, entity: np.ndarray, day: np.ndarray, days: int | None) -> np.ndarray:
        if days is None:
            return np.searchsorted(self.keys, entity.astype(np.int64) * _SPAN, side="left")
        return self.position(entity, day - days)

    def _cumsum(self, name: str) -> np.ndarray:
        if name not in self._cumsums:
            values = np.nan_to_num(self.values[name].astype(np.float64))
            self._cumsums[name] = np.concatenate([[0.0], np.cumsum(values)])
        return self._cumsums[name]

    def range_extreme(self, name: str, lo: np.ndarray, hi: np.ndarray, op: np.ufunc) -> np.ndarray:
        """``op`` (np.minimum or np.maximum) of value ``name`` over event positions
        ``[lo, hi)``, NaN where the range is empty. A sparse table makes each
        query O(1) after O(n log n) work, done once per value and operation."""
        values = self.values[name].astype(np.float64)
        out = np.full(lo.shape, np.nan)
        if values.size == 0:
            return out
        key = (name, op.__name__)
        if key not in self._tables:
            table = [values]
            width = 1
            while width * 2 <= values.size:
                prev = table[-1]
                table.append(op(prev[: prev.size - width], prev[width:]))
                width *= 2
            self._tables[key] = table
        table = self._tables[key]
        nonempty = hi > lo
        level = np.zeros(lo.shape, dtype=np.int64)
        level[nonempty] = np.floor(np.log2(hi[nonempty] - lo[nonempty])).astype(np.int64)
        for k in np.unique(level[nonempty]):
            rows = nonempty & (level == k)
            out[rows] = op(table[k][lo[rows]], table[k][hi[rows] - (1 << int(k))])
        return out


def codes_of(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Position of each value in ``ids`` (-1 where absent). Arrow's hash lookup is
    some 25 times faster than ``Series.map`` over 10 million string ids."""
    found = pc.index_in(
        pa.array(values, type=pa.string(), from_pandas=True),
        value_set=pa.array(ids, type=pa.string(), from_pandas=True),
    )
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def totals_to_date(
    entity: np.ndarray,
    day: np.ndarray,
    weights: np.ndarray,
    query_entity: np.ndarray,
    query_day: np.ndarray,
) -> np.ndarray:
    """Sum of ``weights`` per entity over its events on or before each query day.

    For a handful of as-of dates (scoring asks for one) a pass per date with
    ``bincount`` beats sorting 10 million time entries; for many dates (training)
    the sorted :class:`Events` wins. Both give the same sums.
    """
    known = (entity >= 0) & (day > -(10**9))
    entity, day, weights = entity[known], day[known], weights[known]
    dates = np.unique(query_day)
    if dates.size > 8:
        return Events(entity, day, {"weight": weights}).total("weight", query_entity, query_day)
    size = int(max(entity.max(initial=-1), query_entity.max(initial=-1))) + 1
    out = np.zeros(query_entity.size)
    for date in dates:  # a pass per as-of date, not per client
        upto = day <= date
        sums = np.bincount(entity[upto], weights=weights[upto], minlength=size)
        rows = query_day == date
        out[rows] = sums[query_entity[rows]]
    return out
