"""A static check that a regular expression searches untrusted text in linear time.

Python's ``re`` backtracks. Searching a text of n characters tries a match at
every position; a match attempt that runs an unbounded quantifier over a run of
characters and then fails costs the run's length, so when many start positions
can enter the same run, the search costs n squared (``\\S+@\\S+`` over 80,000
characters without an ``@`` took 4 s). The rule checked here is sufficient for
linear time and simple to keep:

every unbounded quantifier (``*``, ``+``, ``{m,}``) either stands in tail
position (nothing after it can fail, so the match ends there) or is *fenced*:
the run it consumes can be entered from one place only, because what comes
before it cannot be one of the run's characters (``dear\\s+``: ``r`` is no
space), is a word boundary before a word run (``\\b\\w+``), the string's start,
or a negative lookbehind of the run's own class (``(?<!\\S)\\S+``).

Bounded quantifiers (``{0,40}``) cost a constant per start and are always fine.
The check reads the pattern with ``re._parser`` (the standard library's own
parser), so it sees exactly what ``re`` compiles.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

Item = tuple[Any, Any]

# The characters the check reasons about: Latin with its accents and the
# punctuation a message carries. Enough to tell which classes overlap.
ALPHABET = frozenset(chr(c) for c in range(0x250)) | frozenset("€£‘’“”–—…ẞ\u00a0\u2009")
_CATEGORIES = {
    getattr(sre, name): frozenset(c for c in ALPHABET if re.fullmatch(rx, c))
    for name, rx in (
        ("CATEGORY_WORD", r"\w"),
        ("CATEGORY_NOT_WORD", r"\W"),
        ("CATEGORY_SPACE", r"\s"),
        ("CATEGORY_NOT_SPACE", r"\S"),
        ("CATEGORY_DIGIT", r"\d"),
        ("CATEGORY_NOT_DIGIT", r"\D"),
    )
}
_WORD = _CATEGORIES[sre.CATEGORY_WORD]
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _cases(c: str, flags: int) -> set[str]:
    if flags & re.IGNORECASE:
        return {v for v in (c, c.lower(), c.upper()) if len(v) == 1}
    return {c}


def _single(item: Item, flags: int) -> frozenset[str] | None:
    """The characters a one-character element matches (None for anything else)."""
    op, av = item
    if op is sre.LITERAL:
        return frozenset(_cases(chr(av), flags))
    if op is sre.NOT_LITERAL:
        return ALPHABET - _cases(chr(av), flags)
    if op is sre.ANY:
        return ALPHABET if flags & re.DOTALL else ALPHABET - {"\n"}
    if op is sre.CATEGORY:
        return _CATEGORIES[av]
    if op is sre.IN:
        chars: set[str] = set()
        negate = False
        for inner, value in av:
            if inner is sre.NEGATE:
                negate = True
            elif inner is sre.LITERAL:
                chars |= _cases(chr(value), flags)
            elif inner is sre.RANGE:
                for code in range(value[0], value[1] + 1):
                    chars |= _cases(chr(code), flags)
            elif inner is sre.CATEGORY:
                chars |= _CATEGORIES[value]
        return frozenset(ALPHABET - chars if negate else chars)
    return None


def _children(item: Item) -> list[list[Item]]:
    op, av = item
    if op in _REPEATS:
        return [list(av[2])]
    if op is sre.SUBPATTERN:
        return [list(av[-1])]
    if op is sre.ATOMIC_GROUP:
        return [list(av)]
    if op is sre.BRANCH:
        return [list(branch) for branch in av[1]]
    return []


def _consumed(items: list[Item], flags: int) -> frozenset[str]:
    """Every character ``items`` may consume."""
    out: set[str] = set()
    for item in items:
        chars = _single(item, flags)
        if chars is not None:
            out |= chars
        for child in _children(item):
            out |= _consumed(child, flags)
    return frozenset(out)


def _may_be_empty(items: list[Item]) -> bool:
    """Whether ``items`` can match the empty string without any test that may fail."""
    for op, av in items:
        if op in _REPEATS:
            if av[0] > 0 and not _may_be_empty(list(av[2])):
                return False
        elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
            if not _may_be_empty(_children((op, av))[0]):
                return False
        elif op is sre.BRANCH:
            if not any(_may_be_empty(branch) for branch in _children((op, av))):
                return False
        else:
            return False
    return True


def _last(items: list[Item], flags: int) -> frozenset[str] | None:
    """The characters a non-empty match of ``items`` may end with (None: unknown)."""
    if not items:
        return None
    item = items[-1]
    chars = _single(item, flags)
    if chars is not None:
        return chars
    ends: set[str] = set()
    for child in _children(item):
        found = _last(child, flags)
        if found is None:
            return None
        ends |= found
    return frozenset(ends) if _children(item) else None


def _fence(item: Item | None, run: frozenset[str], flags: int) -> bool:
    if item is None:  # the pattern's start: a search tries every position
        return False
    op, av = item
    if op is sre.AT:
        if av is sre.AT_BEGINNING_STRING:
            return True
        if av is sre.AT_BEGINNING:
            return "\n" not in run
        return bool(av is sre.AT_BOUNDARY and run <= _WORD)
    if op is sre.ASSERT_NOT and av[0] == -1:  # (?<!X): X must cover the run
        return run <= _consumed(list(av[1]), flags)
    ends = _last([item], flags)
    return ends is not None and not ends & run


def _entered_once(preceding: list[Item], run: frozenset[str], flags: int) -> bool:
    """Whether a run of ``run`` characters after ``preceding`` has one way in."""
    position = len(preceding) - 1
    while position >= 0:
        item = preceding[position]
        consumed = _consumed([item], flags)
        if consumed and consumed <= run and not _may_be_empty([item]):
            position -= 1  # part of the same run: look further back
            continue
        if _may_be_empty([item]) and item[0] is not sre.AT:
            ends = _last(_children(item)[0], flags) if _children(item) else None
            if ends is None or ends & run:
                return False
            position -= 1  # it may match nothing: what is before it counts too
            continue
        return _fence(item, run, flags)
    return _fence(None, run, flags)


def _walk(
    items: list[Item],
    tail: bool,
    before: list[Item],
    flags: int,
    found: list[str],
    again: list[Item] | None = None,
) -> None:
    for index, item in enumerate(items):
        op, av = item
        at_tail = tail and _may_be_empty(items[index + 1 :])
        preceding = before + items[:index]
        if op in _REPEATS:
            low, high, body = av[0], av[1], list(av[2])
            if high is sre.MAXREPEAT and not at_tail:
                run = _consumed(body, flags)
                once = _entered_once(preceding, run, flags)
                if index == 0 and again is not None:
                    once = once and _entered_once(again, run, flags)
                if not once:
                    found.append(f"{'*' if low == 0 else '+'} over {_describe(run)}")
            repeated = high is sre.MAXREPEAT or high > 1
            _walk(body, at_tail, preceding, flags, found, preceding + body if repeated else None)
        else:
            for child in _children(item):
                _walk(child, at_tail, preceding, flags, found, again if index == 0 else None)


def _describe(run: frozenset[str]) -> str:
    for name, chars in (
        ("any character", ALPHABET - {"\n"}),
        ("word characters", _WORD),
        ("non-space", _CATEGORIES[sre.CATEGORY_NOT_SPACE]),
        ("spaces", _CATEGORIES[sre.CATEGORY_SPACE]),
    ):
        if run == chars:
            return name
    return "".join(sorted(run))[:20]


def unfenced_repeats(pattern: re.Pattern[str]) -> list[str]:
    """The unbounded quantifiers of ``pattern`` that break the rule (empty: linear)."""
    found: list[str] = []
    _walk(list(parser.parse(pattern.pattern, pattern.flags)), True, [], pattern.flags, found)
    return found


def product_patterns(
    packages: tuple[str, ...] = ("features", "risk", "service"),
) -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern a product module holds at its top level (in a constant,
    a dict or list of them, or an object of the module's own), by where it lives."""
    for package in packages:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            module = importlib.import_module(info.name)
            seen: set[int] = set()
            for name, value in vars(module).items():
                yield from _patterns_in(value, f"{info.name}.{name}", seen, module.__name__)


def _patterns_in(
    value: object, where: str, seen: set[int], module: str
) -> Iterator[tuple[str, re.Pattern[str]]]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _patterns_in(inner, f"{where}[{key!r}]", seen, module)
    elif isinstance(value, list | tuple | set | frozenset):
        for position, inner in enumerate(value):
            yield from _patterns_in(inner, f"{where}[{position}]", seen, module)
    elif type(value).__module__ == module and hasattr(value, "__dict__"):
        for key, inner in vars(value).items():
            yield from _patterns_in(inner, f"{where}.{key}", seen, module)
