"""``/invoices/{id}/explanation``: what the client is paying for, and a text to send;
``/invoices/check``: a draft invoice's dispute risk before it is sent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from risk.invoice_check import Draft, DraftError, check_invoice
from risk.invoices import explain_invoice
from service import schemas
from service.deps import (
    Caller,
    InvoiceId,
    ReaderDep,
    ReadsDep,
    StateDep,
    json_answer,
    json_response,
)
from service.errors import ApiError, not_found
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


@router.post(
    "/invoices/check",
    response_model=schemas.InvoiceCheck,
    responses={503: {"model": schemas.ErrorResponse, "description": "No invoice model yet."}},
)
def post_check(body: schemas.InvoiceDraft, caller: Caller, state: StateDep) -> dict[str, Any]:
    """Check a draft invoice before it is sent: its chance of being disputed within 60
    days, the facts that raise and lower it, and what to do first. The check is stored;
    it changes no flag."""
    model = state.invoice_model
    if model is None:
        raise ApiError(
            503, ["server"], "no invoice model: `risk train` registers one", "no_invoice_model"
        )
    draft = Draft(**body.model_dump())
    try:
        with state.check_slots:
            found = check_invoice(state.engine, caller, draft, model, state.settings, caller.key_id)
    except DraftError as exc:
        raise ApiError(422, ["body", exc.field], exc.message) from None
    if found is None:
        raise not_found("client", ["body", "client_id"])
    return found
