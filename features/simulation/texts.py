"""The simulator's words, in English and German, and how a message is worded.

The word tables live in ``texts.toml`` beside this module (shipped as package
data) and are read once. A message is composed from an optional opener, a core
sentence for its topic and an optional closer, with slots filled from the
account (the deliverable, an invoice number, a month, a first name).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from features.simulation.topics import NEUTRAL

Words = tuple[str, ...]
ByLanguage = Mapping[str, Words]


@dataclass(frozen=True)
class Wording:
    """The word tables of ``texts.toml``; ``ByLanguage`` tables are keyed ``en`` and ``de``."""

    openers: ByLanguage
    closers: ByLanguage
    #: Core sentences by topic code (:mod:`features.simulation.topics`), then language.
    cores: Mapping[str, ByLanguage]
    #: What a message says where it names no particular invoice.
    last_invoice: Mapping[str, str]
    months: ByLanguage
    deliverables: ByLanguage
    #: ``{deliverable} {number}`` patterns by language.
    project_names: Mapping[str, str]
    first_names: ByLanguage
    last_names: ByLanguage
    company_words: Words
    company_sectors: Words
    industries: Words
    legal_forms: ByLanguage
    churn_reasons: ByLanguage
    milestone: str


@cache
def wording() -> Wording:
    """The word tables, read from the package's ``texts.toml`` on first use."""
    source = resources.files("features.simulation").joinpath("texts.toml")
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    companies = data["companies"]
    # One index picks a client's word in either language: these tables must align.
    aligned = {
        key: data[key]
        for key in ("months", "deliverables", "first_names", "last_names", "churn_reasons")
    }
    aligned["companies.legal_forms"] = companies["legal_forms"]
    for name, table in aligned.items():
        if len(table["en"]) != len(table["de"]):
            raise ValueError(
                f"texts.toml [{name}]: en has {len(table['en'])} entries and de "
                f"{len(table['de'])}; both languages need the same number, in the same order"
            )
    return Wording(
        openers=_by_language(data["openers"]),
        closers=_by_language(data["closers"]),
        cores={topic: _by_language(cores) for topic, cores in data["cores"].items()},
        last_invoice=dict(data["last_invoice"]),
        months=_by_language(data["months"]),
        deliverables=_by_language(data["deliverables"]),
        project_names=dict(data["project_names"]),
        first_names=_by_language(data["first_names"]),
        last_names=_by_language(data["last_names"]),
        company_words=tuple(companies["words"]),
        company_sectors=tuple(companies["sectors"]),
        industries=tuple(companies["industries"]),
        legal_forms=_by_language(companies["legal_forms"]),
        churn_reasons=_by_language(data["churn_reasons"]),
        milestone=data["progress"]["milestone"],
    )


def _by_language(table: Mapping[str, Any]) -> ByLanguage:
    return {language: tuple(words) for language, words in table.items()}


def compose(
    topics: Sequence[str],
    languages: Sequence[str],
    slots: dict[str, Sequence[str]],
    rng: np.random.Generator,
) -> list[str]:
    """One text per message: opener + core for its topic + closer, slots filled.

    ``slots`` holds one value per message for each of ``thing``, ``invoice``,
    ``month``, ``name``, ``hours`` and ``amount``.
    """
    words = wording()
    n = len(topics)
    picks = rng.random((n, 3))
    out: list[str] = []
    for i in range(n):
        topic, lang = topics[i], languages[i]
        cores = words.cores[topic][lang]
        core = cores[int(picks[i, 0] * len(cores))]
        if topic.startswith("survey") or (
            topic == NEUTRAL and core.startswith(("Noted", "Notiert"))
        ):
            text = core
        else:
            openers, closers = words.openers[lang], words.closers[lang]
            opener = openers[int(picks[i, 1] * len(openers))]
            if opener.endswith(", ") and lang == "en" and core[1:2].islower():
                core = core[0].lower() + core[1:]  # "Hi Sam, the demo..." (German nouns keep case)
            text = opener + core + closers[int(picks[i, 2] * len(closers))]
        if "{" in text:
            thing = slots["thing"][i]
            if text.startswith("{thing}") or ". {thing}" in text:
                thing = thing[:1].upper() + thing[1:]
            text = text.format(
                thing=thing,
                invoice=slots["invoice"][i],
                month=slots["month"][i],
                name=slots["name"][i],
                hours=slots["hours"][i],
                amount=slots["amount"][i],
            )
        if text and text[0].islower():
            text = text[0].upper() + text[1:]
        out.append(text)
    return out
