"""Silence: has the client gone quiet, measured against its own rhythm?

A client who writes monthly is not silent after ten days; one who writes daily
is. So the days since the last inbound message are also given as a multiple of
the client's usual gap between messages over the past 180 days.
"""

from __future__ import annotations

import numpy as np

from features.snapshot import Snapshot
from features.windows import Events, day_numbers

SOURCES = ("messages",)
FEATURES = {
    "days_since_inbound": "days since the client's latest message (days; empty if none ever)",
    "usual_inbound_gap": "the client's mean gap between messages over the past 180 days (days)",
    "silence_ratio": "days since the latest message over the client's usual gap (ratio; 1 = "
    "as usual)",
    "longest_gap_90d": "longest stretch without a client message within the last 90 days, up "
    "to the as-of date (days)",
    "inbound_volume_ratio": "client messages in the last 30 days over the monthly mean of the "
    "90 days before (ratio; 1 = as usual)",
    "inbound_volume_ratio_90d": "client messages in the last 90 days over the mean per 90 days "
    "of the 270 days before (ratio; 1 = as usual)",
    "outbound_unanswered": "messages from the firm since the client's latest message (count)",
    "days_since_survey": "days since the client last answered a survey (days; empty if never)",
    "meetings_60d": "calls and meetings with the client logged in the last 60 days (count)",
    "meetings_ratio": "calls and meetings in the last 60 days over those of the 120 days "
    "before, per 60 days (ratio; 1 = as usual)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    c, t = s.client, s.day
    inbound = s.inbound
    since_last = inbound.days_since_last(c, t)
    n_180 = inbound.count(c, t, 180)
    last = inbound.last(c, t)
    span = inbound.day_at(last) - inbound.day_at(inbound.position(c, t - 180))
    with np.errstate(invalid="ignore", divide="ignore"):
        usual = np.where(n_180 >= 2, np.maximum(span / np.maximum(n_180 - 1, 1), 1.0), np.nan)
        ratio = since_last / usual
        recent = inbound.count(c, t, 30)
        before = (inbound.count(c, t, 120) - recent) / 3
        volume = np.where(before > 0, recent / before, np.nan)
        # A client drifting away over a quarter or two, not just a quiet month.
        quarter = inbound.count(c, t, 90)
        quarters_before = (inbound.count(c, t, 360) - quarter) / 3
        volume_90 = np.where(quarters_before > 0, quarter / quarters_before, np.nan)

    # Longest gap in (t - 90, t]: gaps between consecutive messages inside the
    # window, the stretch from the window's start to its first message, and the
    # stretch from its last message to t.
    # A client of three days has had three days in which to write, not ninety.
    since = day_numbers(s.bundle.clients["client_since"])[c]
    window_start = np.maximum(t - 90, since - 1)  # windows are open on the left
    lo, hi = inbound.position(c, window_start), inbound.position(c, t)
    gaps = Events(inbound.entity, inbound.day, {"gap": _gaps(inbound)})
    inner = gaps.range_extreme("gap", np.minimum(lo + 1, hi), hi, np.maximum)
    has_any = hi > lo
    lead = np.where(has_any, inbound.day_at(np.where(has_any, lo, -1)) - window_start, 0.0)
    tail = np.where(has_any, t - inbound.day_at(np.where(has_any, hi - 1, -1)), t - window_start)
    longest = np.fmax(np.fmax(inner, lead), tail)

    m = s.messages
    surveys = s.message_events((m["inbound"] & m["survey"]).to_numpy())
    # Firm messages after the client's latest one, to the second: a reply later
    # the same day counts.
    outbound = s.outbound
    last_second = inbound.value_at("second", last)
    since_client = outbound.position_at_second(c, np.nan_to_num(last_second).astype(np.int64))
    unanswered = outbound.position(c, t) - np.where(
        np.isnan(last_second), outbound.position(c, t) - outbound.count(c, t), since_client
    )
    # A client that stops meeting is going quiet too, whoever logs the call.
    meetings = s.message_events(m["meeting"].to_numpy())
    met = meetings.count(c, t, 60)
    met_before = (meetings.count(c, t, 180) - met) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        meeting_ratio = np.where(met_before > 0, met / met_before, np.nan)
    return {
        "meetings_60d": met.astype(np.float64),
        "meetings_ratio": meeting_ratio,
        "days_since_inbound": since_last,
        "usual_inbound_gap": usual,
        "silence_ratio": ratio,
        "longest_gap_90d": longest,
        "inbound_volume_ratio": volume,
        "inbound_volume_ratio_90d": volume_90,
        "outbound_unanswered": unanswered.astype(np.float64),
        "days_since_survey": surveys.days_since_last(c, t),
    }


def _gaps(events: Events) -> np.ndarray:
    """Days since the same entity's previous event (NaN for its first)."""
    gap = np.diff(events.day, prepend=0).astype(np.float64)
    first = np.ones(events.day.size, dtype=bool)
    first[1:] = events.entity[1:] != events.entity[:-1]
    gap[first] = np.nan
    return gap
