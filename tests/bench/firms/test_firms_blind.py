"""The bench firms stay blind: no firm reads the product, and the toolkit reads only
its contract.

A firm that imported the simulator, the features or the models would judge the
models on their own quirks, which is what the bench firms exist to avoid.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

FIRMS_DIR = Path(__file__).parent
PRODUCT = ("features", "models", "risk", "service")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    return names


@pytest.mark.parametrize(
    "path",
    [path for path in sorted(FIRMS_DIR.glob("*.py")) if not path.name.startswith("test_")],
    ids=lambda path: path.stem,
)
def test_firms_read_nothing_of_the_product_but_the_contract(path: Path) -> None:
    allowed = {"features.bundle.contract"} if path.stem == "toolkit" else set()
    product = {name for name in _imports(path) if name.split(".")[0] in PRODUCT}
    assert product <= allowed
