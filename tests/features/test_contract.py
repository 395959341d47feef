"""The contract in code matches the public DATA_CONTRACT.md, column for column."""

from __future__ import annotations

import re

import pytest

from features.bundle.contract import FILES
from tests.conftest import SHARED

pytestmark = pytest.mark.unit

CONTRACT = SHARED / "DATA_CONTRACT.md"


def documented() -> dict[str, dict[str, bool]]:
    """file -> {column: optional} from the markdown tables."""
    files: dict[str, dict[str, bool]] = {}
    current = None
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = re.match(r"^## (\w+)\.csv", line)
            current = heading.group(1) if heading else None
            if current:
                files[current] = {}
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if (
            current
            and line.startswith("|")
            and len(cells) == 3
            and cells[0] not in ("column", "---")
        ):
            files[current][cells[0]] = cells[2].startswith("optional")
    return files


def test_code_contract_matches_the_document() -> None:
    if not CONTRACT.exists():
        pytest.skip(f"../shared/DATA_CONTRACT.md is absent (looked in {CONTRACT})")
    doc = documented()
    assert set(doc) == set(FILES)
    for name, columns in doc.items():
        spec = FILES[name]
        assert [c.name for c in spec.columns] == list(columns), name
        for column in spec.columns:
            assert column.optional == columns[column.name], f"{name}.{column.name}"
