"""Training sets: weekly point-in-time snapshots with their labels, split out of time.

Clients repeat across weeks, so a random row split would let the model see a
client's future in training. The split is by as-of date instead, with a purge
gap at least as long as the label horizon: no training row's label window
reaches into the test period.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from features import build_features, build_labels
from features.bundle.load import Bundle
from features.bundle.summary import event_dates
from features.risks import LABELS

TARGETS = LABELS


@dataclass(frozen=True)
class TrainingSet:
    """Features and labels, one row per (client_id, as_of)."""

    features: pd.DataFrame
    labels: pd.DataFrame
    missing: tuple[str, ...] = ()

    @property
    def as_of(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.features.index.get_level_values("as_of"))

    def rows(self, mask: np.ndarray) -> TrainingSet:
        return TrainingSet(self.features[mask], self.labels[mask], self.missing)


def weekly_as_of(
    bundle: Bundle, start: pd.Timestamp | str | None = None, until: pd.Timestamp | str | None = None
) -> pd.DatetimeIndex:
    """Weekly as-of dates from ``start`` (default: 90 days after the first event, so
    that windows have history) to ``until`` (default: the last event date)."""
    first, last = event_dates(bundle)
    if first is None or last is None:
        raise ValueError("the bundle has no dated events to train on")
    begin = pd.Timestamp(start) if start is not None else first + pd.Timedelta(days=90)
    end = pd.Timestamp(until) if until is not None else last
    if begin > end:
        raise ValueError(f"no as-of dates between {begin:%Y-%m-%d} and {end:%Y-%m-%d}")
    return pd.date_range(begin, end, freq="7D")


def training_set(
    bundle: Bundle, as_of: pd.DatetimeIndex, cache_dir: str | Path | None = None
) -> TrainingSet:
    """Features and labels at every date of ``as_of``, from the one feature function."""
    features = build_features(bundle, as_of, cache_dir=cache_dir)
    labels = build_labels(bundle, features)
    return TrainingSet(features, labels, tuple(features.attrs.get("missing", ())))


def out_of_time_split(
    as_of: pd.DatetimeIndex, test_from: pd.Timestamp, horizon_days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Masks of training and test rows: test from ``test_from``; training only where
    the label window ``(t, t + horizon]`` ends before the test period begins."""
    days = pd.Timedelta(days=horizon_days)
    train = np.asarray(as_of + days < test_from)
    test = np.asarray(as_of >= test_from)
    return train, test


def holdout_start(as_of: pd.DatetimeIndex, share: float = 0.25) -> pd.Timestamp:
    """The as-of date from which the last ``share`` of the dates form the test period."""
    dates = as_of.unique().sort_values()
    return pd.Timestamp(dates[min(int(len(dates) * (1 - share)), len(dates) - 1)])


@dataclass(frozen=True)
class ValidationPeriod:
    """A scikit-learn splitter with one split: the last ``share`` of the as-of dates
    validate, and the rows whose label window ``(t, t + horizon_days]`` ends before
    them train (:func:`out_of_time_split`).

    The dates are the ``as_of`` level of ``x``'s index; rows without one (a plain
    array) are taken to be in time order, each a day of its own.
    """

    share: float = 0.2
    horizon_days: int = 0

    def get_n_splits(self, x: Any = None, y: Any = None, groups: Any = None) -> int:
        return 1

    def split(
        self, x: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Positions of the training rows and of the validation rows."""
        if isinstance(x, pd.DataFrame) and "as_of" in x.index.names:
            as_of = pd.DatetimeIndex(x.index.get_level_values("as_of"))
        else:
            as_of = pd.date_range(
                "1970-01-01", periods=x.shape[0] if hasattr(x, "shape") else len(x)
            )
        if as_of.empty:
            yield np.array([], dtype=int), np.array([], dtype=int)
            return
        train, validate = out_of_time_split(
            as_of, holdout_start(as_of, self.share), self.horizon_days
        )
        yield np.flatnonzero(train), np.flatnonzero(validate)
