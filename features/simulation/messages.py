"""The messages between the firm and its clients as sent: thinned before churn, in
time order, each with its author, words and channel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.bundle.parse import STRING
from features.simulation import topics
from features.simulation.clients import Clients, ProjectManagers, Projects
from features.simulation.conversations import Events, converse
from features.simulation.health import NEVER, BillingQuestions, Churn, Relationship
from features.simulation.invoices import Billing, Invoices
from features.simulation.texts import compose, wording
from features.simulation.timeline import Timeline


@dataclass(frozen=True)
class Messages:
    """One entry per message, in the order they were sent."""

    client: np.ndarray
    day: np.ndarray
    #: Seconds after midnight (UTC).
    seconds: np.ndarray
    #: Codes from :mod:`features.simulation.topics`.
    topic: np.ndarray
    outbound: np.ndarray
    #: Position of the invoice it is about, or -1.
    invoice: np.ndarray
    #: Survey score (0-10), NaN for other messages.
    score: np.ndarray
    channel: np.ndarray
    text: pd.Series
    author: np.ndarray
    #: Position of the project it names, or -1.
    project: np.ndarray


def draw_messages(
    rng: np.random.Generator,
    clients: Clients,
    projects: Projects,
    managers: ProjectManagers,
    relationship: Relationship,
    billing: Billing,
    questions: BillingQuestions,
    invoices: Invoices,
    churn: Churn,
    timeline: Timeline,
) -> Messages:
    """Who writes when, about what, and in which words."""
    events, new_contact_day = converse(
        rng, clients, relationship, billing, questions, invoices, timeline
    )

    # Silence before churn thins the client's own messages (not the firm's).
    m_c, m_day = events.client, events.day
    to_churn = churn.day[m_c] - m_day
    quiet = (~events.outbound) & (to_churn > 0) & (to_churn <= churn.quiet_days[m_c])
    keep = (~quiet | (rng.random(m_c.size) < 0.12)) & (
        m_day < np.minimum(churn.day[m_c], timeline.n_days)
    )
    keep &= m_day >= np.maximum(clients.since_day[m_c], 0)
    events = events.select(keep)
    seconds = rng.integers(7 * 3600, 18 * 3600, events.client.size) // 60 * 60
    order = np.lexsort((seconds, events.day))
    events, seconds = events.select(order), seconds[order]

    author, text = _words(
        rng, events, new_contact_day, clients, projects, managers, invoices, timeline
    )
    channel = _channels(events.topic, events.outbound, rng)
    n_msg, m_c = events.client.size, events.client
    text[(channel == "call") & (rng.random(n_msg) < 0.08)] = np.nan
    first = projects.first_of_client[m_c]
    project = np.where((rng.random(n_msg) < 0.6) & (projects.client[first] == m_c), first, -1)
    return Messages(
        client=m_c,
        day=events.day,
        seconds=seconds,
        topic=events.topic,
        outbound=events.outbound,
        invoice=events.invoice,
        score=events.score,
        channel=channel,
        text=text,
        author=author,
        project=project,
    )


def _words(
    rng: np.random.Generator,
    events: Events,
    new_contact_day: np.ndarray,
    clients: Clients,
    projects: Projects,
    managers: ProjectManagers,
    invoices: Invoices,
    timeline: Timeline,
) -> tuple[np.ndarray, pd.Series]:
    """Each message's author and text, in its client's language."""
    words = wording()
    m_c, m_day, m_topic, m_out = events.client, events.day, events.topic, events.outbound
    n_msg = m_c.size
    m_lang = clients.language[m_c]
    deliverable = projects.deliverable[projects.first_of_client[m_c]]
    m_thing = np.where(
        m_lang == "de",
        np.array(words.deliverables["de"], dtype=object)[deliverable],
        np.array(words.deliverables["en"], dtype=object)[deliverable],
    )
    # Each client has three regular contacts, named from the first 12 first names;
    # new contacts take the last 4, so a new contact is never mistaken for an old one.
    contact_first = rng.integers(0, 12, (clients.count, 3))
    contact_last = rng.integers(0, 12, (clients.count, 3))
    who = rng.integers(0, 3, n_msg)
    introduced = np.where(new_contact_day[m_c] >= 0, new_contact_day[m_c], NEVER)
    is_new = (m_topic == topics.NEW_CONTACT) | (
        ~m_out & (m_day > introduced) & (rng.random(n_msg) < 0.5)
    )
    first = np.where(is_new, 12 + contact_first[m_c, 0] % 4, contact_first[m_c, who])
    last = np.where(is_new, (contact_last[m_c, 0] + 5) % 12, contact_last[m_c, who])
    firsts = {lg: np.array(words.first_names[lg], dtype=object) for lg in ("en", "de")}
    lasts = {lg: np.array(words.last_names[lg], dtype=object) for lg in ("en", "de")}
    client_author = np.where(
        m_lang == "de",
        firsts["de"][first] + " " + lasts["de"][last],
        firsts["en"][first] + " " + lasts["en"][last],
    )
    pm = np.arange(managers.count)
    pm_names = firsts["en"][pm % len(firsts["en"])] + " " + lasts["de"][pm % len(lasts["de"])]
    m_pm = pm_names[projects.main_pm[m_c]]
    author = np.where(m_out, m_pm, client_author)
    month_index = (timeline.start + pd.to_timedelta(m_day, unit="D")).month.to_numpy() - 1
    m_month = np.where(
        m_lang == "de",
        np.array(words.months["de"], dtype=object)[month_index],
        np.array(words.months["en"], dtype=object)[month_index],
    )
    m_inv = events.invoice
    m_invoice = np.where(
        m_inv >= 0, invoices.number[np.maximum(m_inv, 0)], words.last_invoice["en"]
    )
    m_invoice = np.where((m_inv < 0) & (m_lang == "de"), words.last_invoice["de"], m_invoice)
    # Whom the message greets: the client's writer when the firm writes, else the PM.
    greeted = np.where(m_out, client_author, m_pm)
    texts = compose(
        m_topic.tolist(),
        m_lang.tolist(),
        {
            "thing": m_thing.tolist(),
            "invoice": m_invoice.tolist(),
            "month": m_month.tolist(),
            "name": [g.split(" ")[0] for g in greeted],
            "hours": rng.integers(40, 260, n_msg).astype(str).tolist(),
            "amount": [f"{a:,.0f} EUR" for a in rng.integers(2, 90, n_msg) * 500],
        },
        rng,
    )
    return author, pd.Series([text or None for text in texts], dtype=STRING)


def _channels(topic: np.ndarray, outbound: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(topic.size)
    inbound = np.select(
        [u < 0.5, u < 0.7, u < 0.83, u < 0.93], ["email", "thread", "chat", "call"], "meeting"
    )
    out = np.where(u < 0.7, "email", np.where(u < 0.85, "portal", "thread"))
    channel = np.where(outbound, out, inbound)
    channel = np.where(np.char.startswith(topic.astype(str), "survey"), "survey", channel)
    return np.where(np.isin(topic, [topics.INVOICE_SENT, topics.DISPUTE]), "email", channel)
