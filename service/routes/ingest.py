"""``POST /ingest``: new rows of one contract file, validated like a bundle, all or nothing."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from risk.store.ingest import IngestError, ingest
from service import schemas
from service.deps import EngineDep, Operator

log = logging.getLogger("billing_risk.api")
router = APIRouter(tags=["data"])


@router.post("/ingest", response_model=schemas.IngestOut)
def post_ingest(body: schemas.IngestIn, caller: Operator, engine: EngineDep) -> Any:
    """New rows for one contract file: validated like a bundle, idempotent by id,
    all or nothing."""
    try:
        report = ingest(engine, body.file, body.rows)
    except IngestError as exc:
        problems = [
            {
                "loc": [
                    "body",
                    "rows",
                    *([] if p.row is None else [p.row]),
                    *([p.field] if p.field else []),
                ],
                "msg": p.message,
                "type": "contract",
            }
            for p in exc.problems
        ]
        return JSONResponse({"detail": problems}, status_code=422)
    log.info(
        "ingest",
        extra={"fields": {"file": report.file, "added": report.added, "changed": report.changed}},
    )
    return report.__dict__
