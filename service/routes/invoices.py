"""``/invoices/{id}/explanation``: what the client is paying for, and a text to send."""

from __future__ import annotations

from fastapi import APIRouter, Response

from risk.invoices import explain_invoice
from service import schemas
from service.deps import Caller, InvoiceId, ReaderDep, ReadsDep, json_answer, json_response
from service.errors import not_found
from service.reads import Answer, caller_scope

router = APIRouter(tags=["invoices"])


@router.get("/invoices/{invoice_id}/explanation", response_model=schemas.InvoiceExplanation)
async def get_explanation(
    invoice_id: InvoiceId, caller: Caller, engine: ReaderDep, reads: ReadsDep
) -> Response:
    """What the client is paying for, and a text the PM can send."""

    def make() -> Answer | None:
        found = explain_invoice(engine, caller, invoice_id)
        return None if found is None else json_answer(schemas.InvoiceExplanation, found)

    answer = await reads.answer(("explanation", caller_scope(caller), invoice_id), make)
    if answer is None:
        raise not_found("invoice", ["path", "invoice_id"])
    return json_response(answer)
