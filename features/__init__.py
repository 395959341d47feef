"""The export bundle, the demo simulator and point-in-time features (the bottom layer).

The names below are imported on first use, so a light module of this package
(``features.risks``, the bundle's contract) does not pull in pandas and every
feature family: ``risk --help`` answers at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from features.build import FEATURES, build_features
    from features.bundle.load import Bundle, load_bundle
    from features.bundle.validation import BundleError, Problem
    from features.labels import build_labels

_HOMES = {
    "FEATURES": "features.build",
    "build_features": "features.build",
    "Bundle": "features.bundle.load",
    "load_bundle": "features.bundle.load",
    "BundleError": "features.bundle.validation",
    "Problem": "features.bundle.validation",
    "build_labels": "features.labels",
}

__all__ = [
    "FEATURES",
    "Bundle",
    "BundleError",
    "Problem",
    "build_features",
    "build_labels",
    "load_bundle",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'features' has no attribute {name!r}")
