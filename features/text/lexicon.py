"""The text scorers' word lists and rule patterns, kept as data files in ``lexicons/``.

They are model data, not code and not wording for people: a linguist can read and
extend them without reading Python, and they stay out of the translation
catalogs. Each file is TOML (comments say why a word or pattern is there).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

#: The languages the scorers read; a message in another is read by both rules.
LANGUAGES = ("en", "de")


@cache
def lexicon(name: str) -> dict[str, Any]:
    """``lexicons/<name>.toml`` as a dict, read once per process."""
    with resources.files("features.text").joinpath("lexicons", f"{name}.toml").open("rb") as file:
        return tomllib.load(file)
