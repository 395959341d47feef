"""Problems found in an export bundle, each located by file, row and column.

Rows are numbered as a spreadsheet shows a CSV file: the header is row 1, the
first record row 2 (a record whose text spans several lines is still one row).
A Parquet file has no header row, so its first record is called record 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: How many problems a bundle error lists; the rest are counted.
MAX_PROBLEMS = 200
#: How much of a bad value a problem quotes: enough to find it, never a whole
#: megabyte sent back.
SHOWN_LENGTH = 40


def shown(value: object) -> str:
    """``value`` quoted for a message, cut to its first characters."""
    text = str(value)
    return repr(text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "...")


@dataclass(frozen=True)
class Problem:
    """One defect in a bundle: where it is and what was expected."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    parquet: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" record {self.row}" if self.parquet else f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class BundleError(ValueError):
    """A bundle that breaks the data contract; carries every problem found (up to a cap)."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [f"{self.total} problem{'s' if self.total != 1 else ''} in the bundle:"]
        lines += [f"  {p}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"  ... and {self.total - len(self.problems)} more")
        return "\n".join(lines)


class ProblemLog:
    """Collects problems up to a cap and counts the rest, so a broken
    10-million-row file does not build 10 million messages."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.problems: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.problems) < self.cap:
            self.problems.append(problem)

    def add_rows(
        self,
        file: str,
        mask: pd.Series | np.ndarray,
        column: str | None,
        describe: Iterable[str] | str,
        parquet: bool = False,
    ) -> None:
        """Add one problem per row where ``mask`` holds.

        ``describe`` is one message for all rows, or one message per masked row.
        """
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if positions.size == 0:
            return
        room = max(self.cap - len(self.problems), 0)
        messages = [describe] * min(room, positions.size) if isinstance(describe, str) else None
        if messages is None:
            messages = [m for m, _ in zip(describe, range(room), strict=False)]
        first_row = 1 if parquet else 2
        for position, message in zip(positions[:room], messages, strict=False):
            self.problems.append(Problem(file, message, int(position) + first_row, column, parquet))
        self.total += int(positions.size)

    def raise_if_any(self) -> None:
        if self.total:
            raise BundleError(self.problems, self.total)
