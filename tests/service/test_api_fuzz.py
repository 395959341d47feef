"""The API fuzzed from its own OpenAPI document with schemathesis: no generated request
may make it answer 5xx, and every 4xx must carry the documented error body
(``{"detail": [{"loc": [...], "msg": "..."}]}``, msg not empty).

Every fuzzed operation gets at least 25 generated examples of valid requests
(schemathesis' positive mode) and 25 of invalid ones (negative mode; not for
``/health`` and ``/metrics``, which take no input): ``max_examples=25`` per
operation and mode. Each example is sent three times:
with the headers schemathesis generated (random ``X-API-Key`` and
``Authorization`` values, so the key check itself is fuzzed), with a PM's key
and with an admin's key, so that requests get past the key check into the
handlers (the PM's are scoped to their clients; the admin's reach ``/ingest``
and ``GET /score/{job_id}``).

Not fuzzed: ``POST /score`` (each accepted call starts a score run of seconds in a
background thread) and ``POST /models/reload`` (each call loads both champions
from MLflow); ``test_api.py`` covers both by role, busy (409) and done.
``test_every_operation_is_fuzzed_or_excluded`` keeps this list honest.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from risk.settings import Settings
from service.app import create_app
from tests.service.api_firm import ScoredFirm, open_flags

pytestmark = pytest.mark.integration

#: Generated examples per operation and generation mode.
EXAMPLES = 25
FUZZED = [
    ("GET", "/flags"),
    ("GET", "/clients/{client_id}"),
    ("GET", "/clients/{client_id}/timeline"),
    ("GET", "/invoices/{invoice_id}/explanation"),
    ("POST", "/flags/{flag_id}/ack"),
    ("POST", "/flags/{flag_id}/snooze"),
    ("POST", "/flags/{flag_id}/feedback"),
    ("POST", "/ingest"),
    ("POST", "/invoices/check"),
    ("GET", "/score"),
    ("GET", "/score/{job_id}"),
    ("GET", "/health"),
    ("GET", "/metrics"),
]
EXCLUDED = [("POST", "/score"), ("POST", "/models/reload")]


@pytest.fixture(scope="module")
def api_schema(api_settings: Settings) -> Any:
    """The schema of this module's app (schemathesis runs its lifespan once)."""
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(api_settings))


def test_every_operation_is_fuzzed_or_excluded(api_schema: Any) -> None:
    operations = [op.ok() for op in api_schema.get_all_operations()]
    found = sorted((op.method.upper(), op.path) for op in operations)
    assert found == sorted(FUZZED + EXCLUDED)


def check(response: Any, where: str) -> None:
    assert response.status_code < 500, f"{where} -> {response.status_code} {response.text}"
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body.get("detail"), list), f"{where}: {body}"
        assert body["detail"], f"{where}: {body}"
        for item in body["detail"]:
            assert isinstance(item.get("loc"), list), f"{where}: {body}"
            assert isinstance(item.get("msg"), str), f"{where}: {body}"
            assert item["msg"].strip(), f"{where}: {body}"


#: Without a parameter or body there is nothing to make invalid.
NOTHING_TO_NEGATE = {("GET", "/health"), ("GET", "/metrics")}
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path} {mode.value}")
    for method, path in FUZZED
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if not (mode is GenerationMode.NEGATIVE and (method, path) in NOTHING_TO_NEGATE)
]


@pytest.fixture(scope="module")
def real_ids(api_firm: ScoredFirm, api_settings: Settings) -> dict[str, list[str]]:
    """Ids that exist, the callers' and others', to put in generated paths now and then:
    random ids only ever reach the 404 of a handler."""
    return {
        "client_id": sorted(api_firm.bundle.clients["client_id"]),
        "invoice_id": sorted(api_firm.bundle.invoices["invoice_id"]),
        "flag_id": sorted(open_flags(api_settings)["flag_id"]),
    }


@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_no_generated_request_is_a_server_error(
    api_schema: Any,
    api_firm: ScoredFirm,
    real_ids: dict[str, list[str]],
    method: str,
    path: str,
    mode: GenerationMode,
) -> None:
    operation = api_schema[path][method]
    keys = {name: api_firm.callers[name].secret for name in ("pm", "admin")}
    param = next((name for name in real_ids if "{" + name + "}" in path), None)
    # A draft names its client in the body: a real one now and then, as for a path.
    in_body = "client_id" if path == "/invoices/check" else None
    pool = param or in_body
    real = st.none() if pool is None else st.one_of(st.none(), st.sampled_from(real_ids[pool]))
    statuses: set[int] = set()

    @given(case=operation.as_strategy(generation_mode=mode), real=real)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        # The same examples on every run: a fuzz test must not turn CI red by chance.
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def fuzz(case: Any, real: str | None) -> None:
        if param is not None and real is not None:
            case.path_parameters = {**(case.path_parameters or {}), param: real}
        if in_body is not None and real is not None and isinstance(case.body, dict):
            case.body = {**case.body, in_body: real}
        generated = dict(case.headers or {})
        for who, headers in (
            ("generated headers", generated),
            ("pm", {**generated, "X-API-Key": keys["pm"]}),
            ("admin", {**generated, "X-API-Key": keys["admin"]}),
        ):
            case.headers = headers
            response = case.call()
            statuses.add(response.status_code)
            check(response, f"{who}: {case.method} {response.request.url}")
        case.headers = generated

    fuzz()
    # A generated snooze date is rarely after today (test_api.py covers the 200).
    if mode is GenerationMode.POSITIVE and path not in (
        "/ingest",
        "/score/{job_id}",
        "/flags/{flag_id}/snooze",
    ):
        assert 200 in statuses, f"no generated request got through to a 200: {statuses}"
