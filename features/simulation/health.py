"""The relationship: new contacts, latent health, billing questions, disputes, churn."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from features.simulation.clients import Clients, ProjectManagers, Projects
from features.simulation.invoices import Billing, Invoices
from features.simulation.timeline import Timeline

# Weeks a new contact keeps health down (and questions and disputes up).
_NEW_CONTACT_WEEKS = 12
# A day after the end of any simulation: the day of what never happens.
NEVER = 10**9


def sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def _trailing(counts: np.ndarray, span: int) -> np.ndarray:
    """Sum over the last ``span`` weeks, this one included (rows are clients)."""
    total = np.cumsum(counts, axis=1)
    shifted = np.zeros_like(total)
    shifted[:, span:] = total[:, :-span]
    return np.asarray(total - shifted)


@dataclass(frozen=True)
class Relationship:
    """The latent state between the firm and each client; grids are clients x weeks."""

    #: The client is a client this week.
    exists: np.ndarray
    #: Per client: the week a new contact arrives (negative if none does).
    new_contact_week: np.ndarray
    #: A new contact arrived in the last 12 weeks.
    new_contact: np.ndarray
    health: np.ndarray


@dataclass(frozen=True)
class BillingQuestions:
    """Questions about invoices, one entry each, by position."""

    client: np.ndarray
    week: np.ndarray
    day: np.ndarray
    #: The PM answered within three working days.
    answered_fast: np.ndarray

    def select(self, rows: np.ndarray) -> BillingQuestions:
        """The questions at ``rows`` (a mask or positions)."""
        return replace(self, **{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass(frozen=True)
class Churn:
    """Per client: when it gave notice, and how long it went quiet before."""

    #: The day of notice, :data:`NEVER` if it stays to the end.
    day: np.ndarray
    churned: np.ndarray
    #: Days before notice in which its messages thin out (0: churns abruptly).
    quiet_days: np.ndarray


def draw_relationship(
    rng: np.random.Generator, clients: Clients, billing: Billing, timeline: Timeline
) -> Relationship:
    """Health: the client's mean, pulled down by the gap and a new contact, AR(1) noise."""
    n, n_weeks, w = clients.count, timeline.n_weeks, timeline.week
    exists = w[None, :] >= clients.first_week[:, None]
    nc_week = np.where(
        rng.random(n) < 0.35, clients.first_week + rng.integers(4, max(n_weeks, 5), n), -(10**6)
    )
    nc_active = (w[None, :] - nc_week[:, None] >= 0) & (
        w[None, :] - nc_week[:, None] < _NEW_CONTACT_WEEKS
    )
    target = (
        clients.mean_health[:, None]
        - 2.8 * np.clip(billing.client_gap - 0.05, 0, None)
        - 0.5 * nc_active
    )
    health = np.empty((n, n_weeks))
    level = clients.mean_health + rng.normal(0, 0.2, n)
    shocks = rng.normal(0, 0.13, (n, n_weeks))
    for week in range(n_weeks):  # AR(1) across weeks: a loop over weeks, never over clients
        level = 0.8 * level + 0.2 * target[:, week] + shocks[:, week]
        health[:, week] = level
    return Relationship(
        exists=exists, new_contact_week=nc_week, new_contact=nc_active, health=health
    )


def ask_billing_questions(
    rng: np.random.Generator,
    relationship: Relationship,
    billing: Billing,
    projects: Projects,
    managers: ProjectManagers,
) -> BillingQuestions:
    """Questions at a weekly rate that rises with the gap, low health and a new contact."""
    q_rate = (
        0.035
        * np.exp(
            3.0 * billing.client_gap - 0.9 * relationship.health + 1.2 * relationship.new_contact
        )
        * relationship.exists
    )
    q_count = rng.poisson(np.where(billing.has_project, q_rate, 0.4 * q_rate))
    q_c, q_w = np.nonzero(q_count)
    q_c, q_w = np.repeat(q_c, q_count[q_c, q_w]), np.repeat(q_w, q_count[q_c, q_w])
    q_day = q_w * 7 + rng.integers(0, 7, q_c.size)
    answered_fast = rng.random(q_c.size) < managers.answers[projects.main_pm[q_c]]
    return BillingQuestions(client=q_c, week=q_w, day=q_day, answered_fast=answered_fast)


def dispute_invoices(
    rng: np.random.Generator,
    invoices: Invoices,
    relationship: Relationship,
    questions: BillingQuestions,
    billing: Billing,
    timeline: Timeline,
) -> Invoices:
    """Each invoice is disputed 4-28 days after issue with a probability that rises with
    the gap at issue, low health, recent and unanswered questions and a new contact."""
    n_weeks = timeline.n_weeks
    shape = relationship.health.shape
    recent_q = np.zeros(shape)
    np.add.at(recent_q, (questions.client, questions.week), 1.0)
    late = ~questions.answered_fast
    unanswered = np.zeros(shape)
    np.add.at(unanswered, (questions.client[late], questions.week[late]), 1.0)
    q_60d = _trailing(recent_q, 9)
    unanswered_30d = _trailing(unanswered, 5)

    inv_c, issue_day = invoices.client, invoices.issue_day
    iw = np.minimum(issue_day // 7, n_weeks - 1)
    logit = (
        -4.4
        + 3.2 * billing.client_gap[inv_c, iw]
        - 1.4 * relationship.health[inv_c, iw]
        + 0.55 * np.minimum(q_60d[inv_c, iw], 3)
        + 0.8 * (unanswered_30d[inv_c, iw] > 0)
        + 0.9 * relationship.new_contact[inv_c, iw]
        + rng.normal(0, 0.6, inv_c.size)
    )
    chance = sigmoid(logit)
    disputed = rng.random(inv_c.size) < chance
    dispute_day = np.where(disputed, issue_day + rng.integers(4, 29, inv_c.size), -1)
    return replace(invoices, dispute_day=dispute_day, dispute_probability=chance)


def draw_churn(
    rng: np.random.Generator,
    clients: Clients,
    relationship: Relationship,
    billing: Billing,
    invoices: Invoices,
    timeline: Timeline,
) -> Churn:
    """A weekly hazard that rises with low health, recent disputes, a new contact and
    no running project; most churners go quiet for 5-11 weeks before notice."""
    n, n_days, n_weeks, w = clients.count, timeline.n_days, timeline.n_weeks, timeline.week
    disputes = np.zeros((n, n_weeks))
    real = (invoices.dispute_day >= 0) & (invoices.dispute_day < n_days)
    np.add.at(disputes, (invoices.client[real], invoices.dispute_day[real] // 7), 1.0)
    idle = _trailing((~billing.has_project).astype(float), 6) >= 6
    hazard = sigmoid(
        -7.0
        - 1.7 * relationship.health
        + 0.9 * _trailing(disputes, 13)
        + 1.3 * idle
        + 0.7 * relationship.new_contact
    )
    hazard = np.where(
        relationship.exists & (w[None, :] >= clients.first_week[:, None] + 6), hazard, 0.0
    )
    churn_hit = rng.random((n, n_weeks)) < hazard
    churned = churn_hit.any(axis=1)
    churn_day = np.where(churned, churn_hit.argmax(axis=1) * 7 + rng.integers(0, 7, n), NEVER)
    churn_day = np.where(churn_day < n_days, churn_day, NEVER)
    churned = churn_day < n_days
    abrupt = rng.random(n) < 0.2
    quiet_days = np.where(churned & ~abrupt, rng.integers(35, 80, n), 0)
    return Churn(day=churn_day, churned=churned, quiet_days=quiet_days)
