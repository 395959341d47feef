"""Project hygiene: the layer rule and a consistent environment."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT, SHARED


def test_layers_only_import_downwards() -> None:
    checker = SHARED / "tools" / "layers.py"
    if not checker.exists():
        pytest.skip(f"../shared/tools/layers.py is absent (looked in {checker})")
    result = subprocess.run(
        [sys.executable, str(checker), str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_installed_packages_are_consistent() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
