# ruff: noqa: E501
"""A second, independent firm that writes export bundles (DATA_CONTRACT.md).

The project's own simulator and its models were written by the same hands, so a
model can look good only because it learned that simulator's quirks. This module
shares no code, rates, mechanisms or wording with it: it is a firm of its own,
written from the data contract alone, to check the models against.

Kestrel & Lind is an IT services and digital agency with offices in Hamburg and
Manchester; a little under half of its clients write German. Month by month:

- Staff leave the firm (about 1.3 % a month). Everyone on a leaver's projects
  gets the same successor, so one departure touches several clients at once.
  When a key person (first two seats of a team) leaves, the PM announces the
  handover; for two months the successor delivers less progress per hour, the
  client's mood drops and complaints and incidents become likelier.
- Clients ask for more (scope creep, likelier for demanding clients and fixed
  fees): change requests arrive, hours rise but the progress measured against
  the statement of work does not. On time and materials the bill runs ahead of
  delivery; on fixed fees and retainers the firm may bill the extra as a change
  request or an overage, which clients often refuse.
- Estimates are wrong on their own: a project's true effort is a noisy multiple
  of its plan, so some projects burn budget faster than they progress without
  any other warning.
- Incidents (outages, broken releases) come from complex environments, new
  people and rushed extra work; they bring complaints, escalation meetings, an
  incident report, written-off hours and a drop in mood.
- A new stakeholder (CFO, head of IT, procurement) arrives at the client: a
  new author writes, asks for rate cards and hour breakdowns, runs vendor
  reviews; disputes and churn get likelier for about six months.
- Budget cuts at the client (likelier in retail, media and real estate): work
  slows, meetings thin out, payments slip by weeks, the client asks to defer or
  shrink work, new projects and retainer renewals get unlikely.
- Mood (a latent health score) drifts towards each client's own baseline; it
  drives inbound message volume, meetings, praise and complaints, survey
  answers (quarterly NPS 0..10, answered less often by unhappy clients) and
  whether a retainer is renewed or a follow-up project is bought.
- An invoice is disputed with a probability that rises with billing ahead of
  delivery, a jump in the monthly amount, change-request and overage invoices,
  a new stakeholder, recent incidents, a new consultant, price sensitivity and
  budget cuts, and falls with mood. The same friction raises questions about
  invoices, charges and hours in the weeks before. A small share of disputes
  are administrative (missing PO number, wrong address) and have no precursor.
- A client churns (gives notice) with a monthly hazard raised by recent
  disputes, budget cuts, a new stakeholder, months without any running project,
  a recent key-person change and low mood; a further share churns with no
  precursor at all (acquisitions, strategy changes). Nothing happens after the
  notice date except payments of invoices already issued.

Noise on purpose: grumpy clients complain often and stay; habitual late payers
never churn for it; benign invoice questions (PO numbers, cost centres) are
common; PMs report progress weekly, fortnightly or sloppily, some optimistically;
German clients sometimes write English; call notes are often empty.

Ids are strings that break number parsing: client ids are SAP-style debtor
numbers with leading zeros (``0000100042``), invoice numbers look like
``2024-00017``, time entry ids are plain digits. Call and meeting notes carry
an explicit UTC offset, chat and portal timestamps carry no zone (UTC).

Run it alone: ``python -m tests.bench.firms.other OUT --clients 1000 --months 24``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from tests.bench.firms.toolkit import (
    DISPUTE_DAYS,
    MONTH_NAMES,
    ClientDays,
    concat_records,
    date_text,
    dispute_risk,
    fold_umlauts,
    held_hazard_churn,
    iso_dates,
    main,
    month_starts,
    oracle_frame,
    sigmoid,
    weekday,
    write_bundle,
)

START = np.datetime64("2023-07", "M")
DOMAIN = "kestrel-lind.example"
OPEN = np.int64(10**7)  # day number of "not yet": far beyond any export
FIXED, TM, RETAINER = 0, 1, 2
BILLING = np.array(["fixed_fee", "time_and_materials", "retainer"], dtype=object)

# Invoice kinds and dispute causes.
INV_TM, INV_FIXED, INV_ADVANCE, INV_CR, INV_OVERAGE = range(5)
CAUSE_NONE, CAUSE_ADMIN, CAUSE_HOURS, CAUSE_SCOPE, CAUSE_QUALITY = range(5)


def _words(text: str) -> list[str]:
    return text.split()


ROLES = np.array(
    [
        "Principal",
        "Senior Consultant",
        "Consultant",
        "Developer",
        "Data Engineer",
        "UX Designer",
        "Junior Consultant",
    ],
    dtype=object,
)
ROLE_RATE = np.array([210.0, 165.0, 130.0, 120.0, 140.0, 115.0, 85.0])
ROLE_WEIGHT = np.array([0.0, 0.0, 0.3, 0.3, 0.12, 0.1, 0.18])
SEAT_SHARE = np.array([0.45, 0.25, 0.2, 0.1])  # share of a project's hours per team seat

FIRST_DE = _words(
    "Anna Lukas Katharina Jonas Julia Felix Lea Maximilian Sophie Tobias Sabine Thomas Petra Michael Claudia Stefan Andrea Matthias Nicole Jan Miriam Florian Jana Björn Jürgen Özlem Dirk Ute Henrik Svenja Malte Frauke"
)
LAST_DE = _words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Köhler Yılmaz Petersen Jansen"
)
FIRST_EN = _words(
    "Oliver Amelia George Isla Harry Ava Jack Emily Charlie Sophia Thomas Grace James Lily William Chloe Daniel Priya Raj Hannah Liam Olivia Noah Mia Ethan Zoe Aisha Tom Rachel Mark Siobhan Kwame"
)
LAST_EN = _words(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Wright Robinson Walker Thompson Evans Roberts Green Hall Wood Clarke Hughes Edwards Khan O'Brien Murphy Campbell Kelly Okafor Nguyen"
)

COMPANY_DE_A = _words(
    "Nordwerk Alpen Rhein Elbe Hanse Süd Berg Isar Main Spree Weser Brenner Falken Adler Linden Eichen Kessler Lorenz Baumann Vogt Ostsee Harz"
)
COMPANY_DE_B = _words(
    "Logistik Maschinenbau Versicherung Medizintechnik Handel Energie Immobilien Verlag Bau Software Stahl Möbel Lebensmittel Finanz"
)
COMPANY_DE_C = ["GmbH", "AG", "GmbH & Co. KG", "SE", "KG", "GmbH"]
COMPANY_EN_A = _words(
    "Brightwater Harbour Oakfield Redbridge Kingsway Meridian Northgate Silverline Thames Summit Blue-Heron Ashford Crown Pioneer Westbrook Pennine Calder"
)
COMPANY_EN_B = _words(
    "Logistics Insurance Retail Health Energy Capital Media Foods Analytics Engineering Property Telecom"
)
COMPANY_EN_C = ["Ltd", "plc", "Group", "Inc.", "LLP", "Ltd"]

INDUSTRIES = np.array(
    [
        "Manufacturing",
        "Financial services",
        "Retail",
        "Healthcare",
        "Public sector",
        "Logistics",
        "Media",
        "Energy",
        "Real estate",
        "Software",
    ],
    dtype=object,
)
# Monthly chance of a budget cut, per industry.
INDUSTRY_CUT = np.array([0.010, 0.008, 0.022, 0.007, 0.005, 0.012, 0.024, 0.009, 0.020, 0.014])

TOPICS = {
    "en": [
        "CRM Migration",
        "Website Relaunch",
        "Data Platform",
        "ERP Integration",
        "Customer Portal",
        "Mobile App",
        "Cloud Migration",
        "BI Dashboards",
        "Security Audit",
        "E-Commerce Platform",
        "Document Management",
        "Payroll Interface",
        "API Gateway",
        "Analytics Roadmap",
        "Intranet",
    ],
    "de": [
        "CRM-Migration",
        "Relaunch Website",
        "Datenplattform",
        "ERP-Anbindung",
        "Kundenportal",
        "Mobile App",
        "Cloud-Migration",
        "BI-Dashboards",
        "Sicherheitsaudit",
        "Onlineshop",
        "DMS-Einführung",
        "Schnittstelle Lohnbuchhaltung",
        "API-Gateway",
        "Intranet",
    ],
}
RETAINER_TOPICS = {
    "en": ["Managed Services", "Application Support", "Hosting & Maintenance", "Support Retainer"],
    "de": ["Wartung & Support", "Managed Services", "Betrieb & Hosting", "Supportvertrag"],
}
SUFFIXES = ["", "", "", " Phase 2", " (Pilot)", " 2.0", " – Rollout"]

MILESTONES = {
    "en": {
        1: "Concept signed off",
        2: "MVP delivered",
        3: "User acceptance testing started",
        4: "Final acceptance",
    },
    "de": {
        1: "Konzept abgenommen",
        2: "MVP geliefert",
        3: "Abnahmetests gestartet",
        4: "Endabnahme",
    },
}
RETAINER_MILESTONE = {"en": "Quarterly service review", "de": "Quartals-Servicereview"}

CHURN_REASONS = [
    "budget cuts",
    "new management, supplier consolidation",
    "disagreement over invoices",
    "no follow-up project",
    "dissatisfied with delivery",
    "key consultant left",
]
RANDOM_REASONS = ["acquired by another company", "moved the work in-house", "strategy change"]


class _Calendar:
    """Month boundaries and business days as integer day numbers (days since 1970)."""

    def __init__(self, months: int) -> None:
        self.months = months
        self.month_start = month_starts(START, months + 2)
        self.first = int(self.month_start[0])
        self.last = int(self.month_start[months] - 1)  # last day the export covers
        days = np.arange(self.first, self.last + 600, dtype=np.int64)
        d64 = days.astype("datetime64[D]")
        month_of_year = d64.astype("datetime64[M]").astype(np.int64) % 12 + 1
        day_of_month = (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1
        holiday = ((month_of_year == 12) & (day_of_month >= 24)) | (
            (month_of_year == 1) & (day_of_month == 1)
        )
        self.business = days[weekday(days) < 5]
        self.workdays = days[(weekday(days) < 5) & ~holiday]

    def next_business(self, days: np.ndarray, skip: np.ndarray | int = 0) -> np.ndarray:
        i = np.searchsorted(self.business, days) + skip
        return self.business[np.minimum(i, len(self.business) - 1)]

    def month_of(self, days: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.month_start, days, side="right") - 1

    def pick_days(
        self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, workday_p: float = 0.94
    ) -> np.ndarray:
        """A day in [lo, hi] for each row, mostly a workday."""
        i0 = np.searchsorted(self.workdays, lo)
        i1 = np.searchsorted(self.workdays, hi, side="right")
        u = rng.random(len(lo))
        wd = self.workdays[
            np.minimum(i0 + (u * (i1 - i0)).astype(np.int64), len(self.workdays) - 1)
        ]
        anyday = lo + (rng.random(len(lo)) * (hi - lo + 1)).astype(np.int64)
        use = (i1 > i0) & (rng.random(len(lo)) < workday_p)
        return np.where(use, wd, anyday)


def _ascii(s: str) -> str:
    return fold_umlauts(s.lower()).replace("ı", "i").replace("'", "").replace(" ", "")


def _names(rng: np.random.Generator, k: int, german: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    first = np.where(
        german,
        np.array(FIRST_DE, dtype=object)[rng.integers(0, len(FIRST_DE), k)],
        np.array(FIRST_EN, dtype=object)[rng.integers(0, len(FIRST_EN), k)],
    )
    last = np.where(
        german,
        np.array(LAST_DE, dtype=object)[rng.integers(0, len(LAST_DE), k)],
        np.array(LAST_EN, dtype=object)[rng.integers(0, len(LAST_EN), k)],
    )
    return first, last


class _Staff:
    """Consultants; leavers are replaced by new hires in the same role."""

    def __init__(self, rng: np.random.Generator, size: int, capacity: int) -> None:
        self.role = np.zeros(capacity, dtype=np.int64)
        self.first = np.empty(capacity, dtype=object)
        self.last = np.empty(capacity, dtype=object)
        self.active = np.zeros(capacity, dtype=bool)
        self.count = 0
        seniors = max(4, size // 4)
        roles = np.concatenate(
            [
                rng.choice([0, 1], seniors, p=[0.3, 0.7]),
                rng.choice(len(ROLES), size - seniors, p=ROLE_WEIGHT),
            ]
        )
        self.hire(rng, roles)

    def hire(self, rng: np.random.Generator, roles: np.ndarray) -> np.ndarray:
        k = len(roles)
        if self.count + k > len(self.role):
            grow = max(k, len(self.role))
            self.role = np.concatenate([self.role, np.zeros(grow, dtype=np.int64)])
            self.first = np.concatenate([self.first, np.empty(grow, dtype=object)])
            self.last = np.concatenate([self.last, np.empty(grow, dtype=object)])
            self.active = np.concatenate([self.active, np.zeros(grow, dtype=bool)])
        ids = np.arange(self.count, self.count + k)
        self.role[ids] = roles
        self.first[ids], self.last[ids] = _names(rng, k, rng.random(k) < 0.55)
        self.active[ids] = True
        self.count += k
        return ids


@dataclass
class _Clients:
    n: int
    since: np.ndarray
    german: np.ndarray
    name: np.ndarray
    industry: np.ndarray
    lead: np.ndarray
    size: np.ndarray
    price_sens: np.ndarray
    pay_habit: np.ndarray
    terms: np.ndarray
    acct_lag: np.ndarray
    grumpy: np.ndarray
    chatty: np.ndarray
    h_base: np.ndarray
    p_cut: np.ndarray
    complexity: np.ndarray
    demanding: np.ndarray
    responder: np.ndarray
    discount: np.ndarray
    overage_policy: np.ndarray
    cr_policy: np.ndarray
    links_entries: np.ndarray
    kind_p: np.ndarray
    pm: np.ndarray
    diligence: np.ndarray
    contact_first: np.ndarray
    contact_last: np.ndarray


def _make_clients(
    rng: np.random.Generator, n: int, cal: _Calendar, n_pm: int, n_leads: int
) -> _Clients:
    german = rng.random(n) < 0.45
    joiner = rng.random(n) < 0.18
    window = max(cal.last - cal.first - 90, 1)
    since = np.where(
        joiner,
        cal.first + rng.integers(0, window, n),
        cal.first - rng.integers(20, 365 * 9, n),
    )
    a_de = np.array(COMPANY_DE_A, dtype=object)[rng.integers(0, len(COMPANY_DE_A), n)]
    b_de = np.array(COMPANY_DE_B, dtype=object)[rng.integers(0, len(COMPANY_DE_B), n)]
    c_de = np.array(COMPANY_DE_C, dtype=object)[rng.integers(0, len(COMPANY_DE_C), n)]
    a_en = np.array(COMPANY_EN_A, dtype=object)[rng.integers(0, len(COMPANY_EN_A), n)]
    b_en = np.array(COMPANY_EN_B, dtype=object)[rng.integers(0, len(COMPANY_EN_B), n)]
    c_en = np.array(COMPANY_EN_C, dtype=object)[rng.integers(0, len(COMPANY_EN_C), n)]
    _, partner = _names(rng, n, german)
    style = rng.random(n)
    names = []
    for i in range(n):
        if german[i]:
            base = f"{a_de[i]} {b_de[i]} {c_de[i]}"
            if style[i] < 0.12:
                base = f"{partner[i]} & Söhne {b_de[i]} GmbH"
        else:
            base = f"{a_en[i].replace('-', ' ')} {b_en[i]} {c_en[i]}"
            if style[i] < 0.08:
                base = f"{partner[i]}, {a_en[i].replace('-', ' ')} & Partners LLP"
        names.append(base)
    habit_kind = rng.random(n)
    pay_habit = np.where(
        habit_kind < 0.6,
        rng.normal(-6, 3, n),
        np.where(habit_kind < 0.88, rng.normal(6, 5, n), rng.normal(25, 12, n)),
    )
    industry = rng.integers(0, len(INDUSTRIES), n)
    kind_p = rng.dirichlet([3.5, 4.0, 2.5], n)
    cf, cl = _names(rng, 4 * n, np.repeat(german, 4))
    return _Clients(
        n=n,
        since=since.astype(np.int64),
        german=german,
        name=np.array(names, dtype=object),
        industry=industry,
        lead=rng.integers(0, n_leads, n),
        size=rng.lognormal(0.0, 0.5, n),
        price_sens=rng.normal(0, 1, n),
        pay_habit=pay_habit,
        terms=np.where(german, rng.choice([14, 30, 30, 45], n), rng.choice([30, 30, 45, 60], n)),
        acct_lag=rng.integers(0, 4, n),
        grumpy=rng.random(n) < 0.1,
        chatty=rng.lognormal(0, 0.35, n),
        h_base=rng.normal(0.6, 0.6, n),
        p_cut=INDUSTRY_CUT[industry] * rng.lognormal(0, 0.3, n),
        complexity=rng.normal(0, 1, n),
        demanding=rng.normal(0, 1, n),
        responder=rng.beta(2, 2, n),
        discount=rng.uniform(0.85, 1.0, n),
        overage_policy=rng.random(n) < 0.6,
        cr_policy=rng.random(n) < 0.55,
        links_entries=rng.random(n) < 0.6,
        kind_p=kind_p,
        pm=rng.integers(0, n_pm, n),
        diligence=rng.uniform(0.5, 1.3, n),
        contact_first=cf.reshape(n, 4),
        contact_last=cl.reshape(n, 4),
    )


class _Projects:
    """Growing column store of projects created during the simulation."""

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.capacity = capacity
        self.int_cols = _words(
            "client kind start end_plan dur start_month closed close_kind scope_left change_month pm"
        )
        self.float_cols = _words(
            "budget plan_h effort fee allow_h rate prog billed billed_pct cost ema extra"
        )
        for c in self.int_cols:
            setattr(self, c, np.zeros(capacity, dtype=np.int64))
        for c in self.float_cols:
            setattr(self, c, np.zeros(capacity, dtype=np.float64))
        self.team = np.full((capacity, 4), -1, dtype=np.int64)
        self.dropped = np.zeros(capacity, dtype=bool)
        self.name: list[str] = []

    def add(self, k: int) -> np.ndarray:
        if self.n + k > self.capacity:
            grow = max(k, self.capacity)
            for c in self.int_cols + self.float_cols:
                old = getattr(self, c)
                setattr(self, c, np.concatenate([old, np.zeros(grow, dtype=old.dtype)]))
            self.team = np.concatenate([self.team, np.full((grow, 4), -1, dtype=np.int64)])
            self.dropped = np.concatenate([self.dropped, np.zeros(grow, dtype=bool)])
            self.capacity += grow
        ids = np.arange(self.n, self.n + k)
        self.n += k
        self.closed[ids] = OPEN
        self.change_month[ids] = -99
        return ids


@dataclass
class _World:
    cal: _Calendar
    clients: _Clients
    staff: _Staff
    projects: _Projects
    churn_day: np.ndarray
    churn_reason: np.ndarray
    sh_day: np.ndarray
    state: dict[str, np.ndarray]
    records: dict[str, np.ndarray]
    invoices: dict[str, np.ndarray]
    pm_first: np.ndarray
    pm_last: np.ndarray
    pm_style: np.ndarray
    pm_bias: np.ndarray
    lead_first: np.ndarray
    lead_last: np.ndarray
    extra: dict[str, object] = field(default_factory=dict)


def _new_projects(
    rng: np.random.Generator,
    world_p: _Projects,
    cl: _Clients,
    staff: _Staff,
    client: np.ndarray,
    start: np.ndarray,
    month: int,
    kind: np.ndarray | None = None,
    template: np.ndarray | None = None,
) -> np.ndarray:
    """Start projects for these clients; a template (an ending retainer) is renewed as it was."""
    k = len(client)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    pj = world_p
    ids = pj.add(k)
    if kind is None:
        u = rng.random(k)
        cp = np.cumsum(cl.kind_p[client], axis=1)
        kind = (u[:, None] > cp).sum(axis=1).clip(0, 2)
    pj.client[ids] = client
    pj.kind[ids] = kind
    pj.start[ids] = start
    pj.start_month[ids] = month
    active_ids = np.flatnonzero(staff.active[: staff.count])
    seniors = active_ids[staff.role[active_ids] <= 1]
    juniors = active_ids[staff.role[active_ids] > 1]
    size = np.where(kind == RETAINER, rng.integers(1, 4, k), rng.integers(2, 5, k))
    team = np.full((k, 4), -1, dtype=np.int64)
    team[:, 0] = seniors[rng.integers(0, len(seniors), k)]
    for seat in range(1, 4):
        pick = juniors[rng.integers(0, len(juniors), k)]
        team[:, seat] = np.where(size > seat, pick, -1)
    pm = np.where(rng.random(k) < 0.7, cl.pm[client], rng.integers(0, cl.pm.max() + 1, k))
    if template is not None:
        team = pj.team[template].copy()
        pm = pj.pm[template]
    pj.team[ids] = team
    pj.pm[ids] = pm
    share = np.where(team >= 0, SEAT_SHARE[None, :], 0.0)
    share = share / share.sum(axis=1, keepdims=True)
    rate = (share * np.where(team >= 0, ROLE_RATE[staff.role[np.maximum(team, 0)]], 0.0)).sum(1)
    rate = rate * cl.discount[client]
    pj.rate[ids] = rate
    size_c = cl.size[client]
    plan_h = size_c * rng.uniform(50, 150, k) * np.where(kind == TM, 1.1, 1.0)
    dur = np.where(kind == FIXED, rng.integers(3, 10, k), rng.integers(4, 13, k))
    term = rng.choice([6, 12, 12, 12, 24], k)
    dur = np.where(kind == RETAINER, term, dur)
    planned = plan_h * dur
    fee = np.round(size_c * rng.uniform(2500, 8000, k) / 50) * 50
    if template is not None:
        fee = np.round(pj.fee[template] * rng.uniform(0.97, 1.1, k) / 50) * 50
        dur = np.where(kind == RETAINER, pj.dur[template], dur)
    budget = np.where(
        kind == TM,
        np.round(planned * rate / 100) * 100,
        np.round(planned * rate * rng.uniform(1.0, 1.2, k) / 500) * 500,
    )
    budget = np.where(kind == RETAINER, fee * dur, budget)
    pj.budget[ids] = np.maximum(budget, 500.0)
    pj.fee[ids] = fee
    pj.allow_h[ids] = fee / rate
    pj.plan_h[ids] = np.where(kind == RETAINER, fee / rate, plan_h)
    pj.effort[ids] = planned * np.exp(rng.normal(0.06, 0.22, k))
    pj.dur[ids] = dur
    pj.end_plan[ids] = start + np.round(dur * 30.44).astype(np.int64) - 1
    de = cl.german[client]
    topic = rng.integers(0, 100, k)
    suffix = rng.integers(0, len(SUFFIXES), k)
    for j in range(k):
        lang = "de" if de[j] else "en"
        year = str(np.datetime64(int(start[j]), "D"))[:4]
        if kind[j] == RETAINER:
            topics = RETAINER_TOPICS[lang]
            pj.name.append(f"{topics[topic[j] % len(topics)]} {year}")
        else:
            topics = TOPICS[lang]
            pj.name.append(topics[topic[j] % len(topics)] + SUFFIXES[suffix[j]])
    return ids


@dataclass
class _Month:
    """What one month's invoices need to know about the projects worked in it."""

    m: int
    a: np.ndarray
    c: np.ndarray
    inc_recent: np.ndarray
    first: np.ndarray
    last: np.ndarray
    invs: list[dict[str, np.ndarray]]
    disputes: np.ndarray
    # Only for risk_oracle: where to record each invoice's dispute odds, and how
    # the odds' client terms move when seen from the month before.
    rec: list[dict[str, np.ndarray]] | None = None
    shift: np.ndarray | None = None


def _emit(
    rng: np.random.Generator,
    cal: _Calendar,
    ctx: _Month,
    mask: np.ndarray,
    kind_code: int,
    amount: np.ndarray,
    issue: np.ndarray,
    z: np.ndarray,
    cause: int,
    period_end: np.ndarray | None = None,
    nominal: np.ndarray | None = None,
) -> None:
    """Record invoices for the masked projects; decide and date their disputes.

    ``nominal`` (risk_oracle only) is the issue day the invoice would have had
    without a notice in its month.
    """
    idx = np.flatnonzero(mask)
    k = len(idx)
    if k == 0:
        return
    u = rng.random(k)
    admin = u < 0.004
    caused = ~admin & (u < 0.004 + sigmoid(z[idx]))
    objected = admin | caused
    lag = np.where(admin, rng.integers(1, 9, k), rng.integers(3, 29, k))
    disp_day = np.where(objected, issue[idx] + lag, OPEN)
    causes = np.where(admin, CAUSE_ADMIN, np.where(caused, cause, CAUSE_NONE))
    causes = np.where(caused & ctx.inc_recent[idx], CAUSE_QUALITY, causes)
    month = np.minimum(cal.month_of(disp_day[objected]), ctx.disputes.shape[1] - 1)
    np.add.at(ctx.disputes, (ctx.c[idx][objected], month), 1)
    if ctx.rec is not None:
        shift = np.zeros(len(ctx.a)) if ctx.shift is None else ctx.shift
        ctx.rec.append(
            {
                "client": ctx.c[idx],
                "step": np.full(k, ctx.m),
                "issue": (issue if nominal is None else nominal)[idx],
                "z": z[idx],
                "z_fc": z[idx] + shift[idx],
                "disp_day": disp_day,
            }
        )
    end = ctx.last if period_end is None else period_end
    ctx.invs.append(
        {
            "project": ctx.a[idx],
            "client": ctx.c[idx],
            "month": np.full(k, ctx.m),
            "kind": np.full(k, kind_code),
            "amount": amount[idx],
            "issue": issue[idx],
            "period_start": ctx.first[idx],
            "period_end": end[idx],
            "disp_day": disp_day,
            "cause": causes,
        }
    )


def _simulate(
    rng: np.random.Generator, n: int, months: int, rec: dict[str, list] | None = None
) -> _World:
    """Run the firm month by month.

    ``rec`` (risk_oracle only) collects the churn hazard in force each month and
    every invoice's dispute odds; it reads the state and draws nothing.
    """
    cal = _Calendar(months)
    n_pm = max(6, n // 35)
    n_leads = max(4, n // 90)
    cl = _make_clients(rng, n, cal, n_pm, n_leads)
    staff = _Staff(rng, max(40, int(n * 1.1)), int(n * 1.6) + 100)
    pj = _Projects(n * 8 + 64)
    n_months = months

    h = cl.h_base + rng.normal(0, 0.3, n)
    bc_left = np.zeros(n, dtype=np.int64)
    sh_left = np.zeros(n, dtype=np.int64)
    bc_prev = np.zeros(n, dtype=bool)
    sh_prev = np.zeros(n, dtype=bool)
    inc_prev = np.zeros(n, dtype=bool)
    idle = np.zeros(n, dtype=np.int64)
    lc_month = np.full(n, -99, dtype=np.int64)
    churn_day = np.full(n, OPEN, dtype=np.int64)
    churn_reason = np.full(n, "", dtype=object)
    sh_day = np.full(n, OPEN, dtype=np.int64)
    disputes = np.zeros((n, n_months + 4))

    names = _words("nact h bc sh sh_new inc lc_new lc_recent scope extra gap success idle")
    state = {k: np.zeros((n, n_months)) for k in names}
    recs: list[dict[str, np.ndarray]] = []
    invs: list[dict[str, np.ndarray]] = []
    h_last = h.copy()  # risk_oracle: the mood in force in the month before

    for m in range(n_months):
        ms = int(cal.month_start[m])
        me = int(cal.month_start[m + 1] - 1)
        nd = me - ms + 1
        alive = (cl.since <= me) & (churn_day == OPEN)

        # Churn: notice in this month, from the state at the end of the last one.
        eligible = alive & (cl.since < ms - 45)
        d_recent = disputes[:, max(0, m - 3) : m].sum(axis=1)
        lc_recent_c = (m - lc_month) <= 2
        parts = np.stack(
            [
                1.3 * bc_prev,
                0.9 * sh_prev,
                1.0 * (d_recent > 0) + 0.5 * (d_recent > 1),
                1.4 * (idle >= 2) + 0.7 * (idle >= 4),
                np.maximum(-0.8 * h, 0),
                0.5 * lc_recent_c,
            ]
        )
        z = -5.3 + parts.sum(axis=0) - 0.8 * np.maximum(h, 0) + 0.25 * cl.price_sens
        p_signal = sigmoid(z)
        p_random = 0.0013
        if rec is not None:
            rec["p_churn"].append(np.minimum(p_signal + p_random, 1.0))
            # What the month before knew of this month's client terms.
            fc_sh, fc_bc, fc_inc = sh_left > 0, bc_left > 0, inc_prev.copy()
        u = rng.random(n)
        churn_now = eligible & (u < p_signal + p_random)
        day = ms + rng.integers(0, nd, n)
        churn_day[churn_now] = day[churn_now]
        random_cause = churn_now & (u < p_random)
        main_part = np.argmax(parts + rng.normal(0, 0.15, parts.shape), axis=0)
        for i in np.flatnonzero(churn_now):
            r = rng.random()
            if r < 0.25:
                continue
            if random_cause[i] or parts[:, i].max() <= 0.1:
                churn_reason[i] = RANDOM_REASONS[int(rng.integers(0, len(RANDOM_REASONS)))]
            else:
                churn_reason[i] = CHURN_REASONS[main_part[i]]
        stay = alive & ~churn_now

        # Client events of this month.
        bc_start = stay & (bc_left == 0) & (rng.random(n) < cl.p_cut)
        bc_left[bc_start] = rng.integers(3, 9, bc_start.sum())
        bc = (bc_left > 0) & alive
        sh_start = stay & (sh_left == 0) & (rng.random(n) < 0.017) & (cl.since < ms - 90)
        sh_left[sh_start] = 6
        sh = (sh_left > 0) & alive
        first_sh = sh_start & (sh_day == OPEN)
        sh_day[first_sh] = ms + rng.integers(0, nd, first_sh.sum())

        # New projects: joiners, the opening book, follow-ups and retainer renewals.
        n_proj = pj.n
        open_p = np.flatnonzero(pj.closed[:n_proj] == OPEN)
        nopen = np.bincount(pj.client[open_p], minlength=n)
        joiner = stay & (cl.since >= ms) & (cl.since <= me)
        new_c = [np.flatnonzero(joiner)]
        new_s = [cl.since[joiner] + rng.integers(0, 21, joiner.sum())]
        if m == 0:
            book = np.flatnonzero(stay & (cl.since < ms))
            second = book[rng.random(len(book)) < 0.25]
            new_c += [book, second]
            new_s += [ms + rng.integers(0, 45, len(book)), ms + rng.integers(0, 75, len(second))]
        else:
            hc = np.clip(h, -3, 2)
            p_new = np.where(
                nopen == 0,
                sigmoid(-0.9 + 1.0 * hc - 1.2 * bc - 0.6 * sh),
                np.where(nopen == 1, 0.05 * np.exp(0.4 * hc), 0.012),
            ) * np.where(bc, 0.5, 1.0)
            take = stay & ~joiner & (rng.random(n) < p_new)
            new_c.append(np.flatnonzero(take))
            new_s.append(ms + rng.integers(0, nd, take.sum()))
        cc = np.concatenate(new_c)
        _new_projects(rng, pj, cl, staff, cc, np.concatenate(new_s), m)
        ending = open_p[
            (pj.kind[open_p] == RETAINER)
            & (pj.end_plan[open_p] >= ms)
            & (pj.end_plan[open_p] <= me)
        ]
        ending = ending[stay[pj.client[ending]]]
        ce = pj.client[ending]
        p_renew = sigmoid(
            1.7
            + 1.2 * np.clip(h[ce], -3, 2)
            - 1.4 * bc[ce]
            - 1.0 * sh[ce]
            - 0.9 * (d_recent[ce] > 0)
        )
        renew = ending[rng.random(len(ending)) < p_renew]
        _new_projects(
            rng,
            pj,
            cl,
            staff,
            pj.client[renew],
            pj.end_plan[renew] + 1,
            m,
            kind=np.full(len(renew), RETAINER),
            template=renew,
        )

        # Staff turnover: this month's teams work; successors start next month.
        n_proj = pj.n
        team_now = pj.team[:n_proj].copy()
        if rec is not None:
            change_before = pj.change_month[:n_proj].copy()
        if m > 0:
            leave = staff.active[: staff.count] & (rng.random(staff.count) < 0.013)
            leavers = np.flatnonzero(leave)
            successors = staff.hire(rng, staff.role[leavers])
            staff.active[leavers] = False
            mapping = np.arange(staff.count)
            mapping[leavers] = successors
            leave_full = np.zeros(staff.count, dtype=bool)
            leave_full[leavers] = True
            still = np.flatnonzero(pj.closed[:n_proj] == OPEN)
            team = pj.team[still]
            hit = (team >= 0) & leave_full[np.maximum(team, 0)]
            key = hit[:, :2].any(axis=1)
            pj.change_month[still[key]] = m
            team[hit] = mapping[team[hit]]
            pj.team[still] = team

        # Work.
        a = np.flatnonzero((pj.start[:n_proj] <= me) & (pj.closed[:n_proj] == OPEN))
        c = pj.client[a]
        kind = pj.kind[a]
        first = np.maximum(pj.start[a], ms)
        last = np.minimum(me, churn_day[c])
        last = np.where(kind == RETAINER, np.minimum(last, pj.end_plan[a]), last)
        ok = last >= first
        gone = a[~ok]  # planned to start after the client's notice: never started
        pj.dropped[gone] = True
        pj.closed[gone] = churn_day[pj.client[gone]]
        a, c, kind, first, last = a[ok], c[ok], kind[ok], first[ok], last[ok]
        frac = (last - first + 1) / nd
        since_change = m - pj.change_month[a]
        prod = np.where(since_change == 1, 0.65, np.where(since_change == 2, 0.8, 1.0))
        lc_recent = (since_change >= 0) & (since_change <= 2)

        scope_base = np.array([0.06, 0.045, 0.025])[kind] * np.exp(0.5 * cl.demanding[c])
        scope_go = (pj.scope_left[a] == 0) & (pj.prog[a] < 85) & (rng.random(len(a)) < scope_base)
        pj.scope_left[a[scope_go]] = rng.integers(2, 5, scope_go.sum())
        pj.extra[a[scope_go]] = rng.uniform(0.25, 0.6, scope_go.sum())
        scope = pj.scope_left[a] > 0
        extra = np.where(scope, pj.extra[a], 0.0)

        scope_c = np.bincount(c, weights=scope, minlength=n) > 0
        lc_c = np.bincount(c, weights=lc_recent, minlength=n) > 0
        has_work = np.bincount(c, minlength=n) > 0
        p_inc = 0.02 * np.exp(0.4 * cl.complexity) * (1 + 1.5 * lc_c) * (1 + 0.8 * scope_c)
        inc_c = has_work & (rng.random(n) < p_inc)
        inc = inc_c[c]
        inc_recent = (inc_c | inc_prev)[c]

        noise = np.clip(rng.normal(1.0, 0.12, len(a)), 0.5, 1.6)
        hours = (
            pj.plan_h[a] * frac * noise * (1 + extra) * (1 + 0.15 * inc) * np.where(bc[c], 0.75, 1)
        )
        base_h = hours / (1 + extra)
        before = pj.prog[a].copy()
        eff = base_h * prod * np.where(inc, 0.85, 1.0)
        step = 100 * eff / pj.effort[a]
        after = before + step
        work = kind != RETAINER
        done = work & (after >= 100)
        fr = np.where(done, (100 - before) / np.maximum(step, 1e-9), 1.0)
        hours = hours * fr
        span = last - first + 1
        close_day = np.where(done, first + np.ceil(fr * span).astype(np.int64) - 1, OPEN)
        after = np.minimum(after, 100.0)
        forced = work & ~done & ((m - pj.start_month[a]) >= np.ceil(2.2 * pj.dur[a]))
        close_day = np.where(forced, last, close_day)
        elapsed = 100.0 * (last - pj.start[a] + 1) / (pj.end_plan[a] - pj.start[a] + 1)
        after = np.where(work, after, np.minimum(elapsed, 100.0))
        ret_end = ~work & (pj.end_plan[a] <= me)
        close_day = np.where(ret_end, pj.end_plan[a], close_day)
        churning = churn_now[c]
        close_day = np.where(churning, np.minimum(close_day, churn_day[c]), close_day)
        close_kind = np.select([done, forced, ret_end, churning], [1, 4, 2, 3], 0)
        closing = close_day < OPEN
        last = np.where(closing, np.minimum(last, close_day), last)
        pj.closed[a[closing]] = close_day[closing]
        pj.close_kind[a[closing]] = close_kind[closing]
        pj.prog[a] = after

        rate = pj.rate[a]
        bill_share = np.where(inc, 0.8, np.where(kind == FIXED, 0.9, 0.93))
        value = hours * bill_share * rate
        pj.cost[a] += hours * rate
        tm = kind == TM
        pj.billed[a[tm]] += value[tm]
        gap = np.where(tm, pj.billed[a] / pj.budget[a] - after / 100, 0.0)
        ema = pj.ema[a]
        jump = tm & (ema > 0) & (value > 1.5 * ema)
        pj.ema[a[tm]] = np.where(ema[tm] > 0, 0.6 * ema[tm] + 0.4 * value[tm], value[tm])
        fixed = kind == FIXED
        stepped = np.where(done | forced, 100.0, np.floor(after / 10) * 10)
        installment = np.where(
            fixed, pj.budget[a] * np.maximum(stepped - pj.billed_pct[a], 0) / 100, 0
        )
        pj.billed_pct[a[fixed]] = np.maximum(pj.billed_pct[a[fixed]], stepped[fixed])
        extra_h = hours - hours / (1 + extra)
        cr = fixed & scope & cl.cr_policy[c] & (rng.random(len(a)) < 0.7)
        cr_amount = np.where(cr, extra_h * rate * 0.9, 0.0)
        allowance = pj.allow_h[a] * frac
        over = (kind == RETAINER) & cl.overage_policy[c] & (hours > 1.1 * allowance)
        over_amount = np.where(over, (hours - allowance) * rate * bill_share, 0.0)
        advance = np.where(kind == RETAINER, pj.fee[a] * frac, 0.0)

        # Disputes, decided with the invoice and dated when the client objects.
        common = (
            0.9 * sh[c]
            + 0.9 * inc_recent
            + 0.5 * bc[c]
            + 0.45 * cl.price_sens[c]
            - 0.35 * np.clip(h[c], -3, 2)
            + 0.6 * lc_recent
        )
        z_main = (
            -4.3
            + common
            + np.where(tm, 6.0 * np.maximum(gap - 0.03, 0) + 0.8 * jump, 0)
            + np.where(fixed & scope, 0.3, 0)
        )
        z_adv = -5.1 + common
        z_extra = -2.4 + common
        next_issue = cal.next_business(
            np.full(len(a), int(cal.month_start[m + 1])),
            cl.acct_lag[c] + rng.integers(0, 3, len(a)),
        )
        nominal_issue = next_issue
        next_issue = np.where(churning, churn_day[c], next_issue)
        adv_issue = np.minimum(cal.next_business(first), churn_day[c])
        month_end = np.full(len(a), me)

        ctx = _Month(m, a, c, inc_recent, first, last, invs, disputes)
        nominal = adv_nominal = None
        if rec is not None:
            since_before = m - change_before[a]
            common_fc = (
                0.9 * fc_sh[c]
                + 0.9 * fc_inc[c]
                + 0.5 * fc_bc[c]
                + 0.45 * cl.price_sens[c]
                - 0.35 * np.clip(h_last[c], -3, 2)
                + 0.6 * ((since_before >= 0) & (since_before <= 2))
            )
            ctx.rec, ctx.shift = rec["invoices"], common_fc - common
            nominal = nominal_issue
            adv_nominal = cal.next_business(first)
        adv_end = np.minimum(month_end, pj.end_plan[a])
        _emit(
            rng,
            cal,
            ctx,
            tm & (value > 0),
            INV_TM,
            value,
            next_issue,
            z_main,
            CAUSE_HOURS,
            nominal=nominal,
        )
        _emit(
            rng,
            cal,
            ctx,
            installment > 0,
            INV_FIXED,
            installment,
            next_issue,
            z_main,
            CAUSE_SCOPE,
            nominal=nominal,
        )
        _emit(
            rng,
            cal,
            ctx,
            advance > 0,
            INV_ADVANCE,
            advance,
            adv_issue,
            z_adv,
            CAUSE_QUALITY,
            adv_end,
            nominal=adv_nominal,
        )
        _emit(
            rng,
            cal,
            ctx,
            cr_amount > 0,
            INV_CR,
            cr_amount,
            next_issue,
            z_extra,
            CAUSE_SCOPE,
            nominal=nominal,
        )
        _emit(
            rng,
            cal,
            ctx,
            over_amount > 0,
            INV_OVERAGE,
            over_amount,
            next_issue,
            z_extra,
            CAUSE_SCOPE,
            nominal=nominal,
        )

        recs.append(
            {
                "project": a,
                "client": c,
                "month": np.full(len(a), m),
                "first": first,
                "last": last,
                "hours": hours,
                "before": before,
                "after": after,
                "bill_share": bill_share,
                "team": team_now[a],
                "inc": inc,
            }
        )

        # End of month: the client's state.
        pj.scope_left[a] = np.maximum(pj.scope_left[a] - 1, 0)
        still_open = np.flatnonzero(pj.closed[: pj.n] == OPEN)
        nopen_end = np.bincount(pj.client[still_open], minlength=n)
        idle = np.where(stay, np.where(nopen_end == 0, idle + 1, 0), idle)
        success_p = (close_kind == 1) & (pj.cost[a] <= 1.1 * pj.budget[a])
        success = np.bincount(c, weights=success_p, minlength=n) > 0
        lc_new = np.zeros(n, dtype=bool)
        lc_new[c[pj.change_month[a] == m]] = True
        lc_month[lc_new] = m
        extra_c = np.bincount(c, weights=(cr_amount + over_amount) > 0, minlength=n) > 0
        gap_c = np.zeros(n)
        np.maximum.at(gap_c, c, gap)
        state["nact"][:, m] = np.bincount(c, minlength=n)
        state["h"][:, m] = h
        state["bc"][:, m] = bc
        state["sh"][:, m] = sh
        state["sh_new"][:, m] = first_sh
        state["inc"][:, m] = inc_c
        state["lc_new"][:, m] = lc_new
        state["lc_recent"][:, m] = lc_c
        state["scope"][:, m] = scope_c
        state["extra"][:, m] = extra_c
        state["gap"][:, m] = gap_c
        state["success"][:, m] = success
        state["idle"][:, m] = idle

        h_last = h
        h = (
            0.82 * h
            + 0.18 * cl.h_base
            + rng.normal(0, 0.22, n)
            - 0.7 * inc_c
            - 0.35 * lc_c
            - 0.2 * extra_c
            - 0.5 * np.minimum(disputes[:, m], 2)
            - 0.25 * sh_start
            - 0.3 * bc_start
            + 0.5 * success
        )
        h = np.clip(h, -3, 3)
        bc_prev, sh_prev, inc_prev = bc, sh, inc_c
        bc_left = np.maximum(bc_left - 1, 0)
        sh_left = np.maximum(sh_left - 1, 0)

    records = {k: np.concatenate([r[k] for r in recs]) for k in recs[0]}
    invoices = {k: np.concatenate([r[k] for r in invs]) for k in invs[0]}
    lead_first, lead_last = _names(rng, n_leads, rng.random(n_leads) < 0.5)
    pm_first, pm_last = _names(rng, n_pm, rng.random(n_pm) < 0.5)
    return _World(
        cal=cal,
        clients=cl,
        staff=staff,
        projects=pj,
        churn_day=churn_day,
        churn_reason=churn_reason,
        sh_day=sh_day,
        state=state,
        records=records,
        invoices=invoices,
        pm_first=pm_first,
        pm_last=pm_last,
        pm_style=rng.integers(0, 4, n_pm),
        pm_bias=np.where(rng.random(n_pm) < 0.3, rng.uniform(2, 8, n_pm), 0.0),
        lead_first=lead_first,
        lead_last=lead_last,
    )


def _dates(days: np.ndarray) -> np.ndarray:
    """ISO dates; OPEN (unknown) becomes an empty cell."""
    days = np.asarray(days, dtype=np.int64)
    return iso_dates(days, days < OPEN)


def _email(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return np.array(
        [f"{_ascii(f)}.{_ascii(s)}@{DOMAIN}" for f, s in zip(first, last, strict=True)],
        dtype=object,
    )


def _time_entries(rng: np.random.Generator, w: _World) -> pd.DataFrame:
    r = w.records
    n_e = rng.poisson(r["hours"] / 5.2)
    row = np.repeat(np.arange(len(n_e)), n_e)
    k = len(row)
    team = r["team"][row]
    share = np.where(team >= 0, SEAT_SHARE[None, :], 0.0)
    cum = np.cumsum(share / share.sum(axis=1, keepdims=True), axis=1)
    seat = (rng.random(k)[:, None] > cum).sum(axis=1).clip(0, 3)
    person = team[np.arange(k), seat]
    person = np.where(person >= 0, person, team[:, 0])
    day = w.cal.pick_days(rng, r["first"][row], r["last"][row], workday_p=1.0)
    on_workday = np.isin(day, w.cal.workdays)
    hours = np.clip(np.round(rng.gamma(4.0, 1.3, k) * 4) / 4, 0.25, 10.0)
    billable = rng.random(k) < r["bill_share"][row]
    role = w.staff.role[person]
    project = r["project"][row]
    client = r["client"][row]
    amount = np.where(
        billable, np.round(hours * ROLE_RATE[role] * w.clients.discount[client], 2), 0.0
    )
    keep = on_workday
    df = pd.DataFrame(
        {
            "_row": row[keep],
            "_project": project[keep],
            "_client": client[keep],
            "_month": r["month"][row][keep],
            "_day": day[keep],
            "_person": person[keep],
            "hours": hours[keep],
            "billable": billable[keep],
            "amount": amount[keep],
            "role": ROLES[role[keep]],
        }
    )
    return df.sort_values(["_day", "_project"], kind="stable").reset_index(drop=True)


def _build_invoices(rng: np.random.Generator, w: _World, entries: pd.DataFrame) -> pd.DataFrame:
    cal, cl = w.cal, w.clients
    inv = pd.DataFrame(w.invoices)
    n_months = cal.months
    bill = entries[entries["billable"]]
    key_e = bill["_project"].to_numpy() * (n_months + 1) + bill["_month"].to_numpy()
    sums = pd.Series(bill["amount"].to_numpy()).groupby(key_e).agg(["sum", "size"])
    key_i = inv["project"].to_numpy() * (n_months + 1) + inv["month"].to_numpy()
    is_tm = inv["kind"].to_numpy() == INV_TM
    amount = inv["amount"].to_numpy().copy()
    line_items = np.where(inv["kind"].to_numpy() == INV_CR, rng.integers(1, 4, len(inv)), 1)
    tm_amount = sums["sum"].reindex(key_i).to_numpy()
    tm_lines = sums["size"].reindex(key_i).to_numpy()
    amount = np.where(is_tm, np.nan_to_num(tm_amount), amount)
    line_items = np.where(is_tm, np.nan_to_num(tm_lines), line_items).astype(np.int64)
    inv["amount"] = np.round(amount, 2)
    inv["line_items"] = line_items
    client = inv["client"].to_numpy()
    inv["issue"] = np.minimum(inv["issue"].to_numpy(), w.churn_day[client])
    inv = inv[(inv["amount"] > 0) & (inv["issue"] <= cal.last)].copy()
    inv = inv.sort_values(["issue", "client", "project", "kind"], kind="stable").reset_index(
        drop=True
    )
    client = inv["client"].to_numpy()
    issue = inv["issue"].to_numpy()
    year = issue.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    seq = inv.groupby(year).cumcount().to_numpy() + 1
    inv["invoice_id"] = [f"{y}-{s:05d}" for y, s in zip(year, seq, strict=True)]

    k = len(inv)
    due = issue + cl.terms[client]
    disp = inv["disp_day"].to_numpy()
    disputed = disp < OPEN
    month_i = np.clip(cal.month_of(issue), 0, cal.months - 1)
    cut = w.state["bc"][client, month_i] > 0
    delay = (
        cl.pay_habit[client]
        + rng.normal(0, 4, k)
        + cut * rng.uniform(10, 50, k)
        + disputed * rng.uniform(15, 70, k)
    )
    paid = np.maximum(issue + 1, due + np.round(delay).astype(np.int64))
    paid = np.where(disputed, np.maximum(paid, disp + rng.integers(7, 46, k)), paid)
    paid = cal.next_business(paid)
    churned = w.churn_day[client] < OPEN
    bad_debt = (
        (disputed & (rng.random(k) < 0.2))
        | (churned & cut & (issue >= w.churn_day[client] - 60) & (rng.random(k) < 0.5))
        | (rng.random(k) < 0.003)
    )
    paid = np.where(bad_debt | (paid > cal.last), OPEN, paid)
    disp = np.where(disputed & ((disp > cal.last) | (disp > w.churn_day[client])), OPEN, disp)
    inv["due"] = due
    inv["paid"] = paid
    inv["disp_day"] = disp
    inv["cause"] = np.where(disp < OPEN, inv["cause"].to_numpy(), CAUSE_NONE)
    return inv


def _progress(rng: np.random.Generator, w: _World, project_ok: np.ndarray) -> pd.DataFrame:
    pj, cal = w.projects, w.cal
    r = w.records
    ids = np.flatnonzero(project_ok)
    pm = pj.pm[ids]
    style = w.pm_style[pm]
    kind = pj.kind[ids]
    end = np.minimum(np.minimum(pj.closed[ids], w.churn_day[pj.client[ids]]), cal.last)
    span = np.maximum(end - pj.start[ids], 0)
    reps = np.where(kind == RETAINER, span // 28 + 2, span // 5 + 2)
    row = np.repeat(np.arange(len(ids)), reps)
    st = style[row]
    interval = np.select(
        [kind[row] == RETAINER, st == 0, st == 1, st == 2],
        [
            rng.integers(27, 34, len(row)),
            np.full(len(row), 7),
            rng.integers(5, 11, len(row)),
            rng.integers(12, 17, len(row)),
        ],
        7,
    )
    starts = np.concatenate([[0], np.cumsum(reps)[:-1]])
    interval[starts] = rng.integers(2, 9, len(ids))
    cs = np.cumsum(interval)
    cs = cs - np.repeat(cs[starts] - interval[starts], reps)
    day = cal.next_business(pj.start[ids][row] + cs)
    keep = (day <= end[row]) & ~((st == 3) & (rng.random(len(row)) < 0.25))
    proj = ids[row][keep]
    day = day[keep]
    final = ids[(pj.close_kind[ids] == 1) & (pj.closed[ids] <= cal.last)]
    proj = np.concatenate([proj, final])
    day = np.concatenate([day, pj.closed[final]])
    df = pd.DataFrame({"_project": proj, "_day": day}).drop_duplicates()
    df = df.sort_values(["_project", "_day"]).reset_index(drop=True)
    proj, day = df["_project"].to_numpy(), df["_day"].to_numpy()

    n_months = cal.months
    rkey = r["project"] * (n_months + 1) + r["month"]
    order = np.argsort(rkey, kind="stable")
    skey = rkey[order]
    qkey = proj * (n_months + 1) + np.clip(cal.month_of(day), 0, n_months)
    pos = np.searchsorted(skey, qkey)
    found = (pos < len(skey)) & (skey[np.minimum(pos, len(skey) - 1)] == qkey)
    ri = order[np.minimum(pos, len(skey) - 1)]
    lo, hi = r["first"][ri], r["last"][ri]
    t = np.clip((day - lo + 1) / np.maximum(hi - lo + 1, 1), 0, 1)
    pct = r["before"][ri] + t * (r["after"][ri] - r["before"][ri])
    complete = (pj.close_kind[proj] == 1) & (day >= pj.closed[proj])
    pct = np.where(complete, 100.0, pct)
    bias = w.pm_bias[pj.pm[proj]] * (1 - pct / 100)
    reported = pct + bias + rng.normal(0, 0.8, len(pct))
    pm_style = w.pm_style[pj.pm[proj]]
    reported = np.select(
        [pm_style == 2, pm_style == 1],
        [np.round(reported / 5) * 5, np.round(reported, 1)],
        np.round(reported),
    )
    reported = np.clip(reported, 0, np.where(complete, 100.0, 99.0))
    reported = np.where(complete, 100.0, reported)
    keep = found
    proj, day, reported = proj[keep], day[keep], reported[keep]

    prev = np.concatenate([[0.0], reported[:-1]])
    new_group = np.concatenate([[True], proj[1:] != proj[:-1]])
    prev[new_group] = 0.0
    band = np.floor(reported / 25).astype(np.int64)
    crossed = (band > np.floor(prev / 25).astype(np.int64)) & (band >= 1)
    german = w.clients.german[pj.client[proj]]
    kinds = pj.kind[proj]
    milestone = np.full(len(proj), "", dtype=object)
    for i in np.flatnonzero(crossed):
        lang = "de" if german[i] else "en"
        milestone[i] = (
            RETAINER_MILESTONE[lang]
            if kinds[i] == RETAINER
            else MILESTONES[lang][int(min(band[i], 4))]
        )
    return pd.DataFrame(
        {
            "_project": proj,
            "reported_at": _dates(day),
            "percent_complete": reported,
            "milestone": milestone,
        }
    )


# Message texts. Each category holds English and German variants; slots:
# {name} the addressee's first name, {me} the writer's, {project}, {inv}
# (invoice number or "from last month"), {month} (last month's name), {due},
# {day}, {hours}, {pct}, {po}.
TEXTS: dict[str, dict[str, list[str]]] = {
    "status_out": {
        "en": [
            "Quick update on {project}: we're at about {pct}% and still on track for the next milestone.",
            "Weekly status for {project}: data mapping is finished and we've started on the interface tests. No blockers at the moment.",
            "Please find this week's status report for {project} attached. Two open questions for your team are listed in section 3.",
            "{project} is at {pct}%. Next week we'll focus on the reporting layer – could you confirm the test users by Thursday?",
            "Status {project}: sprint review done, 14 of 16 stories accepted. The remaining two move to the next sprint.",
            "Short status: deployment to staging went through last night, smoke tests are green.",
            "Update on {project}: we're slightly behind on the migration scripts but expect to catch up by the end of next week.",
            "Here's the fortnightly summary for {project}. Overall status: green. Budget burn is in line with plan.",
            "We've completed the security review for {project}; findings and the remediation plan are in the shared folder.",
            "Progress on {project} this week: design system finalised, first templates built, content import started.",
        ],
        "de": [
            "Kurzes Update zu {project}: Wir liegen bei rund {pct} % und sind für den nächsten Meilenstein im Plan.",
            "Wochenstatus {project}: Das Datenmapping ist fertig, wir haben mit den Schnittstellentests begonnen. Aktuell keine Blocker.",
            "Anbei der Statusbericht für {project}. Zwei offene Fragen an Ihr Team finden Sie in Abschnitt 3.",
            "{project} steht bei {pct} %. Nächste Woche konzentrieren wir uns auf das Reporting – können Sie uns bis Donnerstag die Testnutzer bestätigen?",
            "Status {project}: Sprint-Review erledigt, 14 von 16 Stories abgenommen. Die restlichen zwei ziehen in den nächsten Sprint.",
            "Kurzer Stand: Das Deployment auf Staging lief heute Nacht durch, die Smoke-Tests sind grün.",
            "Update zu {project}: Bei den Migrationsskripten hängen wir etwas hinterher, holen das aber bis Ende nächster Woche auf.",
            "Hier die Zusammenfassung der letzten zwei Wochen für {project}. Gesamtstatus: grün, das Budget liegt im Plan.",
            "Das Sicherheitsreview für {project} ist abgeschlossen; Befunde und Maßnahmenplan liegen im gemeinsamen Ordner.",
            "Fortschritt {project} diese Woche: Designsystem finalisiert, erste Templates gebaut, Content-Import gestartet.",
        ],
    },
    "logistics_in": {
        "en": [
            "Can we move Thursday's call to 2pm?",
            "Please find the updated requirements attached.",
            "Thanks, noted.",
            "I'm out of office next week, please contact my colleague in the meantime.",
            "Who from your side will join the workshop on Tuesday?",
            "Could you resend the meeting link? The old one doesn't work for me.",
            "Access to the test system has been set up for your team.",
            "ok, thx 👍",
            "Sure, works for me.",
            'We\'ve uploaded the sample files to the shared drive (folder "Export Q3").',
            "Can you share the slides from today's session?",
            "Our IT needs the IP addresses of your build servers for the firewall rule.",
            "Sorry, running 5 minutes late.",
            "Got it, I'll forward this to our finance team.",
        ],
        "de": [
            "Können wir den Termin am Donnerstag auf 14 Uhr verschieben?",
            "Anbei die aktualisierten Anforderungen.",
            "Danke, ist notiert.",
            "Ich bin nächste Woche nicht im Büro, bitte wenden Sie sich solange an meine Kollegin.",
            "Wer nimmt von Ihrer Seite am Workshop am Dienstag teil?",
            "Könnten Sie den Einladungslink noch einmal schicken? Der alte funktioniert bei mir nicht.",
            "Der Zugang zum Testsystem ist für Ihr Team eingerichtet.",
            "ok, danke 👍",
            "Passt für mich.",
            "Die Beispieldateien liegen jetzt im gemeinsamen Laufwerk (Ordner „Export Q3“).",
            "Können Sie uns die Folien von heute schicken?",
            "Unsere IT braucht die IP-Adressen Ihrer Build-Server für die Firewall-Freigabe.",
            "Sorry, ich komme 5 Minuten später.",
            "Alles klar, ich leite das an unsere Buchhaltung weiter.",
        ],
    },
    "logistics_out": {
        "en": [
            "Here's the invite for the workshop on Tuesday, 10:00–12:00.",
            "Thanks for the files, we'll take a look and come back to you tomorrow.",
            "The meeting notes are in the shared folder.",
            "Could you give us access to the staging database?",
            "Confirming our call on Monday at 11.",
            "As discussed, here's the updated timeline.",
            "We'll be on site on Wednesday – could you book a meeting room for 6?",
            "Reminder: the test window opens on Monday, please make sure the key users have time.",
        ],
        "de": [
            "Anbei die Einladung zum Workshop am Dienstag, 10–12 Uhr.",
            "Danke für die Dateien, wir schauen sie uns an und melden uns morgen.",
            "Das Protokoll liegt im gemeinsamen Ordner.",
            "Könnten Sie uns Zugriff auf die Staging-Datenbank geben?",
            "Hiermit bestätige ich unseren Termin am Montag um 11 Uhr.",
            "Wie besprochen anbei der aktualisierte Zeitplan.",
            "Wir sind am Mittwoch vor Ort – könnten Sie einen Raum für 6 Personen buchen?",
            "Zur Erinnerung: Das Testfenster startet am Montag, bitte planen Sie Zeit für die Key User ein.",
        ],
    },
    "meeting_note": {
        "en": [
            "Weekly sync {project}: reviewed open tickets, agreed priorities for the next sprint. Action: {me} sends updated plan.",
            "Steering committee: timeline and budget reviewed, no changes. Next SteerCo in four weeks.",
            "Sprint planning with {name}'s team: 12 stories committed, test data still missing.",
            "Design review: client happy with the navigation, wants more contrast on buttons.",
            "Jour fixe: go-live checklist walked through, two open items on the client side.",
            "Workshop on reporting requirements, 3h. Lots of input, follow-up session needed.",
            "Retro: communication with the client's IT has improved; deployments still too manual.",
            "Status meeting – short, nothing critical. {name} asked about the training dates.",
        ],
        "de": [
            "Wöchentlicher Abgleich {project}: offene Tickets durchgesprochen, Prioritäten für den nächsten Sprint vereinbart. ToDo: {me} schickt den aktualisierten Plan.",
            "Lenkungskreis: Zeitplan und Budget geprüft, keine Änderungen. Nächster Termin in vier Wochen.",
            "Sprintplanung mit dem Team von {name}: 12 Stories eingeplant, Testdaten fehlen noch.",
            "Design-Review: Kunde mit der Navigation zufrieden, wünscht mehr Kontrast bei den Buttons.",
            "Jour fixe: Go-live-Checkliste durchgegangen, zwei offene Punkte auf Kundenseite.",
            "Workshop zu den Reporting-Anforderungen, 3 Std. Viel Input, Folgetermin nötig.",
            "Retro: Die Abstimmung mit der Kunden-IT hat sich verbessert, Deployments noch zu manuell.",
            "Statustermin – kurz, nichts Kritisches. {name} fragte nach den Schulungsterminen.",
        ],
    },
    "escalation_note": {
        "en": [
            "Escalation meeting with {name}: unhappy with delivery speed and quality. Agreed recovery plan and twice-weekly check-ins.",
            "Tense call. {name} questioned whether we have the right people on the project. Offered a senior review.",
            "Crisis meeting after the outage: client expects a written root-cause analysis by Friday.",
            "{name} said their management is 'losing patience'. We need to show progress within two weeks.",
            "Client raised concerns about budget burn vs. progress. Promised a detailed forecast.",
        ],
        "de": [
            "Eskalationstermin mit {name}: unzufrieden mit Tempo und Qualität. Maßnahmenplan und zweimal wöchentliche Abstimmung vereinbart.",
            "Angespanntes Gespräch. {name} zweifelt, ob wir die richtigen Leute im Projekt haben. Senior-Review angeboten.",
            "Krisentermin nach dem Ausfall: Kunde erwartet bis Freitag eine schriftliche Ursachenanalyse.",
            "{name} sagt, die Geschäftsführung verliere „langsam die Geduld“. Wir müssen innerhalb von zwei Wochen Fortschritt zeigen.",
            "Kunde sieht Budgetverbrauch und Fortschritt kritisch. Detaillierte Prognose zugesagt.",
        ],
    },
    "call_note": {
        "en": [
            "Short call re test planning.",
            "Clarified the open questions on the data model.",
            "{name} confirmed the go-live date.",
            "Discussed the training schedule.",
            "Call about access rights, resolved.",
            "Walked {name} through the new release notes.",
        ],
        "de": [
            "Kurzes Telefonat zur Testplanung.",
            "Offene Fragen zum Datenmodell geklärt.",
            "{name} hat den Go-live-Termin bestätigt.",
            "Schulungsplan besprochen.",
            "Telefonat zu Zugriffsrechten, erledigt.",
            "Mit {name} die Release Notes durchgegangen.",
        ],
    },
    "praise_in": {
        "en": [
            "Great work on the release, the team is really happy!",
            "Thanks a lot, {name} – the new dashboard is exactly what we needed.",
            "Just wanted to say the workshop yesterday was excellent.",
            "Really impressed with how quickly you fixed that.",
            "Smooth go-live, well done everyone!",
            "Our board loved the prototype. Kudos to the team.",
            "You've made our month-end close so much easier. Thank you!",
        ],
        "de": [
            "Super Arbeit beim Release, das Team ist begeistert!",
            "Vielen Dank, {name} – das neue Dashboard ist genau das, was wir gebraucht haben.",
            "Wollte nur sagen: Der Workshop gestern war hervorragend.",
            "Toll, wie schnell Sie das behoben haben.",
            "Reibungsloser Go-live, großes Lob an alle!",
            "Unser Vorstand war vom Prototypen begeistert. Kompliment an das Team.",
            "Der Monatsabschluss geht jetzt viel schneller. Danke!",
        ],
    },
    "complaint_in": {
        "en": [
            "We are not happy with the quality of the last delivery. Several bugs we reported weeks ago are still open.",
            "This is the third time the deadline has slipped. We need a realistic plan.",
            "Honestly, the communication has been poor lately – we only hear from you when we chase.",
            "The system was down again this morning. This is not acceptable for a production environment.",
            "I'm disappointed. The new consultant doesn't seem to know our setup at all.",
            "We were promised the feature by the end of the month, and it's still not there.",
            "Frankly, we expected more for what we're paying.",
            "Can someone please explain why the release broke the export? Our finance team couldn't work all day.",
        ],
        "de": [
            "Wir sind mit der Qualität der letzten Lieferung nicht zufrieden. Mehrere gemeldete Fehler sind seit Wochen offen.",
            "Der Termin ist jetzt zum dritten Mal verschoben worden. Wir brauchen einen realistischen Plan.",
            "Die Kommunikation ist in letzter Zeit leider schlecht – wir hören nur von Ihnen, wenn wir nachfragen.",
            "Das System war heute Morgen schon wieder nicht erreichbar. Für eine Produktivumgebung ist das inakzeptabel.",
            "Ich bin enttäuscht. Der neue Berater kennt sich mit unserem Setup offenbar überhaupt nicht aus.",
            "Uns wurde die Funktion bis Monatsende zugesagt, sie fehlt immer noch.",
            "Ehrlich gesagt haben wir für das Geld mehr erwartet.",
            "Warum hat das Release den Export kaputt gemacht? Unsere Buchhaltung konnte den ganzen Tag nicht arbeiten.",
        ],
    },
    "invoice_q_in": {
        "en": [
            "Could you send us a breakdown of the hours on invoice {inv}?",
            "Quick question on invoice {inv}: what does the item 'additional consulting' cover?",
            "The hours for {month} seem higher than we expected. Can we go through them?",
            "Please add our PO number 4500{po} to future invoices.",
            "Our accounts payable team asks whether invoice {inv} includes the travel costs.",
            "We noticed the senior rate was charged for work we understood a junior would do. Can you clarify?",
            "Can you split the invoice by cost centre going forward?",
            "Is invoice {inv} already net of the agreed discount?",
            "Why were so many hours charged in {month}? That's well above the estimate.",
        ],
        "de": [
            "Könnten Sie uns eine Aufschlüsselung der Stunden zu Rechnung {inv} schicken?",
            "Kurze Frage zu Rechnung {inv}: Was genau umfasst die Position „Zusatzberatung“?",
            "Die Stunden für {month} kommen uns höher vor als erwartet. Können wir die gemeinsam durchgehen?",
            "Bitte geben Sie künftig unsere Bestellnummer 4500{po} auf den Rechnungen an.",
            "Unsere Kreditorenbuchhaltung fragt, ob in Rechnung {inv} die Reisekosten enthalten sind.",
            "Uns ist aufgefallen, dass der Senior-Satz berechnet wurde, obwohl ein Junior eingeplant war. Können Sie das erklären?",
            "Können Sie die Rechnung künftig nach Kostenstellen aufteilen?",
            "Ist der vereinbarte Rabatt in Rechnung {inv} schon berücksichtigt?",
            "Warum wurden im {month} so viele Stunden abgerechnet? Das liegt deutlich über der Schätzung.",
        ],
    },
    "change_req_in": {
        "en": [
            "Could you also add an export to Excel? Should be small.",
            "Our management would like a second dashboard for the regional teams – can you include that?",
            "While you're at it, can we integrate the HR system too?",
            "We need the app in French as well, please factor that in.",
            "New requirement from legal: all documents need an approval step.",
            "Can we extend the pilot to the Munich office?",
        ],
        "de": [
            "Könnten Sie noch einen Excel-Export ergänzen? Sollte ja nur eine Kleinigkeit sein.",
            "Die Geschäftsführung wünscht sich ein zweites Dashboard für die Regionen – geht das noch mit rein?",
            "Wenn Sie schon dabei sind: Können wir auch das HR-System anbinden?",
            "Wir brauchen die App auch auf Französisch, bitte berücksichtigen Sie das.",
            "Neue Anforderung aus der Rechtsabteilung: Alle Dokumente brauchen einen Freigabeschritt.",
            "Können wir den Pilot auf den Standort München ausweiten?",
        ],
    },
    "scope_out": {
        "en": [
            "Thanks for the request. The additional export is outside the agreed scope – we'll send you a change request with an estimate.",
            "Happy to include the second dashboard. As it wasn't part of the original SOW, we'll bill it as additional effort.",
            "We can do that, but it will add roughly two weeks. I'll prepare a change request.",
            "Just to be transparent: the extra requirements from the last weeks have added about {hours} hours so far.",
        ],
        "de": [
            "Danke für die Anfrage. Der zusätzliche Export liegt außerhalb des vereinbarten Umfangs – wir schicken Ihnen einen Change Request mit Aufwandsschätzung.",
            "Das zweite Dashboard nehmen wir gern mit auf. Da es nicht Teil des ursprünglichen Angebots war, rechnen wir es als Mehraufwand ab.",
            "Das ist machbar, kostet aber etwa zwei Wochen. Ich bereite einen Change Request vor.",
            "Zur Transparenz: Die zusätzlichen Anforderungen der letzten Wochen haben bisher rund {hours} Stunden verursacht.",
        ],
    },
    "budget_in": {
        "en": [
            "We have to cut external spend by 20% next quarter. Can we talk about priorities?",
            "Our budget for next year is not approved yet, please pause any non-critical work.",
            "Finance has put a freeze on new purchase orders until further notice.",
            "Could we move to a smaller team for the next months?",
            "We'd like to defer the next phase – cash is tight at the moment.",
            "Can we agree on longer payment terms for the next invoices?",
        ],
        "de": [
            "Wir müssen die externen Ausgaben im nächsten Quartal um 20 % reduzieren. Können wir über Prioritäten sprechen?",
            "Unser Budget für das nächste Jahr ist noch nicht freigegeben, bitte stoppen Sie alle nicht kritischen Arbeiten.",
            "Die Finanzabteilung hat bis auf Weiteres einen Bestellstopp verhängt.",
            "Können wir für die nächsten Monate mit einem kleineren Team weitermachen?",
            "Wir würden die nächste Phase gern verschieben – die Liquidität ist gerade knapp.",
            "Wäre ein längeres Zahlungsziel für die nächsten Rechnungen möglich?",
        ],
    },
    "vendor_review_in": {
        "en": [
            "As part of our annual supplier review we're asking all vendors for updated proposals.",
            "We're evaluating whether to bring some of this work in-house.",
            "We've received a competing offer and would like to discuss your rates.",
            "Procurement has asked us to re-tender the support contract next quarter.",
        ],
        "de": [
            "Im Rahmen unserer jährlichen Lieferantenbewertung bitten wir alle Dienstleister um aktualisierte Angebote.",
            "Wir prüfen derzeit, ob wir einen Teil der Arbeit intern übernehmen.",
            "Uns liegt ein Konkurrenzangebot vor, wir würden gern über Ihre Sätze sprechen.",
            "Der Einkauf möchte den Supportvertrag im nächsten Quartal neu ausschreiben.",
        ],
    },
    "stakeholder_in": {
        "en": [
            "Hello, I'm {me}, the new Head of IT. I'll be your main contact going forward and would like to review all running engagements.",
            "Let me introduce myself: I joined as CFO last month. I'd appreciate an overview of all open projects, budgets and invoices.",
            "I've taken over procurement for external services. Please send me your current rate card.",
        ],
        "de": [
            "Guten Tag, ich bin {me} und leite seit Kurzem die IT. Ich bin ab sofort Ihre Ansprechperson und möchte alle laufenden Projekte einmal durchgehen.",
            "Ich habe letzten Monat als CFO angefangen und hätte gern eine Übersicht aller offenen Projekte, Budgets und Rechnungen.",
            "Ich habe den Einkauf für externe Dienstleistungen übernommen. Bitte senden Sie mir Ihre aktuellen Stundensätze.",
        ],
    },
    "handover_out": {
        "en": [
            "A personnel update: our lead consultant on {project} is leaving the company at the end of the month. We'll introduce the successor this week and plan a proper handover.",
            "I wanted to let you know personally that there will be a change in the team for {project}. Your new main contact will be in touch shortly.",
            "Team change on {project}: from next month a new senior consultant takes over. The handover is planned over two weeks so nothing gets lost.",
        ],
        "de": [
            "Eine personelle Änderung: Unser leitender Berater für {project} verlässt das Unternehmen zum Monatsende. Wir stellen Ihnen diese Woche die Nachfolge vor und planen eine saubere Übergabe.",
            "Ich wollte Ihnen persönlich mitteilen, dass sich das Team für {project} verändert. Ihre neue Ansprechperson meldet sich in Kürze.",
            "Teamwechsel bei {project}: Ab nächstem Monat übernimmt eine neue Senior-Beraterin. Die Übergabe läuft über zwei Wochen, damit nichts verloren geht.",
        ],
    },
    "incident_out": {
        "en": [
            "Incident report: the outage on {day} was caused by an expired certificate. We've added monitoring so it can't happen again. Apologies for the disruption.",
            "We're sorry about yesterday's problems with the release. Root cause: a migration script ran twice. A fix is deployed, details below.",
            "Post-mortem for the incident on {day}: response time 40 minutes, resolution after 5 hours. Actions: additional alerting and a rollback runbook.",
        ],
        "de": [
            "Störungsbericht: Der Ausfall am {day} wurde durch ein abgelaufenes Zertifikat verursacht. Wir haben ein Monitoring ergänzt. Entschuldigen Sie die Unannehmlichkeiten.",
            "Die Probleme mit dem gestrigen Release tun uns leid. Ursache: Ein Migrationsskript lief doppelt. Der Fix ist ausgerollt, Details unten.",
            "Nachbetrachtung zur Störung am {day}: Reaktionszeit 40 Minuten, Behebung nach 5 Stunden. Maßnahmen: zusätzliches Alerting und ein Rollback-Runbook.",
        ],
    },
    "checkin_out": {
        "en": [
            "It's been a while – is there anything coming up where we could support you?",
            "Just checking in: how is the new platform working for your team?",
            "We'd love to hear how things are going since the go-live. Do you have 30 minutes next week?",
            "We've started offering data-quality audits – would that be interesting for you?",
        ],
        "de": [
            "Es ist eine Weile her – gibt es Themen, bei denen wir Sie unterstützen können?",
            "Wollte mich kurz melden: Wie kommt Ihr Team mit der neuen Plattform zurecht?",
            "Wir würden gern hören, wie es seit dem Go-live läuft. Hätten Sie nächste Woche 30 Minuten?",
            "Wir bieten jetzt auch Datenqualitäts-Audits an – wäre das für Sie interessant?",
        ],
    },
    "reminder_out": {
        "en": [
            "Friendly reminder: invoice {inv} was due on {due}. Could you check the status on your side?",
            "Our records show invoice {inv} (due {due}) as still open. If it has already been paid, please disregard this message.",
            "Second reminder: invoice {inv} is now overdue. Please arrange payment or let us know if anything is unclear.",
        ],
        "de": [
            "Freundliche Erinnerung: Die Rechnung {inv} war am {due} fällig. Könnten Sie den Status prüfen?",
            "Laut unserer Buchhaltung ist die Rechnung {inv} (fällig am {due}) noch offen. Falls sie bereits bezahlt wurde, betrachten Sie diese Nachricht bitte als gegenstandslos.",
            "Zweite Mahnung: Die Rechnung {inv} ist überfällig. Bitte veranlassen Sie die Zahlung oder melden Sie sich, falls etwas unklar ist.",
        ],
    },
    "dispute_hours": {
        "en": [
            "We do not accept invoice {inv}. The hours billed are far above what was agreed, and we never approved this additional effort.",
            "Invoice {inv}: we're disputing the amount. {hours} hours in one month is not plausible for the progress we've seen.",
            "We are putting invoice {inv} on hold until we've gone through the time sheets line by line.",
        ],
        "de": [
            "Die Rechnung {inv} akzeptieren wir nicht. Die abgerechneten Stunden liegen weit über dem Vereinbarten, diesen Mehraufwand haben wir nie freigegeben.",
            "Rechnung {inv}: Wir widersprechen dem Betrag. {hours} Stunden in einem Monat sind bei dem Fortschritt, den wir sehen, nicht nachvollziehbar.",
            "Wir halten die Rechnung {inv} zurück, bis wir die Stundenzettel Position für Position geprüft haben.",
        ],
    },
    "dispute_scope": {
        "en": [
            "Invoice {inv} charges for work that we consider part of the fixed price. Please issue a credit note.",
            "We never signed a change request for these items, so we won't pay invoice {inv} as it stands.",
            "The extra hours on invoice {inv} were not agreed with us. Our contract covers this.",
        ],
        "de": [
            "Die Rechnung {inv} enthält Leistungen, die aus unserer Sicht im Festpreis enthalten sind. Bitte stellen Sie eine Gutschrift aus.",
            "Für diese Positionen haben wir nie einen Change Request unterschrieben, daher zahlen wir die Rechnung {inv} so nicht.",
            "Die Mehrstunden auf Rechnung {inv} waren nicht mit uns abgestimmt. Das ist durch unseren Vertrag abgedeckt.",
        ],
    },
    "dispute_quality": {
        "en": [
            "Given the quality problems this month we are not prepared to pay invoice {inv} in full.",
            "The deliverables billed on invoice {inv} have not been accepted yet. We'll pay once they pass acceptance.",
            "We dispute invoice {inv}: the service was down for several days and the SLA was clearly missed.",
        ],
        "de": [
            "Angesichts der Qualitätsprobleme in diesem Monat sind wir nicht bereit, die Rechnung {inv} vollständig zu bezahlen.",
            "Die mit Rechnung {inv} abgerechneten Leistungen sind noch nicht abgenommen. Wir zahlen nach erfolgreicher Abnahme.",
            "Wir widersprechen der Rechnung {inv}: Der Service war mehrere Tage nicht verfügbar, das SLA wurde klar verfehlt.",
        ],
    },
    "dispute_admin": {
        "en": [
            "Invoice {inv} doesn't show our PO number, so our system rejected it. Please reissue it with PO 4500{po}.",
            "The billing address on invoice {inv} is outdated – please send a corrected invoice.",
            "Invoice {inv} is missing our VAT ID; our accounts payable can't process it like this.",
        ],
        "de": [
            "Auf der Rechnung {inv} fehlt unsere Bestellnummer, deshalb wurde sie abgelehnt. Bitte neu ausstellen mit Bestellnummer 4500{po}.",
            "Die Rechnungsadresse auf {inv} ist veraltet – bitte senden Sie uns eine korrigierte Rechnung.",
            "Auf der Rechnung {inv} fehlt unsere USt-IdNr.; so kann unsere Kreditorenbuchhaltung sie nicht verarbeiten.",
        ],
    },
    "dispute_reply_out": {
        "en": [
            "Thanks for flagging this. We're reviewing invoice {inv} and will get back to you by Friday.",
            "Understood. I've asked our finance team to put invoice {inv} on hold while we go through the details with you.",
            "Sorry for the trouble with invoice {inv}. We'll send a corrected version.",
        ],
        "de": [
            "Danke für den Hinweis. Wir prüfen die Rechnung {inv} und melden uns bis Freitag.",
            "Verstanden. Ich habe unsere Buchhaltung gebeten, die Rechnung {inv} anzuhalten, bis wir die Details mit Ihnen geklärt haben.",
            "Entschuldigen Sie die Umstände mit der Rechnung {inv}. Wir schicken Ihnen eine korrigierte Fassung.",
        ],
    },
    "churn_in": {
        "en": [
            "After careful consideration we have decided not to continue our cooperation beyond the current engagement.",
            "Please take this as our formal notice to terminate the support agreement.",
            "We've decided to bring the work in-house. Thank you for everything so far.",
            "Following the reorganisation we are consolidating our suppliers and won't be renewing.",
        ],
        "de": [
            "Nach reiflicher Überlegung haben wir entschieden, die Zusammenarbeit nach dem aktuellen Auftrag nicht fortzusetzen.",
            "Hiermit kündigen wir den Supportvertrag fristgerecht.",
            "Wir haben uns entschieden, die Arbeiten künftig intern zu erledigen. Vielen Dank für alles.",
            "Im Zuge der Reorganisation bündeln wir unsere Dienstleister und werden nicht verlängern.",
        ],
    },
    "kickoff_out": {
        "en": [
            "Kick-off for {project} is confirmed. Agenda and team introductions attached.",
            "Welcome aboard! We're looking forward to starting {project} with you.",
            "Kick-off {project}: goals, roles and the first sprint agreed. Next meeting in one week.",
        ],
        "de": [
            "Der Kick-off für {project} ist bestätigt. Agenda und Teamvorstellung anbei.",
            "Herzlich willkommen! Wir freuen uns auf den Start von {project} mit Ihnen.",
            "Kick-off {project}: Ziele, Rollen und erster Sprint vereinbart. Nächster Termin in einer Woche.",
        ],
    },
    "survey_pos": {
        "en": [
            "Very responsive team.",
            "Great collaboration, keep it up!",
            "Excellent technical know-how.",
            "Always reliable.",
        ],
        "de": [
            "Sehr reaktionsschnelles Team.",
            "Tolle Zusammenarbeit, weiter so!",
            "Hervorragendes technisches Know-how.",
            "Immer zuverlässig.",
        ],
    },
    "survey_mid": {
        "en": [
            "Good work overall, communication could be faster.",
            "OK, some delays.",
            "Fine, but the reporting could be clearer.",
        ],
        "de": [
            "Insgesamt gut, die Kommunikation könnte schneller sein.",
            "In Ordnung, einige Verzögerungen.",
            "Passt, aber das Reporting könnte klarer sein.",
        ],
    },
    "survey_neg": {
        "en": [
            "Too expensive for what we get.",
            "Deadlines are missed too often.",
            "We don't feel heard.",
            "Quality has dropped since the team change.",
        ],
        "de": [
            "Zu teuer für die Leistung.",
            "Termine werden zu oft verpasst.",
            "Wir fühlen uns nicht gehört.",
            "Die Qualität hat seit dem Teamwechsel nachgelassen.",
        ],
    },
}

# Category: (direction, channels, channel probabilities).
CATEGORIES: dict[str, tuple[str, list[str], list[float]]] = {
    "status_out": ("outbound", ["email", "portal", "thread"], [0.55, 0.3, 0.15]),
    "logistics_in": ("inbound", ["email", "chat", "thread", "portal"], [0.4, 0.35, 0.15, 0.1]),
    "logistics_out": ("outbound", ["email", "chat", "thread", "portal"], [0.4, 0.35, 0.15, 0.1]),
    "meeting_note": ("outbound", ["meeting"], [1.0]),
    "escalation_note": ("outbound", ["meeting", "call"], [0.7, 0.3]),
    "call_note": ("either", ["call"], [1.0]),
    "praise_in": ("inbound", ["email", "chat", "thread", "call"], [0.5, 0.25, 0.15, 0.1]),
    "complaint_in": (
        "inbound",
        ["email", "call", "thread", "chat", "portal"],
        [0.5, 0.15, 0.15, 0.1, 0.1],
    ),
    "invoice_q_in": ("inbound", ["email", "portal", "call"], [0.7, 0.2, 0.1]),
    "change_req_in": ("inbound", ["email", "thread", "chat", "call"], [0.4, 0.3, 0.2, 0.1]),
    "scope_out": ("outbound", ["email", "thread"], [0.7, 0.3]),
    "budget_in": ("inbound", ["email", "call"], [0.75, 0.25]),
    "vendor_review_in": ("inbound", ["email", "call"], [0.8, 0.2]),
    "stakeholder_in": ("inbound", ["email"], [1.0]),
    "handover_out": ("outbound", ["email"], [1.0]),
    "incident_out": ("outbound", ["email", "portal"], [0.7, 0.3]),
    "checkin_out": ("outbound", ["email", "call"], [0.7, 0.3]),
    "reminder_out": ("outbound", ["email"], [1.0]),
    "dispute_hours": ("inbound", ["email", "portal", "call"], [0.7, 0.2, 0.1]),
    "dispute_scope": ("inbound", ["email", "portal", "call"], [0.7, 0.2, 0.1]),
    "dispute_quality": ("inbound", ["email", "portal", "call"], [0.7, 0.2, 0.1]),
    "dispute_admin": ("inbound", ["email", "portal"], [0.8, 0.2]),
    "dispute_reply_out": ("outbound", ["email"], [1.0]),
    "churn_in": ("inbound", ["email", "call"], [0.85, 0.15]),
    "kickoff_out": ("outbound", ["email", "meeting"], [0.5, 0.5]),
    "survey": ("inbound", ["survey"], [1.0]),
}
CAT_NAMES = list(CATEGORIES)
CAT_CODE = {c: i for i, c in enumerate(CAT_NAMES)}

GREETING = {
    "en": ["Hi {name},", "Hello {name},", "Dear {name},", "{name},", "Morning {name},", "Hi all,"],
    "de": [
        "Hallo {name},",
        "Guten Tag,",
        "Hallo zusammen,",
        "Moin {name},",
        "Hi {name},",
        "Liebe Kolleginnen und Kollegen,",
    ],
}
SIGNOFF = {
    "en": [
        "Best,\n{me}",
        "Thanks,\n{me}",
        "Kind regards,\n{me}",
        "Cheers, {me}",
        "Best regards\n{me}",
        "{me}",
    ],
    "de": [
        "Viele Grüße\n{me}",
        "Beste Grüße,\n{me}",
        "Mit freundlichen Grüßen\n{me}",
        "VG {me}",
        "Danke und Gruß\n{me}",
        "Schöne Grüße aus dem Büro\n{me}",
    ],
}
TAIL = {
    "en": [
        "\n\nSent from my iPhone",
        "\n\n> On {day}, {name} wrote:\n> Thanks, see you then.",
        "\n\nLet me know if you have any questions.",
    ],
    "de": [
        "\n\nVon meinem iPhone gesendet",
        "\n\n> Am {day} schrieb {name}:\n> Danke, bis dann.",
        "\n\nBei Fragen melden Sie sich gern.",
    ],
}
CALL_PREFIX = {"en": "Call with {them}: ", "de": "Telefonat mit {them}: "}


def _messages(rng: np.random.Generator, w: _World, inv: pd.DataFrame) -> pd.DataFrame:
    cal, cl, pj, state = w.cal, w.clients, w.projects, w.state
    n, n_months = cl.n, cal.months
    ms = cal.month_start[:n_months][None, :]
    me = (cal.month_start[1 : n_months + 1] - 1)[None, :]
    lo = np.maximum(ms, cl.since[:, None])
    hi = np.minimum(np.minimum(me, w.churn_day[:, None]), cal.last)
    valid = hi >= lo
    frac = np.where(valid, (hi - lo + 1) / (me - ms + 1), 0.0)
    mood_m = np.clip(state["h"], -3, 2)
    act2 = np.minimum(state["nact"], 2)
    bc, sh, inc = state["bc"], state["sh"], state["inc"]
    friction = (
        5 * np.maximum(state["gap"] - 0.05, 0)
        + sh
        + 0.8 * state["extra"]
        + 0.4 * bc
        + 0.15 * np.maximum(cl.price_sens, 0)[:, None]
    )
    rates = {
        "status_out": 2.6 * act2 * cl.diligence[:, None],
        "meeting_note": 2.2 * act2 * sigmoid(1.0 + 1.2 * mood_m) * (1 - 0.4 * bc) + 0.1,
        "call_note": 0.5 + 0.3 * act2,
        "logistics_in": cl.chatty[:, None]
        * (1.2 + 1.3 * act2)
        * np.exp(0.3 * np.minimum(mood_m, 1.5))
        * (1 - 0.3 * bc),
        "logistics_out": 0.8 + 1.0 * act2,
        "praise_in": 0.12 * np.exp(0.9 * mood_m) + 1.0 * state["success"],
        "complaint_in": 0.05 * np.exp(-1.0 * mood_m) * (1 + 4 * cl.grumpy[:, None])
        + 1.3 * inc
        + 0.5 * state["lc_recent"]
        + 0.3 * state["scope"],
        "escalation_note": 0.5 * inc + 0.25 * (mood_m < -0.5),
        "incident_out": 0.85 * inc,
        "invoice_q_in": 0.04 + 0.8 * friction,
        "change_req_in": 0.05 + 1.6 * state["scope"],
        "scope_out": 0.7 * state["scope"],
        "budget_in": 0.015 + 1.1 * bc,
        "vendor_review_in": 0.008
        + 0.35 * sh
        + 0.25 * bc
        + 0.25 * (state["idle"] >= 2)
        + 0.15 * (mood_m < -0.5),
        "checkin_out": 0.1 + 0.8 * (state["nact"] == 0),
    }
    blocks: list[dict[str, np.ndarray]] = []

    def add(
        cat: str,
        client: np.ndarray,
        day: np.ndarray,
        project: np.ndarray | None = None,
        invoice: np.ndarray | None = None,
        score: np.ndarray | None = None,
    ) -> None:
        k = len(client)
        blocks.append(
            {
                "cat": np.full(k, CAT_CODE[cat]),
                "client": client,
                "day": day,
                "project": np.full(k, -2) if project is None else project,
                "invoice": np.full(k, -1) if invoice is None else invoice,
                "score": np.full(k, -1) if score is None else score,
            }
        )

    for cat, rate in rates.items():
        counts = rng.poisson(np.maximum(rate, 0) * frac)
        c, m = np.nonzero(counts)
        reps = counts[c, m]
        c, m = np.repeat(c, reps), np.repeat(m, reps)
        add(cat, c, cal.pick_days(rng, lo[c, m], hi[c, m]))

    # One-off events dated by the simulation.
    c, m = np.nonzero((state["sh_new"] > 0) & valid)
    add("stakeholder_in", c, np.clip(w.sh_day[c], lo[c, m], hi[c, m]))
    c, m = np.nonzero((state["lc_new"] > 0) & valid)
    add("handover_out", c, cal.pick_days(rng, np.maximum(lo[c, m], hi[c, m] - 20), hi[c, m]))

    # Quarterly NPS survey; unhappy clients answer less often.
    month_of_year = (np.arange(n_months) + int(str(START)[5:7]) - 1) % 12 + 1
    quarter = np.isin(month_of_year, [3, 6, 9, 12])[None, :]
    answer = valid & quarter & (state["nact"] + (state["idle"] < 3) > 0)
    answer &= (
        rng.random((n, n_months)) < 0.55 * sigmoid(0.5 + 0.8 * mood_m) * cl.responder[:, None] * 1.6
    )
    c, m = np.nonzero(answer)
    score = np.clip(np.round(7.3 + 1.5 * mood_m[c, m] + rng.normal(0, 1.3, len(c))), 0, 10).astype(
        np.int64
    )
    add("survey", c, cal.pick_days(rng, lo[c, m], hi[c, m]), score=score)

    # Invoice events: disputes and replies, payment reminders.
    inv_client = inv["client"].to_numpy()
    inv_project = inv["project"].to_numpy()
    disp = inv["disp_day"].to_numpy()
    cause = inv["cause"].to_numpy()
    limit = np.minimum(w.churn_day[inv_client], cal.last)
    idx = np.flatnonzero((disp < OPEN) & (rng.random(len(inv)) < 0.9))
    for code, cat in [
        (CAUSE_ADMIN, "dispute_admin"),
        (CAUSE_HOURS, "dispute_hours"),
        (CAUSE_SCOPE, "dispute_scope"),
        (CAUSE_QUALITY, "dispute_quality"),
    ]:
        j = idx[cause[idx] == code]
        add(cat, inv_client[j], disp[j], inv_project[j], j)
    reply_day = disp + rng.integers(1, 4, len(inv))
    j = np.flatnonzero((disp < OPEN) & (reply_day <= limit) & (rng.random(len(inv)) < 0.7))
    add("dispute_reply_out", inv_client[j], cal.next_business(reply_day[j]), inv_project[j], j)
    due = inv["due"].to_numpy()
    paid = inv["paid"].to_numpy()
    for offset in (8, 22):
        rday = cal.next_business(due + offset + rng.integers(0, 3, len(inv)))
        j = np.flatnonzero(
            (disp == OPEN) & (rday < paid) & (rday <= limit) & (rng.random(len(inv)) < 0.85)
        )
        add("reminder_out", inv_client[j], rday[j], inv_project[j], j)

    # Notice of churn and project kick-offs.
    churned = np.flatnonzero((w.churn_day <= cal.last) & (rng.random(n) < 0.65))
    add("churn_in", churned, w.churn_day[churned])
    ok = np.flatnonzero(~pj.dropped[: pj.n] & (pj.start[: pj.n] <= cal.last))
    ok = ok[(rng.random(len(ok)) < 0.8) & (pj.start[ok] <= w.churn_day[pj.client[ok]])]
    kick = np.minimum(cal.next_business(pj.start[ok] - 3), pj.start[ok])
    kick = np.maximum(kick, np.maximum(cl.since[pj.client[ok]], cal.first))
    add("kickoff_out", pj.client[ok], kick, ok)

    msg = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    keep = (msg["day"] <= np.minimum(w.churn_day[msg["client"]], cal.last)) & (
        msg["day"] >= cl.since[msg["client"]]
    )
    msg = {k: v[keep] for k, v in msg.items()}
    return _render(rng, w, inv, msg)


def _render(
    rng: np.random.Generator, w: _World, inv: pd.DataFrame, msg: dict[str, np.ndarray]
) -> pd.DataFrame:
    cal, cl, pj = w.cal, w.clients, w.projects
    n_months = cal.months
    k = len(msg["cat"])
    cat, client, day = msg["cat"], msg["client"], msg["day"]
    month = np.clip(cal.month_of(day), 0, n_months - 1)

    # A project for the message: the invoice's, else one running for the client that month.
    r = w.records
    rkey = r["client"] * (n_months + 1) + r["month"]
    order = np.argsort(rkey, kind="stable")
    skey = rkey[order]
    qkey = client * (n_months + 1) + month
    a = np.searchsorted(skey, qkey)
    b = np.searchsorted(skey, qkey, side="right")
    pick = order[np.minimum(a + (rng.random(k) * (b - a)).astype(np.int64), len(order) - 1)]
    project = np.where(b > a, r["project"][pick], -1)
    pct = np.where(b > a, r["after"][pick], 0.0)
    hours = np.where(b > a, r["hours"][pick], 0.0)
    given = msg["project"] >= 0
    project = np.where(given, msg["project"], project)
    no_project = np.isin(
        cat,
        [
            CAT_CODE[c]
            for c in (
                "survey",
                "churn_in",
                "checkin_out",
                "stakeholder_in",
                "vendor_review_in",
                "budget_in",
            )
        ],
    )
    drop_link = (
        (rng.random(k) < 0.3)
        & ~given
        & ~np.isin(cat, [CAT_CODE["status_out"], CAT_CODE["handover_out"]])
    )
    project_col = np.where(no_project | drop_link, -1, project)

    # Invoice number: the message's own, else the client's latest before the day.
    ikey = inv["client"].to_numpy() * 100000 + inv["issue"].to_numpy()
    iorder = np.argsort(ikey, kind="stable")
    pos = np.searchsorted(ikey[iorder], client * 100000 + day, side="right") - 1
    prior = iorder[np.maximum(pos, 0)]
    has_prior = (pos >= 0) & (inv["client"].to_numpy()[prior] == client)
    inv_row = np.where(msg["invoice"] >= 0, msg["invoice"], np.where(has_prior, prior, -1))
    inv_ids = inv["invoice_id"].to_numpy()
    inv_due = inv["due"].to_numpy()

    # Who writes: inbound from one of the client's contacts (a new stakeholder once there
    # is one), outbound from the project's PM or the account lead.
    direction_spec = np.array([CATEGORIES[c][0] for c in CAT_NAMES], dtype=object)[cat]
    inbound = np.where(direction_spec == "either", rng.random(k) < 0.5, direction_spec == "inbound")
    contact = rng.integers(0, 3, k)
    after_sh = day >= w.sh_day[client]
    contact = np.where(after_sh & (rng.random(k) < 0.4), 3, contact)
    contact = np.where(cat == CAT_CODE["stakeholder_in"], 3, contact)
    c_first = cl.contact_first[client, contact]
    c_last = cl.contact_last[client, contact]
    use_pm = (project >= 0) & (cat != CAT_CODE["checkin_out"])
    pm = pj.pm[np.maximum(project, 0)]
    f_first = np.where(use_pm, w.pm_first[pm], w.lead_first[cl.lead[client]])
    f_last = np.where(use_pm, w.pm_last[pm], w.lead_last[cl.lead[client]])
    author = np.where(inbound, c_first + " " + c_last, f_first + " " + f_last)
    author = np.where(cat == CAT_CODE["survey"], np.where(rng.random(k) < 0.7, "", author), author)
    to_first = np.where(inbound, f_first, c_first)
    me_first = np.where(inbound, c_first, f_first)

    # Channel.
    channel = np.empty(k, dtype=object)
    for code, name in enumerate(CAT_NAMES):
        sel = np.flatnonzero(cat == code)
        if len(sel):
            chans, probs = CATEGORIES[name][1], CATEGORIES[name][2]
            channel[sel] = np.array(chans, dtype=object)[rng.choice(len(chans), len(sel), p=probs)]

    # Language: German clients now and then write (or are written to) in English.
    lang = np.where(cl.german[client] & (rng.random(k) > np.where(inbound, 0.08, 0.04)), "de", "en")

    # Time of day: office hours in the writer's town; Hamburg is written as UTC+01:00.
    offset_h = np.where(cl.german[client], 1, 0)
    local_min = np.clip(rng.normal(11.5 * 60, 150, k), 6 * 60 + 30, 21 * 60).astype(np.int64)
    local_min = np.where(channel == "survey", rng.integers(7 * 60, 22 * 60, k), local_min)
    utc_sec = day * 86400 + (local_min - offset_h * 60) * 60 + rng.integers(0, 60, k)
    utc = utc_sec.astype("datetime64[s]").astype(str).astype(object)
    local = (utc_sec + offset_h * 3600).astype("datetime64[s]").astype(str).astype(object)
    offset_txt = np.where(offset_h == 1, "+01:00", "+00:00")
    is_note = np.isin(channel, ["call", "meeting"])
    is_plain = np.isin(channel, ["chat", "thread", "portal"])
    sent_at = np.where(
        is_note,
        local + offset_txt,
        np.where(
            is_plain, np.array([s[:16].replace("T", " ") for s in utc], dtype=object), utc + "Z"
        ),
    )

    texts = _texts(
        rng,
        w,
        cat,
        lang,
        channel,
        inbound,
        to_first,
        me_first,
        c_first,
        project,
        pct,
        hours,
        inv_row,
        inv_ids,
        inv_due,
        day,
        month,
        msg["score"],
    )
    score = msg["score"].astype(np.float64)
    score[score < 0] = np.nan
    df = pd.DataFrame(
        {
            "_utc": utc_sec,
            "_client": client,
            "_project": project_col,
            "sent_at": sent_at,
            "channel": channel,
            "direction": np.where(inbound, "inbound", "outbound"),
            "text": texts,
            "author": author,
            "score": pd.array(score, dtype="Float64").round(0).astype("Int64"),
        }
    )
    return df.sort_values("_utc", kind="stable").reset_index(drop=True)


def _texts(
    rng: np.random.Generator,
    w: _World,
    cat: np.ndarray,
    lang: np.ndarray,
    channel: np.ndarray,
    inbound: np.ndarray,
    to_first: np.ndarray,
    me_first: np.ndarray,
    c_first: np.ndarray,
    project: np.ndarray,
    pct: np.ndarray,
    hours: np.ndarray,
    inv_row: np.ndarray,
    inv_ids: np.ndarray,
    inv_due: np.ndarray,
    day: np.ndarray,
    month: np.ndarray,
    score: np.ndarray,
) -> list[str]:
    pj = w.projects
    k = len(cat)
    names = np.array([*pj.name, ""], dtype=object)
    proj_name = names[np.where(project >= 0, project, len(names) - 1)]
    variant = rng.integers(0, 1000, k)
    u = rng.random((k, 4))
    po = rng.integers(100000, 999999, k)
    prev_month = (month + int(str(START)[5:7]) - 2) % 12
    survey = CAT_CODE["survey"]
    call_note = CAT_CODE["call_note"]
    voice_of_client = inbound
    out: list[str] = []
    for i in range(k):
        lg = lang[i]
        ch = channel[i]
        code = cat[i]
        if code == survey:
            s = score[i]
            if u[i, 0] < 0.55:
                out.append("")
                continue
            group = "survey_pos" if s >= 9 else ("survey_mid" if s >= 7 else "survey_neg")
            opts = TEXTS[group][lg]
            out.append(opts[variant[i] % len(opts)])
            continue
        if ch == "call" and u[i, 0] < 0.3:
            out.append("")
            continue
        opts = TEXTS[CAT_NAMES[code]][lg]
        has_inv = inv_row[i] >= 0
        inv = (
            inv_ids[inv_row[i]]
            if has_inv
            else ("vom letzten Monat" if lg == "de" else "from last month")
        )
        due = date_text(np.datetime64(int(inv_due[inv_row[i]]), "D"), lg) if has_inv else ""
        body = opts[variant[i] % len(opts)].format(
            name=to_first[i],
            me=me_first[i],
            project=proj_name[i] or ("das Projekt" if lg == "de" else "the project"),
            inv=inv,
            due=due,
            day=date_text(np.datetime64(int(day[i]) - 1, "D"), lg),
            month=MONTH_NAMES[lg][prev_month[i]],
            pct=round(float(pct[i])),
            hours=round(max(float(hours[i]), 12.0)),
            po=po[i],
        )
        if ch == "call" and code != call_note:
            lead = CALL_PREFIX[lg].format(them=c_first[i])
            body = lead + (f'"{body}"' if voice_of_client[i] else body)
        elif ch == "email" or (ch in ("thread", "portal") and u[i, 1] < 0.3):
            if u[i, 1] < 0.8:
                greet = GREETING[lg][(variant[i] // 13) % len(GREETING[lg])].format(
                    name=to_first[i]
                )
                body = f"{greet}\n\n{body}"
            if u[i, 2] < 0.85:
                body += "\n\n" + SIGNOFF[lg][(variant[i] // 7) % len(SIGNOFF[lg])].format(
                    me=me_first[i]
                )
            if ch == "email" and u[i, 3] < 0.12:
                tail = TAIL[lg][(variant[i] // 3) % len(TAIL[lg])]
                body += tail.format(
                    day=date_text(np.datetime64(int(day[i]) - 2, "D"), lg), name=to_first[i]
                )
        elif ch == "chat" and u[i, 2] < 0.3:
            body = body[:1].lower() + body[1:]
        out.append(body)
    return out


def make_bundle(out: Path, clients: int = 1000, months: int = 24, seed: int = 0) -> None:
    """Write one export bundle of Kestrel & Lind into ``out``.

    Parameters
    ----------
    out
        Folder to write clients.csv ... churn.csv into (created if needed).
    clients
        Number of clients, including those that join during the history.
    months
        Months of history, starting in July 2023.
    seed
        Seed of the one random generator; the same seed gives the same bundle.
    """
    _write_bundle(out, clients, months, seed)


def _write_bundle(
    out: Path, clients: int, months: int, seed: int, rec: dict[str, list] | None = None
) -> _World:
    """make_bundle's work; ``rec`` is passed to :func:`_simulate` (risk_oracle only)."""
    rng = np.random.default_rng(seed)
    w = _simulate(rng, clients, months, rec)
    cal, cl, pj = w.cal, w.clients, w.projects
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    client_id = np.array([f"{100000 + i:010d}" for i in range(cl.n)], dtype=object)
    lead_email = _email(w.lead_first, w.lead_last)
    pm_email = _email(w.pm_first, w.pm_last)

    clients_df = pd.DataFrame(
        {
            "client_id": client_id,
            "name": cl.name,
            "account_lead": lead_email[cl.lead],
            "client_since": _dates(cl.since),
            "industry": INDUSTRIES[cl.industry],
            "language": np.where(cl.german, "de", "en"),
        }
    )

    n_proj = pj.n
    project_ok = ~pj.dropped[:n_proj] & (pj.start[:n_proj] <= cal.last)
    pid_all = np.array(
        [
            f"PRJ-{str(np.datetime64(int(s), 'D'))[:4]}-{i + 1:04d}"
            for i, s in enumerate(pj.start[:n_proj])
        ],
        dtype=object,
    )
    ids = np.flatnonzero(project_ok)
    closed = pj.closed[ids]
    projects_df = pd.DataFrame(
        {
            "project_id": pid_all[ids],
            "client_id": client_id[pj.client[ids]],
            "name": np.array(pj.name, dtype=object)[ids],
            "pm": pm_email[pj.pm[ids]],
            "billing_model": BILLING[pj.kind[ids]],
            "budget": np.round(pj.budget[ids], 2),
            "start_date": _dates(pj.start[ids]),
            "end_date": _dates(pj.end_plan[ids]),
            "closed_at": _dates(np.where(closed <= cal.last, closed, OPEN)),
        }
    )

    entries = _time_entries(rng, w)
    entries = entries[entries["_day"] <= cal.last]
    invoices = _build_invoices(rng, w, entries)

    # The accounting tool records the invoice on T&M entries for some clients.
    tm = invoices[invoices["kind"] == INV_TM]
    tm_key = pd.Series(
        tm["invoice_id"].to_numpy(),
        index=tm["project"].to_numpy() * (cal.months + 1) + tm["month"].to_numpy(),
    )
    e_key = entries["_project"].to_numpy() * (cal.months + 1) + entries["_month"].to_numpy()
    linked = tm_key.reindex(e_key).to_numpy()
    linked = np.where(
        entries["billable"].to_numpy()
        & cl.links_entries[entries["_client"].to_numpy()]
        & pd.notna(linked),
        linked,
        "",
    )
    time_df = pd.DataFrame(
        {
            "entry_id": (7_000_001 + np.arange(len(entries))).astype(str),
            "project_id": pid_all[entries["_project"].to_numpy()],
            "worked_on": _dates(entries["_day"].to_numpy()),
            "hours": entries["hours"].to_numpy(),
            "billable": np.where(entries["billable"].to_numpy(), "true", "false"),
            "amount": entries["amount"].to_numpy(),
            "person": w.staff.first[entries["_person"].to_numpy()]
            + " "
            + w.staff.last[entries["_person"].to_numpy()],
            "role": entries["role"].to_numpy(),
            "invoice_id": linked,
        }
    )

    inv_client = invoices["client"].to_numpy()
    spans = invoices["kind"].to_numpy() == INV_ADVANCE
    invoices_df = pd.DataFrame(
        {
            "invoice_id": invoices["invoice_id"].to_numpy(),
            "client_id": client_id[inv_client],
            "project_id": pid_all[invoices["project"].to_numpy()],
            "issued_at": _dates(invoices["issue"].to_numpy()),
            "due_at": _dates(invoices["due"].to_numpy()),
            "amount": invoices["amount"].to_numpy(),
            "paid_at": _dates(invoices["paid"].to_numpy()),
            "disputed_at": _dates(invoices["disp_day"].to_numpy()),
            "line_items": invoices["line_items"].to_numpy(),
            "period_start": _dates(invoices["period_start"].to_numpy()),
            "period_end": _dates(
                np.where(
                    spans,
                    invoices["period_end"].to_numpy(),
                    np.minimum(invoices["period_end"].to_numpy(), invoices["issue"].to_numpy()),
                )
            ),
        }
    )

    progress = _progress(rng, w, project_ok)
    progress_df = pd.DataFrame(
        {
            "project_id": pid_all[progress["_project"].to_numpy()],
            "reported_at": progress["reported_at"].to_numpy(),
            "percent_complete": progress["percent_complete"].to_numpy(),
            "milestone": progress["milestone"].to_numpy(),
        }
    )

    messages = _messages(rng, w, invoices)
    mid = rng.integers(0, 2**63, size=(len(messages), 2), dtype=np.int64)
    message_id = [f"{a:016x}{b:016x}" for a, b in mid]
    message_id = [f"{s[:8]}-{s[8:12]}-4{s[13:16]}-a{s[17:20]}-{s[20:32]}" for s in message_id]
    proj_col = messages["_project"].to_numpy()
    messages_df = pd.DataFrame(
        {
            "message_id": message_id,
            "client_id": client_id[messages["_client"].to_numpy()],
            "project_id": np.where(proj_col >= 0, pid_all[np.maximum(proj_col, 0)], ""),
            "sent_at": messages["sent_at"].to_numpy(),
            "channel": messages["channel"].to_numpy(),
            "direction": messages["direction"].to_numpy(),
            "text": messages["text"].to_numpy(),
            "author": messages["author"].to_numpy(),
            "score": messages["score"],
        }
    )

    gone = np.flatnonzero(w.churn_day <= cal.last)
    churn_df = pd.DataFrame(
        {
            "client_id": client_id[gone],
            "churned_at": _dates(w.churn_day[gone]),
            "reason": w.churn_reason[gone],
        }
    )

    write_bundle(
        {
            "clients": clients_df,
            "projects": projects_df,
            "progress": progress_df,
            "time_entries": time_df,
            "invoices": invoices_df,
            "messages": messages_df,
            "churn": churn_df,
        },
        out,
    )
    return w


def risk_oracle(out: Path, clients: int = 1000, months: int = 24, seed: int = 0) -> pd.DataFrame:
    """Write the same bundle as :func:`make_bundle` into ``out`` and return the firm's own
    risk of every client on every day it exists in the export (``tests.bench.firms``).

    Each value uses the simulation's own state on that day and none of the draws
    that decide whether and when an event happens after it. The simulation runs
    in months: a month's state (latent variables, shocks, the work done and what
    it will be billed) counts as known from the month's first day; the client
    terms of the odds of an invoice a later month issues are taken from the month
    before. Invoices keep the issue day they would have had without a notice.
    ``dispute_risk`` runs over every invoice issued or due soon with the
    generator's own dispute probability and delay distribution; ``churn_risk``
    holds the monthly hazard in force on ``day`` (fixed at the start of the month)
    for the months after, with the rule on tenure applied month by month.
    """
    rec: dict[str, list] = {"p_churn": [], "invoices": []}
    w = _write_bundle(out, clients, months, seed, rec)
    cal, cl = w.cal, w.clients
    rows = ClientDays.between(np.maximum(cl.since, cal.first), np.minimum(w.churn_day, cal.last))

    # Disputes: F(k) = P(disputed and delay <= k) = 0.004 admin(k) + caused * quality(k):
    # an invoice's weights of the two delay tables (tables[:, k + 1]; column 0 for k < 0),
    # by the month's state, or by the month before's on days before its month begins.
    inv = concat_records(rec["invoices"])
    max_lag = 28
    k = np.arange(-1, max_lag + 1)
    tables = np.stack([np.clip(k, 0, 8) / 8, np.clip(k - 2, 0, 26) / 26])
    admin = np.full(len(inv["z"]), 0.004)
    weights = np.stack([admin, np.minimum(sigmoid(inv["z"]), 0.996)], axis=1)
    weights_fc = np.stack([admin, np.minimum(sigmoid(inv["z_fc"]), 0.996)], axis=1)
    known_from = w.cal.month_start[inv["step"]]

    def odds(i: np.ndarray, day: np.ndarray, lag: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        wt = np.where((day < known_from[i])[:, None], weights_fc[i], weights[i])
        by_now = (wt * tables[:, np.clip(lag + 1, 0, max_lag + 1)].T).sum(axis=1)
        by_end = (wt * tables[:, np.clip(lag + DISPUTE_DAYS + 1, 0, max_lag + 1)].T).sum(axis=1)
        return by_now, by_end

    dispute = dispute_risk(
        rows, inv["client"], inv["issue"], inv["disp_day"], w.churn_day, odds, max_lag
    )

    # Churn: the month's hazard, held; notice day uniform in the month; only clients
    # of more than 45 days at a month's start give notice in it.
    hazard = np.stack(rec["p_churn"], axis=1)
    month_start = month_starts(START, months + 8)
    month = np.searchsorted(month_start, rows.day, side="right") - 1
    since = cl.since[rows.client]
    churn = held_hazard_churn(
        hazard[rows.client, np.minimum(month, months - 1)],
        rows.day,
        month,
        month_start,
        lambda m: since < month_start[m] - 45,
    )
    client_id = np.array([f"{100000 + i:010d}" for i in range(cl.n)], dtype=object)
    return oracle_frame(client_id, rows, w.churn_day, dispute, churn)


if __name__ == "__main__":
    main(make_bundle, __doc__)
