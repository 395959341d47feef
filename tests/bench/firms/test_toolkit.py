"""The firms' toolkit: the small promises its helpers make (the firms' own output is
held byte for byte by ``test_firms_unchanged``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.bench.firms.toolkit import (
    ClientDays,
    amount_text,
    date_text,
    fold_umlauts,
    iso_dates,
    weekday,
    write_table,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("lang", "date", "amount"),
    [("en", "1 March 2026", "1,234.50"), ("de", "01.03.2026", "1.234,50")],
)
def test_dates_and_amounts_read_as_a_letter_writes_them(lang: str, date: str, amount: str) -> None:
    assert date_text(np.datetime64("2026-03-01"), lang) == date
    assert amount_text(1234.5, lang) == amount


def test_iso_dates_leave_unknown_days_empty() -> None:
    days = np.array([0, 20_513, 10**7])
    assert list(iso_dates(days, days < 10**7)) == ["1970-01-01", "2026-03-01", ""]
    stamps = np.array(["2026-03-01", "NaT"], dtype="datetime64[D]")
    assert list(iso_dates(stamps)) == ["2026-03-01", ""]


def test_addresses_spell_german_letters_out() -> None:
    assert fold_umlauts("Jürgen Weiß, Öztürk & Äbi") == "Juergen Weiss, Oeztuerk & Aebi"


def test_weekday_counts_from_monday() -> None:
    monday = int(np.datetime64("2026-03-02", "D").astype(np.int64))
    assert weekday(monday) == 0
    assert list(weekday(np.arange(monday, monday + 7))) == list(range(7))


def test_client_days_run_client_after_client() -> None:
    rows = ClientDays.between(np.array([10, 20, 30]), np.array([12, 19, 30]))
    assert list(rows.client) == [0, 0, 0, 2]
    assert list(rows.day) == [10, 11, 12, 30]
    assert list(rows.start) == [0, 3, 3, 4]
    assert rows.size == 4


def test_a_table_is_written_only_as_a_contract_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"contacts_old\.csv is not a file of the contract"):
        write_table(pd.DataFrame({"client_id": ["C-1"]}), tmp_path, "contacts_old")
    with pytest.raises(ValueError, match=r"churn\.csv lacks the contract's columns"):
        write_table(pd.DataFrame({"client_id": ["C-1"]}), tmp_path, "churn")
