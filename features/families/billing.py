"""Billing questions: how often the client questions what it is billed, and whether
the firm answered in time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.snapshot import Snapshot
from features.windows import Events

SOURCES = ("messages",)
#: A question is answered in time by any message from the firm within this many working days.
ANSWER_WITHIN_WORKING_DAYS = 3
FEATURES = {
    "billing_questions_30d": "inbound messages questioning an invoice, charge, hours or what "
    "is paid for, last 30 days (count)",
    "billing_questions_90d": "billing questions, last 90 days (count)",
    "days_since_billing_question": "days since the latest billing question (days; empty if "
    "none ever)",
    "billing_questions_unanswered_90d": "billing questions the firm did not answer within 3 "
    "working days, counted once that deadline has passed, "
    "last 90 days (count)",
    "billing_question_share_90d": "share of inbound messages that are billing questions, last "
    "90 days (0..1)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    c, t = s.client, s.day
    inbound = s.inbound
    m = s.messages
    asked = m[m["billing_question"] & m["inbound"]]
    questions = Events(asked["client"].to_numpy(), asked["day"].to_numpy())
    late = _late_questions(s, asked)
    total = inbound.count(c, t, 90)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, questions.count(c, t, 90) / total, np.nan)
    return {
        "billing_questions_30d": questions.count(c, t, 30).astype(np.float64),
        "billing_questions_90d": questions.count(c, t, 90).astype(np.float64),
        "days_since_billing_question": questions.days_since_last(c, t),
        "billing_questions_unanswered_90d": late.count(c, t, 90).astype(np.float64),
        "billing_question_share_90d": share,
    }


def _late_questions(s: Snapshot, asked: pd.DataFrame) -> Events:
    """One event per question not answered within the deadline, dated the day after
    the deadline: only then does the firm know it missed it."""
    replies = s.messages[~s.messages["inbound"]]
    reply_key = _key(replies["client"].to_numpy(), replies["second"].to_numpy())
    order = np.argsort(reply_key, kind="stable")
    reply_key, reply_day = reply_key[order], replies["day"].to_numpy()[order]
    asked_client = asked["client"].to_numpy()
    first = np.searchsorted(reply_key, _key(asked_client, asked["second"].to_numpy()), side="right")
    found = first < reply_key.size
    safe = np.where(found, first, 0)
    if reply_key.size:
        found &= (reply_key[safe] >> _SHIFT) == asked_client
    answered_day = np.where(found, reply_day[safe] if reply_key.size else 0, 10**9)
    asked_day = asked["day"].to_numpy()
    # A weekend question is treated as Friday's: its third working day is Wednesday.
    deadline = np.busday_offset(
        asked_day.astype("datetime64[D]"), ANSWER_WITHIN_WORKING_DAYS, roll="backward"
    ).astype(np.int64)
    missed = answered_day > deadline
    return Events(asked_client[missed], deadline[missed] + 1)


_SHIFT = 42  # bits for the seconds part of a (client, second) key: up to 2 million clients


def _key(client: np.ndarray, second: np.ndarray) -> np.ndarray:
    return np.asarray((client.astype(np.int64) << _SHIFT) + second + (1 << (_SHIFT - 1)))
