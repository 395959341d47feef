"""Labels: does the client dispute an invoice within 30 days, churn within 90?

Per the contract: ``dispute_30d`` is 1 when the client disputes at least one
invoice in ``(t, t + 30 days]``, ``churn_90d`` when it churns in
``(t, t + 90 days]``. A row whose window reaches past the last date in the data
is unknown (NaN), never a negative; so is every row of a target the bundle has
no record of at all (no churn file rows, no dispute ever recorded), since
"none recorded" cannot be told from "none happened".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.bundle.load import Bundle
from features.bundle.summary import event_dates
from features.risks import CHURN, DISPUTE
from features.windows import Events, codes_of, day_numbers


def build_labels(bundle: Bundle, rows: pd.DataFrame | pd.Index) -> pd.DataFrame:
    """``dispute_30d`` and ``churn_90d`` (1.0, 0.0 or NaN) for each (client_id, as_of) row.

    ``rows`` is a frame or index with levels ``client_id`` and ``as_of``, such as
    the output of :func:`features.build_features`.
    """
    index = rows.index if isinstance(rows, pd.DataFrame) else rows
    client_ids = pd.Series(index.get_level_values("client_id"))
    ids = bundle.clients["client_id"]
    client = codes_of(client_ids, ids)
    day = day_numbers(pd.Series(index.get_level_values("as_of")))
    _, last = event_dates(bundle)
    last_day = day_numbers(pd.Series([last]))[0] if last is not None else -(10**9)
    # Disputes are seen only as far as the accounting export reaches, which may
    # end before the messages do.
    invoice_dates = bundle.invoices[["issued_at", "paid_at", "disputed_at"]].max().max()
    last_invoice_day = day_numbers(pd.Series([invoice_dates]))[0]
    observed_until = {DISPUTE.label: min(last_day, last_invoice_day), CHURN.label: last_day}
    disputes = Events(
        codes_of(bundle.invoices["client_id"], ids), day_numbers(bundle.invoices["disputed_at"])
    )
    churns = Events(
        codes_of(bundle.churn["client_id"], ids), day_numbers(bundle.churn["churned_at"])
    )
    out = {}
    for risk, events in ((DISPUTE, disputes), (CHURN, churns)):
        name, horizon = risk.label, risk.horizon_days
        happened = (events.count(client, day + horizon) - events.count(client, day)) > 0
        observed = day + horizon <= observed_until[name]
        label = np.where(happened, 1.0, np.where(observed, 0.0, np.nan))
        if len(events) == 0:
            label = np.full(day.size, np.nan)
        out[name] = label
    return pd.DataFrame(out, index=index)


def events_for(bundle: Bundle, target: str) -> pd.DataFrame:
    """The dated events behind ``target``: disputes or churn, as ``client_id``, ``day``."""
    if target == DISPUTE.label:
        rows = bundle.invoices.dropna(subset=["disputed_at"])
        return pd.DataFrame({"client_id": rows["client_id"], "day": rows["disputed_at"]})
    return pd.DataFrame({"client_id": bundle.churn["client_id"], "day": bundle.churn["churned_at"]})
