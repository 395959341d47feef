"""The PMs' web page: server-rendered HTML (Jinja2), no JavaScript framework.

A PM signs in with their API key once. The session is a row in the database
(``risk.store.sessions``); the signed cookie (HttpOnly, SameSite=Lax, Secure behind
https) carries its random token, the CSRF token and flash messages, and every
request checks the row, so signing out, 8 hours or a revoked key end the session
even for a copy of the cookie saved before. Every form carries a per-session
CSRF token, checked on every POST (the sign-in form's token lives in a cookie
without a session). What a caller sees is scoped exactly like the API
(``risk.store.keys.visible_clients``): a client or flag outside it answers 404 like one
that does not exist.

Routes: ``/`` (to the list or the sign-in), ``/login``, ``/logout``,
``/app/flags`` (the caller's open flags, filters for risk and level),
``/app/clients/{client_id}`` (scores, flags with reasons and next steps, charts,
the latest invoice explained, forms to act on each flag),
``/app/flags/{flag_id}/ack|snooze|feedback`` and ``/app/clients/{client_id}/check``
(a draft invoice checked before it is sent, ``service.web.check``). English and German, from
``?lang=``, then the ``lang`` cookie, then ``Accept-Language``.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from risk.settings import Settings
from service.web.check import check_router
from service.web.pages import web_router
from service.web.session import SESSION_COOKIE, SESSION_SECONDS, secure_cookies, session_secret


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
    app.include_router(check_router())
