"""``/clients/{id}``: what the caller may see of one client, and its timeline in pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Response

from risk.clients import TIMELINE_LIMIT, TIMELINE_MAX_LIMIT, client_detail, timeline
from service import schemas
from service.deps import (
    Caller,
    ClientId,
    ReaderDep,
    ReadsDep,
    json_answer,
    json_response,
)
from service.errors import ApiError, not_found
from service.reads import Answer, caller_scope

router = APIRouter(tags=["clients"])
#: The years a timeline page may end in.
EARLIEST, LATEST = 1900, 2199


@router.get("/clients/{client_id}", response_model=schemas.ClientOut)
async def get_client(
    client_id: ClientId, caller: Caller, engine: ReaderDep, reads: ReadsDep
) -> Response:
    """Current scores with reasons, open flags, score history, latest signals."""

    def make() -> Answer | None:
        found = client_detail(engine, caller, client_id)
        return None if found is None else json_answer(schemas.ClientOut, found)

    answer = await reads.answer(("client", caller_scope(caller), client_id), make)
    if answer is None:
        raise not_found("client", ["path", "client_id"])
    return json_response(answer)


@router.get("/clients/{client_id}/timeline", response_model=schemas.Timeline)
async def get_timeline(
    client_id: ClientId,
    caller: Caller,
    engine: ReaderDep,
    reads: ReadsDep,
    before: Annotated[
        datetime | None,
        Query(description="The page ends before this instant (default: after the latest)."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=TIMELINE_MAX_LIMIT, description="At most this many messages.")
    ] = TIMELINE_LIMIT,
) -> Response:
    """A year of messages with sentiment, invoices, and billed vs delivered vs budget by
    week, newest first by page: ``links.next`` is the page before this one."""
    if before is not None and before.tzinfo is None:
        before = before.replace(tzinfo=UTC)  # the contract's rule: no zone is UTC
    if before is not None and not EARLIEST <= before.year <= LATEST:
        # A page reaches a year back from it: the calendar must hold that year.
        raise ApiError(422, ["query", "before"], f"must be in the years {EARLIEST}-{LATEST}")

    def make() -> Answer | None:
        found = timeline(engine, caller, client_id, before=before, limit=limit)
        if found is None:
            return None
        older = found.pop("next_before")
        found["links"] = {
            "next": None
            if older is None
            else f"/clients/{quote(client_id, safe='')}/timeline?"
            + urlencode({"before": older.isoformat(), "limit": limit})
        }
        return json_answer(schemas.Timeline, found)

    key = ("timeline", caller_scope(caller), client_id, before, limit)
    answer = await reads.answer(key, make)
    if answer is None:
        raise not_found("client", ["path", "client_id"])
    return json_response(answer)
