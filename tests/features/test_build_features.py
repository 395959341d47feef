"""build_features: known values on a tiny bundle, directions, invariance, and no leakage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from features import FEATURES, Bundle, build_features, build_labels, load_bundle
from features.simulation import Simulation
from features.text.sentiment import SentimentScorer

pytestmark = pytest.mark.data

TINY = {
    "clients.csv": (
        "client_id,name,account_lead,client_since,language\n"
        "A,Acme Ltd,lead@firm.example,2025-01-01,en\n"
        "B,Beta GmbH,lead@firm.example,2025-02-01,de\n"
    ),
    "projects.csv": (
        "project_id,client_id,name,pm,billing_model,budget,start_date,end_date,closed_at\n"
        "P1,A,Rollout,pm@firm.example,fixed_fee,10000,2025-01-01,2025-12-31,\n"
        "P2,B,Migration,pm@firm.example,time_and_materials,20000,2025-02-01,2025-09-30,"
        "2025-06-30\n"
    ),
    "progress.csv": (
        "project_id,reported_at,percent_complete\n"
        "P1,2025-02-28,20\nP1,2025-04-30,40\nP2,2025-03-31,50\n"
    ),
    "time_entries.csv": (
        "entry_id,project_id,worked_on,hours,billable,amount\n"
        "E1,P1,2025-01-15,8,true,1000\nE2,P1,2025-03-15,16,true,2000\n"
        "E3,P2,2025-02-15,40,true,5000\n"
    ),
    "invoices.csv": (
        "invoice_id,client_id,project_id,issued_at,due_at,amount,paid_at,disputed_at\n"
        "I1,A,P1,2025-02-01,2025-03-03,3000,2025-03-10,\n"
        "I2,A,P1,2025-04-01,2025-05-01,3000,,2025-05-20\n"
        "I3,B,P2,2025-03-01,2025-03-15,6000,2025-03-20,\n"
    ),
    "messages.csv": (
        "message_id,client_id,sent_at,channel,direction,text,author,score\n"
        'M1,A,2025-01-10T09:00:00Z,email,inbound,"Great work, thank you!",Kim,\n'
        "M2,A,2025-03-05T10:00:00Z,email,inbound,Can you explain the hours on invoice I1?,Lee,\n"
        "M3,A,2025-03-12T10:00:00Z,email,outbound,Here is the breakdown.,pm,\n"
        "M4,A,2025-03-31T12:00:00Z,survey,inbound,,Kim,9\n"
        "M5,A,2025-05-25T08:00:00Z,email,inbound,We are very disappointed with the delays.,Kim,\n"
        "M6,A,2025-05-31T12:00:00Z,survey,inbound,,Kim,6\n"
        'M7,B,2025-02-10T09:00:00Z,chat,inbound,"Danke, sehr gute Arbeit.",Jan,\n'
        "M8,B,2025-03-20T09:00:00Z,chat,inbound,Wir sind nicht zufrieden.,Jan,\n"
    ),
    "churn.csv": "client_id,churned_at\nB,2025-07-15\n",
}
AS_OF = ["2025-03-31", "2025-05-31", "2025-08-31"]


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Bundle:
    return load_bundle(write(tmp_path / "tiny", TINY))


@pytest.fixture
def tiny_features(tiny: Bundle) -> pd.DataFrame:
    return build_features(tiny, AS_OF)


def at(frame: pd.DataFrame, client: str, day: str) -> pd.Series:
    row: pd.Series = frame.loc[(client, pd.Timestamp(day))]
    return row


def test_index_columns_and_sources(tiny_features: pd.DataFrame) -> None:
    assert list(tiny_features.columns) == list(FEATURES)
    assert tiny_features.index.names == ["client_id", "as_of"]
    assert tiny_features.index.get_level_values("as_of").dtype == "datetime64[ns]"
    # B churned on 2025-07-15, so it is not scored on 2025-08-31.
    assert list(tiny_features.index) == [("A", pd.Timestamp(d)) for d in AS_OF] + [
        ("B", pd.Timestamp("2025-03-31")),
        ("B", pd.Timestamp("2025-05-31")),
    ]
    assert tiny_features.attrs["sources"]["churn"] is True
    assert all(FEATURES[name] for name in FEATURES)


def test_known_values_at_three_dates(tiny_features: pd.DataFrame) -> None:
    scorer = SentimentScorer()
    a_march = at(tiny_features, "A", "2025-03-31")
    question = scorer.score("Can you explain the hours on invoice I1?", "en")
    assert a_march["sentiment_mean_30d"] == pytest.approx(question)
    assert a_march["billed_share_max"] == pytest.approx(0.3)
    assert a_march["time_value_share_max"] == pytest.approx(0.3)
    assert a_march["progress_weighted"] == pytest.approx(20)
    assert a_march["billed_minus_progress_max"] == pytest.approx(10)
    assert a_march["overbilling_amount"] == pytest.approx(1000)
    assert a_march["progress_report_age_max"] == 31
    assert a_march["open_invoices"] == 0
    assert a_march["days_late_mean_90d"] == 7
    assert a_march["billing_questions_30d"] == 1
    assert a_march["days_since_billing_question"] == 26
    # Asked Wed 5 March; 3 working days end Mon 10 March; the reply came on the 12th.
    assert a_march["billing_questions_unanswered_90d"] == 1
    assert a_march["survey_score_latest"] == 9
    assert np.isnan(a_march["survey_score_change"])
    assert a_march["days_since_inbound"] == 0
    assert a_march["tenure_days"] == 89
    assert a_march["active_projects"] == 1
    assert a_march["budget_open"] == 10000
    assert a_march["new_contact_30d"] == 1  # Lee wrote first on 5 March
    assert a_march["runway_days"] == 275  # P1 is planned to end on 31 December
    assert a_march["days_since_project_start"] == 89
    # 16 hours in March against 8 in the 90 days before (8 / 3 a month).
    assert a_march["work_hours_ratio"] == pytest.approx(6.0)
    assert a_march["days_since_work"] == 16
    assert np.isnan(a_march["work_hours_ratio_90d"])  # nothing before the last 90 days
    assert np.isnan(a_march["inbound_volume_ratio_90d"])
    assert a_march["relationship_doubts_90d"] == 0
    assert np.isnan(a_march["days_since_relationship_doubt"])

    a_may = at(tiny_features, "A", "2025-05-31")
    assert a_may["billed_share_max"] == pytest.approx(0.6)
    assert a_may["billed_minus_progress_max"] == pytest.approx(20)
    assert a_may["overbilling_amount"] == pytest.approx(2000)
    assert a_may["open_invoices"] == 1
    assert a_may["open_amount"] == 3000
    assert a_may["overdue_invoices"] == 1
    assert a_may["overdue_amount"] == 3000
    assert a_may["disputes_180d"] == 1
    assert a_may["days_since_invoice"] == 60
    assert a_may["latest_invoice_ratio"] == pytest.approx(1.0)
    assert a_may["survey_score_latest"] == 6
    assert a_may["survey_score_change"] == -3
    assert a_may["sentiment_min_30d"] == pytest.approx(
        scorer.score("We are very disappointed with the delays.", "en")
    )
    assert a_may["sentiment_min_30d"] < -0.3
    assert a_may["new_contact_30d"] == 0
    assert a_may["runway_days"] == 214
    assert a_may["work_hours_ratio"] == 0  # nothing logged in May, 16 hours before
    assert a_may["days_since_work"] == 77
    # 16 hours since 2 March against 8 in the 270 days before (8 / 3 a quarter).
    assert a_may["work_hours_ratio_90d"] == pytest.approx(6.0)
    # Four client messages (two of them surveys) since 2 March against one before.
    assert a_may["inbound_volume_ratio_90d"] == pytest.approx(12.0)

    a_august = at(tiny_features, "A", "2025-08-31")
    assert a_august["days_since_inbound"] == 92
    assert a_august["longest_gap_90d"] == 90
    assert np.isnan(a_august["sentiment_mean_30d"])
    assert np.isnan(a_august["work_hours_ratio"])  # no hours in the 90 days before either
    assert a_august["days_since_work"] == 169
    assert a_august["work_hours_ratio_90d"] == 0  # 24 hours in the 270 days before
    assert a_august["inbound_volume_ratio_90d"] == 0

    b_march = at(tiny_features, "B", "2025-03-31")
    assert b_march["billed_share_max"] == pytest.approx(0.3)
    assert b_march["time_value_share_max"] == pytest.approx(0.25)
    assert b_march["billed_minus_progress_max"] == pytest.approx(-20)
    assert b_march["open_invoices"] == 0
    assert b_march["days_late_mean_90d"] == 5
    assert b_march["sentiment_min_90d"] < 0 < b_march["sentiment_mean_90d"] + 1
    assert b_march["negative_share_90d"] == pytest.approx(0.5)


def test_labels_follow_the_contract(tiny: Bundle) -> None:
    rows = build_features(tiny, ["2025-04-10", "2025-04-25", "2025-05-31"])
    labels = build_labels(tiny, rows)
    assert labels.loc[("A", pd.Timestamp("2025-04-25")), "dispute_30d"] == 1  # 20 May
    assert labels.loc[("A", pd.Timestamp("2025-04-10")), "dispute_30d"] == 0
    # The invoices end on 20 May, so a window to 30 June is not seen: unknown, not 0.
    assert np.isnan(labels.loc[("A", pd.Timestamp("2025-05-31")), "dispute_30d"])
    assert labels.loc[("B", pd.Timestamp("2025-05-31")), "churn_90d"] == 1  # 15 July
    # The data end on 15 July, so A's 90 days from 31 May are not fully observed.
    assert np.isnan(labels.loc[("A", pd.Timestamp("2025-05-31")), "churn_90d"])


def test_a_target_without_any_record_is_unknown(tiny: Bundle) -> None:
    no_churn = replace(tiny, churn=tiny.churn.iloc[:0])
    labels = build_labels(no_churn, build_features(no_churn, ["2025-03-31"]))
    assert labels["churn_90d"].isna().all()
    assert labels["dispute_30d"].notna().all()


def test_a_missing_source_gives_missing_features(tiny: Bundle) -> None:
    silent = replace(tiny, messages=tiny.messages.iloc[:0])
    frame = build_features(silent, AS_OF)
    assert frame.attrs["sources"]["messages"] is False
    assert frame["days_since_inbound"].isna().all()
    assert frame["billing_questions_30d"].isna().all()
    assert frame["billed_share_max"].notna().any()


# --- directions: each signal moves its features the right way ----------------------------


def with_rows(bundle: Bundle, name: str, rows: list[dict[str, object]]) -> Bundle:
    frame = bundle.frame(name)
    extra = pd.DataFrame(rows).astype({c: frame[c].dtype for c in rows[0]})
    return replace(bundle, **{name: pd.concat([frame, extra], ignore_index=True)})


def message(mid: str, when: str, text: str, direction: str = "inbound") -> dict[str, object]:
    return {
        "message_id": mid,
        "client_id": "A",
        "sent_at": pd.Timestamp(when, tz="UTC"),
        "channel": "email",
        "direction": direction,
        "text": text,
        "author": "Kim",
    }


def test_an_angry_message_lowers_sentiment(tiny: Bundle) -> None:
    angry = with_rows(
        tiny,
        "messages",
        [
            message(
                "X1",
                "2025-03-20T09:00:00",
                "This is unacceptable. We are furious about the delays!",
            )
        ],
    )
    before = at(build_features(tiny, AS_OF), "A", "2025-03-31")
    after = at(build_features(angry, AS_OF), "A", "2025-03-31")
    assert after["sentiment_mean_30d"] < before["sentiment_mean_30d"] - 0.2
    assert after["sentiment_min_30d"] < -0.5
    assert after["negative_share_90d"] > before["negative_share_90d"]


def test_a_billing_question_counts(tiny: Bundle) -> None:
    asked = with_rows(
        tiny,
        "messages",
        [message("X1", "2025-05-20T09:00:00", "Why were we charged for 40 hours in April?")],
    )
    before = at(build_features(tiny, AS_OF), "A", "2025-05-31")
    after = at(build_features(asked, AS_OF), "A", "2025-05-31")
    assert after["billing_questions_30d"] == before["billing_questions_30d"] + 1
    assert after["days_since_billing_question"] == 11
    assert (
        after["billing_questions_unanswered_90d"] == before["billing_questions_unanswered_90d"] + 1
    )
    assert after["billing_question_share_90d"] > before["billing_question_share_90d"]


def test_hours_by_day_are_the_same_summed_densely_or_sorted(
    small_simulation: Simulation, monkeypatch: pytest.MonkeyPatch
) -> None:
    from features.families import relationship

    bundle = small_simulation.bundle
    as_of = pd.date_range("2025-01-05", periods=6, freq="28D")
    dense = build_features(bundle, as_of)[["work_hours_ratio", "days_since_work"]]
    monkeypatch.setattr(relationship, "_DENSE_CELLS", 0)
    sorted_ = build_features(bundle, as_of)[["work_hours_ratio", "days_since_work"]]
    pd.testing.assert_frame_equal(dense, sorted_)
    assert dense["days_since_work"].notna().mean() > 0.5


def test_a_doubt_about_the_engagement_counts(tiny: Bundle) -> None:
    doubting = with_rows(
        tiny,
        "messages",
        [
            message(
                "X1",
                "2025-05-20T09:00:00",
                "Our budget was cut, so we have to put the project on hold for now.",
            )
        ],
    )
    before = at(build_features(tiny, AS_OF), "A", "2025-05-31")
    after = at(build_features(doubting, AS_OF), "A", "2025-05-31")
    assert after["relationship_doubts_90d"] == before["relationship_doubts_90d"] + 1
    assert after["days_since_relationship_doubt"] == 11
    # Said by the firm, the same words are not the client's doubt.
    said_by_us = with_rows(
        tiny,
        "messages",
        [
            {
                **message("X1", "2025-05-20T09:00:00", "Our budget was cut, we pause the work."),
                "direction": "outbound",
            }
        ],
    )
    assert at(build_features(said_by_us, AS_OF), "A", "2025-05-31")["relationship_doubts_90d"] == 0


def test_a_month_of_silence_shows(tiny: Bundle) -> None:
    messages = tiny.messages
    quiet = replace(tiny, messages=messages[~messages["message_id"].isin(["M5", "M6"])])
    before = at(build_features(tiny, AS_OF), "A", "2025-05-31")
    after = at(build_features(quiet, AS_OF), "A", "2025-05-31")
    assert after["days_since_inbound"] == 61
    assert after["days_since_inbound"] > before["days_since_inbound"] + 30
    assert after["longest_gap_90d"] > before["longest_gap_90d"]


def test_an_overdue_invoice_shows(tiny: Bundle) -> None:
    owed = with_rows(
        tiny,
        "invoices",
        [
            {
                "invoice_id": "I9",
                "client_id": "A",
                "project_id": "P1",
                "issued_at": pd.Timestamp("2025-02-15"),
                "due_at": pd.Timestamp("2025-03-15"),
                "amount": 500.0,
            }
        ],
    )
    before = at(build_features(tiny, AS_OF), "A", "2025-03-31")
    after = at(build_features(owed, AS_OF), "A", "2025-03-31")
    assert after["overdue_invoices"] == before["overdue_invoices"] + 1
    assert after["overdue_amount"] == before["overdue_amount"] + 500
    assert after["open_invoices"] == before["open_invoices"] + 1


def test_renaming_a_client_changes_nothing(tmp_path: Path) -> None:
    renamed = {name: text.replace("A,", "Z-0042,") for name, text in TINY.items()}
    original = build_features(load_bundle(write(tmp_path / "a", TINY)), AS_OF)
    other = build_features(load_bundle(write(tmp_path / "z", renamed)), AS_OF)
    other = other.rename(index={"Z-0042": "A"}, level="client_id").sort_index()
    pd.testing.assert_frame_equal(original.sort_index(), other)


def test_sample_bundle_builds(sample_bundle_path: Path) -> None:
    bundle = load_bundle(sample_bundle_path)
    frame = build_features(bundle, pd.date_range("2024-03-01", "2025-06-01", freq="28D"))
    assert len(frame) > 500
    # No client of the sample writes of budget cuts or ending the work: a "days since"
    # of an event that never happened is rightly empty.
    assert frame["relationship_doubts_90d"].eq(0).all()
    assert frame.drop(columns="days_since_relationship_doubt").notna().mean().min() > 0.3
    labels = build_labels(bundle, frame)
    assert labels["churn_90d"].eq(1).any()
    assert labels["dispute_30d"].eq(1).any()


# --- no leakage, as a property --------------------------------------------------------------


def cut(bundle: Bundle, day: pd.Timestamp) -> Bundle:
    """The bundle as it was at the end of ``day``: later rows gone, later facts blank."""
    end = day + pd.Timedelta(days=1)
    projects = bundle.projects[bundle.projects["start_date"] <= day].copy()
    projects.loc[projects["closed_at"] > day, "closed_at"] = pd.NaT
    invoices = bundle.invoices[bundle.invoices["issued_at"] <= day].copy()
    for column in ("paid_at", "disputed_at"):
        invoices.loc[invoices[column] > day, column] = pd.NaT
    return replace(
        bundle,
        clients=bundle.clients[bundle.clients["client_since"] <= day],
        projects=projects,
        progress=bundle.progress[bundle.progress["reported_at"] <= day],
        time_entries=bundle.time_entries[bundle.time_entries["worked_on"] <= day],
        invoices=invoices,
        messages=bundle.messages[bundle.messages["sent_at"].dt.tz_convert(None) < end],
        churn=bundle.churn[bundle.churn["churned_at"] <= day],
    )


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(offset=st.integers(min_value=45, max_value=360))
def test_no_leakage_features_equal_on_the_bundle_cut_at_as_of(
    small_simulation: Simulation, tmp_path: Path, offset: int
) -> None:
    bundle = small_simulation.bundle
    day = pd.Timestamp("2025-01-06") + pd.Timedelta(days=offset)
    cache = tmp_path / "cache"  # message scores are per message, so both share them
    full = build_features(bundle, [day], cache_dir=cache)
    known = build_features(cut(bundle, day), [day], cache_dir=cache)
    pd.testing.assert_frame_equal(full, known, check_exact=False, rtol=1e-9, atol=1e-6)


def test_a_date_alone_equals_the_same_date_in_a_batch(small_simulation: Simulation) -> None:
    """Scoring asks for one date, training for many: the rows must not depend on it
    (the two take different paths through the sums of time worked and billed)."""
    bundle = small_simulation.bundle
    dates = pd.date_range("2025-03-03", periods=12, freq="14D")
    batch = build_features(bundle, dates)
    for day in (dates[0], dates[7]):
        alone = build_features(bundle, [day])
        pd.testing.assert_frame_equal(
            alone, batch.xs(day, level="as_of", drop_level=False), check_exact=False, rtol=1e-9
        )


def test_chosen_client_dates_equal_the_same_rows_of_the_grid(
    small_simulation: Simulation,
) -> None:
    """Each client at its own dates (an invoice's client the day before it was issued)
    gets the values the whole grid gives that row: a pair asked twice comes once, a
    client not yet a client at its date is left out, an unknown client is an error."""
    bundle = small_simulation.bundle
    grid = build_features(bundle, pd.date_range("2025-01-06", periods=10, freq="19D"))
    chosen = grid.index[np.random.default_rng(7).choice(len(grid), 40, replace=False)]
    first = bundle.clients.sort_values("client_since").iloc[-1]
    before_it = (first["client_id"], pd.Timestamp(first["client_since"]) - pd.Timedelta(days=1))
    asked = pd.MultiIndex.from_tuples([*chosen, chosen[0], before_it], names=["client_id", "as_of"])
    some = build_features(bundle, asked)
    assert some.index.is_unique
    assert len(some) == len(chosen)
    pd.testing.assert_frame_equal(some, grid.loc[chosen].sort_index(), check_exact=False, rtol=1e-9)
    unknown = pd.MultiIndex.from_tuples([("nobody", chosen[0][1])], names=["client_id", "as_of"])
    with pytest.raises(ValueError, match="nobody"):
        build_features(bundle, unknown)


# --- what the data lacks is missing, never a misleading zero ------------------------------


def test_optional_columns_the_export_lacks_give_missing_features(tmp_path: Path) -> None:
    files = dict(TINY)
    files["invoices.csv"] = (
        "invoice_id,client_id,issued_at,due_at,amount\n"
        "I1,A,2025-02-01,2025-03-03,3000\nI2,A,2025-04-01,2025-05-01,3000\n"
        "I3,B,2025-03-01,2025-03-15,6000\n"
    )
    files["messages.csv"] = (
        "\n".join(
            ",".join(line.split(",")[:6]) if i == 0 else line
            for i, line in enumerate(TINY["messages.csv"].splitlines())
        ).replace(",author,score", "")
        + "\n"
    )
    bundle = load_bundle(
        write(
            tmp_path / "lean",
            {
                **files,
                "messages.csv": (
                    "message_id,client_id,sent_at,channel,direction,text\n"
                    "M1,A,2025-01-10T09:00:00Z,email,inbound,Great work!\n"
                ),
            },
        )
    )
    frame = build_features(bundle, AS_OF)
    for name in (
        "open_invoices",
        "overdue_amount",
        "days_late_mean_90d",
        "disputes_180d",
        "billed_share_max",
        "overbilling_amount",
        "survey_score_latest",
        "new_contact_30d",
    ):
        assert frame[name].isna().all(), name
    assert {
        "invoices.paid_at",
        "invoices.project_id",
        "invoices.disputed_at",
        "messages.author",
        "messages.score",
    } <= set(frame.attrs["missing"])
    assert frame["days_since_invoice"].notna().any()
    assert frame["time_value_share_max"].notna().any()
    assert build_labels(bundle, frame)["dispute_30d"].isna().all()


def test_no_projects_means_no_project_counts(tiny: Bundle) -> None:
    empty = replace(
        tiny,
        projects=tiny.projects.iloc[:0],
        progress=tiny.progress.iloc[:0],
        time_entries=tiny.time_entries.iloc[:0],
    )
    frame = build_features(empty, AS_OF)
    assert frame["active_projects"].isna().all()
    assert frame["budget_open"].isna().all()
    assert frame["tenure_days"].notna().all()


def test_an_invoice_spanning_projects_is_split_by_the_entries_it_billed(tmp_path: Path) -> None:
    files = dict(TINY)
    files["invoices.csv"] = TINY["invoices.csv"] + "I4,A,,2025-03-20,2025-04-20,1000,,\n"
    files["time_entries.csv"] = (
        "entry_id,project_id,worked_on,hours,billable,amount,invoice_id\n"
        "E1,P1,2025-01-15,8,true,1000,\nE2,P1,2025-03-15,16,true,2000,I4\n"
        "E3,P2,2025-02-15,40,true,5000,\n"
    )
    frame = build_features(load_bundle(write(tmp_path / "span", files)), AS_OF)
    assert at(frame, "A", "2025-03-31")["billed_share_max"] == pytest.approx(0.4)


def test_a_reply_later_the_same_day_answers(tiny: Bundle) -> None:
    replied = with_rows(
        tiny,
        "messages",
        [
            message("X1", "2025-05-31T15:00:00", "Thanks, we'll look into it.", "outbound"),
            message("X2", "2025-05-31T11:00:00", "Noted.", "outbound"),
        ],
    )
    row = at(build_features(replied, AS_OF), "A", "2025-05-31")
    # The client's latest message is the survey at 12:00; only the 15:00 reply follows it.
    assert row["outbound_unanswered"] == 1


def test_a_weekend_question_has_until_wednesday(tiny: Bundle) -> None:
    """Saturday 10 May: the third working day is Wednesday 14 May."""

    def unanswered(reply_day: str) -> float:
        asked = with_rows(
            tiny,
            "messages",
            [
                message("X1", "2025-05-10T09:00:00", "Why were we charged for 40 hours in April?"),
                message("X2", f"{reply_day}T09:00:00", "Here is the breakdown.", "outbound"),
            ],
        )
        value: float = at(build_features(asked, AS_OF), "A", "2025-05-31")[
            "billing_questions_unanswered_90d"
        ]
        return value

    assert unanswered("2025-05-15") == unanswered("2025-05-14") + 1


def test_disputes_are_unknown_past_the_end_of_the_accounting_export(tiny: Bundle) -> None:
    # Messages run to 2025-08-31, invoices end in May: a June window is not seen.
    late = with_rows(tiny, "messages", [message("X1", "2025-08-31T09:00:00", "Hello")])
    labels = build_labels(late, build_features(late, ["2025-06-10"]))
    assert labels["dispute_30d"].isna().all()
    assert labels["churn_90d"].notna().any()


def test_a_meeting_counts_whoever_logged_it(tiny: Bundle) -> None:
    met = with_rows(
        tiny,
        "messages",
        [
            {
                **message("X1", "2025-05-20T09:00:00", "Call notes: steering review", "outbound"),
                "channel": "meeting",
            }
        ],
    )
    before = at(build_features(tiny, AS_OF), "A", "2025-05-31")
    after = at(build_features(met, AS_OF), "A", "2025-05-31")
    assert after["meetings_60d"] == before["meetings_60d"] + 1
