"""The demo simulator: valid, deterministic, varied, and its causes reach its outcomes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from features import load_bundle
from features.simulation import Simulation, simulate, topics, write_bundle

pytestmark = pytest.mark.data


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def events_before(
    events: pd.DataFrame, at: pd.DataFrame, date_column: str, days: int
) -> np.ndarray:
    """Per row of ``at``: how many ``events`` of its client fall in [date - days, date)."""
    codes = {c: i for i, c in enumerate(pd.unique(pd.concat([events.client_id, at.client_id])))}
    scale = np.int64(10**6)

    def key(clients: pd.Series, dates: pd.Series) -> np.ndarray:
        day = (dates - pd.Timestamp("2000-01-01")).dt.days.to_numpy(np.int64)
        return clients.map(codes).to_numpy(np.int64) * scale + day

    sorted_keys = np.sort(key(events.client_id, events.day))
    end = key(at.client_id, at[date_column])
    return np.searchsorted(sorted_keys, end) - np.searchsorted(sorted_keys, end - days)


def with_topics(sim: Simulation) -> pd.DataFrame:
    messages = sim.bundle.messages.copy()
    messages["topic"] = sim.message_topics.to_numpy()
    messages["day"] = messages["sent_at"].dt.tz_convert(None).dt.normalize()
    return messages


def test_output_passes_validation_and_round_trips(
    tmp_path: Path, small_simulation: Simulation
) -> None:
    for file_format in ("csv", "parquet"):
        folder = write_bundle(small_simulation.bundle, tmp_path / file_format, file_format)
        loaded = load_bundle(folder)
        for name, frame in small_simulation.bundle.frames():
            pd.testing.assert_frame_equal(
                loaded.frame(name), frame, check_dtype=True, obj=f"{file_format} {name}"
            )


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    first = write_bundle(simulate(40, 6, seed=3).bundle, tmp_path / "a")
    again = write_bundle(simulate(40, 6, seed=3).bundle, tmp_path / "b")
    other = write_bundle(simulate(40, 6, seed=4).bundle, tmp_path / "c")
    assert digest(first) == digest(again)
    assert digest(first)["messages.csv"] != digest(other)["messages.csv"]


def test_a_firm_in_full(small_simulation: Simulation) -> None:
    bundle = small_simulation.bundle
    assert set(bundle.clients["language"]) == {"en", "de"}
    assert set(bundle.projects["billing_model"]) == {"fixed_fee", "time_and_materials", "retainer"}
    assert {"email", "chat", "call", "survey", "thread"} <= set(bundle.messages["channel"])
    assert set(bundle.messages["direction"]) == {"inbound", "outbound"}
    invoices = bundle.invoices
    assert invoices["disputed_at"].notna().any()
    late = invoices["paid_at"] > invoices["due_at"]
    assert 0.05 < late.mean() < 0.8
    assert len(bundle.churn) > 0
    surveys = bundle.messages[bundle.messages["channel"] == "survey"]
    assert surveys["score"].between(0, 10).all()
    assert len(surveys) > 50
    # Weekly progress reports and daily time entries.
    per_project = bundle.progress.groupby("project_id")["reported_at"].diff().dt.days.dropna()
    assert per_project.median() == 7
    assert bundle.time_entries["worked_on"].dt.day_of_week.max() <= 4


def test_message_texts_are_varied_in_both_languages(small_simulation: Simulation) -> None:
    messages = with_topics(small_simulation)
    inbound = messages[messages["direction"] == "inbound"].dropna(subset=["text"])
    assert inbound["text"].nunique() > 0.3 * len(inbound.drop_duplicates("text")) > 300
    language = inbound["client_id"].map(
        small_simulation.bundle.clients.set_index("client_id")["language"]
    )
    for lang in ("en", "de"):
        texts = inbound.loc[language == lang, "text"]
        assert texts.nunique() > 200, lang
    assert inbound["text"].str.contains('\n|,|"', regex=True).any()
    complaints = inbound[inbound["topic"].isin([topics.DELAY, topics.QUALITY])]
    assert complaints["text"].nunique() > 100


def test_churned_clients_stop_and_projects_close(small_simulation: Simulation) -> None:
    bundle = small_simulation.bundle
    churned = bundle.churn.set_index("client_id")["churned_at"]
    messages = bundle.messages.assign(churned=bundle.messages["client_id"].map(churned))
    assert not (
        messages["sent_at"].dt.tz_convert(None) >= messages["churned"] + pd.Timedelta(days=1)
    ).any()
    projects = bundle.projects.assign(churned=bundle.projects["client_id"].map(churned))
    gone = projects.dropna(subset=["churned"])
    assert (gone["start_date"] < gone["churned"]).all()
    assert (gone["closed_at"].dropna() <= gone["churned"].loc[gone["closed_at"].notna()]).all()


def test_billing_questions_come_before_disputes(causal_simulation: Simulation) -> None:
    """Clients who dispute asked more billing questions in the 60 days before than
    clients who did not dispute in the 30 days after a random date."""
    bundle = causal_simulation.bundle
    messages = with_topics(causal_simulation)
    questions = messages[messages["topic"] == topics.BILLING_QUESTION]
    disputes = bundle.invoices.dropna(subset=["disputed_at"])[["client_id", "disputed_at"]]
    before_dispute = events_before(questions, disputes, "disputed_at", 60)

    rng = np.random.default_rng(0)
    first, last = pd.Timestamp("2025-03-10"), bundle.invoices["issued_at"].max()
    control = pd.DataFrame(
        {
            "client_id": rng.choice(bundle.clients["client_id"].to_numpy(), 6000),
            "at": first + pd.to_timedelta(rng.integers(0, (last - first).days, 6000), unit="D"),
        }
    )
    churn = control["client_id"].map(bundle.churn.set_index("client_id")["churned_at"])
    since = control["client_id"].map(bundle.clients.set_index("client_id")["client_since"])
    control = control[(churn.isna() | (control["at"] < churn)) & (since < control["at"])]
    dispute_days = disputes.rename(columns={"disputed_at": "day"})
    ahead = events_before(
        dispute_days, control.assign(at=control["at"] + pd.Timedelta(days=31)), "at", 31
    )
    control = control[ahead == 0]
    before_control = events_before(questions, control, "at", 60)

    assert len(disputes) > 300
    assert len(control) > 3000
    assert before_dispute.mean() > 3 * before_control.mean()
    # ...yet not a single-signal giveaway: many disputes come without a question,
    # and many questions lead to no dispute.
    assert (before_dispute == 0).mean() > 0.05
    assert (before_control > 0).mean() > 0.1


def test_churners_go_quiet_against_their_own_rhythm(causal_simulation: Simulation) -> None:
    """In the 60 days before churn a client writes less than it did in the 180 before."""
    bundle = causal_simulation.bundle
    messages = with_topics(causal_simulation)
    inbound = messages[messages["direction"] == "inbound"]
    churn = bundle.churn.merge(bundle.clients[["client_id", "client_since"]])
    history_from = churn["client_since"].clip(lower=pd.Timestamp("2025-01-06"))
    churn = churn[churn["churned_at"] - history_from > pd.Timedelta(days=240)]
    recent = events_before(inbound, churn, "churned_at", 60) / 60
    earlier = (
        events_before(
            inbound,
            churn.assign(churned_at=churn["churned_at"] - pd.Timedelta(days=60)),
            "churned_at",
            180,
        )
        / 180
    )
    ratio = recent / np.maximum(earlier, 1e-9)
    assert len(churn) > 80
    assert np.median(ratio) < 0.6
    assert (ratio < 1).mean() > 0.65
    # Some churn comes without warning.
    assert (ratio >= 0.8).mean() > 0.05


def test_billing_ahead_of_progress_comes_before_disputes(causal_simulation: Simulation) -> None:
    """What a feature can see: billed share of budget minus the latest reported
    progress is wider at the issue of disputed invoices than of the others."""
    bundle = causal_simulation.bundle
    invoices = bundle.invoices.dropna(subset=["project_id"]).sort_values("issued_at").copy()
    budget = invoices["project_id"].map(bundle.projects.set_index("project_id")["budget"])
    invoices["billed_share"] = invoices.groupby("project_id")["amount"].cumsum() / budget
    progress = bundle.progress.sort_values("reported_at")
    latest = pd.merge_asof(
        invoices, progress, left_on="issued_at", right_on="reported_at", by="project_id"
    )
    latest["gap"] = latest["billed_share"] * 100 - latest["percent_complete"]
    disputed = latest["disputed_at"].notna()
    gap_disputed = latest.loc[disputed, "gap"].median()
    gap_other = latest.loc[~disputed, "gap"].median()
    assert gap_disputed > gap_other + 5


def test_new_contacts_ask_what_the_client_pays_for(causal_simulation: Simulation) -> None:
    messages = with_topics(causal_simulation)
    intro = messages[messages["topic"] == topics.NEW_CONTACT]
    assert len(intro) > 100
    earlier_authors = messages[messages["direction"] == "inbound"].groupby("client_id")
    first_seen = earlier_authors.apply(
        lambda m: m.groupby("author")["sent_at"].min(), include_groups=False
    )
    for _, row in intro.head(50).iterrows():
        assert first_seen.loc[(row["client_id"], row["author"])] == row["sent_at"]


@pytest.mark.parametrize(("clients", "months"), [(1, 1), (3, 2)])
def test_tiny_firms_still_make_a_valid_bundle(tmp_path: Path, clients: int, months: int) -> None:
    result = simulate(clients, months, seed=1)
    load_bundle(write_bundle(result.bundle, tmp_path))


def test_rejects_nonsense_sizes() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        simulate(0, 12)
