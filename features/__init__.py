"""The export bundle, the demo simulator and point-in-time features (the bottom layer)."""

from features.bundle import Bundle, load_bundle
from features.validation import BundleError, Problem

__all__ = ["Bundle", "BundleError", "Problem", "load_bundle"]
