"""The relationship: how long, how much running work, and a new face at the client."""

from __future__ import annotations

import numpy as np

from features.snapshot import Snapshot
from features.windows import Events, day_numbers

SOURCES = ("clients",)
REQUIRES = {
    "active_projects": ("projects",),
    "budget_open": ("projects",),
    "new_contact_30d": ("messages", "messages.author"),
}
FEATURES = {
    "tenure_days": "days since the relationship started (days)",
    "active_projects": "projects started and not yet closed (count)",
    "budget_open": "budget of projects started and not yet closed (money)",
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
    out = {
        "tenure_days": (t - since[c]).astype(np.float64),
        "active_projects": (started.count(c, t) - ended.count(c, t)).astype(np.float64),
        "budget_open": np.round(started.total("budget", c, t) - ended.total("budget", c, t), 2),
        "new_contact_30d": _new_contacts(s).count(c, t, 30).clip(0, 1).astype(np.float64),
    }
    return out


def _new_contacts(s: Snapshot) -> Events:
    """The day each author first wrote, for authors who were not among the client's first."""
    m = s.messages
    inbound = m[m["inbound"] & m["author"].notna()]
    first_seen = inbound.groupby(["client", "author"], observed=True)["day"].min().reset_index()
    client_first = first_seen.groupby("client")["day"].transform("min")
    newcomer = first_seen[first_seen["day"] > client_first]
    return Events(newcomer["client"].to_numpy(np.int64), newcomer["day"].to_numpy(np.int64))
