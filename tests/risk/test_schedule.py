"""The worker's schedules: cron expressions and the digest's time of day in a zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from risk.worker.schedule import ScheduleError, cron, daily

pytestmark = pytest.mark.unit

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_cron_expression_ticks_in_its_zone() -> None:
    schedule = cron("0 6 * * *", BERLIN)
    # 06:00 in Berlin is 05:00 UTC in winter.
    assert schedule.next_after(datetime(2026, 12, 7, 4, 0, tzinfo=UTC)) == datetime(
        2026, 12, 7, 5, 0, tzinfo=UTC
    )
    assert schedule.next_after(datetime(2026, 12, 7, 5, 0, tzinfo=UTC)) == datetime(
        2026, 12, 8, 5, 0, tzinfo=UTC
    )


def test_a_sixth_field_in_front_is_the_second() -> None:
    schedule = cron("30 15 6 * * *", ZoneInfo("UTC"))
    assert schedule.next_after(datetime(2026, 12, 7, 6, 15, 0, tzinfo=UTC)) == datetime(
        2026, 12, 7, 6, 15, 30, tzinfo=UTC
    )


def test_the_digest_time_takes_minutes_or_seconds() -> None:
    at = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    minutes = daily("07:00", BERLIN)
    seconds = daily("07:00:45", BERLIN)
    assert minutes is not None
    assert seconds is not None
    assert minutes.expression == "0 7 * * *"  # five fields: Debian cron's DST rules
    assert minutes.next_after(at) == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    assert seconds.next_after(at) == datetime(2026, 12, 7, 6, 0, 45, tzinfo=UTC)
    assert daily(" ", BERLIN) is None


def test_a_run_at_an_hour_the_clocks_skip_happens_once_that_night() -> None:
    # Berlin skips 02:00-03:00 on 2026-03-29: the 02:30 run still happens, once.
    schedule = cron("30 2 * * *", BERLIN)
    first = schedule.next_after(datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    second = schedule.next_after(first)
    assert first.date().isoformat() == "2026-03-29"
    assert second.date().isoformat() == "2026-03-30"


@pytest.mark.parametrize(
    ("clock", "setting"),
    [("25:00", "RISK_DIGEST_TIME"), ("7", "RISK_DIGEST_TIME"), ("07:00:60", "RISK_DIGEST_TIME")],
)
def test_a_time_that_is_not_one_is_refused_naming_the_setting(clock: str, setting: str) -> None:
    with pytest.raises(ScheduleError, match=setting):
        daily(clock, BERLIN)


@pytest.mark.parametrize("expression", ["61 * * * *", "every morning", "* * * *"])
def test_an_expression_that_is_not_cron_is_refused_naming_the_setting(expression: str) -> None:
    with pytest.raises(ScheduleError, match="RISK_SCORE_SCHEDULE"):
        cron(expression, BERLIN)
