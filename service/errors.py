"""The API's errors, all in one shape: ``{"detail": [{"loc", "msg", "type"}]}``.

Every 4xx names the field it is about and why, and never echoes the rejected
input; a busy database is a 503 with ``Retry-After`` (a page for the web page);
anything unexpected is logged our way (``service.logs``) and answers a 500 in
the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from risk.store.db import BUSY, is_busy
from service import schemas
from service.web.render import error_page, is_page

log = logging.getLogger("billing_risk.api")

#: The error answers every route may give, for the OpenAPI document.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.ErrorResponse},
    401: {
        "model": schemas.ErrorResponse,
        "description": "No API key, or an unknown or revoked one.",
    },
    403: {"model": schemas.ErrorResponse, "description": "The key's role may not do this."},
    404: {
        "model": schemas.ErrorResponse,
        "description": "No such thing, or not one the caller may see.",
    },
    422: {"model": schemas.ErrorResponse},
}
#: Seconds a client is asked to wait when the database is busy.
RETRY_AFTER = "5"


class ApiError(Exception):
    """A 4xx with the field it is about and why."""

    def __init__(
        self, status: int, loc: list[str | int], msg: str, kind: str = "value_error"
    ) -> None:
        self.status = status
        self.problems = [{"loc": loc, "msg": msg, "type": kind}]
        super().__init__(msg)


def not_found(what: str, loc: list[str | int]) -> ApiError:
    return ApiError(404, loc, f"no {what} with this id", "not_found")


def internal_error() -> JSONResponse:
    problems = [{"loc": ["server"], "msg": "internal error; it was logged", "type": "internal"}]
    return JSONResponse({"detail": problems}, status_code=500)


def where(request: Request) -> dict[str, object]:
    """The request's method and route template, for a log line (never its path or query,
    which may hold a client id or an address)."""
    route = request.scope.get("route")
    return {"method": request.method, "route": getattr(route, "path", "unmatched")}


def install_errors(app: FastAPI) -> None:
    """Answer every error of ``app`` in the documented shape."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"detail": exc.problems}, status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI's and Starlette's own 4xx (a body that does not parse, a path no route
        # matches, a method a route lacks) in the documented shape too.
        at: dict[int, list[str | int]] = {400: ["body"], 405: ["method"]}
        loc = at.get(exc.status_code, ["path"])
        problems = [{"loc": loc, "msg": str(exc.detail), "type": "http_error"}]
        return JSONResponse({"detail": problems}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> Response:
        # The transaction was rolled back by the engine: nothing of the request is stored.
        if is_busy(exc):
            if is_page(request):
                page = error_page(request, 503)
                page.headers["Retry-After"] = RETRY_AFTER
                return page
            problems = [{"loc": ["database"], "msg": BUSY, "type": "busy"}]
            return JSONResponse(
                {"detail": problems}, status_code=503, headers={"Retry-After": RETRY_AFTER}
            )
        log.error("database error", exc_info=exc, extra={"fields": where(request)})
        return internal_error()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Field and reason only: the rejected input is not echoed back.
        problems = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)
