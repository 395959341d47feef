"""Score runs: every active client scored and stored, flags opened, updated and
cleared, reasons that are the model's own largest attributions, alerts only on rises.
The persistence runs on SQLite and PostgreSQL (``database``)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from features.build import build_features
from features.risks import RISKS
from features.simulation import Simulation
from models.attribution import baseline_shapley
from models.dataset import training_set, weekly_as_of
from models.train import fit
from risk.alerts.outbox import should_alert
from risk.explain import GROUPS, reason_group
from risk.scoring.flags import acknowledge, list_flags
from risk.scoring.levels import cap_high
from risk.scoring.run import FEATURE_COLUMNS, TOP_REASONS, Model, RunSummary, score
from risk.settings import Settings
from risk.store.load import load
from risk.store.tables import alerts, flag_events, flags, score_runs, scores

pytestmark = pytest.mark.integration

AS_OF = date(2025, 11, 30)


@pytest.fixture(scope="module")
def models(small_simulation: Simulation) -> dict[str, Model]:
    """Gradient-boosted models fitted on the small firm, as a run would use champions."""
    bundle = small_simulation.bundle
    data = training_set(bundle, weekly_as_of(bundle))
    out = {}
    for risk in RISKS:
        fitted = fit(data, risk.label, "gbm", risk.horizon_days)
        out[risk.name] = Model(risk=risk.name, version="7", predict=fitted.predict_proba)
    return out


def _settings(tmp_path: Path, **levels: float) -> Settings:
    thresholds = {
        "dispute_elevated": 0.02,
        "dispute_high": 0.30,
        "churn_elevated": 0.005,
        "churn_high": 0.03,
    }
    return Settings(home=tmp_path, **{**thresholds, **levels})


def _calm(tmp_path: Path) -> Settings:
    """Thresholds no client reaches, not even within the hysteresis: every flag clears."""
    return _settings(
        tmp_path,
        dispute_elevated=0.999,
        dispute_high=0.999,
        churn_elevated=0.999,
        churn_high=0.999,
        clear_ratio=1.0,
    )


def _run(engine: Engine, settings: Settings, models: dict[str, Model], day: date = AS_OF) -> int:
    return score(engine, settings, "cli:test", as_of=day, models=models, notes={}).run_id


def test_a_run_scores_every_active_client_and_explains_each_flag(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    bundle = small_simulation.bundle
    load(database, bundle, "cli:test")
    summary = score(database, _settings(tmp_path), "cli:test", as_of=AS_OF, models=models)

    features = build_features(bundle, pd.DatetimeIndex([AS_OF])).droplevel("as_of")
    with database.connect() as connection:
        stored = pd.DataFrame(
            connection.execute(select(scores).where(scores.c.run_id == summary.run_id))
            .mappings()
            .all()
        )
        run = connection.execute(select(score_runs)).mappings().one()
        open_flags = connection.execute(select(flags)).mappings().all()
    assert summary.clients == len(features)
    assert len(stored) == 2 * len(features)
    assert set(stored["client_id"]) == set(features.index)
    assert run["models"] == {
        "dispute": "billing-risk-dispute/7",
        "churn": "billing-risk-churn/7",
    }
    assert run["finished_at"] is not None
    assert stored["model_version"].eq("7").all()
    at_level = stored[stored["level"].notna()]
    assert len(open_flags) == len(at_level) > 0

    # The reasons shown are the largest positive attributions of the model itself,
    # summed over each group of features stating one fact.
    reference = features[FEATURE_COLUMNS].median()
    for risk, model in models.items():
        flagged = at_level[at_level["risk"] == risk].set_index("client_id")
        contributions = baseline_shapley(
            model.predict, features.loc[flagged.index, FEATURE_COLUMNS], reference
        )
        for client_id, reasons in flagged["reasons"].items():
            by_group = contributions.loc[client_id].groupby(reason_group).sum()
            expected = by_group[by_group > 0].sort_values(ascending=False).head(TOP_REASONS)
            assert [reason_group(r["feature"]) for r in reasons] == list(expected.index)
            np.testing.assert_allclose(
                [r["contribution"] for r in reasons], expected.to_numpy(), atol=1e-6
            )
            for reason in reasons:
                members = contributions.loc[
                    client_id, list(GROUPS[reason_group(reason["feature"])])
                ]
                assert reason["feature"] == members.idxmax()
                assert reason["text"]

    languages = bundle.clients.set_index("client_id")["language"]
    german = [f for f in open_flags if languages[f["client_id"]] == "de" and f["reasons"]]
    english = [f for f in open_flags if languages[f["client_id"]] == "en" and f["reasons"]]
    assert german
    assert english
    german_words = ("Tage", "Rechnung", "Kunde", "Budget", "Nachricht", "Projekt", "Umfrage")
    assert all(
        any(word in r["text"] for r in f["reasons"] for word in german_words) for f in german
    )


def test_flags_open_update_clear_and_alert_only_on_rises(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    load(database, small_simulation.bundle, "cli:test")
    settings = _settings(tmp_path)
    first = score(database, settings, "cli:test", as_of=AS_OF, models=models)
    assert first.opened > 0
    assert first.alerts == first.opened  # every new flag is a rise from no level

    with database.connect() as connection:
        opened = dict(connection.execute(select(flags.c.flag_id, flags.c.level)).all())
        pending = connection.execute(
            select(func.count()).select_from(alerts).where(alerts.c.state == "pending")
        ).scalar_one()
    assert pending == first.alerts

    # The same date again: nothing opened, nothing to alert, and each flag is still
    # this date's news (the trend compares with earlier dates, never with its twin).
    second = score(database, settings, "cli:test", as_of=AS_OF, models=models)
    assert (second.opened, second.cleared, second.alerts) == (0, 0, 0)
    with database.connect() as connection:
        rows = connection.execute(select(flags.c.flag_id, flags.c.trend, flags.c.status)).all()
    assert {row.flag_id for row in rows} == set(opened)
    assert {row.trend for row in rows} == {"new"}

    # Thresholds no client reaches, not even within the hysteresis: every flag clears.
    calm = _calm(tmp_path)
    third = score(database, calm, "cli:test", as_of=AS_OF, models=models)
    assert third.cleared == len(opened)
    with database.connect() as connection:
        rows = connection.execute(select(flags.c.status, flags.c.trend, flags.c.level)).all()
        cleared_events = connection.execute(
            select(func.count()).select_from(flag_events).where(flag_events.c.kind == "cleared")
        ).scalar_one()
    assert {tuple(row) for row in rows} == {("cleared", "cleared", None)}
    assert cleared_events == len(opened)
    with database.connect() as connection:  # nothing false left to tell the leads
        assert connection.execute(select(func.count()).select_from(alerts)).scalar_one() == 0
    assert list_flags(database, today=AS_OF) == []

    # Back at a level: new flags (new ids); the alerts still waiting are updated,
    # never doubled: one waiting alert per client and risk.
    fourth = score(database, settings, "cli:test", as_of=AS_OF, models=models)
    assert fourth.opened == len(opened)
    with database.connect() as connection:
        ids = set(
            connection.execute(select(flags.c.flag_id).where(flags.c.status == "open")).scalars()
        )
        waiting = connection.execute(
            select(alerts.c.client_id, alerts.c.risk).where(alerts.c.state == "pending")
        ).all()
    assert ids.isdisjoint(opened)
    assert len(waiting) == len(set(waiting)) == first.alerts


def test_an_acknowledged_flag_stays_quiet_until_its_level_changes(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    load(database, small_simulation.bundle, "cli:test")
    settings = _settings(tmp_path)
    score(database, settings, "cli:test", as_of=AS_OF, models=models)
    high = [f for f in list_flags(database, today=AS_OF) if f.level == "high"]
    assert high
    flag = acknowledge(database, high[0].flag_id, "cli:alice")
    assert flag.acknowledged_by == "cli:alice"
    with database.connect() as connection:  # its waiting alert is moot: the PM has seen it
        waiting = set(connection.execute(select(alerts.c.flag_id)).scalars())
    assert flag.flag_id not in waiting
    assert len(waiting) > 0

    with database.begin() as connection:
        connection.execute(alerts.delete())  # as if delivered and forgotten
    # Down to elevated, then back up to high: the level it was acknowledged at.
    lower = _settings(tmp_path, dispute_high=0.9999, churn_high=0.9999)
    lowered = score(database, lower, "cli:test", as_of=AS_OF, models=models)
    assert all(counts["high"] == 0 for counts in lowered.levels.values())
    back = score(database, settings, "cli:test", as_of=AS_OF, models=models)
    with database.connect() as connection:
        alerted = set(connection.execute(select(alerts.c.flag_id)).scalars())
        events = connection.execute(
            select(flag_events.c.kind, flag_events.c.actor).where(
                flag_events.c.flag_id == flag.flag_id
            )
        ).all()
    assert flag.flag_id not in alerted
    assert len(alerted) == back.alerts == len(high) - 1
    assert ("acknowledged", "cli:alice") in {tuple(e) for e in events}
    assert [e.kind for e in events].count("level_changed") == 2


def test_alerts_fire_on_rises_only() -> None:
    assert should_alert("elevated", None, None)
    assert should_alert("high", "elevated", None)
    assert not should_alert("elevated", "high", None)
    assert not should_alert("high", "high", None)
    assert not should_alert("high", "elevated", "high")  # acknowledged at high
    assert should_alert("high", "elevated", "elevated")  # acknowledged lower: a change


def test_the_cap_keeps_each_pms_riskiest_high_flags() -> None:
    index = pd.Index(["a", "b", "c", "d", "e"])
    levels = pd.Series(["high", "high", "high", "elevated", "high"], index=index, dtype=object)
    probability = pd.Series([0.5, 0.9, 0.7, 0.95, 0.6], index=index)
    pm = pd.Series(["x", "x", "x", "x", None], index=index, dtype=object)
    capped = cap_high(levels, probability, pm, per_pm=2)
    assert capped.to_dict() == {
        "a": "elevated",
        "b": "high",
        "c": "high",
        "d": "elevated",
        "e": "high",
    }
    assert cap_high(levels, probability, pm, per_pm=0).equals(levels)


def test_an_open_flag_holds_its_level_a_little_below_the_line(tmp_path: Path) -> None:
    from risk.scoring.levels import levels_of

    settings = _settings(tmp_path, dispute_elevated=0.2, dispute_high=0.5)
    probability = pd.Series([0.17, 0.17, 0.15, 0.6], index=["open", "new", "far", "top"])
    flagged = pd.Series([True, False, True, False], index=probability.index)
    assert levels_of(probability, "dispute", settings, flagged).tolist() == [
        "elevated",
        None,
        None,
        "high",
    ]


def test_a_back_dated_run_keeps_its_scores_but_leaves_the_flags(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    load(database, small_simulation.bundle, "cli:test")
    first = score(database, _settings(tmp_path), "cli:test", as_of=AS_OF, models=models)
    assert first.opened > 0
    assert first.later_run_on is None
    with database.connect() as connection:
        before = connection.execute(select(flags).order_by(flags.c.flag_id)).all()
        queued = connection.execute(select(func.count()).select_from(alerts)).scalar_one()
    # Four weeks earlier, with thresholds that would clear every flag were it today.
    calm = _calm(tmp_path)
    earlier = score(database, calm, "cli:test", as_of=date(2025, 11, 2), models=models)
    assert earlier.later_run_on == AS_OF
    assert (earlier.opened, earlier.cleared, earlier.alerts) == (0, 0, 0)
    with database.connect() as connection:
        assert connection.execute(select(flags).order_by(flags.c.flag_id)).all() == before
        assert connection.execute(select(func.count()).select_from(alerts)).scalar_one() == queued
        kept = connection.execute(
            select(func.count()).select_from(scores).where(scores.c.run_id == earlier.run_id)
        ).scalar_one()
    assert kept == 2 * earlier.clients  # both risks scored, for history
    # The same day as the latest run is not back-dated: it updates the flags.
    again = score(database, calm, "cli:test", as_of=AS_OF, models=models)
    assert again.later_run_on is None
    assert again.cleared == first.opened


@pytest.mark.reliability
def test_scoring_a_date_again_keeps_the_weeks_trends(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    """A date scored twice (a scheduled run after an ingest) compares with the latest run
    of an earlier date, never with its twin, so the week's rising and new flags stay."""
    load(database, small_simulation.bundle, "cli:test")
    settings = _settings(tmp_path)
    _run(database, settings, models, date(2025, 11, 2))
    first = score(database, settings, "cli:test", as_of=AS_OF, models=models)

    def state() -> dict[str, tuple[str, str | None]]:
        with database.connect() as connection:
            rows = connection.execute(
                select(flags.c.flag_id, flags.c.trend, flags.c.level).where(
                    flags.c.status == "open"
                )
            ).all()
        return {row.flag_id: (row.trend, row.level) for row in rows}

    def queued() -> int:
        with database.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(alerts)).scalar_one())

    week, alerts_before = state(), queued()
    trends = {trend for trend, _ in week.values()}
    assert trends & {"new", "rising"}, trends  # the week has news to lose
    again = score(database, settings, "cli:test", as_of=AS_OF, models=models)
    assert again.run_id != first.run_id
    assert again.same_date_run is None
    assert (again.opened, again.cleared, again.alerts) == (0, 0, 0)
    assert state() == week
    assert queued() == alerts_before
    with database.connect() as connection:
        runs = connection.execute(
            select(func.count()).select_from(score_runs).where(score_runs.c.as_of == AS_OF)
        ).scalar_one()
    assert runs == 2


@pytest.mark.reliability
def test_two_runs_of_one_date_at_once_store_one(
    database: Engine, small_simulation: Simulation, models: dict[str, Model], tmp_path: Path
) -> None:
    load(database, small_simulation.bundle, "cli:test")
    settings = _settings(tmp_path)
    start = threading.Barrier(2)

    def run() -> RunSummary:
        start.wait()
        return score(database, settings, "cli:test", as_of=AS_OF, models=models, notes={})

    with ThreadPoolExecutor(2) as pool:
        summaries = list(pool.map(lambda _: run(), range(2)))
    stored = [s for s in summaries if s.same_date_run is None]
    skipped = [s for s in summaries if s.same_date_run is not None]
    assert len(stored) == 1, summaries
    assert len(skipped) == 1
    assert skipped[0].same_date_run == stored[0].run_id
    with database.connect() as connection:
        runs = connection.execute(select(score_runs.c.run_id)).scalars().all()
        events = connection.execute(
            select(func.count()).select_from(flag_events).where(flag_events.c.kind == "opened")
        ).scalar_one()
    assert runs == [stored[0].run_id]
    assert events == stored[0].opened
