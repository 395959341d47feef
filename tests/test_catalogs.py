"""The words people read, checked from the repository alone:

- every message the code and the templates use is in every language's catalog, and
  no catalog keeps one the code no longer uses (``make catalogs`` brings them level);
- every language but English (the source) translates every message, plural forms
  included, nothing left fuzzy, with the same ``{placeholders}`` as the English;
- no sentence reaches a reader around the catalogs: the modules that write what a
  person reads (reasons, alerts, the invoice explanation, the page, the command
  line) hold no sentence-like literal outside ``_()``/``N_()``, and the templates
  hold no text outside ``_()``;
- no module outside ``risk/wording`` holds a translation table, and German text lives
  only in the catalogs (the simulator's client messages and the text scorers' word
  lists are model data, not wording: they stay in ``features``).

How a bypass is found: Python modules are read as syntax trees; every string
literal (f-strings included) is a candidate unless it is a docstring, an argument
of a catalog call (``_``, ``N_``, ``ngettext``, ``pgettext``), a log line, a
``typer`` help text, an exception's message (diagnostics are English, as the
API's errors are), a key (``message["Subject"]``), a person's own words recorded as
data (``note=``, ``reason=``) or a value of the API's JSON (``risk.invoices.BASES``,
which the page words from the catalog). Markup, ``{placeholders}`` and identifiers
are taken out; what is left is sentence-like when it holds two words, or one
capitalised word.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from risk.invoices import BASES
from risk.wording import DOMAIN, LANGUAGES
from tests.conftest import ROOT

pytestmark = pytest.mark.unit

LOCALE = ROOT / "risk" / "locale"
SOURCE_LANGUAGE = "en"
# The modules that write what a person reads.
WORDING = (
    "risk/explain",
    "risk/alerts/messages.py",
    "risk/invoices.py",
    "service/web",
    "service/cli",
)
TEMPLATES = ROOT / "service" / "web" / "templates"
CATALOG_CALLS = {"_", "N_", "ngettext", "pgettext", "gettext"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalog(lang: str) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _key(message_id: str | tuple[str, ...], context: str | None) -> tuple[str | None, str]:
    singular = message_id[0] if isinstance(message_id, tuple) else message_id
    return context, singular


def _extracted() -> set[tuple[str | None, str]]:
    """What ``make catalogs`` extracts, by the same babel.cfg and keywords."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for folder in ("risk", "service"):
        mapping = [(pattern.removeprefix(f"{folder}/"), m) for pattern, m in method_map]
        options = {k.removeprefix(f"{folder}/"): v for k, v in options_map.items()}
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, mapping, options, keywords=DEFAULT_KEYWORDS
        ):
            found.add(_key(message, context))
    return found


def test_every_message_is_in_every_catalog_and_none_is_stale() -> None:
    extracted = _extracted()
    assert len(extracted) > 250  # the extraction itself found the code's messages
    for lang in LANGUAGES:
        held = {_key(m.id, m.context) for m in _catalog(lang) if m.id}
        missing, stale = extracted - held, held - extracted
        assert not missing, f"{lang}: not in the catalog (run make catalogs): {sorted(missing)}"
        assert not stale, f"{lang}: no longer used (run make catalogs): {sorted(stale)}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE])
def test_every_message_is_translated(lang: str) -> None:
    catalog = _catalog(lang)
    plurals = catalog.num_plurals
    untranslated, fuzzy, misplaced = [], [], []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if (isinstance(message.id, tuple) and len(texts) != plurals) or not all(texts):
            untranslated.append(ids[0])
        if message.fuzzy:
            fuzzy.append(ids[0])
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in texts:
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                misplaced.append((ids[0], text))
    assert not untranslated, f"{lang}: untranslated: {untranslated}"
    assert not fuzzy, f"{lang}: fuzzy (check the translation, then drop the flag): {fuzzy}"
    assert not misplaced, f"{lang}: placeholders differ from the English: {misplaced}"


def test_the_source_catalog_leaves_the_english_as_written() -> None:
    # English is the language of the code: its catalog lists the messages and
    # translates none, so a message reads as written until a translation says otherwise.
    assert not [m.id for m in _catalog(SOURCE_LANGUAGE) if m.id and any(_texts(m.string))]


def _texts(string: str | tuple[str, ...] | list[str]) -> list[str]:
    return [string] if isinstance(string, str) else list(string)


# --- literals that bypass the catalogs ----------------------------------------------


def _wording_modules() -> list[Path]:
    found = []
    for place in WORDING:
        path = ROOT / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _called(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _exempt(tree: ast.Module) -> set[int]:
    """Ids of the nodes under which a literal is not wording: docstrings, catalog
    calls, log lines, help texts, exceptions."""
    spared: set[int] = set()

    def spare(node: ast.AST) -> None:
        spared.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                spare(body[0])
        elif isinstance(node, ast.Call):
            name = _called(node)
            if name in CATALOG_CALLS or name in LOG_CALLS:
                spare(node)
            elif name in {"Option", "Argument", "Typer", "command", "callback"}:
                spare(node)  # a typer help text: the tool's reference, in English
            for keyword in node.keywords:
                if keyword.arg in {"help", "note", "reason"}:
                    spare(keyword)
        elif isinstance(node, ast.Subscript):
            spare(node.slice)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            spare(node.exc)
    return spared


def _words_left(text: str) -> str:
    text = re.sub(r"<[^>]*>", " ", text)  # markup
    text = PLACEHOLDER.sub(" ", text)
    text = re.sub(r"&\w+;", " ", text)  # entities
    return text


def sentence_like(text: str) -> bool:
    """Two words of letters in a row, or one capitalised word: something a person
    reads, not a key, a CSS value, a format spec or an identifier."""
    left = _words_left(text)
    words = r"[^\W\d_]{2,}"
    if re.search(rf"(?<![\w\-/.#:=]){words} +{words}(?![\w\-/.=(])", left):
        return True
    return bool(re.fullmatch(r"\s*[A-ZÄÖÜ][a-zäöüß]+[.:!?]?\s*", left))


def _literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spared = _exempt(tree)
    for node in ast.walk(tree):
        if id(node) in spared:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value not in BASES:
                yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            spared.update(id(v) for v in node.values)  # its parts are read as one
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, str(text)


def test_the_sentence_detector_tells_words_from_code() -> None:
    for reading in ("no open flags", "Open flags", "Client", "{n} clients over {m} months"):
        assert sentence_like(reading), reading
    for code in (
        '<text x="54" text-anchor="end" font-size="11">',
        "#475569",
        "{flag_id}  {level:<8}",
        "dispute",
        "yyyy-MM-dd",
        "application/json",
        "%Y-%m-%d",
        "no-store",
        "      - ",
    ):
        assert not sentence_like(code), code


def test_no_sentence_bypasses_the_catalogs() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in _wording_modules()
        for line, text in _literals(path)
        if sentence_like(text)
    ]
    assert not found, "sentences outside _() or N_():\n" + "\n".join(found)


def _template_text(source: str) -> str:
    """What a template shows outside Jinja's tags, readable attribute values included."""
    source = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)
    source = re.sub(r"<(style|script)\b.*?</\1>", " ", source, flags=re.S)
    shown = re.findall(r'(?:title|alt|aria-label|placeholder|value)="([^"]*)"', source)
    return " ".join([re.sub(r"<[^>]*>", " ", source), *shown])


def test_no_template_text_bypasses_the_catalogs() -> None:
    found = {
        path.name: shown
        for path in sorted(TEMPLATES.glob("*.html"))
        if (
            shown := [
                piece.strip()
                for piece in re.split(r"\s{2,}", _template_text(path.read_text(encoding="utf-8")))
                if re.search(r"[^\W\d_]{2,}", piece)
            ]
        )
    }
    assert not found, f"template text outside _(): {found}"


# --- translation tables ---------------------------------------------------------------


def _product_modules() -> Iterator[Path]:
    for layer in ("features", "models", "risk", "service"):
        yield from sorted((ROOT / layer).rglob("*.py"))


def test_no_module_outside_the_wording_layer_holds_a_translation_table() -> None:
    # features/ is exempt: what it keeps by language (word lists, the tone thresholds
    # of each language's scorer) is model data; it writes nothing a person reads.
    tables = []
    for path in _product_modules():
        if path.is_relative_to(ROOT / "risk" / "wording") or path.is_relative_to(ROOT / "features"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if len(keys & set(LANGUAGES)) >= 2:
                    tables.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not tables, f"a table by language outside risk/wording: {tables}"


def test_german_text_lives_in_the_catalogs() -> None:
    # features/ is exempt: the simulator writes German client messages, and the text
    # scorers read German words; both are model data. risk/wording's docstrings show
    # what it writes.
    german = re.compile(r"[äöüÄÖÜß]")
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _product_modules()
        if not path.is_relative_to(ROOT / "features")
        and not path.is_relative_to(ROOT / "risk" / "wording")
        for line, text in _all_literals(path)
        if german.search(text)
    ]
    assert not found, f"German text in code: {found}"


def _all_literals(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
