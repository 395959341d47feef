"""The HTTP API end to end on the small firm: trained champions in MLflow, the bundle
loaded and scored in SQLite, a key per caller (two PMs, an account lead, an analyst,
an admin), the app run with its lifespan by ``TestClient``.

Every route is walked for every caller and, where a route is about one client, for
a client of the caller's, a client of someone else's and an id that does not exist
(``test_client_routes_by_caller``: 6 routes x 5 callers x 3 targets = 90 cases), with
the expected answer worked out from the bundle's own frames. Then keys (missing,
wrong, revoked, as a Bearer token), operator routes by role, ingest (idempotent,
all or nothing, every bad row named), score jobs (one at a time), health and
metrics, the shape of every 4xx, and what the JSON logs may not hold.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from risk.scoring import jobs
from risk.scoring.flags import acknowledge
from risk.settings import Settings
from risk.store.db import make_engine
from risk.store.keys import create_key, revoke_key
from risk.store.load import read_bundle
from risk.store.message_scores import store_message_scores
from risk.store.tables import CONTRACT, alerts, workers
from risk.store.versions import bump
from risk.worker import heartbeat
from service.app import create_app
from service.logs import configure
from service.reads import ReadCache
from tests.service.api_firm import ROLES, ScoredFirm, open_flags

pytestmark = pytest.mark.integration

OPERATORS = ("analyst", "admin")
TARGETS = ("own", "other", "unknown")
UNKNOWN = {"client": "C-NO-SUCH-CLIENT", "invoice": "INV-NO-SUCH-INVOICE", "flag": "no-such-flag"}
SNOOZE_UNTIL = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


# --- fixtures and helpers -------------------------------------------------------------


@pytest.fixture(scope="module")
def api(api_settings: Settings) -> Iterator[TestClient]:
    """The app on this module's database; the context runs the lifespan (champions)."""
    with TestClient(create_app(api_settings)) as client:
        yield client


def key(firm: ScoredFirm, name: str) -> dict[str, str]:
    return {"X-API-Key": firm.callers[name].secret}


def problem(response: Any, status: int, loc: list[str | int] | None = None) -> dict[str, Any]:
    """Assert ``response`` is a ``status`` with the documented error body (every problem
    a loc and a non-empty msg, the input never echoed); the first problem at ``loc``."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], list)
    assert body["detail"], body
    for item in body["detail"]:
        assert set(item) <= {"loc", "msg", "type"}, item
        assert isinstance(item["loc"], list)
        assert item["loc"], item
        assert isinstance(item["msg"], str)
        assert item["msg"].strip(), item
    if loc is not None:
        assert loc in [item["loc"] for item in body["detail"]], body
    first: dict[str, Any] = body["detail"][0]
    return first


def count(settings: Settings, table: str) -> int:
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(CONTRACT[table])).scalar_one()
            )
    finally:
        engine.dispose()


def every_flag(api: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """All pages of GET /flags."""
    found: list[dict[str, Any]] = []
    page = 1
    while True:
        response = api.get(
            "/flags", headers=headers, params={**params, "page": page, "per_page": 200}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        found += body["items"]
        if page * 200 >= body["total"]:
            assert len(found) == body["total"]
            return found
        page += 1


@pytest.fixture(scope="module")
def targets(api_firm: ScoredFirm, api_settings: Settings) -> dict[tuple[str, str], str]:
    """(caller, own|other) -> a flagged client with invoices: own, one the caller may
    see; other, one they may not (for analysts and admins, one the PM may not see)."""
    flagged = set(open_flags(api_settings)["client_id"])
    invoiced = set(api_firm.bundle.invoices["client_id"])
    candidates = flagged & invoiced
    everyone = set(api_firm.bundle.clients["client_id"])
    chosen: dict[tuple[str, str], str] = {}
    for name in ROLES:
        if name in OPERATORS:
            mine = api_firm.visible("pm")
            theirs = everyone - mine
        else:
            mine = api_firm.visible(name)
            rival = "other_pm" if name == "pm" else "pm"
            # Preferably a client of another caller in the tests: the case that matters.
            theirs = (api_firm.visible(rival) - mine) or (everyone - mine)
        own, other = sorted(mine & candidates), sorted(theirs & candidates)
        assert own, f"{name} has no flagged client with invoices"
        assert other, f"every flagged client with invoices is {name}'s"
        chosen[name, "own"], chosen[name, "other"] = own[0], other[0]
    return chosen


# --- every route x every caller x own / other / unknown -------------------------------

#: name -> (method, path template, the path parameter, what a 404 names, body)
CLIENT_ROUTES: dict[str, tuple[str, str, str, str, dict[str, Any] | None]] = {
    "client": ("GET", "/clients/{}", "client_id", "client", None),
    "timeline": ("GET", "/clients/{}/timeline", "client_id", "client", None),
    "explanation": ("GET", "/invoices/{}/explanation", "invoice_id", "invoice", None),
    "ack": ("POST", "/flags/{}/ack", "flag_id", "flag", None),
    "snooze": (
        "POST",
        "/flags/{}/snooze",
        "flag_id",
        "flag",
        {"until": SNOOZE_UNTIL, "reason": "client on holiday"},
    ),
    "feedback": ("POST", "/flags/{}/feedback", "flag_id", "flag", {"verdict": "valid"}),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ROLES)
@pytest.mark.parametrize("route", list(CLIENT_ROUTES))
def test_client_routes_by_caller(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
    route: str,
    name: str,
    target: str,
) -> None:
    method, template, param, what, body = CLIENT_ROUTES[route]
    caller = api_firm.callers[name]
    if target == "unknown":
        client_id = None
        ident = UNKNOWN[what]
    else:
        client_id = targets[name, target]
        if what == "client":
            ident = client_id
        elif what == "invoice":
            invoices = api_firm.bundle.invoices
            ident = sorted(invoices.loc[invoices["client_id"] == client_id, "invoice_id"])[0]
        else:
            flags = open_flags(api_settings)
            ident = sorted(flags.loc[flags["client_id"] == client_id, "flag_id"])[0]
    response = api.request(method, template.format(ident), headers=key(api_firm, name), json=body)

    sees = client_id is not None and client_id in api_firm.visible(name)
    if not sees:
        # Someone else's and a missing one answer the very same 404.
        problem(response, 404, ["path", param])
        assert response.json() == {
            "detail": [
                {"loc": ["path", param], "msg": f"no {what} with this id", "type": "not_found"}
            ]
        }
        return
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["client_id"] == client_id
    if route == "timeline":
        invoices = api_firm.bundle.invoices
        assert {i["invoice_id"] for i in got["invoices"]} == set(
            invoices.loc[invoices["client_id"] == client_id, "invoice_id"]
        )
        assert got["messages"]
        assert got["spend"]
    elif route == "client":
        assert got["scores"]
        assert got["flags"]
        assert all(f["client_id"] == client_id for f in got["flags"])
    elif route == "explanation":
        assert got["invoice_id"] == ident
        assert got["text"]
    else:
        assert got["flag_id"] == ident
        if route == "ack":
            assert got["acknowledged_by"] == f"{caller.role}:{caller.email}"
        if route == "snooze":
            assert got["snoozed_until"] == SNOOZE_UNTIL


@pytest.mark.parametrize("name", ROLES)
def test_flags_list_only_the_callers_clients(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings, name: str
) -> None:
    flags = open_flags(api_settings)
    mine = flags[flags["client_id"].isin(api_firm.visible(name))]
    listed = every_flag(api, key(api_firm, name), snoozed=True)
    assert sorted(f["flag_id"] for f in listed) == sorted(mine["flag_id"])
    assert listed, f"{name} sees no flag: the case proves nothing"
    if name not in OPERATORS:
        assert len(listed) < len(flags)
    order = [(f["level"] == "high", f["probability"]) for f in listed]
    assert order == sorted(order, reverse=True)
    # Without ?snoozed, the ones snoozed until later are hidden.
    today = datetime.now(UTC).date()
    awake = mine[mine["snoozed_until"].isna() | (mine["snoozed_until"] < today)]
    assert sorted(f["flag_id"] for f in every_flag(api, key(api_firm, name))) == sorted(
        awake["flag_id"]
    )


def test_flags_pm_filter_narrows_and_never_widens(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    flags = open_flags(api_settings)
    other = api_firm.callers["other_pm"].email
    both = api_firm.visible("pm") & api_firm.visible("other_pm")
    got = every_flag(api, key(api_firm, "pm"), snoozed=True, pm=other)
    assert {f["client_id"] for f in got} <= both
    assert sorted(f["flag_id"] for f in got) == sorted(
        flags.loc[flags["client_id"].isin(both), "flag_id"]
    )
    everything = every_flag(api, key(api_firm, "admin"), snoozed=True, pm=other.upper())
    assert {f["client_id"] for f in everything} == (
        api_firm.visible("other_pm") & set(flags["client_id"])
    )


def test_a_pm_keeps_the_clients_of_closed_projects(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    projects = api_firm.bundle.projects
    closed = projects.groupby(["pm", "client_id"])["closed_at"].apply(lambda s: s.notna().all())
    pm, client_id = sorted(closed[closed].index)[0]
    engine = make_engine(api_settings.database_url)
    _, secret = create_key(engine, "pm", pm, "test")
    engine.dispose()
    response = api.get(f"/clients/{client_id}", headers={"X-API-Key": secret})
    assert response.status_code == 200, response.text


def test_snoozed_flags_leave_the_list_until_the_date(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    listed = every_flag(api, key(api_firm, "other_pm"))
    flag_id = listed[-1]["flag_id"]
    snoozed = api.post(
        f"/flags/{flag_id}/snooze",
        headers=key(api_firm, "other_pm"),
        json={"until": SNOOZE_UNTIL, "reason": "waiting for the budget review"},
    )
    assert snoozed.status_code == 200, snoozed.text
    assert flag_id not in {f["flag_id"] for f in every_flag(api, key(api_firm, "other_pm"))}
    assert flag_id in {
        f["flag_id"] for f in every_flag(api, key(api_firm, "other_pm"), snoozed=True)
    }


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("snooze", {"until": "2020-01-01", "reason": "late"}, ["body", "until"]),
        ("snooze", {"until": SNOOZE_UNTIL, "reason": "   "}, ["body", "reason"]),
        ("snooze", {"until": SNOOZE_UNTIL}, ["body", "reason"]),
        ("snooze", {"until": "soon", "reason": "x"}, ["body", "until"]),
        ("snooze", {"until": SNOOZE_UNTIL, "reason": "x", "extra": 1}, ["body", "extra"]),
        ("feedback", {"verdict": "maybe"}, ["body", "verdict"]),
        ("feedback", {"verdict": "valid", "note": "x" * 2001}, ["body", "note"]),
        ("feedback", None, ["body"]),
    ],
)
def test_flag_action_bodies_are_checked(
    api: TestClient,
    api_firm: ScoredFirm,
    targets: dict[tuple[str, str], str],
    api_settings: Settings,
    path: str,
    body: dict[str, Any] | None,
    loc: list[str],
) -> None:
    flags = open_flags(api_settings)
    flag_id = flags.loc[flags["client_id"] == targets["pm", "own"], "flag_id"].iloc[0]
    response = api.post(f"/flags/{flag_id}/{path}", headers=key(api_firm, "pm"), json=body)
    problem(response, 422, loc)


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"page": 0}, ["query", "page"]),
        ({"per_page": 201}, ["query", "per_page"]),
        ({"risk": "fraud"}, ["query", "risk"]),
        ({"level": "low"}, ["query", "level"]),
        ({"trend": "up"}, ["query", "trend"]),
        ({"snoozed": "perhaps"}, ["query", "snoozed"]),
    ],
)
def test_flags_query_is_checked(
    api: TestClient, api_firm: ScoredFirm, params: dict[str, Any], loc: list[str]
) -> None:
    problem(api.get("/flags", headers=key(api_firm, "pm"), params=params), 422, loc)


ODD_IDS = ["%00", "x%00y", "%27%20OR%20%271%27%3D%271", "%25s", "%5C", "%E2%98%83", "%20"]


@pytest.mark.parametrize("ident", ODD_IDS)
@pytest.mark.parametrize("route", list(CLIENT_ROUTES))
def test_odd_ids_are_plain_404s(
    api: TestClient, api_firm: ScoredFirm, route: str, ident: str
) -> None:
    """A quote, a percent sign, a backslash, non-ASCII: nothing that exists (404).
    A NUL is not an id at all (no stored id holds one; PostgreSQL cannot bind one): 422."""
    method, template, param, what, body = CLIENT_ROUTES[route]
    response = api.request(
        method, template.format(ident), headers=key(api_firm, "admin"), json=body
    )
    if "%00" in ident:
        problem(response, 422, ["path", param])
        return
    assert response.json() == {
        "detail": [{"loc": ["path", param], "msg": f"no {what} with this id", "type": "not_found"}]
    }


def test_errors_outside_the_routes_have_the_documented_shape(
    api: TestClient, api_firm: ScoredFirm
) -> None:
    admin = key(api_firm, "admin")
    unparsable = api.post(
        "/ingest", headers={**admin, "content-type": "application/json"}, content=b"\xff"
    )
    problem(unparsable, 400, ["body"])
    problem(api.get("/no/such/route", headers=admin), 404, ["path"])
    problem(api.get("/clients/a%2Fb", headers=admin), 404, ["path"])
    wrong_method = api.delete("/flags", headers=admin)
    problem(wrong_method, 405, ["method"])
    assert wrong_method.headers["allow"] == "GET"
    problem(
        api.post("/ingest", headers={**admin, "content-type": "application/json"}, content=b"{"),
        422,
    )


# --- keys ------------------------------------------------------------------------------

PROTECTED = [
    ("GET", "/flags"),
    ("GET", "/clients/C-00001"),
    ("GET", "/clients/C-00001/timeline"),
    ("GET", "/invoices/INV-0000001/explanation"),
    ("POST", "/flags/x/ack"),
    ("POST", "/flags/x/snooze"),
    ("POST", "/flags/x/feedback"),
    ("POST", "/ingest"),
    ("POST", "/score"),
    ("GET", "/score/1"),
    ("POST", "/models/reload"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-API-Key": ""},
        {"X-API-Key": "brk_" + "A" * 43},
        {"X-API-Key": "not-even-a-key"},
        {"X-API-Key": "brk_" + "A" * 300},
        {"Authorization": "Bearer brk_" + "A" * 43},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
    ],
    ids=["none", "empty", "unknown", "no-prefix", "too-long", "bearer-unknown", "basic", "bare"],
)
def test_no_valid_key_is_401(
    api: TestClient, method: str, path: str, headers: dict[str, str]
) -> None:
    problem(api.request(method, path, headers=headers), 401, ["header", "X-API-Key"])


def test_bearer_key_works_and_x_api_key_wins(api: TestClient, api_firm: ScoredFirm) -> None:
    secret = api_firm.callers["pm"].secret
    assert api.get("/flags", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert api.get("/flags", headers={"Authorization": f"bearer  {secret} "}).status_code == 200
    wrong = {"X-API-Key": "brk_nope", "Authorization": f"Bearer {secret}"}
    problem(api.get("/flags", headers=wrong), 401, ["header", "X-API-Key"])


def test_a_revoked_key_writes_nothing_from_the_moment_it_is_revoked(
    api: TestClient, api_settings: Settings
) -> None:
    engine = make_engine(api_settings.database_url)
    key_id, secret = create_key(engine, "admin", "leaver@firm.example", "test")
    headers = {"X-API-Key": secret}
    try:
        assert api.get("/flags", headers=headers).status_code == 200  # checked: trusted
        assert api.post("/flags/no-such-flag/ack", headers=headers).status_code == 404
        assert revoke_key(engine, key_id)
    finally:
        engine.dispose()
    # A write checks the key afresh, though reads may trust the check for seconds.
    problem(api.post("/flags/no-such-flag/ack", headers=headers), 401, ["header", "X-API-Key"])


def test_a_revoked_key_is_refused_within_five_seconds(
    api: TestClient, api_settings: Settings
) -> None:
    engine = make_engine(api_settings.database_url)
    key_id, secret = create_key(engine, "admin", "leaver@firm.example", "test")
    try:
        assert api.get("/flags", headers={"X-API-Key": secret}).status_code == 200
        # Revoked as `risk keys revoke` does, from outside the server's process.
        assert revoke_key(engine, key_id)
        revoked = time.monotonic()
    finally:
        engine.dispose()
    while api.get("/flags", headers={"X-API-Key": secret}).status_code == 200:
        assert time.monotonic() - revoked < 5, "a revoked key still answered after 5 s"
        time.sleep(0.1)
    for headers in ({"X-API-Key": secret}, {"Authorization": f"Bearer {secret}"}):
        problem(api.get("/flags", headers=headers), 401, ["header", "X-API-Key"])
        problem(api.post("/models/reload", headers=headers), 401, ["header", "X-API-Key"])


def test_an_answer_kept_by_address_is_the_routes_own_for_the_same_scope_only(
    api: TestClient, api_firm: ScoredFirm, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``KeptAnswers``: the second GET at an address is answered in front of the
    routes, byte for byte as the route answered; never to a caller of another scope,
    never for another address, never a 404, and never after a write."""
    routed: list[object] = []
    answer = ReadCache.answer

    async def through_the_route(self: ReadCache, key: Any, make: Any) -> Any:
        routed.append(key)
        return await answer(self, key, make)

    monkeypatch.setattr(ReadCache, "answer", through_the_route)
    pm, other = key(api_firm, "pm"), key(api_firm, "other_pm")
    client = sorted(api_firm.visible("pm") - api_firm.visible("other_pm"))[0]
    first = api.get(f"/clients/{client}", headers=pm)
    again = api.get(f"/clients/{client}", headers=pm)
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers == first.headers
    assert len(routed) == 1  # the second never reached the route
    # Another scope, the same address: the route answers (404: not theirs).
    problem(api.get(f"/clients/{client}", headers=other), 404, ["path", "client_id"])
    # The other PM's key sent as a Bearer beside a wrong X-API-Key: refused, as the
    # route refuses it, though that key has kept answers.
    api.get("/flags", headers=other)
    wrong = {"X-API-Key": "brk_nope", "Authorization": f"Bearer {other['X-API-Key']}"}
    problem(api.get("/flags", headers=wrong), 401, ["header", "X-API-Key"])
    # Another address, another answer; a 404 is never kept.
    pages = [api.get("/flags", params={"per_page": 1, "page": n}, headers=pm) for n in (1, 2)]
    assert pages[0].json()["items"] != pages[1].json()["items"]
    for _ in range(2):
        problem(api.get("/clients/no-such-client", headers=pm), 404, ["path", "client_id"])
    assert routed.count(("client", ("pm", api_firm.callers["pm"].email), "no-such-client")) == 2
    # A write through the API: the next read is made again.
    flag = next(f for f in first.json()["flags"] if f["acknowledged_by"] is None)
    before = len(routed)
    assert api.post(f"/flags/{flag['flag_id']}/ack", headers=pm).status_code == 200
    after = api.get(f"/clients/{client}", headers=pm)
    assert len(routed) == before + 1
    assert after.content != first.content


def test_a_kept_answer_is_fresh_after_a_write_from_another_process(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    headers = key(api_firm, "pm")
    listed = api.get("/flags", headers=headers).json()
    flag = next(f for f in listed["items"] if f["acknowledged_by"] is None)
    client = api.get(f"/clients/{flag['client_id']}", headers=headers).json()
    assert api.get("/flags", headers=headers).json() == listed  # kept: the same answer
    engine = make_engine(api_settings.database_url)
    try:  # as `risk flags ack` in another process would
        acknowledge(engine, flag["flag_id"], "colleague@firm.example")
    finally:
        engine.dispose()
    listed = api.get("/flags", headers=headers).json()
    moved = next(f for f in listed["items"] if f["flag_id"] == flag["flag_id"])
    assert moved["acknowledged_by"] == "colleague@firm.example"
    shown = api.get(f"/clients/{flag['client_id']}", headers=headers).json()
    assert shown != client
    assert {f["flag_id"]: f["acknowledged_by"] for f in shown["flags"]}[flag["flag_id"]] == (
        "colleague@firm.example"
    )


def test_health_and_metrics_need_no_key(api: TestClient, api_settings: Settings) -> None:
    health = api.get("/health")
    assert health.status_code == 200
    found = health.json()
    # No worker has started: nothing scores on schedule or sends alerts, and it says so.
    assert found["status"] == "degraded"
    assert found["reasons"] == ["no worker is running (start `risk worker`)"]
    assert found["database"] == "ok"
    assert found["models"] == {"dispute": "1", "churn": "1"}
    worker = found["worker"]
    assert worker["last_heartbeat"] is None
    assert worker["next_run"] is None
    assert worker["last_run"]["clients"] > 0
    assert worker["last_run"]["flags_opened"] >= 0
    engine = make_engine(api_settings.database_url)
    try:
        with engine.connect() as connection:
            pending = connection.execute(
                select(func.count()).select_from(alerts).where(alerts.c.state == "pending")
            ).scalar_one()
        assert worker["outbox"]["pending"] == pending
        # A worker beating now: healthy.
        start = datetime.now(UTC)
        heartbeat.beat(engine, "test-worker", start, start + timedelta(hours=1))
        found = api.get("/health").json()
        assert found["status"] == "ok", found
        assert found["reasons"] == []
        assert found["worker"]["next_run"] is not None
        # A beat older than three poll intervals: degraded, with the heartbeat's age.
        with heartbeat.heartbeat_engine(engine).begin() as connection:
            connection.execute(
                update(workers).values(
                    beat_at=start - timedelta(seconds=4 * api_settings.outbox_poll_seconds)
                )
            )
        found = api.get("/health").json()
        assert found["status"] == "degraded"
        assert "heartbeat" in found["reasons"][0]
        heartbeat.stopped(engine, "test-worker")
    finally:
        engine.dispose()
    api.get("/flags")  # a 401, to be counted
    metrics = api.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert "billing_risk_open_flags{" in text
    assert 'billing_risk_model_version{risk="dispute",version="1"} 1.0' in text
    assert 'route="/flags",status="401"' in text
    assert 'billing_risk_alerts{state="pending"}' in text


# --- operator routes -------------------------------------------------------------------


@pytest.mark.parametrize("name", ROLES)
def test_operator_routes_by_role(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
    name: str,
) -> None:
    headers = key(api_firm, name)
    row = {
        "message_id": f"M-OPS-{name}",
        "client_id": targets["pm", "own"],
        "sent_at": "2026-01-06T09:00:00Z",
        "channel": "email",
        "direction": "inbound",
        "text": "Thanks for the update.",
    }
    before = count(api_settings, "messages")
    ingest = api.post("/ingest", headers=headers, json={"file": "messages", "rows": [row]})
    reload = api.post("/models/reload", headers=headers)
    job = api.get("/score/999", headers=headers)
    if name not in OPERATORS:
        for response in (ingest, reload, job, api.post("/score", headers=headers)):
            assert problem(response, 403, ["header", "X-API-Key"])["type"] == "forbidden"
        assert count(api_settings, "messages") == before
        return
    assert ingest.status_code == 200, ingest.text
    assert ingest.json() == {"file": "messages", "added": 1, "changed": 0, "unchanged": 0}
    assert reload.status_code == 200, reload.text
    assert reload.json() == {"models": {"dispute": "1", "churn": "1"}}
    problem(job, 404, ["path", "job_id"])
    problem(api.get("/score/0", headers=headers), 422, ["path", "job_id"])


# --- ingest ----------------------------------------------------------------------------


def messages(client_id: str, prefix: str, n: int) -> list[dict[str, Any]]:
    return [
        {
            "message_id": f"{prefix}-{i}",
            "client_id": client_id,
            "project_id": None,
            "sent_at": f"2026-01-07T1{i % 10}:00:00Z",
            "channel": "email",
            "direction": "inbound" if i % 2 else "outbound",
            "text": f"Could you send the timesheets behind the last invoice? ({prefix} {i})",
            "author": "Client Contact",
        }
        for i in range(n)
    ]


def test_ingest_adds_once_and_is_idempotent(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
) -> None:
    client_id = targets["pm", "own"]
    batch = messages(client_id, "M-BATCH", 7)
    before = count(api_settings, "messages")
    first = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": batch}
    )
    assert first.status_code == 200, first.text
    assert first.json() == {"file": "messages", "added": 7, "changed": 0, "unchanged": 0}
    again = api.post(
        "/ingest", headers=key(api_firm, "analyst"), json={"file": "messages", "rows": batch}
    )
    assert again.status_code == 200, again.text
    assert again.json() == {"file": "messages", "added": 0, "changed": 0, "unchanged": 7}
    assert count(api_settings, "messages") == before + 7
    edited = [dict(batch[0], text="Edited.")]
    changed = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": edited}
    )
    assert changed.json() == {"file": "messages", "added": 0, "changed": 1, "unchanged": 0}
    assert count(api_settings, "messages") == before + 7
    # The PM sees them on the client's timeline; nobody else's key reaches it.
    timeline = api.get(f"/clients/{client_id}/timeline", headers=key(api_firm, "pm")).json()
    ids = {m["message_id"] for m in timeline["messages"]}
    assert {m["message_id"] for m in batch} <= ids
    # Each message is read as the features read it, in its client's language.
    clients = api_firm.bundle.clients.set_index("client_id")
    said = {
        "de": "Unser Budget wurde gekürzt, wir müssen das Projekt vorerst pausieren.",
        "en": "Our budget was cut; we have to put the project on hold.",
    }
    doubt = dict(batch[1], text=said.get(str(clients.loc[client_id, "language"]), said["en"]))
    api.post("/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": [doubt]})
    # Until a score run reads them, they show unscored, saying so.
    timeline = api.get(f"/clients/{client_id}/timeline", headers=key(api_firm, "pm")).json()
    read = {m["message_id"]: m for m in timeline["messages"]}
    for message_id in (doubt["message_id"], batch[0]["message_id"]):
        assert read[message_id]["scored"] is False
        assert read[message_id]["polarity"] is None
        assert read[message_id]["relationship_doubt"] is None
    # What the next score run does in its transaction (tests/risk/test_read_path.py
    # runs one).
    engine = make_engine(api_settings.database_url)
    try:
        with engine.begin() as connection:
            store_message_scores(connection, read_bundle(engine), api_settings.home / "cache")
            bump(connection)
    finally:
        engine.dispose()
    timeline = api.get(f"/clients/{client_id}/timeline", headers=key(api_firm, "pm")).json()
    read = {m["message_id"]: m for m in timeline["messages"]}
    assert all(m["scored"] for m in timeline["messages"])
    assert read[doubt["message_id"]]["relationship_doubt"] is (doubt["direction"] == "inbound")
    assert read[batch[0]["message_id"]]["relationship_doubt"] is False
    assert read[batch[0]["message_id"]]["polarity"] is not None


GOOD = {
    "message_id": "M-BAD-ROW",
    "client_id": None,  # set to a real client in the test
    "sent_at": "2026-01-08T10:00:00Z",
    "channel": "chat",
    "direction": "inbound",
    "text": "Is the invoice final?",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sent_at": "2026-02-30T10:00:00Z"}, "sent_at"),
        ({"sent_at": "yesterday"}, "sent_at"),
        ({"sent_at": 1767866400}, "sent_at"),
        ({"client_id": "C-NO-SUCH-CLIENT"}, "client_id"),
        ({"channel": None}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"direction": "sideways"}, "direction"),
        ({"colour": "red"}, "colour"),
        ({"message_id": "M-BATCH-DUP"}, "message_id"),
        ({"text": ["not", "a", "cell"]}, "text"),
        ({"author": {"name": "x"}}, "author"),
        ({"message_id": "M-\x00"}, "message_id"),
        ({"message_id": "M" * 201}, "message_id"),
        ({"score": 11}, "score"),
        ("drop:channel", "channel"),
        ("drop:client_id", "client_id"),
    ],
)
def test_ingest_one_bad_row_names_it_and_stores_nothing(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
    change: dict[str, Any] | str,
    field: str,
) -> None:
    client_id = targets["pm", "own"]
    rows = messages(client_id, f"M-ALLORNOTHING-{field}", 4)
    bad = dict(GOOD, client_id=client_id)
    if isinstance(change, str):
        del bad[change.removeprefix("drop:")]
    else:
        bad.update(change)
    if field == "message_id" and change == {"message_id": "M-BATCH-DUP"}:
        rows[0]["message_id"] = "M-BATCH-DUP"  # the same id twice in one batch
    rows.insert(2, bad)
    before = {name: count(api_settings, name) for name in ("messages", "clients")}
    response = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": rows}
    )
    problem(response, 422, ["body", "rows", 2, field])
    assert {tuple(p["loc"][:3]) for p in response.json()["detail"]} == {("body", "rows", 2)}
    assert {name: count(api_settings, name) for name in before} == before


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"file": "messages", "rows": []}, ["body", "rows"]),
        ({"file": "emails", "rows": [{}]}, ["body", "file"]),
        ({"file": "messages"}, ["body", "rows"]),
        ({"file": "messages", "rows": [{}], "dry_run": True}, ["body", "dry_run"]),
        ({"file": "messages", "rows": ["M-1"]}, ["body", "rows", 0]),
    ],
)
def test_ingest_request_shape_is_checked(
    api: TestClient, api_firm: ScoredFirm, body: dict[str, Any], loc: list[str | int]
) -> None:
    problem(api.post("/ingest", headers=key(api_firm, "admin"), json=body), 422, loc)


def test_ingest_takes_contacts_and_keeps_each_domain_and_address_with_one_client(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
) -> None:
    own, other = targets["pm", "own"], targets["pm", "other"]
    admin = key(api_firm, "admin")
    contact = {"client_id": own, "email": "Kim.CFO@gmail.com", "name": "Kim", "role": "CFO"}
    added = api.post("/ingest", headers=admin, json={"file": "contacts", "rows": [contact]})
    assert added.json() == {"file": "contacts", "added": 1, "changed": 0, "unchanged": 0}
    again = api.post("/ingest", headers=admin, json={"file": "contacts", "rows": [contact]})
    assert again.json() == {"file": "contacts", "added": 0, "changed": 0, "unchanged": 1}
    unknown = dict(contact, email="x@y.example", client_id="C-NO-SUCH-CLIENT")
    problem(
        api.post("/ingest", headers=admin, json={"file": "contacts", "rows": [unknown]}),
        422,
        ["body", "rows", 0, "client_id"],
    )
    # A domain another client already has is refused on the row that claims it.
    clients = api_firm.bundle.clients.set_index("client_id")
    taken = str(clients.loc[other, "domains"]).split(";")[0]
    row = {
        "client_id": own,
        "name": str(clients.loc[own, "name"]),
        "account_lead": str(clients.loc[own, "account_lead"]),
        "client_since": f"{clients.loc[own, 'client_since']:%Y-%m-%d}",
        "domains": f"new-{own.lower()}.example;{taken}",
    }
    before = count(api_settings, "clients")
    response = api.post("/ingest", headers=admin, json={"file": "clients", "rows": [row]})
    found = problem(response, 422, ["body", "rows", 0, "domains"])
    assert f"client {other!r} (stored)" in found["msg"]
    assert count(api_settings, "clients") == before


def test_ingest_refuses_more_than_ten_thousand_rows(
    api: TestClient,
    api_firm: ScoredFirm,
    api_settings: Settings,
    targets: dict[tuple[str, str], str],
) -> None:
    before = count(api_settings, "messages")
    rows = messages(targets["pm", "own"], "M-HUGE", 10_001)
    response = api.post(
        "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": rows}
    )
    assert "10000" in problem(response, 422, ["body", "rows"])["msg"]
    assert count(api_settings, "messages") == before


# --- score jobs ------------------------------------------------------------------------


def wait_for(api: TestClient, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        response = api.get(f"/score/{job_id}", headers=headers)
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"score job {job_id} not done after 300 s")


def run_queued_job(settings: Settings) -> None:
    """What a worker does with the oldest queued job, in this process (the worker's own
    code; tests/service/test_worker.py runs it as a process)."""
    engine = make_engine(settings.database_url)
    try:
        job = jobs.claim(engine, "test-worker", settings.job_lease_seconds)
        assert job is not None, "no job to claim"
        jobs.run(engine, settings, job, "test-worker")
    finally:
        engine.dispose()


def test_score_queues_a_job_for_the_worker(
    api: TestClient, api_firm: ScoredFirm, api_settings: Settings
) -> None:
    admin, analyst = key(api_firm, "admin"), key(api_firm, "analyst")
    queued = api.post("/score", headers=admin)
    assert queued.status_code == 202, queued.text
    job = queued.json()
    assert job["status"] == "queued"
    assert job["kind"] == "api"
    assert job["started_at"] is None
    assert job["run_id"] is None
    # The same run asked for again while it waits: the waiting job answers.
    again = api.post("/score", headers=analyst)
    assert again.status_code == 202, again.text
    assert again.json()["job_id"] == job["job_id"]
    assert api.get(f"/score/{job['job_id']}", headers=analyst).json()["status"] == "queued"
    listed = api.get("/score", headers=analyst)
    assert listed.status_code == 200, listed.text
    assert listed.json()[0] == api.get(f"/score/{job['job_id']}", headers=analyst).json()
    run_queued_job(api_settings)
    finished = wait_for(api, analyst, job["job_id"])
    assert finished["status"] == "done", finished
    assert isinstance(finished["run_id"], int)
    assert finished["error"] is None
    assert finished["finished_at"] >= finished["started_at"]
    # Done: the next one is a job of its own, with an as-of date.
    later = api.post("/score", headers=admin, params={"as_of": "2025-12-28"})
    assert later.status_code == 202, later.text
    assert later.json()["job_id"] != job["job_id"]
    run_queued_job(api_settings)
    assert wait_for(api, admin, later.json()["job_id"])["status"] == "done"
    problem(api.post("/score", headers=admin, params={"as_of": "someday"}), 422, ["query", "as_of"])
    problem(api.get("/score", headers=admin, params={"limit": 0}), 422, ["query", "limit"])
    # The new runs' flags are what the callers see.
    flags = open_flags(api_settings)
    listed_flags = every_flag(api, key(api_firm, "pm"), snoozed=True)
    assert sorted(f["flag_id"] for f in listed_flags) == sorted(
        flags.loc[flags["client_id"].isin(api_firm.visible("pm")), "flag_id"]
    )


# --- logs ------------------------------------------------------------------------------


def test_logs_are_json_lines_without_keys_or_message_text(
    api: TestClient,
    api_firm: ScoredFirm,
    targets: dict[tuple[str, str], str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    logger = logging.getLogger("billing_risk")
    handlers = logger.handlers[:]
    configure()  # as create_app does, now writing to the captured stderr
    secret_text = "Our CFO disputes the March invoice privately, do not forward"
    try:
        pm = api_firm.callers["pm"].secret
        client_id = targets["pm", "own"]
        timeline = api.get(
            f"/clients/{client_id}/timeline", headers={"Authorization": f"Bearer {pm}"}
        )
        assert timeline.status_code == 200
        texts = [m["text"] for m in timeline.json()["messages"] if m["text"]]
        assert texts
        api.get("/flags", headers={"X-API-Key": pm + "x"})
        row = dict(GOOD, client_id=client_id, message_id="M-LOG-1", text=secret_text)
        added = api.post(
            "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": [row]}
        )
        assert added.status_code == 200, added.text
        bad = dict(row, message_id="M-LOG-2", sent_at=secret_text)
        refused = api.post(
            "/ingest", headers=key(api_firm, "admin"), json={"file": "messages", "rows": [bad]}
        )
        assert refused.status_code == 422
        api.get(f"/invoices/{secret_text}/explanation", headers=key(api_firm, "pm"))
    finally:
        logger.handlers[:] = handlers
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    requests = [r for r in records if r["event"] == "request"]
    assert len(requests) >= 5
    assert {"time", "level", "logger", "method", "route", "status", "ms", "key_id"} <= set(
        requests[0]
    )
    assert any(r["route"] == "/clients/{client_id}/timeline" for r in requests)
    assert {r["key_id"] for r in requests} >= {api_firm.callers["pm"].key_id, None}
    assert any(r["event"] == "ingest" and r["added"] == 1 for r in records)
    for caller in api_firm.callers.values():
        assert caller.secret not in err
        assert caller.secret[4:20] not in err
    for text in [*texts, secret_text]:
        assert text not in err
    assert client_id not in err  # routes are logged by template, not by path
