"""What every reason sentence needs: the client's row read safely, and numbers,
percentages, days and plurals formatted for the client's language."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple


def is_german(language: str) -> bool:
    # Clients' languages come from a CRM field; accept "de", "DE", "de-AT", "de_CH".
    return language.strip().lower().replace("_", "-").split("-")[0] == "de"


def plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


@dataclass(frozen=True)
class Context:
    """One client's row and the language: reads values and formats numbers for it."""

    row: Mapping[str, float | None]
    de: bool

    def value(self, name: str) -> float | None:
        # None, NaN, infinity and a missing column all mean "not known": the
        # feature frame uses NaN, callers going through JSON use None.
        raw = self.row.get(name)
        if raw is None:
            return None
        number = float(raw)
        return number if math.isfinite(number) else None

    def say(self, en: str, de: str) -> str:
        return de if self.de else en

    def num(self, x: float, decimals: int = 0) -> str:
        # "+ 0.0" turns a rounded -0.0 into 0.0, so nobody reads "-0".
        text = f"{round(x, decimals) + 0.0:,.{decimals}f}"
        # German swaps the separators: 12.400 and 0,42.
        return text.translate(str.maketrans(",.", ".,")) if self.de else text

    def whole(self, x: float) -> int:
        # Half up, not Python's half to even: 2.5 days reads as 3.
        return math.floor(x + 0.5)

    def count(self, x: float) -> str:
        return self.num(self.whole(x))

    def money(self, x: float) -> str:
        # No currency symbol: the firm bills in one currency the PM knows.
        return self.num(x)

    def pct(self, percent: float) -> str:
        # German sets a space before the percent sign (DIN 5008).
        return f"{self.num(percent)} %" if self.de else f"{self.num(percent)}%"

    def share(self, share: float) -> str:
        return self.pct(share * 100)

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
        n = self.whole(x)
        return self.say(
            f"{self.num(n)} {plural(n, 'day', 'days')}",
            f"{self.num(n)} {plural(n, 'Tag', 'Tage')}",
        )

    def ago(self, x: float) -> str:
        n = self.whole(x)
        if n <= 0:
            return self.say("today", "heute")
        return self.say(
            f"{self.num(n)} {plural(n, 'day', 'days')} ago",
            f"vor {self.num(n)} {plural(n, 'Tag', 'Tagen')}",
        )


#: A sentence for a client's row.
Text = Callable[[Context], str]


class Reason(NamedTuple):
    kind: str
    text: Text
