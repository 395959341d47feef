"""The export bundle (``DATA_CONTRACT.md``): its contract, loading, validation and summary."""

from features.bundle.load import Bundle, load_bundle
from features.bundle.validation import BundleError, Problem

__all__ = ["Bundle", "BundleError", "Problem", "load_bundle"]
