"""Benchmark: what the wording layer costs.

The catalogs are read from their ``.po`` files and compiled in memory the first time
a language is used, instead of shipping compiled ``.mo`` files: this measures that
first use per language (the cost a process pays once), and then what one message
and one Babel-formatted number, percentage, amount or date cost per call, since a
page or an alert formats dozens of them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date
from functools import partial

from risk.wording import LANGUAGES, Words, _catalog, words


def per_call_us(work: Callable[[], object], calls: int = 20_000) -> float:
    began = time.perf_counter()
    for _ in range(calls):
        work()
    return (time.perf_counter() - began) / calls * 1e6


def first_use_ms(lang: str, repeats: int = 7) -> float:
    took = []
    for _ in range(repeats):
        _catalog.cache_clear()
        began = time.perf_counter()
        _catalog(lang)
        took.append(time.perf_counter() - began)
    return statistics.median(took) * 1e3


def main() -> None:
    print("reading and compiling a catalog from its .po file (median of 7), ms")
    for lang in LANGUAGES:
        messages = len(_catalog(lang)._catalog)  # type: ignore[attr-defined]
        print(f"{lang}: {first_use_ms(lang):.1f} ms ({messages} compiled entries)")

    print("one call, microseconds")
    print(f"{'call':<28} " + " ".join(f"{lang:>8}" for lang in LANGUAGES))
    today = date(2026, 12, 7)
    calls: dict[str, Callable[[Words], object]] = {
        "message": lambda w: w("Budget"),
        "message with plural": lambda w: w.ngettext(
            "{n} question about invoices in {window} days",
            "{n} questions about invoices in {window} days",
            3,
            window=90,
        ),
        "number (1 decimal)": lambda w: w.number(1234.5, 1),
        "percent": lambda w: w.percent(78),
        "money": lambda w: w.money(12500),
        "day": lambda w: w.day(today),
    }
    for name, call in calls.items():
        row = [per_call_us(partial(call, words(lang))) for lang in LANGUAGES]
        print(f"{name:<28} " + " ".join(f"{us:>8.1f}" for us in row))


if __name__ == "__main__":
    main()
