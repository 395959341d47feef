"""A one-screen summary of a loaded bundle, and its event-date range."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from features.bundle.contract import FILES
from features.bundle.load import Bundle

#: The dated events of a bundle (work, report, invoice, payment, dispute,
#: message, churn). Planned dates such as a project's end_date are not events.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("time_entries", "worked_on"),
    ("progress", "reported_at"),
    ("invoices", "issued_at"),
    ("invoices", "paid_at"),
    ("invoices", "disputed_at"),
    ("messages", "sent_at"),
    ("churn", "churned_at"),
)


def event_dates(bundle: Bundle) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last event date of the bundle (UTC days), or ``None`` when it has no events."""
    firsts, lasts = [], []
    for name, column in EVENT_COLUMNS:
        values = bundle.frame(name)[column].dropna()
        if values.empty:
            continue
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert(None)
        firsts.append(values.min().normalize())
        lasts.append(values.max().normalize())
    if not lasts:
        return None, None
    return min(firsts), max(lasts)


@dataclass(frozen=True)
class BundleSummary:
    """What a bundle holds, for a person checking an export."""

    clients: int
    churned_clients: int
    projects: int
    first_event: pd.Timestamp | None
    last_event: pd.Timestamp | None
    rows: dict[str, int]
    files: dict[str, str]
    languages: dict[str, int]
    billing_models: dict[str, int]

    def lines(self) -> list[str]:
        def span() -> str:
            if self.first_event is None or self.last_event is None:
                return "no dated events"
            return f"{self.first_event:%Y-%m-%d} to {self.last_event:%Y-%m-%d}"

        def counts(values: dict[str, int]) -> str:
            return ", ".join(f"{k} {v:,}" for k, v in values.items()) or "none given"

        out = [
            f"clients   {self.clients:,} ({self.churned_clients:,} churned)",
            f"projects  {self.projects:,} ({counts(self.billing_models)})",
            f"events    {span()}",
            f"languages {counts(self.languages)}",
            "files:",
        ]
        for name, count in self.rows.items():
            source = self.files.get(name) or "absent"
            state = ""
            if not count:
                state = "  (no rows: this source is missing)" if FILES[name].source else ""
            out.append(f"  {name:<13} {count:>10,} rows  {source}{state}")
        return out


def summarize(bundle: Bundle) -> BundleSummary:
    """Count what ``bundle`` holds."""
    first, last = event_dates(bundle)

    def counts(series: pd.Series) -> dict[str, int]:
        return {str(k): int(v) for k, v in series.dropna().value_counts().items()}

    return BundleSummary(
        clients=len(bundle.clients),
        churned_clients=int(bundle.churn["client_id"].nunique()),
        projects=len(bundle.projects),
        first_event=first,
        last_event=last,
        rows={name: len(frame) for name, frame in bundle.frames()},
        files={name: bundle.files.get(name, "") for name, _ in bundle.frames()},
        languages=counts(bundle.clients["language"]),
        billing_models=counts(bundle.projects["billing_model"]),
    )
