"""The reference for ``bench_api``: what FastAPI and uvicorn on this machine can do for
``GET /clients/{id}`` when the work is as small as it can be.

A bare FastAPI app on the same stack as ``risk serve`` (FastAPI, uvicorn with the same
event loop and HTTP parser, one process, SQLite): it checks the ``X-API-Key`` the way
``risk.store.keys.authenticate`` does (the SHA-256 of the key looked up by an index in a
table of key hashes) and answers a stored copy of the real ``/clients/{id}`` JSON body,
looked up by its primary key. The handler is a coroutine, as the real read routes
are, and does both lookups on the event loop (each takes microseconds): no trip
through the thread pool, which an earlier, plain-``def`` reference paid and the
real routes no longer do on a kept answer. No middleware, no logging, no response
model: anything the real route costs beyond this is the price of its own work.

Run by the bench as ``python -m tests.bench.reference_app --store FILE --port N``.
"""

from __future__ import annotations

import argparse
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated

import uvicorn
from fastapi import FastAPI, Header, Response
from fastapi.responses import JSONResponse

from risk.store.keys import PREFIX, hash_key

_UNAUTHORISED = b'{"detail":"unknown key"}'


def write_store(path: Path, key_hashes: Iterable[str], bodies: Mapping[str, bytes]) -> None:
    """The reference's SQLite file: the keys' hashes and each client's JSON body."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE api_keys (key_hash TEXT PRIMARY KEY, revoked_at TEXT)")
        db.execute("CREATE TABLE clients (client_id TEXT PRIMARY KEY, body BLOB NOT NULL)")
        db.executemany("INSERT INTO api_keys VALUES (?, NULL)", [(h,) for h in key_hashes])
        db.executemany("INSERT INTO clients VALUES (?, ?)", list(bodies.items()))
    db.close()


def create_app(store: Path) -> FastAPI:
    """The reference app over the SQLite file ``store`` (read only)."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, check_same_thread=False)
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> Response:
        return Response(content=b'{"status":"ok"}', media_type="application/json")

    @app.get("/clients/{client_id}")
    async def client(client_id: str, x_api_key: Annotated[str, Header()] = "") -> Response:
        known = (
            x_api_key.startswith(PREFIX)
            and len(x_api_key) <= 200
            and db.execute(
                "SELECT 1 FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (hash_key(x_api_key),),
            ).fetchone()
            is not None
        )
        if not known:
            return Response(content=_UNAUTHORISED, status_code=401, media_type="application/json")
        row = db.execute("SELECT body FROM clients WHERE client_id = ?", (client_id,)).fetchone()
        if row is None:
            return JSONResponse({"detail": "no such client"}, status_code=404)
        return Response(content=row[0], media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # As ``risk serve`` runs uvicorn: warnings only, so no access log either.
    uvicorn.run(create_app(args.store), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
