"""Invoice-level rows: worked by hand on the tiny bundle, as of the day before issue."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from features import build_features, load_bundle
from features.invoice_features import INVOICE_FEATURES, LABEL, invoice_features, invoice_labels
from features.simulation import simulate
from tests.features.test_build_features import TINY, write

pytestmark = pytest.mark.data

LINKED = dict(
    TINY,
    **{
        "time_entries.csv": (
            "entry_id,project_id,worked_on,hours,billable,amount,invoice_id\n"
            "E1,P1,2025-01-15,8,true,1000,I1\n"
            "E2,P1,2025-03-15,16,true,2000,\n"
            "E4,P1,2025-03-20,4,false,0,\n"
            "E5,P1,2025-04-01,9,true,900,\n"
            "E3,P2,2025-02-15,40,true,5000,\n"
        ),
        "invoices.csv": (
            "invoice_id,client_id,project_id,issued_at,due_at,amount,paid_at,disputed_at,"
            "line_items,period_start,period_end\n"
            "I1,A,P1,2025-02-01,2025-03-03,3000,2025-03-10,,3,,\n"
            "I2,A,P1,2025-04-01,2025-05-01,3000,,2025-05-20,,2025-03-01,2025-04-30\n"
            "I3,B,P2,2025-03-01,2025-03-15,6000,2025-03-20,,,,\n"
        ),
    },
)


def test_each_invoice_as_it_stood_the_day_before_it_was_issued(tmp_path: Path) -> None:
    bundle = load_bundle(write(tmp_path / "linked", LINKED))
    rows = invoice_features(bundle)
    assert list(rows.index) == ["I1", "I2", "I3"]
    own = rows[list(INVOICE_FEATURES)]
    # I1: the project's first invoice, 3,000 of a 10,000 budget, nothing reported yet;
    # its one linked entry: 8 hours worth 1,000.
    assert own.loc["I1"].to_dict() == pytest.approx(
        {
            "amount_vs_usual": 1.0,
            "billed_after_minus_progress": 0.3,
            "amount_vs_budget_left": 0.3,
            "days_since_progress": np.nan,
            "first_of_project": 1.0,
            "days_since_previous": np.nan,
            "terms_vs_usual": 0.0,
            "work_value_vs_amount": 1000 / 3000,
            "hours_behind": 8.0,
            "linked_share": 1.0,
            "line_items": 3.0,
        },
        nan_ok=True,
    )
    # I2: 6,000 billed with it, 20% reported on 2025-02-28 (31 days before its as-of
    # day, 2025-03-31); no links, so the project's billable time in its period up to
    # that day: E2 (16 h, 2,000), not E4 (not billable), not E5 (worked on issue day).
    assert own.loc["I2"].to_dict() == pytest.approx(
        {
            "amount_vs_usual": 1.0,
            "billed_after_minus_progress": 0.6 - 0.2,
            "amount_vs_budget_left": 3000 / 7000,
            "days_since_progress": 31.0,
            "first_of_project": 0.0,
            "days_since_previous": 59.0,
            "terms_vs_usual": 0.0,
            "work_value_vs_amount": 2000 / 3000,
            "hours_behind": 16.0,
            "linked_share": 0.0,
            "line_items": np.nan,
        },
        nan_ok=True,
    )
    # The client's side is the one feature function's row of that day.
    client = build_features(bundle, [pd.Timestamp("2025-03-31")])
    assert rows.loc["I2", client.columns].to_dict() == pytest.approx(
        client.loc[("A", pd.Timestamp("2025-03-31"))].to_dict(), nan_ok=True
    )


def test_what_came_later_changes_no_row(tmp_path: Path) -> None:
    later = dict(LINKED)
    later["invoices.csv"] = LINKED["invoices.csv"].replace(
        "I2,A,P1,2025-04-01,2025-05-01,3000,", "I2,A,P1,2025-04-01,2025-05-01,9999,"
    )
    before = invoice_features(load_bundle(write(tmp_path / "a", LINKED)))
    after = invoice_features(load_bundle(write(tmp_path / "b", later)))
    pd.testing.assert_series_equal(before.loc["I1"], after.loc["I1"])
    assert after.loc["I2", "amount_vs_usual"] == pytest.approx(9999 / 3000)


def test_disputed_within_60_days_and_unknown_past_the_export(tmp_path: Path) -> None:
    bundle = load_bundle(write(tmp_path / "linked", LINKED))
    labels = invoice_labels(bundle)
    assert labels.name == LABEL
    # The accounting export reaches 2025-05-20 (I2's dispute): I1 and I3 are seen for
    # 60 days after issue; I2 was disputed 49 days after.
    assert labels.to_dict() == {"I1": 0.0, "I2": 1.0, "I3": 0.0}
    short = dict(LINKED)
    short["invoices.csv"] = LINKED["invoices.csv"].replace(",2025-05-20,", ",,")
    labels = invoice_labels(load_bundle(write(tmp_path / "short", short)))
    assert labels.isna().all()  # no dispute recorded at all: none is known


def test_one_clients_rows_give_the_firms_row_when_told_what_the_firm_holds(
    tmp_path: Path,
) -> None:
    """A draft of a client with no invoices and no messages yet: from that client's rows
    alone its counts are zeros, as from the whole firm, once the part knows what the
    firm holds (``Bundle.present``); without it they would read as missing sources."""
    firm = simulate(40, 10, seed=8).bundle
    client = str(firm.clients["client_id"].iloc[0])
    quiet = replace(
        firm,
        invoices=firm.invoices[firm.invoices["client_id"] != client],
        messages=firm.messages[firm.messages["client_id"] != client],
    )
    draft = firm.invoices[firm.invoices["client_id"] == client].tail(1)
    projects = firm.projects[firm.projects["client_id"] == client]

    def part(present: frozenset[str] | None) -> pd.DataFrame:
        mine = replace(
            quiet,
            clients=firm.clients[firm.clients["client_id"] == client],
            projects=projects,
            progress=firm.progress[firm.progress["project_id"].isin(projects["project_id"])],
            time_entries=firm.time_entries[
                firm.time_entries["project_id"].isin(projects["project_id"])
            ],
            invoices=quiet.invoices.iloc[:0],
            messages=quiet.messages.iloc[:0],
            churn=firm.churn[firm.churn["client_id"] == client],
            present=present,
        )
        return invoice_features(mine, draft)

    whole = invoice_features(quiet, draft)
    held = frozenset(name for name, frame in quiet.frames() if len(frame))
    pd.testing.assert_frame_equal(part(held), whole)
    assert whole[["open_invoices", "billing_questions_30d"]].iloc[0].tolist() == [0.0, 0.0]
    assert part(None)[["open_invoices", "billing_questions_30d"]].isna().all(axis=None)
