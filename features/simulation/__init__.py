"""Demo data: a professional services firm's exports, simulated from causes.

The causal story (every outcome below comes from a cause the features can see,
each blurred by noise so that no single signal gives the answer):

1. **Delivery.** Each project has a delivery efficiency. Most deliver about as
   planned; roughly one in five is troubled and delivers at 45-80 % of the
   planned pace. True progress is the running sum of that pace.
2. **Billing runs on regardless.** Time-and-materials projects bill the hours
   worked, fixed-fee projects bill a monthly share of the budget on schedule,
   retainers a fixed monthly fee. So when delivery falls behind, billing runs
   ahead of delivered progress: the *billed-minus-delivered gap* opens.
3. **Optimistic PMs.** About a third of PMs report progress closer to what was
   billed than to what was delivered, which hides part of the gap from the
   reported progress; some PMs also skip weekly reports (stale estimates).
4. **Relationship health** is a latent weekly state per client: a client-level
   mean, pulled down by the gap and by a new client contact, with AR(1) noise.
   Health sets the tone of inbound messages (praise, neutral, complaints about
   delays or quality), survey scores and whether surveys are answered, and how
   late invoices are paid.
5. **Billing questions** ("can you explain the hours on INV-..."): their rate
   rises with the gap, with low health and with a new contact. Questions the
   PM does not answer within three working days count against the firm.
6. **A new client contact** (a new manager, once in a while) writes in asking
   what the client is paying for, and depresses health for about three months.
7. **Disputes.** Each invoice is disputed with a probability that rises with the
   gap at issue, low health, recent billing questions, unanswered questions and
   a recent new contact. Many disputes are preceded by a billing question about
   that invoice between issue and dispute (half of them). Disputed invoices are paid late.
8. **Churn.** A weekly hazard rises with low health, recent disputes, a new
   contact and having no running project. Most churning clients go quiet first:
   in the 5-11 weeks before notice their inbound messages and survey answers
   thin out to a fraction of their own usual rhythm (some churn abruptly, for
   budget reasons, with no warning). After churn there is no activity.
9. **Noise** everywhere: each client writes at its own rhythm (daily to
   monthly), messages of every tone occur at every health level, questions
   arise without cause, and some disputes and churn come from nowhere.

Everything is computed on a client x week grid and on flat event arrays with
numpy, so 10,000 clients x 24 months take well under the benchmark's limit.
The same seed gives the same bundle byte for byte.

The stages, in the order they draw from one random generator: ``clients``
(clients, PMs, projects and their true progress), ``work`` (time entries),
``invoices`` (billing and its gap over delivery), ``health`` (new contacts,
health, billing questions, disputes, churn), ``invoices`` again (payment),
``conversations`` and ``messages`` (who writes when, and in which words),
``work`` again (progress reports) and ``exports`` (the bundle's frames). The
words themselves are in ``texts.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.bundle.load import Bundle
from features.simulation.clients import (
    draw_clients,
    draw_project_managers,
    draw_projects,
)
from features.simulation.exports import to_bundle
from features.simulation.health import (
    ask_billing_questions,
    dispute_invoices,
    draw_churn,
    draw_relationship,
)
from features.simulation.invoices import (
    bill_against_delivery,
    issue_invoices,
    settle_invoices,
)
from features.simulation.messages import draw_messages
from features.simulation.timeline import Timeline
from features.simulation.work import draw_time_entries, report_progress
from features.simulation.write import write_bundle

__all__ = ["DEFAULT_START", "Simulation", "simulate", "write_bundle"]

DEFAULT_START = "2025-01-06"


@dataclass(frozen=True)
class Simulation:
    """A simulated bundle with the ground truth behind it (for tests and demos)."""

    bundle: Bundle
    #: message_id -> topic (``features.simulation.topics`` codes).
    message_topics: pd.Series
    #: Latent relationship health, clients x weeks.
    health: np.ndarray
    #: The Monday starting each week of ``health``.
    weeks: pd.DatetimeIndex
    #: invoice_id -> the generator's own chance that the invoice is disputed (its
    #: cause at issue and its own noise): the oracle an invoice model stays under.
    invoice_dispute_probability: pd.Series


def simulate(
    clients: int = 300, months: int = 18, seed: int = 0, start: str = DEFAULT_START
) -> Simulation:
    """Simulate ``clients`` clients of a firm over ``months`` months from ``start``.

    Returns
    -------
    Simulation
        The bundle (typed as :func:`features.load_bundle` returns it) and its truth.
    """
    if clients < 1 or months < 1:
        raise ValueError("clients and months must be at least 1")
    # One generator feeds every stage, in this order: moving a stage, or a draw
    # within one, changes every bundle a seed gives.
    rng = np.random.default_rng(seed)
    timeline = Timeline.spanning(start, months)
    firm_clients = draw_clients(rng, clients, timeline)
    managers = draw_project_managers(rng, clients)
    projects = draw_projects(rng, firm_clients, managers, timeline)
    entries = draw_time_entries(rng, projects, clients, timeline)
    invoices = issue_invoices(rng, projects, entries, firm_clients, timeline)
    billing = bill_against_delivery(projects, invoices, clients, timeline)
    relationship = draw_relationship(rng, firm_clients, billing, timeline)
    questions = ask_billing_questions(rng, relationship, billing, projects, managers)
    invoices = dispute_invoices(rng, invoices, relationship, questions, billing, timeline)
    churn = draw_churn(rng, firm_clients, relationship, billing, invoices, timeline)

    # After notice there is no activity.
    entries = entries.select(entries.day < churn.day[projects.client[entries.project]])
    invoices = settle_invoices(rng, invoices, relationship.health, churn.day, timeline)
    questions = questions.select(
        questions.day < np.minimum(churn.day[questions.client], timeline.n_days)
    )

    messages = draw_messages(
        rng,
        firm_clients,
        projects,
        managers,
        relationship,
        billing,
        questions,
        invoices,
        churn,
        timeline,
    )
    progress = report_progress(rng, projects, managers, billing.billed_share, churn.day, timeline)
    bundle = to_bundle(
        rng, firm_clients, projects, entries, invoices, messages, progress, churn, timeline
    )
    message_topics = pd.Series(messages.topic, index=bundle.messages["message_id"], name="topic")
    return Simulation(
        bundle=bundle,
        message_topics=message_topics,
        health=relationship.health,
        weeks=timeline.weeks,
        invoice_dispute_probability=pd.Series(
            invoices.dispute_probability, index=bundle.invoices["invoice_id"], name="oracle"
        ),
    )
