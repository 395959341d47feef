"""The (client, as-of) grid every feature family fills, and the shared event indexes.

A row exists for a client at as-of ``t`` when the client exists
(``client_since <= t``) and has not churned (``churned_at > t`` or never).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from features.bundle.load import Bundle
from features.text.sentiment import sentiment_label
from features.windows import Events, codes_of, day_numbers


@dataclass
class Snapshot:
    """Everything a feature family needs: the grid and the bundle's events by client.

    ``client`` holds integer client codes (positions in ``bundle.clients``) and
    ``day`` the as-of day numbers, one entry per grid row. ``messages`` is a slim,
    numeric view of the messages (no texts), one row per message in bundle order:
    ``client``, ``day``, ``second`` (UTC), ``inbound``, ``survey``, ``meeting``, ``score``,
    ``author``, ``language``, ``polarity``, ``billing_question`` and
    ``relationship_doubt``.
    """

    bundle: Bundle
    client: np.ndarray
    day: np.ndarray
    messages: pd.DataFrame = field(repr=False)

    @classmethod
    def build(
        cls,
        bundle: Bundle,
        as_of: pd.DatetimeIndex,
        scores: pd.DataFrame,
        rows: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> Snapshot:
        """The grid at ``as_of`` with the messages' ``scores`` (see message_scores); with
        ``rows`` (client codes and day numbers, unique pairs), only those rows of it
        (``as_of`` is then not used)."""
        clients = bundle.clients
        since = day_numbers(clients["client_since"])
        churn_day = np.full(len(clients), 10**9, dtype=np.int64)
        churned = codes_of(bundle.churn["client_id"], clients["client_id"])
        known = churned >= 0
        np.minimum.at(churn_day, churned[known], day_numbers(bundle.churn["churned_at"])[known])
        if rows is None:
            days = day_numbers(as_of)
            client = np.repeat(np.arange(len(clients)), days.size)
            day = np.tile(days, len(clients))
        else:
            client, day = rows
        alive = (since[client] <= day) & (churn_day[client] > day)
        m = bundle.messages
        sent = m["sent_at"].dt.tz_convert(None)
        messages = pd.DataFrame(
            {
                "client": codes_of(m["client_id"], clients["client_id"]),
                "day": day_numbers(sent),
                "second": sent.to_numpy("datetime64[s]").astype(np.int64),
                "inbound": (m["direction"] == "inbound").to_numpy(bool),
                "survey": (m["channel"] == "survey").to_numpy(bool),
                "meeting": m["channel"].isin(["call", "meeting"]).to_numpy(bool),
                "score": m["score"].to_numpy(np.float64),
                "author": m["author"].to_numpy(),
                "language": scores["language"].to_numpy(),
                "polarity": scores["polarity"].to_numpy(np.float64),
                "billing_question": scores["billing_question"].to_numpy(bool),
                "relationship_doubt": scores["relationship_doubt"].to_numpy(bool),
            }
        )
        return cls(bundle=bundle, client=client[alive], day=day[alive], messages=messages)

    def code(self, client_ids: pd.Series) -> np.ndarray:
        """Integer codes (positions in clients) of ``client_ids``; -1 for an unknown id."""
        return codes_of(client_ids, self.bundle.clients["client_id"])

    def project_code(self, project_ids: pd.Series) -> np.ndarray:
        """Integer codes (positions in projects) of ``project_ids``; -1 for none or unknown."""
        return codes_of(project_ids, self.bundle.projects["project_id"])

    def message_events(self, mask: np.ndarray, values: tuple[str, ...] = ()) -> Events:
        """Messages where ``mask`` holds, as events, with the named columns as values."""
        m = self.messages[mask]
        return Events(
            m["client"].to_numpy(),
            m["day"].to_numpy(),
            {name: m[name].to_numpy() for name in ("second", *values)},
            second=m["second"].to_numpy(),
        )

    @cached_property
    def entry_project(self) -> np.ndarray:
        """Project code of every time entry (-1 where unknown); shared, since mapping
        ten million string ids costs a quarter of a second each time."""
        return self.project_code(self.bundle.time_entries["project_id"])

    @cached_property
    def running_projects(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (project, as-of) where the project runs (started, not yet closed), as
        three arrays: the project's position, the as-of day and the grid row of its
        client at that day."""
        projects = self.bundle.projects
        as_of_days = np.unique(self.day)
        start = day_numbers(projects["start_date"])
        closed = day_numbers(projects["closed_at"])
        closed = np.where(closed < -(10**8), 10**9, closed)
        project = np.repeat(np.arange(len(projects)), as_of_days.size)
        date_index = np.tile(np.arange(as_of_days.size), len(projects))
        day = as_of_days[date_index]
        running = (start[project] <= day) & (closed[project] > day)
        # Grid row of each (client, as-of): a dense table, since both are small integers.
        row_of = np.full((len(self.bundle.clients), as_of_days.size), -1, dtype=np.int64)
        row_of[self.client, np.searchsorted(as_of_days, self.day)] = np.arange(self.client.size)
        client = self.code(projects["client_id"])
        known = running & (client[project] >= 0)
        row = np.where(known, row_of[np.maximum(client[project], 0), date_index], -1)
        kept = row >= 0
        return project[kept], day[kept], row[kept]

    @cached_property
    def inbound(self) -> Events:
        """Inbound messages (all channels) with billing-question flags."""
        return self.message_events(self.messages["inbound"].to_numpy(), ("billing_question",))

    @cached_property
    def outbound(self) -> Events:
        return self.message_events(~self.messages["inbound"].to_numpy())

    @cached_property
    def scored_inbound(self) -> Events:
        """Inbound messages that have a text, so a polarity (window min/max need no gaps)."""
        m = self.messages
        scored = m[m["inbound"] & m["polarity"].notna()]
        negative = sentiment_label(scored["polarity"].to_numpy(), scored["language"].to_numpy())
        return Events(
            scored["client"].to_numpy(),
            scored["day"].to_numpy(),
            {
                "polarity": scored["polarity"].to_numpy(),
                "negative": (negative == "negative").astype(np.float64),
            },
            second=scored["second"].to_numpy(),
        )
