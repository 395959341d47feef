"""Each issued invoice's score at issue: what the invoice model said of it as of the
end of the day before it was issued, stored by the score run.

A run scores the invoices issued in the ``WINDOW_DAYS`` up to its date that have no
score yet (the first run of a firm fills that window; later runs add what was issued
since), with the invoice model's ``@champion``, point in time as in training: what
was known the day before issue, whatever arrived since. The timeline and the client's
page show the score beside the invoice, so a disputed invoice shows what was said of
it before it went out.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, select

from features.bundle.load import Bundle
from features.invoice_features import invoice_features
from risk.invoice_check import InvoiceModel
from risk.store.load import insert_rows
from risk.store.tables import invoice_scores

#: How far back a run looks for invoices without a score at issue.
WINDOW_DAYS = 180


def score_at_issue(
    engine: Engine,
    bundle: Bundle,
    as_of: date,
    model: InvoiceModel,
    cache_dir: Path | None = None,
) -> pd.DataFrame:
    """The invoices issued in the window up to ``as_of`` without a stored score, each
    with its probability as of the day before its issue: columns ``invoice_id``,
    ``client_id``, ``issued_at``, ``probability``."""
    with engine.connect() as connection:
        stored = set(connection.execute(select(invoice_scores.c.invoice_id)).scalars())
    invoices = bundle.invoices
    day = pd.Timestamp(as_of)
    issued = invoices["issued_at"]
    due = invoices[
        (issued <= day)
        & (issued > day - pd.Timedelta(days=WINDOW_DAYS))
        & ~invoices["invoice_id"].isin(stored)
    ]
    if due.empty:
        return pd.DataFrame(columns=["invoice_id", "client_id", "issued_at", "probability"])
    rows = invoice_features(bundle, due, cache_dir=cache_dir)
    return pd.DataFrame(
        {
            "invoice_id": due["invoice_id"].to_numpy(),
            "client_id": due["client_id"].to_numpy(),
            "issued_at": due["issued_at"].dt.date.to_numpy(),
            "probability": model.predict(rows),
        }
    )


def store_scores_at_issue(
    connection: Connection, run_id: int, scored: pd.DataFrame, model: InvoiceModel
) -> int:
    """Insert the run's scores at issue in the caller's transaction; how many."""
    now = datetime.now(UTC)
    rows = [
        {
            "invoice_id": str(invoice_id),
            "client_id": str(client_id),
            "issued_at": issued,
            "as_of": issued - timedelta(days=1),
            "probability": float(probability),
            "model_version": model.label,
            "run_id": run_id,
            "scored_at": now,
        }
        for invoice_id, client_id, issued, probability in zip(
            scored["invoice_id"].tolist(),
            scored["client_id"].tolist(),
            scored["issued_at"].tolist(),
            scored["probability"].tolist(),
            strict=True,
        )
    ]
    insert_rows(connection, invoice_scores, rows)
    return len(rows)
