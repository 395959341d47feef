"""The bench firms: six independently written generators of export bundles.

Each firm is a causal story of its own (who its clients are, why they dispute and
why they leave), written blind: without sight of the product's simulator, features
or models, from ``DATA_CONTRACT.md`` alone. ``tests/bench/bench_train.py`` judges
the models on them, on data the models were never developed on.

===========  ====  ==========================================================
module       seed  the firm
===========  ====  ==========================================================
``other``       7  Kestrel & Lind, an IT services and digital agency
``third``      11  Lindqvist & Haber, a brand and marketing agency
``fourth``     11  Brückenwerk Digital, an IT services and software house
``fifth``       5  Brandt & Okafor Ingenieure, an engineering consultancy
``sixth``      13  Lingualis Sprachdienste, a translation and localisation bureau
``seventh``    17  Halden & Moor People Advisory, an HR and talent advisory
===========  ====  ==========================================================

The seed is the one ``bench_train`` runs each firm with (``FIRMS``). The modules
keep the ordinal names they were written under (``other`` was the second firm,
named when it was the only other one): the bench tables, the README's figures and
the history all speak of "the fifth firm", so a new name would only break that
thread; the ``_firm`` suffix went, since the package now says it.

Every firm module has the same two entry points:

- ``make_bundle(out, clients=1000, months=24, seed=0)`` writes a bundle into the
  folder ``out``; the same arguments give the same bytes.
- ``risk_oracle(out, clients=1000, months=24, seed=0)`` writes the very same
  bundle and returns the firm's own point-in-time risk, one row per client and
  day it exists in the export, from the later of ``client_since`` and the first
  exported day (where a firm keeps the day of notice as a row, both risks are 0
  on it): ``client_id`` (as in clients.csv), ``day``, ``dispute_risk`` (a
  dispute within 30 days) and ``churn_risk`` (notice within 90 days). It reads
  the generator's hidden state of that day and none of the draws that decide
  what happens later: the ceiling for any model of the bundle, not something a
  model could compute.

and runs alone as ``python -m tests.bench.firms.<module> OUT --clients N --months M
--seed S``. What the firms had each written alike lives in ``toolkit``; each
module keeps its own story. ``test_firms_unchanged`` holds every firm to the
bytes it wrote before the firms moved here and shared the toolkit.
"""

from __future__ import annotations

from typing import NamedTuple


class BenchFirm(NamedTuple):
    """One bench firm: its module under ``tests.bench.firms``, its seed, what it is."""

    name: str
    seed: int
    description: str

    @property
    def module(self) -> str:
        return f"{__name__}.{self.name}"


FIRMS = (
    BenchFirm("other", 7, "an IT services and digital agency"),
    # written blind like the second, kept unseen while the features were revised
    # after the second one's results
    BenchFirm("third", 11, "a brand and marketing agency"),
    # written blind by another hand; first run only once the features and the model
    # selection of its round were settled
    BenchFirm("fourth", 11, "an IT services house"),
    # written blind by another hand after the fourth was used to develop on; run
    # once, after this round's changes were settled
    BenchFirm("fifth", 5, "a consultancy"),
    # written blind by another hand after the fifth was run; its first run found the
    # blend of raw scores wanting, so it became a development firm too
    BenchFirm("sixth", 13, "a translation and localisation bureau"),
    # written blind by another hand; run once, after the blend of calibrated
    # members was settled
    BenchFirm("seventh", 17, "an HR and talent advisory"),
)
