"""Check a draft invoice before it is sent: its chance of being disputed within 60
days, why, and what to do first.

A draft is checked as an issued invoice is scored in training: the client's features
from the one feature function and the invoice's own (``features.invoice_features``),
as of the end of the day before its issue date, computed per request from the
client's rows alone (``risk.store.client_rows``). The invoice model's ``@champion``
gives the probability; its level follows ``RISK_INVOICE_ELEVATED`` and
``RISK_INVOICE_HIGH``. Reasons are baseline Shapley values against the typical
training invoice, grouped by fact and signed: what raises the risk and what lowers
it, in the client's language, with an action for each raising one. Every check is
stored (``invoice_checks``); none changes a flag.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert, select

from features.bundle.parse import STRING
from features.invoice_features import LABEL, invoice_features
from models import registry
from models.attribution import baseline_shapley
from models.invoice_model import INVOICE_COLUMNS
from risk.explain.invoice import action, group_of, invoice_reason_text
from risk.settings import Settings
from risk.store.client_rows import client_bundle
from risk.store.db import reading
from risk.store.keys import Principal, visible_clients
from risk.store.tables import CONTRACT, invoice_checks

#: The id a draft goes by among the client's invoices (no export id has brackets).
DRAFT_ID = "(draft)"
#: Days to pay when the client has no earlier invoice to take its usual terms from.
DEFAULT_TERMS_DAYS = 30
#: What a draft may say: amounts and dates any invoice could have (the features'
#: arithmetic and calendar stay in range).
MAX_AMOUNT = 1e12
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
#: Reasons shown each way: what raises the risk, and what lowers it.
RAISING, LOWERING = 3, 2
#: Feature orders per check for the attributions: a check answers in milliseconds,
#: so fewer than a score run's 32; the same seed gives the same reasons.
ORDERS = 16


@dataclass(frozen=True)
class Draft:
    """An invoice about to be sent. Missing ``issued_at``: today; missing ``due_at``:
    the client's usual terms."""

    client_id: str
    amount: float
    issued_at: date | None = None
    project_id: str | None = None
    due_at: date | None = None
    line_items: int | None = None
    period_start: date | None = None
    period_end: date | None = None


class DraftError(ValueError):
    """A draft that cannot be checked; ``field`` names the draft's field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NoInvoiceModelError(RuntimeError):
    """No invoice model to check with: ``risk train`` has not registered one."""


@dataclass(frozen=True)
class InvoiceModel:
    """The invoice model's champion as a check uses it."""

    version: str
    predict: Callable[[pd.DataFrame], np.ndarray]
    #: The typical training invoice the attributions start from.
    reference: pd.Series

    @property
    def label(self) -> str:
        return f"{registry.INVOICE_MODEL}/{self.version}"


def invoice_champion(settings: Settings) -> InvoiceModel | None:
    """The invoice model's ``@champion`` with its typical invoice, or None without one."""
    client = registry.connect(settings.mlflow_tracking_uri)
    found = registry.champion(client, LABEL)
    if found is None:
        return None
    estimator = registry.load(LABEL, found.version)
    typical = registry.reference(found.run_id)
    columns = list(INVOICE_COLUMNS)

    def predict(frame: pd.DataFrame) -> np.ndarray:
        return np.asarray(estimator.predict_proba(frame[columns])[:, 1])

    reference = pd.Series([typical.get(c) for c in columns], index=columns, dtype="float64")
    return InvoiceModel(found.version, predict, reference)


def check_invoice(
    engine: Engine,
    principal: Principal,
    draft: Draft,
    model: InvoiceModel,
    settings: Settings,
    checked_by: str,
    today: date | None = None,
) -> dict[str, Any] | None:
    """Check ``draft`` and store the check; None when its client is not one
    ``principal`` may see. Raises ``DraftError`` for a draft that cannot be checked."""
    if not math.isfinite(draft.amount) or draft.amount <= 0:
        raise DraftError("amount", "must be a positive amount")
    if draft.amount > MAX_AMOUNT:
        raise DraftError("amount", f"is more than {MAX_AMOUNT:,.0f}: not an invoice")
    for name in ("issued_at", "due_at", "period_start", "period_end"):
        day = getattr(draft, name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise DraftError(name, f"must be between {FIRST_DAY} and {LAST_DAY}")
    with reading(engine) as connection:
        clients = CONTRACT["clients"]
        language = connection.execute(
            select(clients.c.language).where(
                clients.c.client_id == draft.client_id,
                visible_clients(principal, clients.c.client_id),
            )
        ).first()
        if language is None:
            return None
        bundle, said = client_bundle(connection, draft.client_id)
    filled = _filled(draft, bundle.projects, bundle.invoices, today or _today())
    issued = filled.issued_at or today or _today()
    row = invoice_features(bundle, _invoice_frame(filled), message_scores=said)
    probability = float(model.predict(row)[0])
    lang = str(language[0] or "en")
    reasons = _reasons(model, row, lang)
    actions = list(dict.fromkeys(r["action"] for r in reasons if r["direction"] == "raises"))
    level = (
        "high"
        if probability >= settings.invoice_high
        else "elevated"
        if probability >= settings.invoice_elevated
        else None
    )
    shown = _shown(filled)
    stored = {
        "checked_at": datetime.now(UTC),
        "checked_by": checked_by,
        "client_id": filled.client_id,
        "project_id": filled.project_id,
        "issued_at": filled.issued_at,
        "amount": filled.amount,
        "draft": shown,
        "probability": probability,
        "level": level,
        "model_version": model.label,
        "reasons": reasons,
        "actions": actions,
    }
    # Read, computed, then written in a short transaction of its own: a check never
    # holds the database while it computes.
    with engine.begin() as connection:
        check_id = connection.execute(
            insert(invoice_checks).returning(invoice_checks.c.check_id), stored
        ).scalar_one()
    return {
        "check_id": check_id,
        "client_id": filled.client_id,
        "as_of": issued - timedelta(days=1),
        "probability": probability,
        "level": level,
        "model_version": model.label,
        "reasons": reasons,
        "actions": actions,
        "draft": shown,
        "checked_at": stored["checked_at"],
    }


def _today() -> date:
    return datetime.now(UTC).date()


def _filled(draft: Draft, projects: pd.DataFrame, invoices: pd.DataFrame, today: date) -> Draft:
    """The draft with its defaults, checked against the client's rows."""
    if draft.project_id is not None and draft.project_id not in set(projects["project_id"]):
        raise DraftError(
            "project_id", f"{draft.project_id!r} is not a project of client {draft.client_id!r}"
        )
    issued = draft.issued_at or today
    due = draft.due_at
    if due is None:
        terms = (
            pd.to_datetime(invoices["due_at"]) - pd.to_datetime(invoices["issued_at"])
        ).dt.days.dropna()
        due = issued + timedelta(days=int(terms.median()) if len(terms) else DEFAULT_TERMS_DAYS)
    if due < issued:
        raise DraftError("due_at", f"{due} is before the issue date {issued}")
    if draft.line_items is not None and draft.line_items < 1:
        raise DraftError("line_items", "must be at least 1")
    start, end = draft.period_start, draft.period_end
    if start is not None and end is not None and end < start:
        raise DraftError("period_end", f"{end} is before period_start {start}")
    return Draft(
        client_id=draft.client_id,
        amount=float(draft.amount),
        issued_at=issued,
        project_id=draft.project_id,
        due_at=due,
        line_items=draft.line_items,
        period_start=start,
        period_end=end,
    )


def _invoice_frame(draft: Draft) -> pd.DataFrame:
    """The draft as one row of ``invoices``, typed as the loader types it."""

    def day(value: date | None) -> pd.Series:
        return pd.Series([pd.NaT if value is None else pd.Timestamp(value)], dtype="datetime64[ns]")

    def text(value: str | None) -> pd.Series:
        return pd.Series([value], dtype=STRING)

    return pd.DataFrame(
        {
            "invoice_id": text(DRAFT_ID),
            "client_id": text(draft.client_id),
            "project_id": text(draft.project_id),
            "issued_at": day(draft.issued_at),
            "due_at": day(draft.due_at),
            "amount": pd.Series([draft.amount], dtype="float64"),
            "paid_at": day(None),
            "disputed_at": day(None),
            "line_items": pd.Series([draft.line_items], dtype="Int64"),
            "period_start": day(draft.period_start),
            "period_end": day(draft.period_end),
        }
    )


def _reasons(model: InvoiceModel, row: pd.DataFrame, language: str) -> list[dict[str, Any]]:
    """The facts that move this draft's risk most from the typical invoice's, each way:
    their summed attribution (probability points), sentence and action."""
    features = row[list(INVOICE_COLUMNS)]
    contributions = baseline_shapley(model.predict, features, model.reference, orders=ORDERS)
    by_feature = contributions.iloc[0]
    by_group = by_feature.groupby(by_feature.index.map(group_of)).sum()
    values: Mapping[str, float | None] = {
        str(name): None if pd.isna(v) else float(v) for name, v in features.iloc[0].items()
    }
    order = by_group.sort_values(kind="stable")
    chosen = [
        *((g, "raises") for g in order[order > 0].index[::-1][:RAISING]),
        *((g, "lowers") for g in order[order < 0].index[:LOWERING]),
    ]
    reasons = []
    for group, direction in chosen:
        members = by_feature[by_feature.index.map(group_of) == group]
        lead = str(members.idxmax() if direction == "raises" else members.idxmin())
        reasons.append(
            {
                "text": invoice_reason_text(lead, values, language),
                "feature": lead,
                "value": values.get(lead),
                "contribution": round(float(by_group[group]), 4),
                "direction": direction,
                "action": action(lead, language) if direction == "raises" else None,
            }
        )
    return reasons


def _shown(draft: Draft) -> dict[str, Any]:
    """The draft's fields as stored and answered (dates as ISO text)."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in asdict(draft).items()
    }


#: The columns of a drafts file (``risk invoices check``): the two first are required.
DRAFT_COLUMNS = (
    "client_id",
    "amount",
    "project_id",
    "issued_at",
    "due_at",
    "line_items",
    "period_start",
    "period_end",
)


def read_drafts(path: Path) -> list[Draft]:
    """The drafts of a CSV file with ``DRAFT_COLUMNS`` (a header line first). Raises
    ``ValueError`` naming the file, row and column of the first value it cannot read."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        unknown = [c for c in header if c not in DRAFT_COLUMNS]
        if unknown:
            raise ValueError(
                f"{path}: unknown column(s) {', '.join(unknown)}; "
                f"expected {', '.join(DRAFT_COLUMNS)}"
            )
        missing = [c for c in DRAFT_COLUMNS[:2] if c not in header]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        drafts = []
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            drafts.append(_draft(row, f"{path}: row {number}"))
    if not drafts:
        raise ValueError(f"{path}: no drafts below the header")
    return drafts


def _draft(row: Mapping[str, str | None], where: str) -> Draft:
    def text(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    def parsed(name: str, parse: Callable[[str], Any], what: str) -> Any:
        value = text(name)
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError:
            raise ValueError(f"{where}, column {name}: {value!r} is not {what}") from None

    client_id = text("client_id")
    if client_id is None:
        raise ValueError(f"{where}, column client_id: empty")
    amount = parsed("amount", float, "a number")
    if amount is None:
        raise ValueError(f"{where}, column amount: empty")
    return Draft(
        client_id=client_id,
        amount=amount,
        issued_at=parsed("issued_at", date.fromisoformat, "an ISO date (YYYY-MM-DD)"),
        project_id=text("project_id"),
        due_at=parsed("due_at", date.fromisoformat, "an ISO date (YYYY-MM-DD)"),
        line_items=parsed("line_items", int, "a whole number"),
        period_start=parsed("period_start", date.fromisoformat, "an ISO date (YYYY-MM-DD)"),
        period_end=parsed("period_end", date.fromisoformat, "an ISO date (YYYY-MM-DD)"),
    )
