"""The firm's clients, its project managers and its projects, with their true progress."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.simulation.texts import wording
from features.simulation.timeline import Timeline

# Billing models, coded by their position here.
BILLING_MODELS = ("fixed_fee", "time_and_materials", "retainer")
FIXED_FEE, TIME_AND_MATERIALS, RETAINER = range(len(BILLING_MODELS))
#: The largest team a project has.
MAX_TEAM = 5
# Project slots per client: later slots start after earlier projects, and those
# starting after the end are dropped.
_SLOTS = 8


@dataclass(frozen=True)
class Clients:
    """One entry per client, by position."""

    #: ``en`` or ``de``: the language the client writes in.
    language: np.ndarray
    #: Day the relationship began; negative for clients from before the start.
    since_day: np.ndarray
    #: The first week the client is a client.
    first_week: np.ndarray
    #: The level its relationship health returns to.
    mean_health: np.ndarray
    #: Inbound messages per active week.
    rhythm: np.ndarray
    #: Days an invoice is due after issue.
    payment_terms: np.ndarray
    #: Scale of its budgets, on a log scale.
    size: np.ndarray
    #: Its account lead's number.
    lead: np.ndarray
    names: list[str]
    n_leads: int

    @property
    def count(self) -> int:
        return int(self.language.size)


@dataclass(frozen=True)
class ProjectManagers:
    """One entry per PM, by number."""

    #: Share of the billed-minus-delivered gap the PM's progress reports hide.
    optimism: np.ndarray
    #: Chance the PM skips a weekly progress report.
    skips: np.ndarray
    #: Chance the PM answers a billing question within three working days.
    answers: np.ndarray

    @property
    def count(self) -> int:
        return int(self.optimism.size)


@dataclass(frozen=True)
class Projects:
    """One entry per project, by position; grids are projects x weeks."""

    client: np.ndarray
    start_week: np.ndarray
    planned_weeks: np.ndarray
    #: Position in :data:`BILLING_MODELS`.
    billing_model: np.ndarray
    pm: np.ndarray
    budget: np.ndarray
    team_size: np.ndarray
    #: Position in the deliverables word table.
    deliverable: np.ndarray
    #: Share of the work truly delivered, per week.
    true_progress: np.ndarray
    #: The week after the last active week.
    end_week: np.ndarray
    #: The project runs this week.
    active: np.ndarray
    #: Per client: its first project (every client has one).
    first_of_client: np.ndarray

    @property
    def count(self) -> int:
        return int(self.client.size)

    @property
    def start_day(self) -> np.ndarray:
        return np.asarray(self.start_week * 7)

    def end_day(self, timeline: Timeline) -> np.ndarray:
        """The day after the last active day (projects never done end long after the end)."""
        return np.asarray(np.minimum(self.end_week * 7, timeline.n_days + 10**6))

    @property
    def main_pm(self) -> np.ndarray:
        """Per client: the PM of its first project, who answers its messages."""
        return np.asarray(self.pm[self.first_of_client])


def draw_clients(rng: np.random.Generator, n: int, timeline: Timeline) -> Clients:
    """``n`` clients: seven in ten were clients before the start, the rest join later."""
    language = np.where(rng.random(n) < 0.4, "de", "en")
    existing = rng.random(n) < 0.7
    since_day = np.where(
        existing,
        -rng.integers(30, 5 * 365, n),
        rng.integers(0, max(int(timeline.n_days * 0.8), 1), n),
    )
    mean_health = rng.normal(0.35, 0.45, n)
    rhythm = np.exp(rng.normal(np.log(0.8), 0.8, n))
    payment_terms = rng.choice([14, 30, 30, 45], n)
    size = rng.normal(0.0, 0.7, n)
    n_leads = max(2, n // 40)
    lead = rng.integers(0, n_leads, n)
    return Clients(
        language=language,
        since_day=since_day,
        first_week=np.maximum(since_day, 0) // 7,
        mean_health=mean_health,
        rhythm=rhythm,
        payment_terms=payment_terms,
        size=size,
        lead=lead,
        names=_company_names(rng, language),
        n_leads=n_leads,
    )


def _company_names(rng: np.random.Generator, language: np.ndarray) -> list[str]:
    """ "<word> <sector> <legal form>", the legal form in the client's language."""
    words = wording()
    n = language.size
    company_words = np.array(words.company_words)
    sectors = np.array(words.company_sectors)
    forms = words.legal_forms
    return [
        f"{a} {b} {k}"
        for a, b, k in zip(
            company_words[rng.integers(0, len(company_words), n)],
            sectors[rng.integers(0, len(sectors), n)],
            [
                forms[str(lg)][i]
                for lg, i in zip(language, rng.integers(0, len(forms["en"]), n), strict=True)
            ],
            strict=True,
        )
    ]


def draw_project_managers(rng: np.random.Generator, n_clients: int) -> ProjectManagers:
    """One PM per 15 clients: a third of them optimistic, each with own habits."""
    n_pm = max(3, n_clients // 15)
    return ProjectManagers(
        optimism=np.where(rng.random(n_pm) < 0.33, rng.uniform(0.3, 0.8, n_pm), 0.0),
        skips=rng.uniform(0.02, 0.35, n_pm),
        answers=rng.uniform(0.45, 0.95, n_pm),
    )


def draw_projects(
    rng: np.random.Generator, clients: Clients, managers: ProjectManagers, timeline: Timeline
) -> Projects:
    """Projects one after another per client, and how fast each truly delivers."""
    n, n_weeks = clients.count, timeline.n_weeks
    model_draw = rng.choice(len(BILLING_MODELS), (n, _SLOTS), p=[0.4, 0.4, 0.2])
    duration = np.where(
        model_draw == FIXED_FEE,
        rng.integers(8, 40, (n, _SLOTS)),
        np.where(
            model_draw == TIME_AND_MATERIALS,
            rng.integers(12, 52, (n, _SLOTS)),
            rng.integers(26, 53, (n, _SLOTS)),
        ),
    )
    gaps = (duration * rng.uniform(0.35, 1.0, (n, _SLOTS))).astype(int)
    start_week = (
        clients.first_week[:, None]
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
    p_pm = rng.integers(0, managers.count, n_proj)
    # One project in five is troubled and delivers at 45-80 % of the planned pace.
    troubled = rng.random(n_proj) < 0.2
    efficiency = np.exp(rng.normal(0.0, 0.12, n_proj)) * np.where(
        troubled, rng.uniform(0.45, 0.8, n_proj), 1.0
    )
    p_budget = (
        np.round(
            np.exp(10.6 + clients.size[p_client] + rng.normal(0, 0.4, n_proj)) * p_dur / 26, -2
        )
        + 1000
    )
    p_team = np.minimum(1 + rng.poisson(1.3, n_proj), MAX_TEAM)
    p_deliverable = rng.integers(0, len(wording().deliverables["en"]), n_proj)

    # True progress is the running sum of a noisy weekly pace; a project ends when
    # done (or overdue by 60 %), a retainer when its term is over.
    w = timeline.week
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
        p_model == RETAINER,
        p_start + p_dur,
        np.minimum(done_week, p_start + np.ceil(1.6 * p_dur).astype(int)),
    )
    first_of_client = np.zeros(n, dtype=np.int64)
    has_any, first_index = np.unique(p_client, return_index=True)
    first_of_client[has_any] = first_index
    return Projects(
        client=p_client,
        start_week=p_start,
        planned_weeks=p_dur,
        billing_model=p_model,
        pm=p_pm,
        budget=p_budget,
        team_size=p_team,
        deliverable=p_deliverable,
        true_progress=true_progress,
        end_week=p_end,
        active=(since_start >= 0) & (w[None, :] < p_end[:, None]),
        first_of_client=first_of_client,
    )
