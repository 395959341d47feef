"""The API's request and response models: the OpenAPI document is the contract."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Risk = Literal["dispute", "churn"]
Level = Literal["high", "elevated"]
Trend = Literal["new", "rising", "steady", "falling", "cleared"]
Verdict = Literal["valid", "false_alarm", "premature"]


class Problem(BaseModel):
    """Where a request went wrong, and why."""

    loc: list[str | int] = Field(
        description="The field: ['body', 'rows', 3, 'amount'], ['query', 'page'], ..."
    )
    msg: str
    type: str = "value_error"


class ErrorResponse(BaseModel):
    detail: list[Problem]


class Reason(BaseModel):
    text: str = Field(
        description="A sentence with the numbers behind it, in the client's language."
    )
    feature: str = Field(description="The strongest feature of the reason's group.")
    value: float | None = Field(description="That feature's value.")
    contribution: float = Field(
        description="Added probability (baseline Shapley, summed over the group)."
    )


class FlagOut(BaseModel):
    flag_id: str
    client_id: str
    client_name: str | None
    risk: Risk
    status: Literal["open", "cleared"]
    level: Level | None
    probability: float
    trend: Trend
    reasons: list[Reason]
    next_step: str
    opened_on: date
    acknowledged_by: str | None
    snoozed_until: date | None


class FlagPage(BaseModel):
    items: list[FlagOut]
    total: int
    page: int
    per_page: int


class ScoreOut(BaseModel):
    risk: Risk
    probability: float
    level: Level | None
    as_of: date
    model_version: str
    reasons: list[Reason]


class HistoryPoint(BaseModel):
    as_of: date
    risk: Risk
    probability: float
    level: Level | None


class Signal(BaseModel):
    feature: str
    value: float | None
    description: str


class ClientOut(BaseModel):
    client_id: str
    name: str | None
    language: str
    account_lead: str
    industry: str | None
    client_since: date
    scores: list[ScoreOut]
    flags: list[FlagOut]
    history: list[HistoryPoint]
    signals_as_of: date | None
    signals: list[Signal]


class MessageOut(BaseModel):
    message_id: str
    sent_at: datetime
    direction: Literal["inbound", "outbound"]
    channel: str
    author: str | None
    text: str | None
    scored: bool = Field(
        description="Whether a score run has read this message yet; one that arrived since "
        "the last run shows without polarity, question and doubt (null) until the next."
    )
    polarity: float | None = Field(
        description="-1..1; null for a message without text or not yet scored."
    )
    billing_question: bool | None = Field(description="Null while the message is not scored.")
    relationship_doubt: bool | None = Field(
        description="The client writes of budget cuts, changes at the client, other providers, "
        "pausing or ending the work. Null while the message is not scored."
    )


class InvoiceOut(BaseModel):
    invoice_id: str
    project_id: str | None
    issued_at: date
    due_at: date
    amount: float
    paid_at: date | None
    disputed_at: date | None
    dispute_risk_at_issue: float | None = Field(
        description="What the invoice model said the day before it was issued: P(disputed "
        "within 60 days), stored by the score run (null: not scored)."
    )


class SpendPoint(BaseModel):
    week: date
    billed: float = Field(description="Invoiced to date.")
    delivered: float = Field(description="Latest reported percent complete x budget, summed.")
    budget: float = Field(description="Budget of the projects started.")


class PageLinks(BaseModel):
    next: str | None = Field(description="The older page (None when nothing is older).")


class Timeline(BaseModel):
    client_id: str
    messages: list[MessageOut]
    invoices: list[InvoiceOut]
    spend: list[SpendPoint]
    since: datetime = Field(description="The page's first instant (included).")
    before: datetime = Field(description="The page's end (not included).")
    links: PageLinks


class WorkLine(BaseModel):
    week: date
    person: str
    role: str | None
    hours: float
    amount: float


class ProgressPoint(BaseModel):
    reported_at: date
    percent_complete: float


class ProjectPosition(BaseModel):
    budget: float | None
    billed_to_date: float | None
    delivered_percent: float | None
    delivered_value: float | None


class InvoiceExplanation(BaseModel):
    invoice_id: str
    client_id: str
    project_id: str | None
    amount: float
    issued_at: date
    period_start: date | None
    period_end: date | None
    basis: str = Field(description="Which time entries the work lines come from.")
    hours: float
    work: list[WorkLine]
    progress: list[ProgressPoint]
    project: ProjectPosition
    language: Literal["en", "de"]
    text: str = Field(description="A short explanation the PM can send the client.")


class InvoiceDraft(BaseModel):
    """An invoice about to be sent."""

    model_config = ConfigDict(extra="forbid")
    client_id: str = Field(min_length=1, max_length=200)
    amount: float = Field(gt=0, description="The amount, in the firm's currency.")
    project_id: str | None = Field(default=None, min_length=1, max_length=200)
    issued_at: date | None = Field(default=None, description="Default: today (UTC).")
    due_at: date | None = Field(default=None, description="Default: the client's usual terms.")
    line_items: int | None = Field(default=None, ge=1, le=100_000)
    period_start: date | None = Field(default=None, description="The work period it bills.")
    period_end: date | None = None


class CheckedDraft(BaseModel):
    """The draft as checked: its defaults filled in."""

    client_id: str
    amount: float
    issued_at: date
    project_id: str | None
    due_at: date
    line_items: int | None
    period_start: date | None
    period_end: date | None


class CheckReason(Reason):
    direction: Literal["raises", "lowers"] = Field(
        description="Whether the fact raises the risk above a typical invoice's or lowers it."
    )
    action: str | None = Field(description="What to do before sending (for a raising fact).")


class InvoiceCheck(BaseModel):
    check_id: int = Field(description="The stored check.")
    client_id: str
    as_of: date = Field(description="The day before the issue date: what was known then.")
    probability: float = Field(description="P(disputed within 60 days of issue).")
    level: Level | None
    model_version: str
    reasons: list[CheckReason]
    actions: list[str] = Field(description="What to do before sending, most useful first.")
    draft: CheckedDraft
    checked_at: datetime


class SnoozeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    until: date = Field(description="Hidden until this date.")
    reason: str = Field(min_length=1, max_length=2000)


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict
    note: str | None = Field(default=None, max_length=2000)


class IngestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: Literal[
        "clients",
        "projects",
        "progress",
        "time_entries",
        "invoices",
        "messages",
        "contacts",
        "churn",
    ]
    rows: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)


class IngestOut(BaseModel):
    file: str
    added: int
    changed: int
    unchanged: int


class ScoreJob(BaseModel):
    job_id: int
    status: Literal["queued", "running", "done", "failed"]
    kind: Literal["api", "cli", "schedule", "ingest"] = Field(
        description="Who asked: the API, the command line, the schedule or new data."
    )
    started_at: datetime | None = Field(description="Empty while the job waits for a worker.")
    finished_at: datetime | None
    run_id: int | None
    error: str | None


class ModelsOut(BaseModel):
    models: dict[str, str | None] = Field(description="The champion version in use per risk.")


class LastRun(BaseModel):
    run_id: int
    as_of: date
    finished_at: datetime
    seconds: float = Field(description="How long the run took.")
    clients: int
    flags_opened: int | None
    flags_cleared: int | None
    alerts_queued: int | None


class Outbox(BaseModel):
    pending: int
    oldest_pending_seconds: float | None = Field(description="Age of the oldest waiting alert.")


class Worker(BaseModel):
    last_heartbeat: datetime | None = Field(description="None: no worker is running.")
    next_run: datetime | None = Field(description="The next scheduled score run.")
    last_run: LastRun | None
    outbox: Outbox


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    reasons: list[str] = Field(description="Why the service is degraded (empty when ok).")
    database: str
    models: dict[str, str | None]
    worker: Worker | None = Field(description="None while the database cannot be reached.")
