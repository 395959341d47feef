"""A bundle from an independently written generator (another firm, other id styles,
timestamps with offsets) loads, builds features and labels.

The bundles are frozen (``tests/fixtures/make_firm_fixtures.py`` wrote them from the
bench firms ``other`` and ``third``), so these tests run no generator."""

from __future__ import annotations

import pytest

from features import build_features, build_labels, load_bundle
from features.bundle.summary import event_dates
from tests.fixtures.make_firm_fixtures import FIXTURES

pytestmark = pytest.mark.unit


def test_another_firms_export_goes_through() -> None:
    bundle = load_bundle(FIXTURES / "other")
    assert bundle.clients["client_id"].str.startswith("0").all()  # SAP-style ids kept as text
    _, last = event_dates(bundle)
    assert last is not None
    frame = build_features(bundle, [last])
    assert len(frame) > 30
    assert frame["days_since_inbound"].notna().any()
    assert build_labels(bundle, frame).shape == (len(frame), 2)


def test_a_third_firms_export_goes_through() -> None:
    bundle = load_bundle(FIXTURES / "third")
    _, last = event_dates(bundle)
    assert last is not None
    assert len(build_features(bundle, [last])) > 30
