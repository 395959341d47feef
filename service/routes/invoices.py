"""``/invoices/{id}/explanation``: what the client is paying for, and a text to send."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from risk.invoices import explain_invoice
from service import schemas
from service.deps import Caller, EngineDep, InvoiceId
from service.errors import not_found

router = APIRouter(tags=["invoices"])


@router.get("/invoices/{invoice_id}/explanation", response_model=schemas.InvoiceExplanation)
def get_explanation(invoice_id: InvoiceId, caller: Caller, engine: EngineDep) -> dict[str, Any]:
    """What the client is paying for, and a text the PM can send."""
    found = explain_invoice(engine, caller, invoice_id)
    if found is None:
        raise not_found("invoice", ["path", "invoice_id"])
    return found
