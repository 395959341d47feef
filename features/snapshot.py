"""The (client, as-of) grid every feature family fills, and the shared event indexes.

A row exists for a client at as-of ``t`` when the client exists
(``client_since <= t``) and has not churned (``churned_at > t`` or never).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from features.bundle import Bundle
from features.sentiment import sentiment_label
from features.windows import Events, day_numbers


@dataclass
class Snapshot:
    """Everything a feature family needs: the grid and the bundle's events by client.

    ``client`` holds integer client codes (positions in ``bundle.clients``) and
    ``day`` the as-of day numbers, one entry per grid row.
    """

    bundle: Bundle
    client: np.ndarray
    day: np.ndarray
    messages: pd.DataFrame = field(repr=False)  # bundle.messages + language, polarity, question

    @classmethod
    def build(cls, bundle: Bundle, as_of: pd.DatetimeIndex, messages: pd.DataFrame) -> Snapshot:
        clients = bundle.clients
        since = day_numbers(clients["client_since"])
        churned = pd.Series(
            day_numbers(bundle.churn["churned_at"]), index=bundle.churn["client_id"].to_numpy()
        )
        churned = churned.groupby(level=0).min()
        churn_day = churned.reindex(clients["client_id"].to_numpy()).fillna(10**9).to_numpy()
        days = day_numbers(as_of)
        client = np.repeat(np.arange(len(clients)), days.size)
        day = np.tile(days, len(clients))
        alive = (since[client] <= day) & (churn_day[client].astype(np.int64) > day)
        return cls(bundle=bundle, client=client[alive], day=day[alive], messages=messages)

    @cached_property
    def client_codes(self) -> pd.Series:
        """client_id -> integer code."""
        ids = self.bundle.clients["client_id"]
        return pd.Series(np.arange(len(ids)), index=ids.to_numpy())

    def code(self, client_ids: pd.Series) -> np.ndarray:
        """Integer codes of ``client_ids``; -1 for an id not in clients (never after validation)."""
        return client_ids.map(self.client_codes).fillna(-1).to_numpy(np.int64)

    @cached_property
    def project_codes(self) -> pd.Series:
        ids = self.bundle.projects["project_id"]
        return pd.Series(np.arange(len(ids)), index=ids.to_numpy())

    def project_code(self, project_ids: pd.Series) -> np.ndarray:
        return project_ids.map(self.project_codes).fillna(-1).to_numpy(np.int64)

    @cached_property
    def inbound(self) -> Events:
        """Inbound messages (all channels) with polarity and billing-question flags."""
        m = self.messages[self.messages["direction"] == "inbound"]
        return Events(
            self.code(m["client_id"]),
            day_numbers(m["sent_at"]),
            {
                "billing_question": m["billing_question"].to_numpy(np.float64),
            },
        )

    @cached_property
    def outbound(self) -> Events:
        m = self.messages[self.messages["direction"] == "outbound"]
        return Events(self.code(m["client_id"]), day_numbers(m["sent_at"]))

    @cached_property
    def scored_inbound(self) -> Events:
        """Inbound messages that have a text, so a polarity (window min/max need no gaps)."""
        m = self.messages[
            (self.messages["direction"] == "inbound") & self.messages["polarity"].notna()
        ]
        negative = sentiment_label(m["polarity"].to_numpy(), m["language"].to_numpy())
        return Events(
            self.code(m["client_id"]),
            day_numbers(m["sent_at"]),
            {
                "polarity": m["polarity"].to_numpy(),
                "negative": (negative == "negative").astype(np.float64),
            },
        )
