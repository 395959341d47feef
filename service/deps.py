"""The API's dependencies, as ``Annotated`` aliases a route names in its signature:
who is calling (``Caller``; ``Operator`` for analysts and admins), the app's state
and database, and the path ids."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request, Response
from pydantic import BaseModel
from sqlalchemy import Engine

from risk.store.keys import Principal
from service.errors import ApiError
from service.reads import Answer, ReadCache
from service.state import AppState

# The dependencies are coroutines: a plain function would cost each request one more
# trip through the thread pool (measured: a third of a cached read's time).


async def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.risk
    return state


async def reads(request: Request) -> ReadCache:
    state: AppState = request.app.state.risk
    return state.reads


def json_answer(model: type[BaseModel], found: Any) -> Answer:
    """``found`` as the route's response model makes it: FastAPI's own serialisation."""
    return Answer(model.model_validate(found).model_dump_json(by_alias=True).encode())


def json_response(answer: Answer) -> Response:
    return Response(answer.body, status_code=answer.status, media_type="application/json")


async def engine(request: Request) -> Engine:
    state: AppState = request.app.state.risk
    return state.engine


async def reader(request: Request) -> Engine:
    """The engine for routes that only read (``risk.store.db.for_reads``)."""
    state: AppState = request.app.state.risk
    return state.reader


async def principal(
    request: Request,
    x_api_key: Annotated[str | None, Header(alias="X-API-Key", description="An API key.")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <API key>.")] = None,
) -> Principal:
    secret = x_api_key
    if secret is None and authorization is not None:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer":
            secret = value.strip()
    if not secret:
        raise ApiError(401, ["header", "X-API-Key"], "an API key is required", "missing_key")
    state: AppState = request.app.state.risk
    # A read may trust a check of the last seconds; a write checks afresh, so a key
    # revoked elsewhere changes nothing from the moment it is revoked.
    write = request.method not in ("GET", "HEAD")
    found = None if write else state.keys.cached(secret)
    if found is None:  # not checked lately: ask the database, off the event loop
        found = await state.keys.ask(state.engine, secret, write)
    if found is None:
        raise ApiError(401, ["header", "X-API-Key"], "unknown or revoked API key", "invalid_key")
    request.state.principal = found
    return found


async def operator(caller: Annotated[Principal, Depends(principal)]) -> Principal:
    if not caller.operator:
        raise ApiError(
            403,
            ["header", "X-API-Key"],
            f"role {caller.role!r} may not do this; analyst or admin may",
            "forbidden",
        )
    return caller


StateDep = Annotated[AppState, Depends(app_state)]
ReadsDep = Annotated[ReadCache, Depends(reads)]
EngineDep = Annotated[Engine, Depends(engine)]
ReaderDep = Annotated[Engine, Depends(reader)]
Caller = Annotated[Principal, Depends(principal)]
Operator = Annotated[Principal, Depends(operator)]
# No id holds a NUL (ingest refuses them; PostgreSQL cannot even bind one).
NO_NUL = r"^[^\x00]*$"
ClientId = Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL)]
FlagId = Annotated[str, Path(min_length=1, max_length=40, pattern=NO_NUL)]
InvoiceId = Annotated[str, Path(min_length=1, max_length=200, pattern=NO_NUL)]
