"""Rendering the page: templates with the reader's language and formats, security
headers, redirects, and the error pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from risk.store.keys import Principal
from service.web import charts
from service.web.session import csrf_token, secure_cookies
from service.web.strings import STRINGS

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
LANGS = ("en", "de")
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


def client_url(client_id: str, flag_id: str | None = None) -> str:
    url = f"/app/clients/{quote(client_id, safe='')}"
    return f"{url}#flag-{flag_id}" if flag_id else url
