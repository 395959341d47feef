"""What every reason sentence needs: the client's row read safely, and the client's
language's words (``risk.wording``: the catalog's sentences, numbers, percentages,
days) to say it in."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from risk.wording import Words


@dataclass(frozen=True)
class Context:
    """One client's row and the words of the client's language.

    ``_`` is the words themselves: ``c._("Billed {share} of the budget", share=...)``
    and ``c._.ngettext(...)`` are what ``make catalogs`` extracts."""

    row: Mapping[str, float | None]
    _: Words

    def value(self, name: str) -> float | None:
        # None, NaN, infinity and a missing column all mean "not known": the
        # feature frame uses NaN, callers going through JSON use None.
        raw = self.row.get(name)
        if raw is None:
            return None
        number = float(raw)
        return number if math.isfinite(number) else None

    def num(self, x: float, decimals: int = 0) -> str:
        return self._.number(x, decimals)

    def whole(self, x: float) -> int:
        return self._.whole(x)

    def count(self, x: float) -> str:
        return self.num(self.whole(x))

    def money(self, x: float) -> str:
        return self._.money(x)

    def pct(self, percent: float) -> str:
        return self._.percent(percent)

    def share(self, share: float) -> str:
        return self._.share(share)

    def points(self, x: float) -> str:
        rounded = self.whole(x)
        return f"+{self.num(rounded)}" if rounded > 0 else self.num(rounded)

    def ratio(self, x: float) -> str:
        return self.num(x, 1)

    def polarity(self, x: float) -> str:
        return self.num(x, 2)

    def score(self, x: float) -> str:
        # Scores are whole numbers as recorded but may be averaged: show "4.5", never "9.0".
        return self.num(x, 0 if abs(x - round(x)) < 0.05 else 1)

    def days(self, x: float) -> str:
        """A duration standing alone: ``3 days``, ``3 Tage``."""
        n = self.whole(x)
        return self._.ngettext("{n} day", "{n} days", n)

    def ago(self, x: float) -> str:
        """How long ago: ``today``, ``3 days ago``, ``vor 3 Tagen``."""
        n = self.whole(x)
        if n <= 0:
            return self._("today")
        return self._.ngettext("{n} day ago", "{n} days ago", n)


#: A sentence for a client's row.
Text = Callable[[Context], str]


class Reason(NamedTuple):
    kind: str
    text: Text
