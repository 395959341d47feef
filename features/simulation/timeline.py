"""The simulated calendar: days and weeks counted from the first day."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Timeline:
    """The days and weeks a simulation spans; day 0 and week 0 begin on ``start``.

    Events are day numbers from ``start`` and states are grids of anything x
    week, so every stage works on whole arrays.
    """

    start: pd.Timestamp
    n_days: int
    #: The first day of each week.
    weeks: pd.DatetimeIndex
    #: The first Monday on or after ``start``: working weeks run Monday to Friday.
    monday: int
    #: The first of each month after ``start`` up to the end, when invoices go out.
    month_starts: np.ndarray

    @classmethod
    def spanning(cls, start: str, months: int) -> Timeline:
        """``months`` calendar months from ``start``."""
        t0 = pd.Timestamp(start).normalize()
        n_days = int((t0 + pd.DateOffset(months=months) - t0).days)
        month_starts = pd.date_range(
            t0 + pd.offsets.MonthBegin(1), t0 + pd.Timedelta(days=n_days), freq="MS"
        )
        return cls(
            start=t0,
            n_days=n_days,
            weeks=pd.date_range(t0, periods=-(-n_days // 7), freq="7D"),
            monday=(7 - t0.day_of_week) % 7,
            month_starts=np.asarray((month_starts - t0).days, dtype=np.int64),
        )

    @property
    def n_weeks(self) -> int:
        return len(self.weeks)

    @property
    def week(self) -> np.ndarray:
        """Week numbers 0 .. n_weeks - 1."""
        return np.arange(self.n_weeks)

    def dates(self, day: np.ndarray) -> pd.Series:
        """The date of each day number."""
        return pd.Series(self.start + pd.to_timedelta(day, unit="D")).astype("datetime64[ns]")

    def dates_or_missing(self, day: np.ndarray) -> pd.Series:
        """The date of each day number; missing where the day is negative (it never came)."""
        return self.dates(np.where(day >= 0, day, 0)).where(day >= 0)
