"""Feedback: the tone of the client's messages and its survey answers."""

from __future__ import annotations

import numpy as np

from features.snapshot import Snapshot

SOURCES = ("messages",)
REQUIRES = {name: ("messages.score",) for name in ("survey_score_latest", "survey_score_change")}
FEATURES = {
    "sentiment_mean_30d": "mean polarity of inbound messages with text, last 30 days (-1..1)",
    "sentiment_mean_90d": "mean polarity of inbound messages with text, last 90 days (-1..1)",
    "sentiment_min_30d": "most negative inbound polarity, last 30 days (-1..1)",
    "sentiment_min_90d": "most negative inbound polarity, last 90 days (-1..1)",
    "sentiment_trend": "mean inbound polarity of the last 30 days minus that of the 60 days "
    "before (polarity points)",
    "negative_share_90d": "share of inbound messages with text that read negative, last 90 "
    "days (0..1)",
    "survey_score_latest": "latest survey score, as the firm records it (NPS 0..10 or CSAT 1..5)",
    "survey_score_change": "latest survey score minus the one before (score points)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    c, t = s.client, s.day
    tone = s.scored_inbound
    recent_sum = tone.total("polarity", c, t, 30)
    recent_n = tone.count(c, t, 30)
    before_sum = tone.total("polarity", c, t, 90) - recent_sum
    before_n = tone.count(c, t, 90) - recent_n
    with np.errstate(invalid="ignore", divide="ignore"):
        recent = np.where(recent_n > 0, recent_sum / recent_n, np.nan)
        before = np.where(before_n > 0, before_sum / before_n, np.nan)
        negative = np.where(
            tone.count(c, t, 90) > 0,
            tone.total("negative", c, t, 90) / tone.count(c, t, 90),
            np.nan,
        )
    m = s.messages
    surveys = s.message_events((m["inbound"] & m["score"].notna()).to_numpy(), ("score",))
    latest = surveys.last(c, t)
    previous = surveys.last(c, t, back=2)
    return {
        "sentiment_mean_30d": recent,
        "sentiment_mean_90d": tone.mean("polarity", c, t, 90),
        "sentiment_min_30d": tone.window_min("polarity", c, t, 30),
        "sentiment_min_90d": tone.window_min("polarity", c, t, 90),
        "sentiment_trend": recent - before,
        "negative_share_90d": negative,
        "survey_score_latest": surveys.value_at("score", latest),
        "survey_score_change": surveys.value_at("score", latest)
        - surveys.value_at("score", previous),
    }
