"""``/clients/{id}``: what the caller may see of one client, and its timeline in pages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query

from risk.clients import TIMELINE_LIMIT, TIMELINE_MAX_LIMIT, client_detail, timeline
from service import schemas
from service.deps import Caller, ClientId, EngineDep
from service.errors import not_found

router = APIRouter(tags=["clients"])


@router.get("/clients/{client_id}", response_model=schemas.ClientOut)
def get_client(client_id: ClientId, caller: Caller, engine: EngineDep) -> dict[str, Any]:
    """Current scores with reasons, open flags, score history, latest signals."""
    found = client_detail(engine, caller, client_id)
    if found is None:
        raise not_found("client", ["path", "client_id"])
    return found


@router.get("/clients/{client_id}/timeline", response_model=schemas.Timeline)
def get_timeline(
    client_id: ClientId,
    caller: Caller,
    engine: EngineDep,
    before: Annotated[
        datetime | None,
        Query(description="The page ends before this instant (default: after the latest)."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=TIMELINE_MAX_LIMIT, description="At most this many messages.")
    ] = TIMELINE_LIMIT,
) -> dict[str, Any]:
    """A year of messages with sentiment, invoices, and billed vs delivered vs budget by
    week, newest first by page: ``links.next`` is the page before this one."""
    if before is not None and before.tzinfo is None:
        before = before.replace(tzinfo=UTC)  # the contract's rule: no zone is UTC
    found = timeline(engine, caller, client_id, before=before, limit=limit)
    if found is None:
        raise not_found("client", ["path", "client_id"])
    older = found.pop("next_before")
    found["links"] = {
        "next": None
        if older is None
        else f"/clients/{quote(client_id, safe='')}/timeline?"
        + urlencode({"before": older.isoformat(), "limit": limit})
    }
    return found
