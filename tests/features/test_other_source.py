"""A bundle from an independently written generator (another firm, other id styles,
timestamps with offsets) loads, builds features and labels."""

from __future__ import annotations

from pathlib import Path

from features import build_features, build_labels, load_bundle
from features.summary import event_dates
from tests.bench.firms.other import make_bundle


def test_another_firms_export_goes_through(tmp_path: Path) -> None:
    make_bundle(tmp_path / "bundle", clients=60, months=8, seed=3)
    bundle = load_bundle(tmp_path / "bundle")
    assert bundle.clients["client_id"].str.startswith("0").all()  # SAP-style ids kept as text
    _, last = event_dates(bundle)
    assert last is not None
    frame = build_features(bundle, [last])
    assert len(frame) > 30
    assert frame["days_since_inbound"].notna().any()
    assert build_labels(bundle, frame).shape == (len(frame), 2)


def test_a_third_firms_export_goes_through(tmp_path: Path) -> None:
    from tests.bench.firms.third import make_bundle as make_third

    make_third(tmp_path / "third", clients=60, months=8, seed=3)
    bundle = load_bundle(tmp_path / "third")
    _, last = event_dates(bundle)
    assert last is not None
    assert len(build_features(bundle, [last])) > 30
