"""The relationship: how long, how much work runs and is coming, and what the client says
about its future.

Clients of a services firm mostly leave when the work runs out: the last project
nears its planned end with nothing new signed, the hours logged fall away, and
the client talks of budgets, reorganisations or other providers. These features
read those signs; tenure and a new face at the client complete the picture.
"""

from __future__ import annotations

import numpy as np

from features.snapshot import Snapshot
from features.windows import Events, day_numbers

SOURCES = ("clients",)
_MESSAGES = ("messages",)
REQUIRES = {
    "active_projects": ("projects",),
    "budget_open": ("projects",),
    "runway_days": ("projects",),
    "days_since_project_start": ("projects",),
    "work_hours_ratio": ("projects", "time_entries"),
    "days_since_work": ("projects", "time_entries"),
    "work_hours_ratio_90d": ("projects", "time_entries"),
    "relationship_doubts_90d": _MESSAGES,
    "days_since_relationship_doubt": _MESSAGES,
    "new_contact_30d": ("messages", "messages.author"),
}
FEATURES = {
    "tenure_days": "days since the relationship started (days)",
    "active_projects": "projects started and not yet closed (count)",
    "budget_open": "budget of projects started and not yet closed (money)",
    "runway_days": "days from as-of to the latest planned end of a running project (days; "
    "negative when every running project is past its planned end, empty if none runs)",
    "days_since_project_start": "days since the client's latest project started (days; empty "
    "if none yet)",
    "work_hours_ratio": "hours logged for the client in the last 30 days over the monthly mean "
    "of the 90 days before (ratio; 1 = as usual, empty if none then)",
    "work_hours_ratio_90d": "hours logged for the client in the last 90 days over the mean per "
    "90 days of the 270 days before (ratio; 1 = as usual, empty if none then)",
    "days_since_work": "days since the latest time entry on the client's projects (days; empty "
    "if none yet)",
    "relationship_doubts_90d": "client messages that put the engagement's future in doubt "
    "(budget cuts, reorganisation, vendor review, in-house, pausing or ending), last 90 days "
    "(count)",
    "days_since_relationship_doubt": "days since the client's latest such message (days; empty "
    "if none ever)",
    "new_contact_30d": "1 if someone at the client wrote for the first time in the last 30 "
    "days, after earlier messages from others (0/1)",
}


def compute(s: Snapshot) -> dict[str, np.ndarray]:
    c, t = s.client, s.day
    bundle = s.bundle
    since = day_numbers(bundle.clients["client_since"])
    projects = bundle.projects
    client = s.code(projects["client_id"])
    budget = projects["budget"].to_numpy(np.float64)
    started = Events(client, day_numbers(projects["start_date"]), {"budget": budget})
    closed = day_numbers(projects["closed_at"])
    done = closed > -(10**8)
    ended = Events(client[done], closed[done], {"budget": budget[done]})
    work = _work_days(s, client)
    hours_30 = work.total("hours", c, t, 30)
    hours_before = work.total("hours", c, t - 30, 90) / 3
    doubts = s.message_events(s.messages["relationship_doubt"].to_numpy(bool))
    with np.errstate(invalid="ignore", divide="ignore"):
        hours_ratio = np.where(hours_before > 0, hours_30 / hours_before, np.nan)
        hours_90 = work.total("hours", c, t, 90)
        quarters_before = work.total("hours", c, t - 90, 270) / 3
        hours_ratio_90 = np.where(quarters_before > 0, hours_90 / quarters_before, np.nan)
    out = {
        "tenure_days": (t - since[c]).astype(np.float64),
        "active_projects": (started.count(c, t) - ended.count(c, t)).astype(np.float64),
        "budget_open": np.round(started.total("budget", c, t) - ended.total("budget", c, t), 2),
        "runway_days": _runway(s),
        "days_since_project_start": started.days_since_last(c, t).astype(np.float64),
        "work_hours_ratio": hours_ratio,
        "work_hours_ratio_90d": hours_ratio_90,
        "days_since_work": work.days_since_last(c, t).astype(np.float64),
        "relationship_doubts_90d": doubts.count(c, t, 90).astype(np.float64),
        "days_since_relationship_doubt": doubts.days_since_last(c, t).astype(np.float64),
        "new_contact_30d": _new_contacts(s).count(c, t, 30).clip(0, 1).astype(np.float64),
    }
    return out


def _runway(s: Snapshot) -> np.ndarray:
    """Per grid row: the latest planned end over running projects, minus as-of."""
    project, day, row = s.running_projects
    planned_end = day_numbers(s.bundle.projects["end_date"])[project]
    out = np.full(s.client.size, np.nan)
    np.fmax.at(out, row, (planned_end - day).astype(np.float64))
    return out


def _work_days(s: Snapshot, client_of_project: np.ndarray) -> Events:
    """Hours logged per client and day (all entries, billable or not: both are work
    the client asked for). Summed by day first, on a dense (client, day) grid where
    that fits: ten million entries become a few hundred thousand days, already in
    order, without a sort."""
    entries = s.bundle.time_entries
    project = s.entry_project
    known = project >= 0
    client = client_of_project[project[known]]
    day = day_numbers(entries["worked_on"])[known]
    hours = entries["hours"].to_numpy(np.float64)[known]
    kept = (client >= 0) & (day > -(10**9))
    client, day, hours = client[kept], day[kept], hours[kept]
    if not client.size:
        return Events(client, day, {"hours": hours})
    first = int(day.min())
    span = int(day.max()) - first + 1
    cells = client.astype(np.int64) * span + (day - first)
    if len(s.bundle.clients) * span <= _DENSE_CELLS:
        size = len(s.bundle.clients) * span
        worked = np.flatnonzero(np.bincount(cells, minlength=size))
        total = np.bincount(cells, weights=hours, minlength=size)[worked]
    else:
        worked, inverse = np.unique(cells, return_inverse=True)
        total = np.bincount(inverse, weights=hours)
    return Events(worked // span, worked % span + first, {"hours": total})


#: Most (client, day) cells summed densely (two arrays of 8 bytes a cell: 320 MB);
#: beyond, a sort of the entries (slower, and memory by entries, not cells).
_DENSE_CELLS = 20_000_000


def _new_contacts(s: Snapshot) -> Events:
    """The day each author first wrote, for authors who were not among the client's first."""
    m = s.messages
    inbound = m[m["inbound"] & m["author"].notna()]
    first_seen = inbound.groupby(["client", "author"], observed=True)["day"].min().reset_index()
    client_first = first_seen.groupby("client")["day"].transform("min")
    newcomer = first_seen[first_seen["day"] > client_first]
    return Events(newcomer["client"].to_numpy(np.int64), newcomer["day"].to_numpy(np.int64))
