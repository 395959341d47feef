"""The PMs' page for checking a draft invoice before it is sent:
``/app/clients/{id}/check``, a form and, once sent, what the check said."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import select

from risk.invoice_check import Draft, DraftError, check_invoice
from risk.store.keys import Principal, visible_clients
from risk.store.tables import CONTRACT
from service.web.render import client_url, error_page, redirect, render
from service.web.session import csrf_ok, current, engine_of, reader_of, signed_in


def check_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/app/clients/{client_id}/check")
    async def check_form(request: Request, client_id: str) -> Response:
        user = await signed_in(request)
        if user is None:
            return redirect("/login?" + urlencode({"next": f"{client_url(client_id)}/check"}))
        return _page(request, user, client_id, {}, None, None)

    @router.post("/app/clients/{client_id}/check")
    def check_draft(
        request: Request,
        client_id: str,
        csrf_token: Annotated[str, Form()] = "",
        amount: Annotated[str, Form()] = "",
        project_id: Annotated[str, Form()] = "",
        issued_at: Annotated[str, Form()] = "",
        due_at: Annotated[str, Form()] = "",
        line_items: Annotated[str, Form()] = "",
    ) -> Response:
        if not csrf_ok(request, csrf_token):
            return error_page(request, 403, current(request))
        user = current(request)
        if user is None:
            return redirect("/login")
        sent = {
            "amount": amount,
            "project_id": project_id,
            "issued_at": issued_at,
            "due_at": due_at,
            "line_items": line_items,
        }
        model = request.app.state.risk.invoice_model
        if model is None:
            return _page(request, user, client_id, sent, None, "model")
        try:
            draft = _draft(client_id, sent)
            with request.app.state.risk.check_slots:  # as the API's checks
                found = check_invoice(
                    engine_of(request),
                    user,
                    draft,
                    model,
                    request.app.state.risk.settings,
                    user.key_id,
                )
        except DraftError as exc:
            return _page(request, user, client_id, sent, None, exc.field, status=422)
        if found is None:
            return error_page(request, 404, user)
        return _page(request, user, client_id, sent, found, None)

    return router


def _draft(client_id: str, sent: dict[str, str]) -> Draft:
    """The form's fields as a draft; ``DraftError`` names a field it cannot read."""

    def day(name: str) -> date | None:
        text = sent[name].strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise DraftError(name, "not a date") from None

    try:
        amount = float(sent["amount"].replace(",", "."))
    except ValueError:
        raise DraftError("amount", "not a number") from None
    items = sent["line_items"].strip()
    if items and not items.isdigit():
        raise DraftError("line_items", "not a whole number")
    return Draft(
        client_id=client_id,
        amount=amount,
        project_id=sent["project_id"].strip() or None,
        issued_at=day("issued_at"),
        due_at=day("due_at"),
        line_items=int(items) if items else None,
    )


def _page(
    request: Request,
    user: Principal,
    client_id: str,
    sent: dict[str, str],
    found: dict[str, Any] | None,
    wrong: str | None,
    status: int = 200,
) -> Response:
    clients, projects = CONTRACT["clients"], CONTRACT["projects"]
    with reader_of(request).connect() as connection:
        client = connection.execute(
            select(clients.c.client_id, clients.c.name, clients.c.language).where(
                clients.c.client_id == client_id, visible_clients(user, clients.c.client_id)
            )
        ).first()
        if client is None:
            return error_page(request, 404, user)
        listed = connection.execute(
            select(projects.c.project_id, projects.c.name)
            .where(projects.c.client_id == client_id)
            .order_by(projects.c.start_date.desc(), projects.c.project_id)
        ).all()
    return render(
        request,
        "check.html",
        {
            "client": client,
            "projects": listed,
            "sent": sent,
            "found": found,
            "wrong": wrong,
        },
        status=status,
        user=user,
    )
