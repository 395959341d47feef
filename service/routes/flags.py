"""``/flags``: the open flags a caller may see, and what a person does to one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from risk.scoring.flags import (
    FlagClearedError,
    FlagNotFoundError,
    acknowledge,
    give_feedback,
    list_flags,
    snooze,
)
from service import schemas
from service.deps import (
    NO_NUL,
    Caller,
    EngineDep,
    FlagId,
    ReaderDep,
    ReadsDep,
    json_answer,
    json_response,
)
from service.errors import ApiError, not_found
from service.reads import Answer, caller_scope

router = APIRouter(tags=["flags"])


@router.get("/flags", response_model=schemas.FlagPage)
async def get_flags(
    caller: Caller,
    engine: ReaderDep,
    reads: ReadsDep,
    risk: Annotated[schemas.Risk | None, Query()] = None,
    level: Annotated[schemas.Level | None, Query()] = None,
    pm: Annotated[
        str | None, Query(max_length=320, pattern=NO_NUL, description="Only this PM's clients.")
    ] = None,
    trend: Annotated[schemas.Trend | None, Query()] = None,
    snoozed: Annotated[bool, Query(description="Include snoozed flags.")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """Open flags the caller may see, highest level and probability first."""

    def make() -> Answer:
        found = list_flags(
            engine,
            pm,
            risk=risk,
            level=level,
            trend=trend,
            include_snoozed=snoozed,
            principal=caller,
        )
        start = (page - 1) * per_page
        listed = {
            "items": [f.as_dict() for f in found[start : start + per_page]],
            "total": len(found),
            "page": page,
            "per_page": per_page,
        }
        return json_answer(schemas.FlagPage, listed)

    key = ("flags", caller_scope(caller), risk, level, pm, trend, snoozed, page, per_page)
    answer = await reads.answer(key, make)
    assert answer is not None  # a list is never "not found"
    return json_response(answer)


def _flag_action(action: Callable[[], Any]) -> dict[str, Any]:
    try:
        flag = action()
    except FlagNotFoundError:
        raise not_found("flag", ["path", "flag_id"]) from None
    except FlagClearedError as exc:
        raise ApiError(409, ["path", "flag_id"], str(exc), "flag_cleared") from None
    except ValueError as exc:
        field, _, reason = str(exc).partition(": ")
        raise ApiError(422, ["body", field], reason or str(exc)) from None
    return dict(flag.as_dict())


@router.post("/flags/{flag_id}/ack", response_model=schemas.FlagOut)
def post_ack(flag_id: FlagId, caller: Caller, engine: EngineDep) -> dict[str, Any]:
    """Acknowledge: no alert again until the flag's level changes."""
    return _flag_action(lambda: acknowledge(engine, flag_id, caller.actor, principal=caller))


@router.post("/flags/{flag_id}/snooze", response_model=schemas.FlagOut)
def post_snooze(
    flag_id: FlagId, body: schemas.SnoozeIn, caller: Caller, engine: EngineDep
) -> dict[str, Any]:
    """Hide the flag until a date, with a reason."""
    return _flag_action(
        lambda: snooze(engine, flag_id, body.until, body.reason, caller.actor, principal=caller)
    )


@router.post("/flags/{flag_id}/feedback", response_model=schemas.FlagOut)
def post_feedback(
    flag_id: FlagId, body: schemas.FeedbackIn, caller: Caller, engine: EngineDep
) -> dict[str, Any]:
    """Was the flag right? Kept as a label for retraining."""
    return _flag_action(
        lambda: give_feedback(
            engine, flag_id, body.verdict, caller.actor, body.note, principal=caller
        )
    )
