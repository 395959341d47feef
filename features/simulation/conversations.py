"""The conversations between the firm and each client: who writes when, about what."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from features.simulation import topics
from features.simulation.clients import Clients
from features.simulation.health import BillingQuestions, Relationship, sigmoid
from features.simulation.invoices import Billing, Invoices
from features.simulation.timeline import Timeline


@dataclass(frozen=True)
class Events:
    """Who writes when about what: messages before their words, by position."""

    client: np.ndarray
    day: np.ndarray
    topic: np.ndarray
    outbound: np.ndarray
    invoice: np.ndarray
    score: np.ndarray

    def select(self, rows: np.ndarray) -> Events:
        return replace(self, **{f.name: getattr(self, f.name)[rows] for f in fields(self)})


class _Stream:
    """Messages gathered group by group, in the order the groups are drawn."""

    def __init__(self) -> None:
        self.groups: list[tuple[np.ndarray, ...]] = []

    def add(
        self,
        client: np.ndarray,
        day: np.ndarray,
        topic: np.ndarray | str,
        outbound: bool,
        invoice: np.ndarray | None = None,
        score: np.ndarray | None = None,
    ) -> None:
        self.groups.append(
            (
                client,
                day,
                np.broadcast_to(np.asarray(topic, dtype=object), client.shape).copy(),
                np.full(client.shape, outbound),
                invoice if invoice is not None else np.full(client.shape, -1),
                score if score is not None else np.full(client.shape, np.nan),
            )
        )

    def events(self) -> Events:
        return Events(*(np.concatenate(column) for column in zip(*self.groups, strict=True)))


def converse(
    rng: np.random.Generator,
    clients: Clients,
    relationship: Relationship,
    billing: Billing,
    questions: BillingQuestions,
    invoices: Invoices,
    timeline: Timeline,
) -> tuple[Events, np.ndarray]:
    """Every message drawn, before silence and churn thin them out.

    Returns the messages, group by group, and each client's day a new contact
    introduced themselves (-1 if none did).
    """
    stream = _Stream()
    _everyday(rng, stream, clients, relationship, billing)
    _billing_threads(rng, stream, questions, invoices, timeline)
    new_contact_day = _new_contacts(rng, stream, relationship, timeline)
    _firm_news(rng, stream, billing, invoices)
    _surveys(rng, stream, relationship, timeline)
    return stream.events(), new_contact_day


def _everyday(
    rng: np.random.Generator,
    stream: _Stream,
    clients: Clients,
    relationship: Relationship,
    billing: Billing,
) -> None:
    """Each client writes at its own rhythm, less between projects, in a tone its
    health sets; the firm replies to half of it."""
    engagement = np.where(billing.has_project, 1.0, 0.35) * relationship.exists
    g_count = rng.poisson(clients.rhythm[:, None] * engagement)
    g_c, g_w = np.nonzero(g_count)
    reps = g_count[g_c, g_w]
    g_c, g_w = np.repeat(g_c, reps), np.repeat(g_w, reps)
    g_day = g_w * 7 + rng.integers(0, 7, g_c.size)
    h = relationship.health[g_c, g_w]
    p_good = sigmoid(2.4 * h - 0.6)
    p_bad = sigmoid(-2.6 * h - 1.4)
    u = rng.random(g_c.size)
    g_topic = np.where(
        u < p_good,
        topics.PRAISE,
        np.where(
            u < p_good + p_bad,
            np.where(rng.random(g_c.size) < 0.55, topics.DELAY, topics.QUALITY),
            topics.NEUTRAL,
        ),
    )
    stream.add(g_c, g_day, g_topic, False)
    reply = rng.random(g_c.size) < 0.5
    stream.add(g_c[reply], g_day[reply] + rng.integers(0, 3, reply.sum()), topics.REPLY, True)


def _billing_threads(
    rng: np.random.Generator,
    stream: _Stream,
    questions: BillingQuestions,
    invoices: Invoices,
    timeline: Timeline,
) -> None:
    """Billing questions and the PM's answers (fast, slow or never); disputes, half of
    them after a question about that invoice."""
    q_c, q_day, fast = questions.client, questions.day, questions.answered_fast
    q_inv = _latest_invoice(invoices.client, invoices.issue_day, q_c, q_day)
    stream.add(q_c, q_day, topics.BILLING_QUESTION, False, q_inv)
    slow = ~fast & (rng.random(q_c.size) < 0.6)
    answer_day = np.where(
        fast,
        q_day + _working_days(q_day, timeline.start, rng),
        q_day + rng.integers(6, 16, q_c.size),
    )
    answered = fast | slow
    stream.add(q_c[answered], answer_day[answered], topics.BILLING_ANSWER, True, q_inv[answered])

    inv_c, issue_day, dispute_day = invoices.client, invoices.issue_day, invoices.dispute_day
    has_dispute = dispute_day >= 0
    lead = has_dispute & (dispute_day - issue_day > 2) & (rng.random(invoices.count) < 0.5)
    pre_day = (
        issue_day[lead]
        + 1
        + (rng.random(lead.sum()) * (dispute_day[lead] - issue_day[lead] - 2)).astype(int)
    )
    stream.add(inv_c[lead], pre_day, topics.BILLING_QUESTION, False, np.nonzero(lead)[0])
    says = has_dispute & (rng.random(invoices.count) < 0.5)
    stream.add(inv_c[says], dispute_day[says], topics.DISPUTE, False, np.nonzero(says)[0])


def _new_contacts(
    rng: np.random.Generator, stream: _Stream, relationship: Relationship, timeline: Timeline
) -> np.ndarray:
    """New contacts introduce themselves by asking what the client pays for.

    Returns each client's day of introduction (-1 if none).
    """
    nc_week = relationship.new_contact_week
    nc = (nc_week >= 0) & (nc_week < timeline.n_weeks)
    nc_day = np.where(nc, nc_week * 7 + rng.integers(0, 5, nc_week.size), -1)
    stream.add(np.nonzero(nc)[0], nc_day[nc], topics.NEW_CONTACT, False)
    return np.asarray(nc_day)


def _firm_news(
    rng: np.random.Generator, stream: _Stream, billing: Billing, invoices: Invoices
) -> None:
    """The firm's own messages: weekly status while a project runs, and invoice mails."""
    s_count = rng.poisson(0.55 * billing.has_project)
    s_c, s_w = np.nonzero(s_count)
    stream.add(s_c, s_w * 7 + rng.integers(0, 5, s_c.size), topics.STATUS, True)
    sent = rng.random(invoices.count) < 0.5
    stream.add(
        invoices.client[sent],
        invoices.issue_day[sent],
        topics.INVOICE_SENT,
        True,
        np.nonzero(sent)[0],
    )


def _surveys(
    rng: np.random.Generator, stream: _Stream, relationship: Relationship, timeline: Timeline
) -> None:
    """Quarterly surveys: answered less often, and lower, when health is poor."""
    health = relationship.health
    phase = rng.integers(0, 13, len(health))
    sv_c, sv_w = np.nonzero(
        relationship.exists & ((timeline.week[None, :] - phase[:, None]) % 13 == 0)
    )
    answer = rng.random(sv_c.size) < sigmoid(0.8 + 1.6 * health[sv_c, sv_w])
    sv_c, sv_w = sv_c[answer], sv_w[answer]
    sv_score = np.clip(
        np.round(7.0 + 2.6 * health[sv_c, sv_w] + rng.normal(0, 1.1, sv_c.size)), 0, 10
    )
    sv_topic = np.where(
        sv_score >= 9,
        topics.SURVEY_GOOD,
        np.where(sv_score >= 7, topics.SURVEY_MIXED, topics.SURVEY_BAD),
    )
    stream.add(sv_c, sv_w * 7 + rng.integers(0, 5, sv_c.size), sv_topic, False, score=sv_score)


def _latest_invoice(
    inv_c: np.ndarray, issue_day: np.ndarray, c: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """Position of each client's latest invoice issued on or before ``day`` (-1 if none)."""
    if inv_c.size == 0:
        return np.full(c.size, -1)
    key = inv_c.astype(np.int64) * 10**7 + issue_day
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    where = np.searchsorted(sorted_key, c.astype(np.int64) * 10**7 + day, side="right") - 1
    found = (where >= 0) & (inv_c[order[np.maximum(where, 0)]] == c)
    return np.where(found, order[np.maximum(where, 0)], -1)


def _working_days(day: np.ndarray, t0: pd.Timestamp, rng: np.random.Generator) -> np.ndarray:
    """0-3 working days later, in calendar days (a Friday question answered on Monday)."""
    wait = rng.integers(0, 4, day.size)
    weekday = (t0.day_of_week + day) % 7
    return wait + np.where(weekday + wait >= 5, 2, 0)
