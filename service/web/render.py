"""Rendering the page: templates with the reader's language and formats, security
headers, redirects, and the error pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from babel import Locale
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from risk.store.keys import Principal
from risk.wording import LANGUAGES, Words, negotiate, words
from service.web.session import csrf_token, secure_cookies
from service.web.strings import FLASH, NAMES

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
# The words of the page being rendered: set by ``render`` for its template, read by the
# templates' ``_``, ``ngettext`` and ``name`` (Jinja2's i18n extension calls them).
_READER: ContextVar[Words] = ContextVar("reader")


def _gettext(message: str) -> str:
    return _READER.get().catalog.gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _READER.get().catalog.ngettext(singular, plural, n)


def _name(kind: str, value: str) -> str:
    """The display name of ``value`` (a risk, level, trend, verdict or error) as read."""
    return _READER.get()(NAMES[kind][value])


TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=_gettext, ngettext=_ngettext, newstyle=False
)
TEMPLATES.env.globals["name"] = _name
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
    """Numbers and dates for the page: the reader's words (``risk.wording``), and a dash
    where a value is not known."""

    words: Words

    def num(self, value: float | None, decimals: int = 0) -> str:
        if value is None or not math.isfinite(value):
            return "–"
        return self.words.number(float(value), decimals)

    def pct(self, share: float | None) -> str:
        return "–" if share is None else self.words.share(share)

    def percent(self, value: float | None) -> str:
        return "–" if value is None else self.words.percent(value)

    def day(self, value: date | str | None) -> str:
        return "–" if value is None else self.words.day(value)


def language(request: Request) -> tuple[str, bool]:
    """The page's language and whether it came from ``?lang=`` (then kept in a cookie):
    ``?lang=``, then the ``lang`` cookie, then the browser's ``Accept-Language``
    negotiated by Babel, then the default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked, True
    kept = request.cookies.get("lang")
    if kept in LANGUAGES:
        return kept, False
    preferred = []
    for index, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        try:
            q = float(params.strip()[2:]) if params.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if tag.strip() and q > 0:
            preferred.append((-q, index, tag.strip()))
    return negotiate([tag for _, _, tag in sorted(preferred)]) or LANGUAGES[0], False


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
    said = words(lang)
    # The switch offers the next language, named in its own words ("Deutsch").
    other = LANGUAGES[(LANGUAGES.index(lang) + 1) % len(LANGUAGES)]
    params = {k: v for k, v in request.query_params.items() if k != "lang"}
    params["lang"] = other
    flashed = request.session.pop("flash", None)
    message = None
    if isinstance(flashed, dict) and flashed.get("key") in FLASH:
        message = {
            "kind": "error" if flashed.get("kind") == "error" else "ok",
            "text": said(FLASH[flashed["key"]], **flashed.get("args", {})),
        }
    _READER.set(said)
    response = TEMPLATES.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "other_lang": other,
            "other_lang_name": (Locale.parse(other).get_display_name(other) or other).capitalize(),
            "lang_url": f"{request.url.path}?{urlencode(params)}",
            "fmt": Formats(said),
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
