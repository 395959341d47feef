"""The export bundle, the demo simulator and point-in-time features (the bottom layer)."""

from features.build import FEATURES, build_features
from features.bundle.load import Bundle, load_bundle
from features.bundle.validation import BundleError, Problem
from features.labels import build_labels

__all__ = [
    "FEATURES",
    "Bundle",
    "BundleError",
    "Problem",
    "build_features",
    "build_labels",
    "load_bundle",
]
