"""The page's routes: sign-in and -out, the flag list, a client's page, and the forms
that act on a flag."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from features.risks import NAMES
from risk.clients import client_detail, timeline
from risk.invoices import explain_invoice
from risk.scoring.flags import (
    FEEDBACK,
    FlagClearedError,
    FlagNotFoundError,
    acknowledge,
    get_flag,
    give_feedback,
    snooze,
)
from risk.scoring.flags import list_flags as find_flags
from risk.store import sessions
from risk.store.keys import Principal, authenticate
from risk.wording import words
from service.reads import Answer
from service.web import charts
from service.web.render import (
    client_url,
    error_page,
    language,
    redirect,
    render,
    safe_next,
)
from service.web.session import csrf_ok, current, engine_of, flash, reader_of, signed_in

LEVELS = ("high", "elevated")
#: The default snooze, in days from today.
SNOOZE_DAYS = 14


async def cached_page(request: Request, make: Callable[[], Response]) -> Response:
    """The page ``make`` renders, kept for this session, language and address until the
    data changes (``service.reads``). A page that shows a one-time message, or sets
    the language cookie, is rendered every time."""
    lang, from_query = language(request)
    if from_query or "flash" in request.session:
        return await run_in_threadpool(make)
    key = ("page", request.url.path, request.url.query, request.session.get("session"), lang)

    def answer() -> Answer:
        response = make()
        headers = {
            name: value
            for name, value in response.headers.items()
            if name not in ("content-length", "set-cookie")
        }
        return Answer(bytes(response.body), response.status_code, headers)

    kept = await request.app.state.risk.reads.answer(key, answer)
    assert kept is not None  # a page always answers
    return Response(kept.body, status_code=kept.status, headers=kept.headers)


def web_router() -> APIRouter:
    """The web page's routes (kept out of the OpenAPI document, which is the API's)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def home(request: Request) -> Response:
        return redirect("/app/flags" if current(request) else "/login")

    @router.get("/login")
    def login_form(request: Request, next: str = "") -> Response:
        if current(request) is not None:
            return redirect(safe_next(next))
        return render(request, "login.html", {"next": safe_next(next) if next else ""})

    @router.post("/login")
    def login(
        request: Request,
        api_key: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "",
    ) -> Response:
        if not csrf_ok(request, csrf_token):
            return error_page(request, 403)
        found = authenticate(engine_of(request), api_key.strip())
        if found is None:
            context = {"error": True, "next": safe_next(next) if next else ""}
            return render(request, "login.html", context, status=401)
        token = sessions.create(engine_of(request), found.key_id, datetime.now(UTC))
        request.session.clear()  # a new session: nothing carried over from before sign-in
        request.session["session"] = token
        request.session["csrf"] = secrets.token_urlsafe(32)
        request.state.principal = found
        return redirect(safe_next(next))

    @router.post("/logout")
    def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
        if not csrf_ok(request, csrf_token):
            return error_page(request, 403, current(request))
        token = request.session.get("session")
        if isinstance(token, str):
            # Ended in the database: a copy of the cookie opens nothing afterwards.
            sessions.end(engine_of(request), token, datetime.now(UTC))
            request.app.state.risk.sessions.forget(token)
        request.session.clear()
        return redirect("/login")

    @router.get("/app/flags")
    async def flag_list(request: Request, risk: str = "", level: str = "") -> Response:
        user = await signed_in(request)
        if user is None:
            return redirect("/login?" + urlencode({"next": "/app/flags"}))
        chosen_risk = risk if risk in NAMES else None
        chosen_level = level if level in LEVELS else None

        def make() -> Response:
            found = find_flags(
                reader_of(request), risk=chosen_risk, level=chosen_level, principal=user
            )
            return render(
                request,
                "flags.html",
                {
                    "flags": found,
                    "risk": chosen_risk or "",
                    "level": chosen_level or "",
                    "risks": NAMES,
                    "levels": LEVELS,
                },
                user=user,
            )

        return await cached_page(request, make)

    @router.get("/app/clients/{client_id}")
    async def client_page(request: Request, client_id: str) -> Response:
        user = await signed_in(request)
        if user is None:
            return redirect("/login?" + urlencode({"next": client_url(client_id)}))
        return await cached_page(request, lambda: _client_page(request, user, client_id))

    def _client_page(request: Request, user: Principal, client_id: str) -> Response:
        with reader_of(request).connect() as connection:
            detail = client_detail(connection, user, client_id)
            events = timeline(connection, user, client_id)
            if detail is None or events is None:
                return error_page(request, 404, user)
            latest = events["invoices"][-1] if events["invoices"] else None
            explained = explain_invoice(connection, user, latest["invoice_id"]) if latest else None
        lang, _ = language(request)
        said = words(lang)
        people: dict[str, dict[str, Any]] = {}
        for line in explained["work"] if explained else []:
            row = people.setdefault(
                line["person"], {"person": line["person"], "role": line["role"], "hours": 0.0}
            )
            row["hours"] += line["hours"]
        until = detail["signals_as_of"] or (
            max(s["as_of"] for s in detail["scores"]) if detail["scores"] else None
        )
        figures: dict[str, Markup] = {
            "spend": charts.spend_chart(events["spend"], said),
            "history": charts.history_chart(detail["history"], said),
            "sentiment": charts.sentiment_chart(events["messages"], said),
            "rhythm": charts.rhythm_chart(events["messages"], said, until),
        }
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        return render(
            request,
            "client.html",
            {
                "client": detail,
                "charts": figures,
                "unread": sum(1 for m in events["messages"] if not m["scored"]),
                "invoice": explained,
                "invoices": events["invoices"][::-1],  # newest first
                "people": sorted(people.values(), key=lambda p: -p["hours"]),
                "verdicts": FEEDBACK,
                "min_day": tomorrow.isoformat(),
                "default_day": (tomorrow + timedelta(days=SNOOZE_DAYS - 1)).isoformat(),
            },
            user=user,
        )

    def flag_action(request: Request, flag_id: str, sent: str) -> Response | tuple[Principal, str]:
        """The caller and the flag's client, or the page to answer with instead."""
        if not csrf_ok(request, sent):
            return error_page(request, 403, current(request))
        user = current(request)
        if user is None:
            return redirect("/login")
        try:
            with engine_of(request).connect() as connection:
                flag = get_flag(connection, flag_id, user)
        except FlagNotFoundError:
            return error_page(request, 404, user)
        return user, flag.client_id

    @router.post("/app/flags/{flag_id}/ack")
    def flag_ack(
        request: Request, flag_id: str, csrf_token: Annotated[str, Form()] = ""
    ) -> Response:
        checked = flag_action(request, flag_id, csrf_token)
        if isinstance(checked, Response):
            return checked
        user, client_id = checked
        try:
            acknowledge(engine_of(request), flag_id, user.actor, principal=user)
        except FlagNotFoundError:
            return error_page(request, 404, user)
        except FlagClearedError:
            flash(request, "error_cleared", "error")
            return redirect(client_url(client_id))
        flash(request, "done_ack")
        return redirect(client_url(client_id, flag_id))

    @router.post("/app/flags/{flag_id}/snooze")
    def flag_snooze(
        request: Request,
        flag_id: str,
        csrf_token: Annotated[str, Form()] = "",
        until: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "",
    ) -> Response:
        checked = flag_action(request, flag_id, csrf_token)
        if isinstance(checked, Response):
            return checked
        user, client_id = checked
        try:
            day = date.fromisoformat(until.strip())
        except ValueError:
            flash(request, "error_until", "error")
            return redirect(client_url(client_id, flag_id))
        if not reason.strip() or len(reason) > 2000:
            flash(request, "error_reason", "error")
            return redirect(client_url(client_id, flag_id))
        try:
            snooze(engine_of(request), flag_id, day, reason, user.actor, principal=user)
        except FlagNotFoundError:
            return error_page(request, 404, user)
        except FlagClearedError:
            flash(request, "error_cleared", "error")
            return redirect(client_url(client_id))
        except ValueError as exc:
            field = str(exc).partition(":")[0]
            flash(request, "error_reason" if field == "reason" else "error_until", "error")
            return redirect(client_url(client_id, flag_id))
        lang, _ = language(request)
        flash(request, "done_snooze", day=words(lang).day(day))
        return redirect(client_url(client_id, flag_id))

    @router.post("/app/flags/{flag_id}/feedback")
    def flag_feedback(
        request: Request,
        flag_id: str,
        csrf_token: Annotated[str, Form()] = "",
        verdict: Annotated[str, Form()] = "",
        note: Annotated[str, Form()] = "",
    ) -> Response:
        checked = flag_action(request, flag_id, csrf_token)
        if isinstance(checked, Response):
            return checked
        user, client_id = checked
        if verdict not in FEEDBACK:
            flash(request, "error_verdict", "error")
            return redirect(client_url(client_id, flag_id))
        try:
            give_feedback(
                engine_of(request),
                flag_id,
                verdict,
                user.actor,
                note.strip()[:2000] or None,
                principal=user,
            )
        except FlagNotFoundError:
            return error_page(request, 404, user)
        flash(request, "done_feedback")
        return redirect(client_url(client_id, flag_id))

    return router
