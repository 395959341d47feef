"""The PMs' web page: server-rendered HTML (Jinja2), no JavaScript framework.

A PM signs in with their API key once. The session is a row in the database
(``risk.store.sessions``); the signed cookie (HttpOnly, SameSite=Lax, Secure behind
https) carries its random token, the CSRF token and flash messages, and every
request checks the row, so signing out, 8 hours or a revoked key end the session
even for a copy of the cookie saved before. Every form carries a per-session
CSRF token, checked on every POST (the sign-in form's token lives in a cookie
without a session). What a caller sees is scoped exactly like the API
(``risk.keys.visible_clients``): a client or flag outside it answers 404 like one
that does not exist.

Routes: ``/`` (to the list or the sign-in), ``/login``, ``/logout``,
``/app/flags`` (the caller's open flags, filters for risk and level),
``/app/clients/{client_id}`` (scores, flags with reasons and next steps, charts,
the latest invoice explained, forms to act on each flag) and
``/app/flags/{flag_id}/ack|snooze|feedback``. English and German, from
``?lang=``, then the ``lang`` cookie, then ``Accept-Language``.
"""

from __future__ import annotations

import contextlib
import math
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

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
from risk.settings import Settings
from risk.store import sessions
from risk.store.keys import Principal, authenticate
from service import charts

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
SESSION_COOKIE = "risk_session"
SESSION_SECONDS = int(sessions.LIFETIME.total_seconds())
LANGS = ("en", "de")
LEVELS = ("high", "elevated")
#: The default snooze, in days from today.
SNOOZE_DAYS = 14
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app_name": "Billing risk",
        "skip": "Skip to content",
        "other_lang": "Deutsch",
        "sign_in": "Sign in",
        "sign_in_intro": "Sign in with your API key. An analyst can create one for you.",
        "api_key": "API key",
        "bad_key": "This key is unknown or has been revoked.",
        "sign_out": "Sign out",
        "signed_in_as": "Signed in as {email} ({role})",
        "flags_nav": "Flags",
        "flags_title": "Open flags",
        "flags_intro": "Your clients at elevated or high risk, highest first.",
        "flag_count": "{n} open flags",
        "flag_count_one": "1 open flag",
        "no_flags": "No open flags: nothing needs your attention right now.",
        "filter": "Filter",
        "filter_risk": "Risk",
        "filter_level": "Level",
        "all": "All",
        "reset": "Reset",
        "dispute": "Invoice dispute",
        "churn": "Churn",
        "horizon_dispute": "within 30 days",
        "horizon_churn": "within 90 days",
        "level_high": "High",
        "level_elevated": "Elevated",
        "level_none": "Below threshold",
        "trend": "Trend",
        "trend_new": "New",
        "trend_rising": "Rising",
        "trend_steady": "Steady",
        "trend_falling": "Falling",
        "trend_cleared": "Cleared",
        "probability": "Probability",
        "reasons": "Why",
        "next_step": "Next step",
        "opened_on": "Open since {day}",
        "acknowledged_by": "Acknowledged by {who}",
        "snoozed_until": "Snoozed until {day}",
        "open_client": "Open {name}",
        "back_to_flags": "All flags",
        "industry": "Industry",
        "account_lead": "Account lead",
        "client_since": "Client since",
        "language": "Language",
        "scores_title": "Scores",
        "scored_on": "Scored {day}, model version {version}",
        "client_flags": "Open flags",
        "client_no_flags": "No open flags for this client.",
        "acknowledge": "Acknowledge",
        "ack_help": "Seen it: no alert again until the level changes.",
        "snooze": "Snooze",
        "snooze_help": "Hide this flag from the list until a date.",
        "snooze_until": "Hide until",
        "snooze_reason": "Reason",
        "feedback": "Was this flag right?",
        "verdict_valid": "Yes, valid",
        "verdict_false_alarm": "No, a false alarm",
        "verdict_premature": "Too early",
        "feedback_note": "Note (optional)",
        "send_feedback": "Send feedback",
        "done_ack": "Acknowledged: no alert again until its level changes.",
        "done_snooze": "Snoozed until {day}: hidden from your list until then.",
        "done_feedback": "Thank you: your feedback is kept for retraining.",
        "error_until": "Pick a date after today.",
        "error_cleared": "This flag has cleared in the meantime: there is nothing left to "
        "acknowledge or snooze.",
        "error_reason": "A snooze needs a reason.",
        "error_verdict": "Pick one of the answers.",
        "charts_title": "Signals over time",
        "spend_title": "Billed vs delivered vs budget",
        "billed": "Billed to date",
        "delivered": "Delivered (value)",
        "budget": "Budget",
        "spend_desc": "Week ending {week}: billed {billed}, delivered {delivered}, "
        "budget {budget}.",
        "spend_empty": "No projects yet.",
        "history_title": "Risk over time",
        "history_empty": "Not scored yet.",
        "sentiment_title": "Tone of the client's messages",
        "sentiment_desc": "{count} client messages with text, average tone {average}, "
        "latest running mean {latest} (scale -1 to 1).",
        "sentiment_positive": "Positive message",
        "sentiment_negative": "Negative message",
        "sentiment_mean": "Running mean of 5",
        "sentiment_empty": "No client messages with text.",
        "rhythm_title": "Message rhythm",
        "inbound": "Client",
        "outbound": "Us",
        "rhythm_silence": "Silence of {days} days from {start}",
        "rhythm_band": "Silence: no client message for over {factor}× their usual gap "
        "({usual} days)",
        "rhythm_desc": "{inbound} messages from the client, {outbound} to them; usual gap "
        "{usual} days; {silences} silences marked.",
        "rhythm_empty": "No messages.",
        "invoice_title": "Latest invoice, explained",
        "invoice": "Invoice",
        "amount": "Amount",
        "issued": "Issued",
        "period": "Period",
        "hours": "Hours",
        "basis": "Basis",
        "basis_linked": "Time entries linked to the invoice",
        "basis_period": "Billable time of the project in the invoice's period",
        "billed_to_date": "Project billed to date",
        "delivered_share": "Project delivered",
        "text_to_send": "A text you can send the client",
        "no_invoice": "No invoices yet.",
        "work_by_person": "Hours by person",
        "person": "Person",
        "role": "Role",
        "signals_title": "All signals of the latest run ({day})",
        "signal": "Signal",
        "value": "Value",
        "not_found_title": "Not found",
        "not_found": "There is no such client or flag, or it is not one of yours.",
        "busy_title": "Busy, please try again",
        "busy": "The database is busy with a scoring run or an import. Please try again in a "
        "few seconds: nothing was changed.",
        "forbidden_title": "Form expired",
        "forbidden": "The form's security token is missing or does not match. "
        "Reload the page and try again.",
        "back": "Back to the flags",
    },
    "de": {
        "app_name": "Abrechnungsrisiko",
        "skip": "Zum Inhalt springen",
        "other_lang": "English",
        "sign_in": "Anmelden",
        "sign_in_intro": "Melden Sie sich mit Ihrem API-Schlüssel an. Eine Analystin oder ein "
        "Analyst kann Ihnen einen erstellen.",
        "api_key": "API-Schlüssel",
        "bad_key": "Dieser Schlüssel ist unbekannt oder wurde gesperrt.",
        "sign_out": "Abmelden",
        "signed_in_as": "Angemeldet als {email} ({role})",
        "flags_nav": "Warnungen",
        "flags_title": "Offene Warnungen",
        "flags_intro": "Ihre Kunden mit erhöhtem oder hohem Risiko, die höchsten zuerst.",
        "flag_count": "{n} offene Warnungen",
        "flag_count_one": "1 offene Warnung",
        "no_flags": "Keine offenen Warnungen: Im Moment ist nichts zu tun.",
        "filter": "Filtern",
        "filter_risk": "Risiko",
        "filter_level": "Stufe",
        "all": "Alle",
        "reset": "Zurücksetzen",
        "dispute": "Rechnungsstreit",
        "churn": "Abwanderung",
        "horizon_dispute": "innerhalb von 30 Tagen",
        "horizon_churn": "innerhalb von 90 Tagen",
        "level_high": "Hoch",
        "level_elevated": "Erhöht",
        "level_none": "Unter der Schwelle",
        "trend": "Tendenz",
        "trend_new": "Neu",
        "trend_rising": "Steigend",
        "trend_steady": "Gleichbleibend",
        "trend_falling": "Fallend",
        "trend_cleared": "Aufgehoben",
        "probability": "Wahrscheinlichkeit",
        "reasons": "Warum",
        "next_step": "Nächster Schritt",
        "opened_on": "Offen seit {day}",
        "acknowledged_by": "Bestätigt von {who}",
        "snoozed_until": "Zurückgestellt bis {day}",
        "open_client": "{name} öffnen",
        "back_to_flags": "Alle Warnungen",
        "industry": "Branche",
        "account_lead": "Kundenverantwortung",
        "client_since": "Kunde seit",
        "language": "Sprache",
        "scores_title": "Bewertungen",
        "scored_on": "Bewertet am {day}, Modellversion {version}",
        "client_flags": "Offene Warnungen",
        "client_no_flags": "Keine offenen Warnungen für diesen Kunden.",
        "acknowledge": "Bestätigen",
        "ack_help": "Gesehen: keine erneute Benachrichtigung, bis sich die Stufe ändert.",
        "snooze": "Zurückstellen",
        "snooze_help": "Diese Warnung bis zu einem Datum aus der Liste ausblenden.",
        "snooze_until": "Ausblenden bis",
        "snooze_reason": "Grund",
        "feedback": "War diese Warnung berechtigt?",
        "verdict_valid": "Ja, berechtigt",
        "verdict_false_alarm": "Nein, ein Fehlalarm",
        "verdict_premature": "Zu früh",
        "feedback_note": "Notiz (optional)",
        "send_feedback": "Rückmeldung senden",
        "done_ack": "Bestätigt: keine erneute Benachrichtigung, bis sich die Stufe ändert.",
        "done_snooze": "Zurückgestellt bis {day}: bis dahin nicht in Ihrer Liste.",
        "done_feedback": "Danke: Ihre Rückmeldung fließt ins nächste Training ein.",
        "error_until": "Bitte ein Datum nach heute wählen.",
        "error_cleared": "Diese Warnung ist inzwischen aufgehoben: es gibt nichts mehr zu "
        "bestätigen oder zurückzustellen.",
        "error_reason": "Zum Zurückstellen bitte einen Grund angeben.",
        "error_verdict": "Bitte eine der Antworten wählen.",
        "charts_title": "Signale im Zeitverlauf",
        "spend_title": "Abgerechnet, geliefert und Budget",
        "billed": "Bisher abgerechnet",
        "delivered": "Geliefert (Wert)",
        "budget": "Budget",
        "spend_desc": "Woche bis {week}: abgerechnet {billed}, geliefert {delivered}, "
        "Budget {budget}.",
        "spend_empty": "Noch keine Projekte.",
        "history_title": "Risiko im Zeitverlauf",
        "history_empty": "Noch nicht bewertet.",
        "sentiment_title": "Tonfall der Kundennachrichten",
        "sentiment_desc": "{count} Kundennachrichten mit Text, mittlerer Tonfall {average}, "
        "zuletzt gleitender Mittelwert {latest} (Skala -1 bis 1).",
        "sentiment_positive": "Positive Nachricht",
        "sentiment_negative": "Negative Nachricht",
        "sentiment_mean": "Gleitender Mittelwert aus 5",
        "sentiment_empty": "Keine Kundennachrichten mit Text.",
        "rhythm_title": "Nachrichtenrhythmus",
        "inbound": "Kunde",
        "outbound": "Wir",
        "rhythm_silence": "{days} Tage Funkstille ab {start}",
        "rhythm_band": "Funkstille: länger als {factor}× die übliche Pause ({usual} Tage) "
        "keine Kundennachricht",
        "rhythm_desc": "{inbound} Nachrichten vom Kunden, {outbound} an ihn; übliche Pause "
        "{usual} Tage; {silences} Funkstillen markiert.",
        "rhythm_empty": "Keine Nachrichten.",
        "invoice_title": "Letzte Rechnung, erklärt",
        "invoice": "Rechnung",
        "amount": "Betrag",
        "issued": "Ausgestellt",
        "period": "Zeitraum",
        "hours": "Stunden",
        "basis": "Grundlage",
        "basis_linked": "Der Rechnung zugeordnete Zeiteinträge",
        "basis_period": "Abrechenbare Zeit des Projekts im Rechnungszeitraum",
        "billed_to_date": "Projekt bisher abgerechnet",
        "delivered_share": "Projekt geliefert",
        "text_to_send": "Ein Text, den Sie dem Kunden schicken können",
        "no_invoice": "Noch keine Rechnungen.",
        "work_by_person": "Stunden pro Person",
        "person": "Person",
        "role": "Rolle",
        "signals_title": "Alle Signale der letzten Bewertung ({day})",
        "signal": "Signal",
        "value": "Wert",
        "not_found_title": "Nicht gefunden",
        "not_found": "Diesen Kunden oder diese Warnung gibt es nicht, oder sie gehören nicht "
        "zu Ihren.",
        "busy_title": "Gerade beschäftigt",
        "busy": "Die Datenbank ist gerade mit einer Berechnung oder einem Import beschäftigt. "
        "Bitte versuchen Sie es in ein paar Sekunden noch einmal: es wurde nichts geändert.",
        "forbidden_title": "Formular abgelaufen",
        "forbidden": "Das Sicherheitstoken des Formulars fehlt oder passt nicht. Bitte laden "
        "Sie die Seite neu und versuchen Sie es noch einmal.",
        "back": "Zurück zu den Warnungen",
    },
}


def session_secret(home: Path) -> str:
    """The key that signs session cookies: made once, kept in ``home/session.key`` (0600)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "session.key"
    if not path.exists():
        temporary = home / f".session.key.{secrets.token_hex(6)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(48))
            with contextlib.suppress(FileExistsError):  # a concurrent start keeps the first key
                os.link(temporary, path)  # atomic: never a half-written key
        finally:
            temporary.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no usable session key: delete it to make a new one")
    return secret


def install_web(app: FastAPI, settings: Settings) -> None:
    """Add the session cookie and the web page's routes to ``app``."""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.home),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=secure_cookies(settings),
    )
    app.include_router(web_router())


def secure_cookies(settings: Settings) -> bool:
    """Whether cookies are sent over https only: when the page is served over https."""
    return settings.public_url.startswith("https://")


@dataclass(frozen=True)
class Formats:
    """Numbers and dates as a reader of ``lang`` expects them."""

    lang: str

    def num(self, value: float | None, decimals: int = 0) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        return charts.number(float(value), self.lang, decimals)

    def pct(self, share: float | None) -> str:
        if share is None:
            return "–"
        text = self.num(100 * share)
        return f"{text} %" if self.lang == "de" else f"{text}%"

    def percent(self, value: float | None) -> str:
        return "–" if value is None else self.pct(value / 100)

    def day(self, value: date | str | None) -> str:
        if value is None:
            return "–"
        day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
        if isinstance(day, datetime):
            day = day.date()
        return f"{day:%d.%m.%Y}" if self.lang == "de" else day.isoformat()


def language(request: Request) -> tuple[str, bool]:
    """The page's language and whether it came from ``?lang=`` (then kept in a cookie)."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked, True
    kept = request.cookies.get("lang")
    if kept in LANGS:
        return kept, False
    best, weight = "en", 0.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower()[:2]
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if code in LANGS and q > weight:
            best, weight = code, q
    return best, False


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, sent: str) -> bool:
    token = request.session.get("csrf")
    return (
        isinstance(token, str)
        and bool(sent)
        and secrets.compare_digest(token.encode("utf-8"), sent.encode("utf-8"))
    )


def current(request: Request) -> Principal | None:
    """The signed-in caller, from the session's row: the cookie alone signs no one in.
    A cookie whose session is unknown, ended or expired, or whose key was revoked,
    is cleared."""
    token = request.session.get("session")
    if not isinstance(token, str):
        return None
    found = sessions.find(engine_of(request), token, datetime.now(UTC))
    if found is None:
        request.session.clear()
        return None
    request.state.principal = found
    return found


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def safe_next(target: str) -> str:
    """Where to go after signing in: a page of this app only."""
    if target.startswith("/app/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/app/flags"


def secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def redirect(url: str) -> Response:
    return secured(RedirectResponse(url, status_code=303))


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    status: int = 200,
    user: Principal | None = None,
) -> Response:
    lang, from_query = language(request)
    other = "de" if lang == "en" else "en"
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    params["lang"] = other
    flashed = request.session.pop("flash", None)
    t = STRINGS[lang]
    message = None
    if isinstance(flashed, dict) and flashed.get("key") in t:
        message = {
            "kind": "error" if flashed.get("kind") == "error" else "ok",
            "text": t[flashed["key"]].format(**flashed.get("args", {})),
        }
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "t": t,
            "lang": lang,
            "lang_url": f"{request.url.path}?{urlencode(params)}",
            "fmt": Formats(lang),
            "csrf": csrf_token(request),
            "user": user,
            "flash": message,
            **(context or {}),
        },
        status_code=status,
    )
    if from_query:
        response.set_cookie(
            "lang",
            lang,
            max_age=365 * 86_400,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request.app.state.settings),
        )
    return secured(response)


_ERROR_KINDS = {403: "forbidden", 404: "not_found", 503: "busy"}
#: The paths of the web page (the rest is the JSON API).
PAGE_PREFIXES = ("/app/", "/login", "/logout")


def error_page(request: Request, status: int, user: Principal | None = None) -> Response:
    return render(request, "error.html", {"kind": _ERROR_KINDS[status]}, status=status, user=user)


def is_page(request: Request) -> bool:
    """Whether ``request`` is for the web page (answered in HTML) rather than the API."""
    return request.url.path == "/" or request.url.path.startswith(PAGE_PREFIXES)


def flash(request: Request, key: str, kind: str = "ok", **args: str) -> None:
    request.session["flash"] = {"key": key, "kind": kind, "args": args}


def client_url(client_id: str, flag_id: str | None = None) -> str:
    url = f"/app/clients/{quote(client_id, safe='')}"
    return f"{url}#flag-{flag_id}" if flag_id else url


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
        request.session.clear()
        return redirect("/login")

    @router.get("/app/flags")
    def flag_list(request: Request, risk: str = "", level: str = "") -> Response:
        user = current(request)
        if user is None:
            return redirect("/login?" + urlencode({"next": "/app/flags"}))
        chosen_risk = risk if risk in NAMES else None
        chosen_level = level if level in LEVELS else None
        found = find_flags(engine_of(request), risk=chosen_risk, level=chosen_level, principal=user)
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

    @router.get("/app/clients/{client_id}")
    def client_page(request: Request, client_id: str) -> Response:
        user = current(request)
        if user is None:
            return redirect("/login?" + urlencode({"next": client_url(client_id)}))
        engine = engine_of(request)
        detail = client_detail(engine, user, client_id)
        events = timeline(engine, user, client_id)
        if detail is None or events is None:
            return error_page(request, 404, user)
        lang, _ = language(request)
        labels = STRINGS[lang]
        latest = events["invoices"][-1] if events["invoices"] else None
        explained = explain_invoice(engine, user, latest["invoice_id"]) if latest else None
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
            "spend": charts.spend_chart(events["spend"], labels, lang),
            "history": charts.history_chart(detail["history"], labels, lang),
            "sentiment": charts.sentiment_chart(events["messages"], labels, lang),
            "rhythm": charts.rhythm_chart(events["messages"], labels, lang, until),
        }
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        return render(
            request,
            "client.html",
            {
                "client": detail,
                "charts": figures,
                "invoice": explained,
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
        flash(request, "done_snooze", day=Formats(lang).day(day))
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
