"""When the worker scores and sends digests: cron expressions in the firm's time zone.

Cron parsing is CronSim's (the parser Healthchecks.io runs on), which follows Debian
cron, daylight-saving transitions included: a ``30 2 * * *`` run in Europe/Berlin
happens once on the night the clocks skip or repeat that hour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


class ScheduleError(ValueError):
    """A setting that cannot be a schedule; the message names the setting."""


@dataclass(frozen=True)
class Schedule:
    """A cron expression in a time zone."""

    expression: str
    zone: ZoneInfo

    def next_after(self, moment: datetime) -> datetime:
        """The first tick strictly after ``moment``, in UTC."""
        local = moment.astimezone(self.zone)
        return next(CronSim(self.expression, local)).astimezone(UTC)


def zone_of(name: str, setting: str = "RISK_TIMEZONE") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"{setting}={name!r} is not a time zone; use an IANA name such as UTC or Europe/Berlin"
        ) from None


def cron(expression: str, zone: ZoneInfo, setting: str = "RISK_SCORE_SCHEDULE") -> Schedule:
    """``expression`` as a schedule; ``ScheduleError`` naming ``setting`` when it is not
    a cron expression."""
    try:
        CronSim(expression, datetime.now(zone))
    except CronSimError as exc:
        raise ScheduleError(
            f"{setting}={expression!r} is not a cron expression (minute hour day month "
            f"weekday, e.g. '0 6 * * *', or a second first): {exc}"
        ) from None
    return Schedule(expression, zone)


def daily(clock: str, zone: ZoneInfo, setting: str = "RISK_DIGEST_TIME") -> Schedule | None:
    """Every day at ``clock`` (``HH:MM`` or ``HH:MM:SS``); None for an empty setting."""
    if not clock.strip():
        return None
    matched = _CLOCK.fullmatch(clock.strip())
    if matched is None:
        raise ScheduleError(f"{setting}={clock!r} is not a time of day such as 07:00")
    hour, minute, second = int(matched[1]), int(matched[2]), int(matched[3] or 0)
    # Five fields without seconds: CronSim then follows Debian cron across
    # daylight-saving changes (a six-field expression would not).
    if second == 0:
        return Schedule(f"{minute} {hour} * * *", zone)
    return Schedule(f"{second} {minute} {hour} * * *", zone)
