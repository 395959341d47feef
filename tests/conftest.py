"""Shared fixtures: the shared data folder, small simulated bundles, and the
rule for tests that need a real service (PostgreSQL, Chromium)."""

from __future__ import annotations

import os

# make test runs a process per core: OpenMP and BLAS threads on top would have the
# processes fight over every core, training three times slower. BLAS is limited by its
# variables (before numpy loads); OpenMP below, in this process only, because Arrow
# also sizes its thread pool by OMP_NUM_THREADS and then writes other Parquet bytes.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _threads in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_threads, "1")

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from features.simulation import Simulation, simulate
from tests.servers import mailbox, receiver  # noqa: F401 (fixtures of every test)

if os.environ.get("PYTEST_XDIST_WORKER"):
    import sklearn.utils._openmp_helpers  # noqa: F401 (loads scikit-learn's OpenMP)
    from threadpoolctl import threadpool_limits

    _ONE_OPENMP_THREAD = threadpool_limits(limits=1, user_api="openmp")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_BUNDLE = SHARED / "data" / "sample-bundle"


TIERS = ("unit", "data", "model", "integration", "browser")

# The command line speaks the user's locale (risk.wording, via LANGUAGE, LC_ALL,
# LC_MESSAGES, LANG): the suite reads English whatever the machine's, as CI's does;
# tests of another language set it themselves.
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test is in exactly one tier, so ``pytest -m unit`` (or data, model,
    integration, browser) runs what its name says and the tiers add up to the suite."""
    wrong = [
        f"{item.nodeid}: {tiers or 'no tier'}"
        for item in items
        if len(tiers := sorted({mark.name for mark in item.iter_markers()} & set(TIERS))) != 1
    ]
    if wrong:
        raise pytest.UsageError(
            f"each test needs one tier marker of {', '.join(TIERS)}:\n" + "\n".join(wrong[:20])
        )


def service_missing(reason: str) -> None:
    """Skip a test whose service is not there, except in CI, where it fails:
    a green CI must mean the PostgreSQL and browser tests really ran."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sample_bundle_path() -> Path:
    if not SAMPLE_BUNDLE.is_dir():
        pytest.skip(f"../shared/data/sample-bundle is absent (looked in {SAMPLE_BUNDLE})")
    return SAMPLE_BUNDLE


@pytest.fixture(scope="session")
def small_simulation() -> Simulation:
    """150 clients over 12 months: quick, but enough for causal checks."""
    return simulate(clients=150, months=12, seed=11)


@pytest.fixture(scope="session")
def causal_simulation() -> Simulation:
    """A larger firm for the tests that check the generator's causes reach its outcomes."""
    return simulate(clients=1200, months=24, seed=5)


POSTGRES_URL = os.environ.get(
    "RISK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A schema of its own on the shared PostgreSQL server, dropped afterwards (a test
    that needs the server skips, or fails under CI, when it does not answer)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except OperationalError as exc:
        admin.dispose()
        service_missing(f"PostgreSQL does not answer at {POSTGRES_URL}: {exc.orig}")
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty app database: SQLite in a temporary folder, and PostgreSQL
    in a schema of its own that is dropped afterwards (the server is shared)."""
    from risk.store.db import make_engine, upgrade

    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'risk.store.db'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    with postgres_schema() as schema:
        engine = make_engine(POSTGRES_URL, schema=schema)
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()
