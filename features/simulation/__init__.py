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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from features.bundle import STRING, Bundle
from features.contract import FILES
from features.simulation import topics
from features.simulation.texts import compose, wording
from features.simulation.write import write_bundle

__all__ = ["DEFAULT_START", "Simulation", "simulate", "write_bundle"]

DEFAULT_START = "2025-01-06"
_WORKDAY_HOURS = 6.5
_ENTRY_RATE = 0.85
_ROLES = np.array(
    ["Partner", "Senior Consultant", "Consultant", "Analyst", "Developer", "Designer"]
)
_ROLE_RATE = np.array([2.0, 1.4, 1.0, 0.8, 1.0, 0.9])


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


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def _ids(prefix: str, n: int, width: int) -> pa.Array:
    numbers = pc.cast(pa.array(np.arange(1, n + 1, dtype=np.int64)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(numbers, width, "0"), "")


def _days(start: pd.Timestamp, day: np.ndarray) -> pd.Series:
    return pd.Series(start + pd.to_timedelta(day, unit="D")).astype("datetime64[ns]")


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
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start).normalize()
    n_days = int((t0 + pd.DateOffset(months=months) - t0).days)
    n_weeks = -(-n_days // 7)
    weeks = pd.date_range(t0, periods=n_weeks, freq="7D")
    n = clients

    # --- clients -------------------------------------------------------------
    lang = np.where(rng.random(n) < 0.4, "de", "en")
    existing = rng.random(n) < 0.7
    since_day = np.where(
        existing, -rng.integers(30, 5 * 365, n), rng.integers(0, max(int(n_days * 0.8), 1), n)
    )
    first_week = np.maximum(since_day, 0) // 7
    mean_health = rng.normal(0.35, 0.45, n)
    rhythm = np.exp(rng.normal(np.log(0.8), 0.8, n))  # inbound messages per active week
    terms = rng.choice([14, 30, 30, 45], n)
    size = rng.normal(0.0, 0.7, n)
    n_leads = max(2, n // 40)
    lead_of = rng.integers(0, n_leads, n)
    words = wording()
    company_words = np.array(words.company_words)
    sectors = np.array(words.company_sectors)
    forms = words.legal_forms
    client_names = [
        f"{a} {b} {k}"
        for a, b, k in zip(
            company_words[rng.integers(0, len(company_words), n)],
            sectors[rng.integers(0, len(sectors), n)],
            [
                forms[str(lg)][i]
                for lg, i in zip(lang, rng.integers(0, len(forms["en"]), n), strict=True)
            ],
            strict=True,
        )
    ]
    client_ids = _ids("C-", n, 5)
    lead_emails = np.array([f"lead{i:02d}@firm.example" for i in range(n_leads)])

    # --- projects --------------------------------------------------------------
    n_pm = max(3, n // 15)
    pm_optimism = np.where(rng.random(n_pm) < 0.33, rng.uniform(0.3, 0.8, n_pm), 0.0)
    pm_skips = rng.uniform(0.02, 0.35, n_pm)
    pm_answers = rng.uniform(0.45, 0.95, n_pm)
    slots = 8
    model_draw = rng.choice(3, (n, slots), p=[0.4, 0.4, 0.2])  # fixed, t&m, retainer
    duration = np.where(
        model_draw == 0,
        rng.integers(8, 40, (n, slots)),
        np.where(
            model_draw == 1, rng.integers(12, 52, (n, slots)), rng.integers(26, 53, (n, slots))
        ),
    )
    gaps = (duration * rng.uniform(0.35, 1.0, (n, slots))).astype(int)
    start_week = (
        first_week[:, None]
        + rng.integers(0, 4, (n, 1))
        + np.concatenate([np.zeros((n, 1), int), np.cumsum(gaps, axis=1)[:, :-1]], axis=1)
    )
    start_week[:, 0] = np.minimum(start_week[:, 0], n_weeks - 1)  # every client has work
    keep = start_week < n_weeks
    p_client = np.nonzero(keep)[0]
    p_start = start_week[keep]
    p_dur = duration[keep]
    p_model = model_draw[keep]
    n_proj = p_client.size
    p_pm = rng.integers(0, n_pm, n_proj)
    troubled = rng.random(n_proj) < 0.2
    efficiency = np.exp(rng.normal(0.0, 0.12, n_proj)) * np.where(
        troubled, rng.uniform(0.45, 0.8, n_proj), 1.0
    )
    p_budget = (
        np.round(np.exp(10.6 + size[p_client] + rng.normal(0, 0.4, n_proj)) * p_dur / 26, -2) + 1000
    )
    p_team = np.minimum(1 + rng.poisson(1.3, n_proj), 5)
    p_deliverable = rng.integers(0, len(words.deliverables["en"]), n_proj)

    # Progress and project end on the project x week grid.
    w = np.arange(n_weeks)
    since_start = w[None, :] - p_start[:, None]
    pace = (
        efficiency[:, None]
        / p_dur[:, None]
        * np.clip(rng.normal(1.0, 0.35, (n_proj, n_weeks)), 0.0, 2.5)
    )
    true_progress = np.clip(np.cumsum(np.where(since_start >= 0, pace, 0.0), axis=1), 0, 1)
    done = true_progress >= 0.999
    done_week = np.where(done.any(axis=1), done.argmax(axis=1) + 1, n_weeks + 10**6)
    p_end = np.where(
        p_model == 2,
        p_start + p_dur,
        np.minimum(done_week, p_start + np.ceil(1.6 * p_dur).astype(int)),
    )
    active = (since_start >= 0) & (w[None, :] < p_end[:, None])

    # --- time entries (before churn; truncated later) ----------------------------
    cell_p, cell_w = np.nonzero(active)
    per_cell = p_team[cell_p] * 5
    e_p = np.repeat(cell_p, per_cell)
    e_w = np.repeat(cell_w, per_cell)
    offsets = np.arange(per_cell.sum()) - np.repeat(np.cumsum(per_cell) - per_cell, per_cell)
    e_member = offsets // 5
    monday = (7 - t0.day_of_week) % 7  # first Monday on or after the start
    e_day = e_w * 7 + monday + offsets % 5
    kept = (rng.random(e_p.size) < _ENTRY_RATE) & (e_day < n_days)
    e_p, e_day, e_member = e_p[kept], e_day[kept], e_member[kept]
    e_hours = np.clip(np.round(rng.normal(_WORKDAY_HOURS, 1.5, e_p.size) * 4) / 4, 0.25, 10.0)
    staff = max(12, n // 3)
    team = rng.integers(0, staff, (n_proj, 5))
    staff_role = rng.choice(len(_ROLES), staff, p=[0.08, 0.2, 0.3, 0.15, 0.2, 0.07])
    e_person = team[e_p, e_member]
    e_role = staff_role[e_person]
    rate = p_budget / (p_dur * p_team * 5 * _ENTRY_RATE * _WORKDAY_HOURS)
    billable = np.where(p_model[e_p] == 0, True, rng.random(e_p.size) < 0.92)
    e_amount = np.where(billable, np.round(e_hours * rate[e_p] * _ROLE_RATE[e_role], 2), 0.0)

    # --- invoices: monthly, per project ----------------------------------------
    month_starts = pd.date_range(
        t0 + pd.offsets.MonthBegin(1), t0 + pd.Timedelta(days=n_days), freq="MS"
    )
    ms_day = np.asarray((month_starts - t0).days, dtype=np.int64)
    prev_day = np.concatenate([[0], ms_day[:-1]])
    p_start_day = p_start * 7
    p_end_day = np.minimum(p_end * 7, n_days + 10**6)
    inv_p, inv_m = np.nonzero(
        (p_start_day[:, None] < ms_day[None, :]) & (p_end_day[:, None] > prev_day[None, :])
    )
    period_start = np.maximum(prev_day[inv_m], p_start_day[inv_p])
    period_end = np.minimum(ms_day[inv_m], p_end_day[inv_p]) - 1
    # An entry is billed by its project's invoice at the next month start: a
    # dense (project, month) key keeps the lookups flat for 10 million entries.
    months_per_project = ms_day.size + 1
    e_month = np.searchsorted(ms_day, e_day, side="right")
    e_key = e_p * months_per_project + e_month
    billed_amount = np.bincount(e_key, weights=e_amount, minlength=n_proj * months_per_project)
    tm_amount = billed_amount[inv_p * months_per_project + inv_m]
    planned_days = p_dur * 7.0

    def share(day: np.ndarray, p: np.ndarray) -> np.ndarray:
        finished = (day >= p_end_day[p]) & (p_model[p] != 2)
        return np.where(finished, 1.0, np.clip((day - p_start_day[p]) / planned_days[p], 0, 1))

    fixed_amount = p_budget[inv_p] * (share(period_end + 1, inv_p) - share(period_start, inv_p))
    retainer_months = np.maximum(np.round(planned_days / 30.4), 1)
    retainer_amount = (p_budget / retainer_months)[inv_p] * np.clip(
        (period_end + 1 - period_start) / 30.4, 0, 1
    )
    amount = np.round(
        np.select(
            [p_model[inv_p] == 0, p_model[inv_p] == 1], [fixed_amount, tm_amount], retainer_amount
        ),
        2,
    )
    issue_day = ms_day[inv_m] + rng.integers(0, 4, inv_m.size)
    ok = (amount > 0) & (issue_day < n_days)
    inv_p, inv_m, amount = inv_p[ok], inv_m[ok], amount[ok]
    issue_day, period_start, period_end = issue_day[ok], period_start[ok], period_end[ok]
    inv_c = p_client[inv_p]

    # Billed share of budget and the client's largest gap, per week.
    billed = np.zeros((n_proj, n_weeks))
    np.add.at(billed, (inv_p, np.minimum(issue_day // 7, n_weeks - 1)), amount)
    billed_share = np.cumsum(billed, axis=1) / p_budget[:, None]
    gap = np.where(active, billed_share - true_progress, 0.0)
    client_gap = np.zeros((n, n_weeks))
    np.maximum.at(client_gap, (p_client[cell_p], cell_w), np.clip(gap[cell_p, cell_w], 0, None))
    has_project = np.zeros((n, n_weeks), dtype=bool)
    has_project[p_client[cell_p], cell_w] = True

    # --- new contacts and health ----------------------------------------------------
    exists = w[None, :] >= first_week[:, None]
    nc_week = np.where(
        rng.random(n) < 0.35, first_week + rng.integers(4, max(n_weeks, 5), n), -(10**6)
    )
    nc_active = (w[None, :] - nc_week[:, None] >= 0) & (w[None, :] - nc_week[:, None] < 12)
    target = mean_health[:, None] - 2.8 * np.clip(client_gap - 0.05, 0, None) - 0.5 * nc_active
    health = np.empty((n, n_weeks))
    level = mean_health + rng.normal(0, 0.2, n)
    shocks = rng.normal(0, 0.13, (n, n_weeks))
    for week in range(n_weeks):  # AR(1) across weeks: a loop over weeks, never over clients
        level = 0.8 * level + 0.2 * target[:, week] + shocks[:, week]
        health[:, week] = level

    # --- billing questions (a rate per client-week) ---------------------------------
    q_rate = 0.035 * np.exp(3.0 * client_gap - 0.9 * health + 1.2 * nc_active) * exists
    q_count = rng.poisson(np.where(has_project, q_rate, 0.4 * q_rate))
    q_c, q_w = np.nonzero(q_count)
    q_c, q_w = np.repeat(q_c, q_count[q_c, q_w]), np.repeat(q_w, q_count[q_c, q_w])
    q_day = q_w * 7 + rng.integers(0, 7, q_c.size)
    first_project = np.zeros(n, dtype=np.int64)  # every client has at least one project
    has_any, first_index = np.unique(p_client, return_index=True)
    first_project[has_any] = first_index
    main_pm = p_pm[first_project]
    q_answered_fast = rng.random(q_c.size) < pm_answers[main_pm[q_c]]
    recent_q = np.zeros((n, n_weeks))
    np.add.at(recent_q, (q_c, q_w), 1.0)
    unanswered = np.zeros((n, n_weeks))
    np.add.at(unanswered, (q_c[~q_answered_fast], q_w[~q_answered_fast]), 1.0)

    def trailing(counts: np.ndarray, span: int) -> np.ndarray:
        """Sum over the last ``span`` weeks, this one included."""
        total = np.cumsum(counts, axis=1)
        shifted = np.zeros_like(total)
        shifted[:, span:] = total[:, :-span]
        return np.asarray(total - shifted)

    q_60d = trailing(recent_q, 9)
    unanswered_30d = trailing(unanswered, 5)

    # --- disputes ---------------------------------------------------------------------------
    iw = np.minimum(issue_day // 7, n_weeks - 1)
    logit = (
        -4.4
        + 3.2 * client_gap[inv_c, iw]
        - 1.4 * health[inv_c, iw]
        + 0.55 * np.minimum(q_60d[inv_c, iw], 3)
        + 0.8 * (unanswered_30d[inv_c, iw] > 0)
        + 0.9 * nc_active[inv_c, iw]
        + rng.normal(0, 0.6, inv_c.size)
    )
    disputed = rng.random(inv_c.size) < _sigmoid(logit)
    dispute_day = np.where(disputed, issue_day + rng.integers(4, 29, inv_c.size), -1)
    disputes_cw = np.zeros((n, n_weeks))
    real = disputed & (dispute_day < n_days)
    np.add.at(disputes_cw, (inv_c[real], dispute_day[real] // 7), 1.0)

    # --- churn ---------------------------------------------------------------------------
    idle = trailing((~has_project).astype(float), 6) >= 6
    hazard = _sigmoid(
        -7.0 - 1.7 * health + 0.9 * trailing(disputes_cw, 13) + 1.3 * idle + 0.7 * nc_active
    )
    hazard = np.where(exists & (w[None, :] >= first_week[:, None] + 6), hazard, 0.0)
    churn_hit = rng.random((n, n_weeks)) < hazard
    churned = churn_hit.any(axis=1)
    churn_day = np.where(churned, churn_hit.argmax(axis=1) * 7 + rng.integers(0, 7, n), 10**9)
    churn_day = np.where(churn_day < n_days, churn_day, 10**9)
    churned = churn_day < n_days
    abrupt = rng.random(n) < 0.2
    quiet_days = np.where(churned & ~abrupt, rng.integers(35, 80, n), 0)

    # Truncate everything at churn.
    alive = e_day < churn_day[p_client[e_p]]
    e_p, e_day, e_hours, e_amount = e_p[alive], e_day[alive], e_hours[alive], e_amount[alive]
    e_person, e_role, billable = e_person[alive], e_role[alive], billable[alive]
    alive = issue_day < churn_day[inv_c]
    inv_p, inv_c, inv_m, amount, issue_day = (
        inv_p[alive],
        inv_c[alive],
        inv_m[alive],
        amount[alive],
        issue_day[alive],
    )
    period_start, period_end = period_start[alive], period_end[alive]
    dispute_day, health_at_issue = (
        dispute_day[alive],
        health[inv_c, np.minimum(issue_day // 7, n_weeks - 1)],
    )
    dispute_day = np.where(dispute_day >= n_days, -1, dispute_day)
    n_inv = inv_p.size
    alive = q_day < np.minimum(churn_day[q_c], n_days)
    q_c, q_day, q_answered_fast = q_c[alive], q_day[alive], q_answered_fast[alive]

    # Payment behaviour follows health; disputed invoices wait for the resolution.
    due_day = issue_day + terms[inv_c]
    delay = np.round(rng.normal(-1.0 - 9.0 * np.clip(-health_at_issue, -0.5, None), 6.0))
    paid_day = np.where(
        dispute_day >= 0,
        dispute_day + rng.integers(15, 75, n_inv),
        due_day + np.maximum(delay, -due_day + issue_day),
    )
    paid_day = np.where(paid_day < n_days, paid_day, -1)

    # Invoice ids run in issue order, as an accounting tool numbers them.
    order = np.lexsort((inv_p, issue_day))
    inv_p, inv_c, inv_m, amount, issue_day = (
        inv_p[order],
        inv_c[order],
        inv_m[order],
        amount[order],
        issue_day[order],
    )
    period_start, period_end = period_start[order], period_end[order]
    dispute_day, due_day, paid_day = dispute_day[order], due_day[order], paid_day[order]
    invoice_ids = _ids("INV-", n_inv, 7)
    inv_number = np.asarray(invoice_ids.to_pylist(), dtype=object)

    # Time entries of T&M projects name the invoice that billed them.
    invoice_at = np.full(n_proj * months_per_project, -1, dtype=np.int64)
    invoice_at[inv_p * months_per_project + inv_m] = np.arange(n_inv)
    e_key = e_p * months_per_project + np.searchsorted(ms_day, e_day, side="right")
    e_invoice_pos = np.where((p_model[e_p] == 1) & billable, invoice_at[e_key], -1)

    # --- messages ---------------------------------------------------------------------------
    msg_c: list[np.ndarray] = []
    msg_day: list[np.ndarray] = []
    msg_topic: list[np.ndarray] = []
    msg_out: list[np.ndarray] = []
    msg_inv: list[np.ndarray] = []  # invoice position a message refers to, or -1

    def add(
        c: np.ndarray,
        day: np.ndarray,
        topic: np.ndarray | str,
        outbound: bool,
        inv: np.ndarray | None = None,
    ) -> None:
        msg_c.append(c)
        msg_day.append(day)
        msg_topic.append(np.broadcast_to(np.asarray(topic, dtype=object), c.shape).copy())
        msg_out.append(np.full(c.shape, outbound))
        msg_inv.append(inv if inv is not None else np.full(c.shape, -1))

    engagement = np.where(has_project, 1.0, 0.35) * exists
    g_count = rng.poisson(rhythm[:, None] * engagement)
    g_c, g_w = np.nonzero(g_count)
    reps = g_count[g_c, g_w]
    g_c, g_w = np.repeat(g_c, reps), np.repeat(g_w, reps)
    g_day = g_w * 7 + rng.integers(0, 7, g_c.size)
    h = health[g_c, g_w]
    p_good = _sigmoid(2.4 * h - 0.6)
    p_bad = _sigmoid(-2.6 * h - 1.4)
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
    add(g_c, g_day, g_topic, False)
    reply = rng.random(g_c.size) < 0.5
    add(g_c[reply], g_day[reply] + rng.integers(0, 3, reply.sum()), topics.REPLY, True)

    # Billing questions, and the PM's answer (fast, slow or never).
    q_inv = _latest_invoice(inv_c, issue_day, q_c, q_day)
    add(q_c, q_day, topics.BILLING_QUESTION, False, q_inv)
    slow = ~q_answered_fast & (rng.random(q_c.size) < 0.6)
    answer_day = np.where(
        q_answered_fast,
        q_day + _working_days(q_day, t0, rng),
        q_day + rng.integers(6, 16, q_c.size),
    )
    answered = q_answered_fast | slow
    add(q_c[answered], answer_day[answered], topics.BILLING_ANSWER, True, q_inv[answered])

    # Most disputes are preceded by a question about that invoice.
    has_dispute = dispute_day >= 0
    lead = has_dispute & (dispute_day - issue_day > 2) & (rng.random(n_inv) < 0.5)
    pre_day = (
        issue_day[lead]
        + 1
        + (rng.random(lead.sum()) * (dispute_day[lead] - issue_day[lead] - 2)).astype(int)
    )
    add(inv_c[lead], pre_day, topics.BILLING_QUESTION, False, np.nonzero(lead)[0])
    says = has_dispute & (rng.random(n_inv) < 0.5)
    add(inv_c[says], dispute_day[says], topics.DISPUTE, False, np.nonzero(says)[0])

    # New contacts introduce themselves by asking what the client pays for.
    nc = (nc_week >= 0) & (nc_week < n_weeks)
    nc_day = np.where(nc, nc_week * 7 + rng.integers(0, 5, n), -1)
    add(np.nonzero(nc)[0], nc_day[nc], topics.NEW_CONTACT, False)

    # The firm's own messages: weekly status and invoice mails.
    s_count = rng.poisson(0.55 * has_project)
    s_c, s_w = np.nonzero(s_count)
    add(s_c, s_w * 7 + rng.integers(0, 5, s_c.size), topics.STATUS, True)
    sent = rng.random(n_inv) < 0.5
    add(inv_c[sent], issue_day[sent], topics.INVOICE_SENT, True, np.nonzero(sent)[0])

    # Quarterly surveys: answered less often, and lower, when health is poor.
    phase = rng.integers(0, 13, n)
    sv_c, sv_w = np.nonzero(exists & ((w[None, :] - phase[:, None]) % 13 == 0))
    answer = rng.random(sv_c.size) < _sigmoid(0.8 + 1.6 * health[sv_c, sv_w])
    sv_c, sv_w = sv_c[answer], sv_w[answer]
    sv_score = np.clip(
        np.round(7.0 + 2.6 * health[sv_c, sv_w] + rng.normal(0, 1.1, sv_c.size)), 0, 10
    )
    sv_topic = np.where(
        sv_score >= 9,
        topics.SURVEY_GOOD,
        np.where(sv_score >= 7, topics.SURVEY_MIXED, topics.SURVEY_BAD),
    )
    sv_start = len(msg_c)
    add(sv_c, sv_w * 7 + rng.integers(0, 5, sv_c.size), sv_topic, False)

    m_c = np.concatenate(msg_c)
    m_day = np.concatenate(msg_day)
    m_topic = np.concatenate(msg_topic)
    m_out = np.concatenate(msg_out)
    m_inv = np.concatenate(msg_inv)
    m_score = np.full(m_c.size, np.nan)
    sv_offset = sum(len(a) for a in msg_c[:sv_start])
    m_score[sv_offset : sv_offset + sv_c.size] = sv_score

    # Silence before churn thins the client's own messages (not the firm's).
    to_churn = churn_day[m_c] - m_day
    quiet = (~m_out) & (to_churn > 0) & (to_churn <= quiet_days[m_c])
    keep_msg = (~quiet | (rng.random(m_c.size) < 0.12)) & (
        m_day < np.minimum(churn_day[m_c], n_days)
    )
    keep_msg &= m_day >= np.maximum(since_day[m_c], 0)
    m_c, m_day, m_topic, m_out, m_inv, m_score = (
        m_c[keep_msg],
        m_day[keep_msg],
        m_topic[keep_msg],
        m_out[keep_msg],
        m_inv[keep_msg],
        m_score[keep_msg],
    )
    seconds = rng.integers(7 * 3600, 18 * 3600, m_c.size) // 60 * 60
    order = np.lexsort((seconds, m_day))
    m_c, m_day, m_topic, m_out, m_inv, m_score, seconds = (
        m_c[order],
        m_day[order],
        m_topic[order],
        m_out[order],
        m_inv[order],
        m_score[order],
        seconds[order],
    )
    n_msg = m_c.size

    # Words: who writes, about what.
    m_lang = lang[m_c]
    m_thing = np.where(
        m_lang == "de",
        np.array(words.deliverables["de"], dtype=object)[p_deliverable[first_project[m_c]]],
        np.array(words.deliverables["en"], dtype=object)[p_deliverable[first_project[m_c]]],
    )
    # Regular contacts take the first 12 first names; new contacts the last 4, so a
    # new contact is never mistaken for an old one.
    contact_first = rng.integers(0, 12, (n, 3))
    contact_last = rng.integers(0, 12, (n, 3))
    who = rng.integers(0, 3, n_msg)
    is_new = (m_topic == topics.NEW_CONTACT) | (
        ~m_out
        & (m_day > np.where(nc_day[m_c] >= 0, nc_day[m_c], 10**9))
        & (rng.random(n_msg) < 0.5)
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
    pm_first = firsts["en"][np.arange(n_pm) % 16] + " " + lasts["de"][np.arange(n_pm) % 12]
    m_author = np.where(m_out, pm_first[main_pm[m_c]], client_author)
    month_index = (t0 + pd.to_timedelta(m_day, unit="D")).month.to_numpy() - 1
    m_month = np.where(
        m_lang == "de",
        np.array(words.months["de"], dtype=object)[month_index],
        np.array(words.months["en"], dtype=object)[month_index],
    )
    m_invoice = np.where(m_inv >= 0, inv_number[np.maximum(m_inv, 0)], words.last_invoice["en"])
    m_invoice = np.where((m_inv < 0) & (m_lang == "de"), words.last_invoice["de"], m_invoice)
    greet = np.where(m_out, client_author, pm_first[main_pm[m_c]])
    texts = compose(
        m_topic.tolist(),
        m_lang.tolist(),
        {
            "thing": m_thing.tolist(),
            "invoice": m_invoice.tolist(),
            "month": m_month.tolist(),
            "name": [g.split(" ")[0] for g in greet],
            "hours": rng.integers(40, 260, n_msg).astype(str).tolist(),
            "amount": [f"{a:,.0f} EUR" for a in rng.integers(2, 90, n_msg) * 500],
        },
        rng,
    )
    channel = _channels(m_topic, m_out, rng)
    m_text = pd.Series([text or None for text in texts], dtype=STRING)
    m_text[(channel == "call") & (rng.random(n_msg) < 0.08)] = np.nan
    m_project = np.where(
        (rng.random(n_msg) < 0.6) & (p_client[first_project[m_c]] == m_c), first_project[m_c], -1
    )

    # --- progress reports ---------------------------------------------------------------
    pr_p, pr_w = np.nonzero(active)
    alive = pr_w * 7 + monday + 4 < np.minimum(churn_day[p_client[pr_p]], n_days)
    pr_p, pr_w = pr_p[alive], pr_w[alive]
    reported = rng.random(pr_p.size) >= pm_skips[p_pm[pr_p]]
    pr_p, pr_w = pr_p[reported], pr_w[reported]
    truth = true_progress[pr_p, pr_w]
    hidden = pm_optimism[p_pm[pr_p]] * np.clip(billed_share[pr_p, pr_w] - truth, 0, None)
    shown = np.clip(truth + hidden + rng.normal(0, 0.015, pr_p.size), 0, 1)
    # A PM never reports progress going backwards.
    shown = pd.Series(shown).groupby(pr_p).cummax().to_numpy()
    milestone = _optional(
        np.full(pr_p.size, words.milestone, dtype=object), rng.random(pr_p.size) < 0.1
    )

    # --- assemble the bundle --------------------------------------------------------------
    project_ids = _ids("P-", n_proj, 6)
    pid = np.asarray(project_ids.to_pylist(), dtype=object)
    cid = np.asarray(client_ids.to_pylist(), dtype=object)
    p_close_day = np.where(
        churn_day[p_client] < p_end_day, churn_day[p_client], p_end_day - rng.integers(1, 4, n_proj)
    )
    p_close_day = np.where(p_close_day < n_days, p_close_day, -1)
    p_name_en = np.array(words.deliverables["en"], dtype=object)[p_deliverable]
    p_names = [
        words.project_names[str(lang[c])].format(
            # English deliverables read "the CRM rollout": a project is "Crm Rollout 7".
            deliverable=words.deliverables["de"][d]
            if lang[c] == "de"
            else str(p_name_en[i])[4:].title(),
            number=i + 1,
        )
        for i, (c, d) in enumerate(zip(p_client, p_deliverable, strict=True))
    ]
    model_names = np.array(["fixed_fee", "time_and_materials", "retainer"], dtype=object)
    # Projects planned to start after the client gave notice never happened.
    real_project = p_start_day < churn_day[p_client]

    def days(day: np.ndarray) -> pd.Series:
        out = _days(t0, np.where(day >= 0, day, 0))
        return out.where(day >= 0)

    frames = {
        "clients": pd.DataFrame(
            {
                "client_id": pd.Series(cid, dtype=STRING),
                "name": pd.Series(client_names, dtype=STRING),
                "account_lead": pd.Series(lead_emails[lead_of], dtype=STRING),
                "client_since": _days(t0, since_day),
                "industry": pd.Series(
                    np.array(words.industries)[rng.integers(0, len(words.industries), n)],
                    dtype=STRING,
                ),
                "language": pd.Series(lang, dtype=STRING),
                # One made-up mail domain per client (RFC 2606's reserved .example).
                "domains": pd.Series(
                    pc.binary_join_element_wise(pc.utf8_lower(cid), ".example", ""),
                    dtype=STRING,
                ),
            }
        ),
        "projects": pd.DataFrame(
            {
                "project_id": pd.Series(pid, dtype=STRING),
                "client_id": pd.Series(cid[p_client], dtype=STRING),
                "name": pd.Series(p_names, dtype=STRING),
                "pm": pd.Series([f"pm{i:03d}@firm.example" for i in p_pm], dtype=STRING),
                "billing_model": pd.Series(model_names[p_model], dtype=STRING),
                "budget": p_budget.astype("float64"),
                "start_date": days(p_start_day),
                "end_date": days(p_start_day + p_dur * 7 - 1),
                "closed_at": days(p_close_day),
            }
        ),
        "progress": pd.DataFrame(
            {
                "project_id": pd.Series(pid[pr_p], dtype=STRING),
                "reported_at": days(pr_w * 7 + monday + 4),
                "percent_complete": np.round(shown * 100, 1),
                "milestone": pd.Series(milestone, dtype=STRING),
            }
        ),
        "time_entries": pd.DataFrame(
            {
                "entry_id": pd.Series(_ids("E-", e_p.size, 9), dtype=STRING),
                "project_id": pd.Series(pid[e_p], dtype=STRING),
                "worked_on": days(e_day),
                "hours": e_hours,
                "billable": billable.astype(bool),
                "amount": e_amount,
                # Index a small table of names: 10 million references, not strings.
                "person": pd.Series(_person_names(np.arange(staff))[e_person], dtype=STRING),
                "role": pd.Series(_ROLES.astype(object)[e_role], dtype=STRING),
                "invoice_id": _optional(
                    inv_number[np.maximum(e_invoice_pos, 0)], e_invoice_pos >= 0
                ),
            }
        ),
        "invoices": pd.DataFrame(
            {
                "invoice_id": pd.Series(inv_number, dtype=STRING),
                "client_id": pd.Series(cid[inv_c], dtype=STRING),
                "project_id": pd.Series(pid[inv_p], dtype=STRING),
                "issued_at": days(issue_day),
                "due_at": days(due_day),
                "amount": amount,
                "paid_at": days(paid_day),
                "disputed_at": days(dispute_day),
                "line_items": pd.array(rng.integers(1, 30, n_inv), dtype="Int64"),
                "period_start": days(period_start),
                "period_end": days(period_end),
            }
        ),
        "messages": pd.DataFrame(
            {
                "message_id": pd.Series(_ids("M-", n_msg, 8), dtype=STRING),
                "client_id": pd.Series(cid[m_c], dtype=STRING),
                "project_id": _optional(pid[np.maximum(m_project, 0)], m_project >= 0),
                "sent_at": (
                    pd.Series(t0 + pd.to_timedelta(m_day * 86400 + seconds, unit="s"))
                    .dt.tz_localize("UTC")
                    .astype("datetime64[ns, UTC]")
                ),
                "channel": pd.Series(channel, dtype=STRING),
                "direction": pd.Series(np.where(m_out, "outbound", "inbound"), dtype=STRING),
                "text": m_text,
                "author": pd.Series(m_author, dtype=STRING),
                "score": m_score,
            }
        ),
        "churn": pd.DataFrame(
            {
                "client_id": pd.Series(cid[churned], dtype=STRING),
                "churned_at": days(churn_day[churned]),
                "reason": pd.Series(
                    [
                        words.churn_reasons[str(lg)][i]
                        for lg, i in zip(
                            lang[churned],
                            rng.integers(0, len(words.churn_reasons["en"]), int(churned.sum())),
                            strict=True,
                        )
                    ],
                    dtype=STRING,
                ),
            }
        ),
    }
    frames["projects"] = frames["projects"][real_project].reset_index(drop=True)
    bundle = Bundle(
        clients=frames["clients"],
        projects=frames["projects"],
        progress=frames["progress"],
        time_entries=frames["time_entries"],
        invoices=frames["invoices"],
        messages=frames["messages"],
        churn=frames["churn"],
        files={name: f"{name}.csv" for name in FILES},
    )
    message_topics = pd.Series(m_topic, index=frames["messages"]["message_id"], name="topic")
    return Simulation(bundle=bundle, message_topics=message_topics, health=health, weeks=weeks)


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


def _channels(topic: np.ndarray, outbound: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(topic.size)
    inbound = np.select(
        [u < 0.5, u < 0.7, u < 0.83, u < 0.93], ["email", "thread", "chat", "call"], "meeting"
    )
    out = np.where(u < 0.7, "email", np.where(u < 0.85, "portal", "thread"))
    channel = np.where(outbound, out, inbound)
    channel = np.where(np.char.startswith(topic.astype(str), "survey"), "survey", channel)
    return np.where(np.isin(topic, [topics.INVOICE_SENT, topics.DISPUTE]), "email", channel)


def _person_names(staff: np.ndarray) -> np.ndarray:
    words = wording()
    first = np.array(words.first_names["en"] + words.first_names["de"], dtype=object)
    last = np.array(words.last_names["en"] + words.last_names["de"], dtype=object)
    names = first[staff % 32] + " " + last[(staff // 32) % 24]
    suffix = np.where(staff >= 32 * 24, " " + (staff // (32 * 24)).astype(str), "")
    return np.asarray(names + suffix.astype(object))


def _optional(values: np.ndarray, present: np.ndarray) -> pd.Series:
    """A text column that is missing where ``present`` is false."""
    return pd.Series(values, dtype=STRING).where(present)
