"""The PMs' web page through FastAPI's TestClient: sign-in to a session kept in the
database (a cookie saved before sign-out, of a revoked key or past its 8 hours
opens nothing), CSRF on every form, flags scoped like the API, acting on a flag through
its forms, English and German, server-drawn SVG charts.

The firm: the small simulation, a logistic model per risk fitted in-process (the
path a score run takes, without the MLflow registry that ``risk train`` adds and
the page does not need), loaded and scored once; each module gets its own copy of
the database, since the forms change it."""

from __future__ import annotations

import base64
import gettext
import json
import re
import sqlite3
import stat
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import Engine, select, update

from features.risks import RISKS
from features.simulation import Simulation
from models.dataset import training_set, weekly_as_of
from models.invoice_model import INVOICE_COLUMNS, fit_invoice_model, invoice_set
from models.train import fit
from risk.invoice_check import InvoiceModel
from risk.scoring.flags import Flag, feedback_labels, list_flags
from risk.scoring.run import Model, score
from risk.settings import Settings
from risk.store.db import make_engine, upgrade
from risk.store.keys import Principal, create_key, hash_key, revoke_key
from risk.store.load import load
from risk.store.tables import CONTRACT, flags, invoice_checks, web_sessions
from risk.wording import Words, words
from service.app import create_app
from service.web import charts
from service.web.session import SESSION_COOKIE

pytestmark = pytest.mark.integration

AS_OF = date(2025, 11, 30)
#: Low enough that the small firm has flags at both levels (as ``engine_env``).
THRESHOLDS = {
    "dispute_elevated": 0.02,
    "dispute_high": 0.3,
    "churn_elevated": 0.005,
    "churn_high": 0.03,
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FLAG_IDS = re.compile(r'data-flag-id="([^"]+)"')


@dataclass(frozen=True)
class Caller:
    key_id: str
    secret: str
    principal: Principal


@dataclass(frozen=True)
class WebFirm:
    """A scored firm's home, with a key for a PM and for another PM whose flagged
    clients the first may not see."""

    settings: Settings
    pm: Caller
    other_pm: Caller


_BASE: dict[str, WebFirm] = {}


def _caller(engine: Engine, role: str, email: str) -> Caller:
    key_id, secret = create_key(engine, role, email, "test")
    return Caller(key_id, secret, Principal(key_id=key_id, role=role, email=email))


def _scored_firm(simulation: Simulation, home: Path) -> WebFirm:
    bundle = simulation.bundle
    data = training_set(bundle, weekly_as_of(bundle))
    models = {
        risk.name: Model(
            risk=risk.name,
            version="1",
            predict=fit(data, risk.label, "logistic", risk.horizon_days).predict_proba,
        )
        for risk in RISKS
    }
    settings = Settings(home=home, **THRESHOLDS)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    load(engine, bundle, "test")
    score(engine, settings, "test", as_of=AS_OF, models=models, notes={})
    with engine.connect() as connection:
        flagged = set(
            connection.execute(select(flags.c.client_id).where(flags.c.status == "open")).scalars()
        )
    by_pm = bundle.projects.groupby("pm")["client_id"].apply(set)
    pm = max(sorted(by_pm.index), key=lambda p: len(by_pm[p] & flagged))
    other = max(
        sorted(p for p in by_pm.index if p != pm),
        key=lambda p: len((by_pm[p] - by_pm[pm]) & flagged),
    )
    assert by_pm[pm] & flagged, "the thresholds flag none of the PM's clients"
    assert (by_pm[other] - by_pm[pm]) & flagged
    firm = WebFirm(settings, _caller(engine, "pm", pm), _caller(engine, "pm", other))
    engine.dispose()
    return firm


def web_firm_copy(
    simulation: Simulation, tmp_path_factory: pytest.TempPathFactory, name: str
) -> WebFirm:
    """A copy of the scored firm (built once per session) in a home of its own."""
    if "base" not in _BASE:
        _BASE["base"] = _scored_firm(simulation, tmp_path_factory.mktemp("web-firm"))
    base = _BASE["base"]
    home = tmp_path_factory.mktemp(name)
    source = sqlite3.connect(base.settings.home / "risk.store.db")
    target = sqlite3.connect(home / "risk.store.db")
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return WebFirm(Settings(home=home, **THRESHOLDS), base.pm, base.other_pm)


@pytest.fixture(scope="module")
def firm(small_simulation: Simulation, tmp_path_factory: pytest.TempPathFactory) -> WebFirm:
    return web_firm_copy(small_simulation, tmp_path_factory, "web-home")


@pytest.fixture
def client(firm: WebFirm) -> TestClient:
    return TestClient(create_app(firm.settings), follow_redirects=False)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def sign_in(client: TestClient, caller: Caller) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"api_key": caller.secret, "csrf_token": token})
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/app/flags"


def open_flags(firm: WebFirm, caller: Caller, **filters: Any) -> list[Flag]:
    engine = make_engine(firm.settings.database_url)
    try:
        return list_flags(engine, principal=caller.principal, **filters)
    finally:
        engine.dispose()


def visible(firm: WebFirm, caller: Caller) -> set[str]:
    projects = CONTRACT["projects"]
    engine = make_engine(firm.settings.database_url)
    try:
        with engine.connect() as connection:
            return set(
                connection.execute(
                    select(projects.c.client_id).where(projects.c.pm == caller.principal.email)
                ).scalars()
            )
    finally:
        engine.dispose()


def test_sign_in_with_a_good_key_and_refuse_a_bad_one(firm: WebFirm, client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/app/flags").headers["location"].startswith("/login")
    form = client.get("/login")
    assert form.status_code == 200
    assert 'type="password"' in form.text
    assert '<label for="api_key">API key</label>' in form.text
    token = csrf_of(form.text)

    wrong = client.post("/login", data={"api_key": "brk_nope", "csrf_token": token})
    assert wrong.status_code == 401
    assert "unknown or has been revoked" in wrong.text
    assert 'name="api_key"' in wrong.text

    signed = client.post("/login", data={"api_key": firm.pm.secret, "csrf_token": token})
    assert signed.status_code == 303
    assert signed.headers["location"] == "/app/flags"
    cookie = next(c for c in signed.headers.get_list("set-cookie") if c.startswith("risk_session="))
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    # Signed, and it holds the session's token, never the key nor its id; the
    # database keeps only the token's SHA-256.
    payload = cookie.split("=", 1)[1].split(";")[0].split(".")[0]
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(session) == {"session", "csrf"}
    assert firm.pm.secret not in json.dumps(session)
    assert firm.pm.key_id not in json.dumps(session)
    engine = make_engine(firm.settings.database_url)
    with engine.connect() as connection:
        row = connection.execute(
            select(web_sessions).where(web_sessions.c.session_hash == hash_key(session["session"]))
        ).one()
    engine.dispose()
    assert row.key_id == firm.pm.key_id
    assert row.ended_at is None
    assert client.get("/").headers["location"] == "/app/flags"
    page = client.get("/app/flags")
    assert page.status_code == 200
    assert firm.pm.principal.email in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

    # A tampered cookie is no session.
    value = client.cookies["risk_session"]
    tampered = value[:-2] + ("xx" if not value.endswith("xx") else "yy")
    stranger = TestClient(client.app, follow_redirects=False)
    answer = stranger.get("/app/flags", headers={"Cookie": f"risk_session={tampered}"})
    assert answer.headers["location"].startswith("/login")

    key = (firm.settings.home / "session.key").stat()
    assert stat.S_IMODE(key.st_mode) == 0o600


def test_sign_out_and_a_revoked_key_end_the_session(firm: WebFirm, client: TestClient) -> None:
    sign_in(client, firm.pm)
    page = client.get("/app/flags")
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    out = client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 303
    assert out.headers["location"] == "/login"
    assert client.get("/app/flags").headers["location"].startswith("/login")

    engine = make_engine(firm.settings.database_url)
    key_id, secret = create_key(engine, "pm", firm.pm.principal.email, "test")
    sign_in(client, Caller(key_id, secret, firm.pm.principal))
    assert client.get("/app/flags").status_code == 200
    # Revoked as `risk keys revoke` does, from outside the server's process: a session
    # checked lately is trusted for up to two seconds more, as an API key is.
    assert revoke_key(engine, key_id)
    revoked = time.monotonic()
    engine.dispose()
    while (page := client.get("/app/flags")).status_code == 200:
        assert time.monotonic() - revoked < 5, "a revoked key's session still opened after 5 s"
        time.sleep(0.1)
    assert page.headers["location"].startswith("/login")


def _replayed(client: TestClient, cookie: str) -> TestClient:
    """Another browser holding a copy of ``cookie``, saved earlier."""
    other = TestClient(client.app, follow_redirects=False)
    other.cookies.set(SESSION_COOKIE, cookie)
    return other


def _flag_row(firm: WebFirm, flag_id: str) -> dict[str, Any]:
    engine = make_engine(firm.settings.database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(select(flags).where(flags.c.flag_id == flag_id)).one()
    finally:
        engine.dispose()
    return dict(row._mapping)


def _assert_signed_out(
    firm: WebFirm, client: TestClient, saved: str, flag: Flag, token: str
) -> None:
    """A browser holding the cookie ``saved`` (and the CSRF token it had) acts on no
    flag and reads none. The act comes first, while this server process may still
    trust its recent check of the session for reads: a write checks it afresh."""
    before = _flag_row(firm, flag.flag_id)
    acked = _replayed(client, saved).post(
        f"/app/flags/{flag.flag_id}/ack", data={"csrf_token": token}
    )
    assert acked.status_code == 303
    assert acked.headers["location"].startswith("/login")
    assert _flag_row(firm, flag.flag_id) == before
    assert before["acknowledged_at"] is None
    answer = _replayed(client, saved).get("/app/flags")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fapp%2Fflags"


def test_a_cookie_saved_before_sign_out_opens_nothing_after(
    firm: WebFirm, client: TestClient
) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[-1]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    saved = client.cookies[SESSION_COOKIE]
    # The copy works while the session is open: the same session, not a new one.
    assert _replayed(client, saved).get("/app/flags").status_code == 200

    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    _assert_signed_out(firm, client, saved, flag, token)


def test_a_revoked_keys_session_opens_nothing(firm: WebFirm, client: TestClient) -> None:
    engine = make_engine(firm.settings.database_url)
    key_id, secret = create_key(engine, "pm", firm.pm.principal.email, "test")
    sign_in(client, Caller(key_id, secret, firm.pm.principal))
    flag = open_flags(firm, firm.pm)[-1]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    saved = client.cookies[SESSION_COOKIE]
    assert revoke_key(engine, key_id)
    with engine.connect() as connection:
        ended = connection.execute(
            select(web_sessions.c.ended_at).where(web_sessions.c.key_id == key_id)
        ).scalar_one()
    engine.dispose()
    assert ended is not None  # ended in the database, not only refused by the join
    _assert_signed_out(firm, client, saved, flag, token)


def test_an_expired_session_opens_nothing(firm: WebFirm, client: TestClient) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[-1]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    saved = client.cookies[SESSION_COOKIE]
    payload = saved.split(".")[0]
    session_token = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))["session"]
    engine = make_engine(firm.settings.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(web_sessions)
            .where(web_sessions.c.session_hash == hash_key(session_token))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    engine.dispose()
    # The signed cookie itself is still fresh: only the row says the session is over.
    _assert_signed_out(firm, client, saved, flag, token)


def test_csrf_missing_or_wrong_is_403(firm: WebFirm, client: TestClient) -> None:
    # The sign-in form's token lives in a session without a key.
    assert client.post("/login", data={"api_key": firm.pm.secret}).status_code == 403
    client.get("/login")
    refused = client.post("/login", data={"api_key": firm.pm.secret, "csrf_token": "x" * 43})
    assert refused.status_code == 403
    assert "security token" in refused.text

    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[0]
    page = client.get(f"/app/clients/{flag.client_id}")
    token = csrf_of(page.text)
    before = next(f for f in open_flags(firm, firm.pm) if f.flag_id == flag.flag_id)
    assert client.post(f"/app/flags/{flag.flag_id}/ack").status_code == 403
    assert (
        client.post(f"/app/flags/{flag.flag_id}/ack", data={"csrf_token": token[:-1]}).status_code
        == 403
    )
    later = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    snoozed = client.post(
        f"/app/flags/{flag.flag_id}/snooze",
        data={"csrf_token": "", "until": later, "reason": "on holiday"},
    )
    assert snoozed.status_code == 403
    # A token of another session does not do either.
    other = TestClient(create_app(firm.settings), follow_redirects=False)
    other_token = csrf_of(other.get("/login").text)
    assert (
        client.post(
            f"/app/flags/{flag.flag_id}/feedback",
            data={"csrf_token": other_token, "verdict": "valid"},
        ).status_code
        == 403
    )
    after = open_flags(firm, firm.pm)
    assert next(f for f in after if f.flag_id == flag.flag_id) == before
    engine = make_engine(firm.settings.database_url)
    assert flag.flag_id not in set(feedback_labels(engine)["flag_id"])
    engine.dispose()


def test_the_flag_list_is_scoped_to_the_pm(firm: WebFirm, client: TestClient) -> None:
    sign_in(client, firm.pm)
    page = client.get("/app/flags")
    shown = FLAG_IDS.findall(page.text)
    expected = open_flags(firm, firm.pm)
    assert shown == [f.flag_id for f in expected]  # highest level and probability first
    mine = visible(firm, firm.pm)
    assert {f.client_id for f in expected} <= mine
    first = expected[0]
    assert first.client_name is not None
    assert escape(first.client_name) in page.text
    for reason in first.reasons:
        assert escape(reason["text"]) in page.text
    assert f'href="/app/clients/{first.client_id}#flag-{first.flag_id}"' in page.text
    assert "badge high" in page.text or "badge elevated" in page.text

    churn = client.get("/app/flags", params={"risk": "churn", "level": "high"})
    assert FLAG_IDS.findall(churn.text) == [
        f.flag_id for f in open_flags(firm, firm.pm, risk="churn", level="high")
    ]
    assert 'value="churn" selected' in churn.text

    theirs = next(f for f in open_flags(firm, firm.other_pm) if f.client_id not in mine)
    hidden = client.get(f"/app/clients/{theirs.client_id}")
    assert hidden.status_code == 404
    assert "not one of yours" in hidden.text
    assert client.get("/app/clients/C-no-such-client").status_code == 404
    token = csrf_of(page.text)
    acted = client.post(f"/app/flags/{theirs.flag_id}/ack", data={"csrf_token": token})
    assert acted.status_code == 404
    assert client.get(f"/app/clients/{first.client_id}").status_code == 200


def test_snooze_through_the_form_takes_the_flag_off_the_list(
    firm: WebFirm, client: TestClient
) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[-1]
    page = client.get(f"/app/clients/{flag.client_id}")
    token = csrf_of(page.text)
    assert f'action="/app/flags/{flag.flag_id}/snooze"' in page.text
    url = f"/app/flags/{flag.flag_id}/snooze"

    no_reason = client.post(url, data={"csrf_token": token, "until": "2099-01-01", "reason": " "})
    assert no_reason.status_code == 303
    assert "needs a reason" in client.get(no_reason.headers["location"]).text
    past = client.post(url, data={"csrf_token": token, "until": "2020-01-01", "reason": "x"})
    assert "after today" in client.get(past.headers["location"]).text
    assert flag.flag_id in FLAG_IDS.findall(client.get("/app/flags").text)

    until = datetime.now(UTC).date() + timedelta(days=21)
    done = client.post(
        url, data={"csrf_token": token, "until": until.isoformat(), "reason": "on holiday"}
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/app/clients/{flag.client_id}#flag-{flag.flag_id}"
    back = client.get(done.headers["location"])
    assert f"Snoozed until {until.isoformat()}" in back.text
    assert flag.flag_id not in FLAG_IDS.findall(client.get("/app/flags").text)
    stored = next(
        f for f in open_flags(firm, firm.pm, include_snoozed=True) if f.flag_id == flag.flag_id
    )
    assert stored.snoozed_until == until


def test_acknowledge_and_feedback_through_the_forms(firm: WebFirm, client: TestClient) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[0]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    acked = client.post(f"/app/flags/{flag.flag_id}/ack", data={"csrf_token": token})
    assert acked.status_code == 303
    page = client.get(acked.headers["location"]).text
    assert f"Acknowledged by pm:{firm.pm.principal.email}" in page
    assert "no alert again" in page

    wrong = client.post(
        f"/app/flags/{flag.flag_id}/feedback", data={"csrf_token": token, "verdict": "maybe"}
    )
    assert "Pick one of the answers" in client.get(wrong.headers["location"]).text
    given = client.post(
        f"/app/flags/{flag.flag_id}/feedback",
        data={"csrf_token": token, "verdict": "premature", "note": "budget talk next week"},
    )
    assert given.status_code == 303
    engine = make_engine(firm.settings.database_url)
    labels = feedback_labels(engine)
    engine.dispose()
    mine = labels[labels["flag_id"] == flag.flag_id]
    assert mine["feedback"].tolist() == ["premature"]
    assert mine["actor"].tolist() == [f"pm:{firm.pm.principal.email}"]


def test_german_ui_from_the_query_a_cookie_or_the_browser(
    firm: WebFirm, client: TestClient
) -> None:
    german = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.8"})
    assert '<html lang="de">' in german.text
    assert "API-Schlüssel" in german.text
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert "Sign in" in english.text

    sign_in(client, firm.pm)
    page = client.get("/app/flags", params={"lang": "de", "risk": "churn"})
    assert '<html lang="de">' in page.text
    assert "Offene Warnungen" in page.text
    assert "Abmelden" in page.text
    assert 'href="/app/flags?risk=churn&amp;lang=en"' in page.text  # the toggle keeps filters
    assert "lang=de" in "".join(page.headers.get_list("set-cookie"))
    flag = open_flags(firm, firm.pm)[0]
    client_page = client.get(f"/app/clients/{flag.client_id}")  # the cookie keeps German
    assert "Zurückstellen" in client_page.text
    assert "Nachrichtenrhythmus" in client_page.text
    assert "Sign out" in client.get("/app/flags", params={"lang": "en"}).text


def test_cookies_are_secure_when_the_page_is_served_over_https(firm: WebFirm) -> None:
    def cookies(settings: Settings) -> dict[str, str]:
        browser = TestClient(create_app(settings), base_url="https://testserver")
        answer = browser.get("/login", params={"lang": "de"})
        return {c.split("=", 1)[0]: c.lower() for c in answer.headers.get_list("set-cookie")}

    served = cookies(firm.settings.model_copy(update={"public_url": "https://risk.example"}))
    assert set(served) == {"lang", SESSION_COOKIE}
    assert all("; secure" in cookie for cookie in served.values())
    local = cookies(firm.settings)
    assert not any("; secure" in cookie for cookie in local.values())


def test_the_client_page_has_svg_charts_and_the_latest_invoice(
    firm: WebFirm, client: TestClient
) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[0]
    page = client.get(f"/app/clients/{flag.client_id}")
    assert page.status_code == 200
    html = page.text
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    ids = set()
    for svg in svgs:
        root = ET.fromstring(svg)  # well-formed, with a title and a description
        ids.add(root.get("id"))
        assert root.get("role") == "img"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        assert root.find("{http://www.w3.org/2000/svg}desc") is not None
    assert {"chart-spend", "chart-sentiment", "chart-rhythm", "chart-history"} <= ids
    spend = next(s for s in svgs if 'id="chart-spend"' in s)
    assert spend.count("<polyline") == 3  # budget, delivered, billed
    assert "Billed to date" in html
    assert "<script" not in html
    assert 'id="invoice-text"' in html
    assert "Invoice INV-" in html or "Die Rechnung INV-" in html
    for reason in flag.reasons:
        assert escape(reason["text"]) in html
    assert escape(flag.next_step) in html


def test_silences_are_gaps_over_twice_the_usual_one() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    inbound = [start + timedelta(days=3 * i) for i in range(10)]
    inbound.append(inbound[-1] + timedelta(days=20))  # a silence of 20 days
    usual, found = charts.silences(inbound, until=inbound[-1] + timedelta(days=10))
    assert usual == 3.0
    assert [(s.start, round(s.days)) for s in found] == [
        (inbound[-2], 20),
        (inbound[-1], 10),  # still silent at the end of the chart
    ]
    messages = [
        {"sent_at": t, "direction": "inbound", "channel": "email", "polarity": 0.1} for t in inbound
    ]
    svg = str(charts.rhythm_chart(messages, words("de"), until=inbound[-1] + timedelta(days=10)))
    root = ET.fromstring(svg[: svg.index("</svg>") + 6])
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 2
    assert rects[0].find("{http://www.w3.org/2000/svg}title").text == (  # type: ignore[union-attr]
        "20 Tage Funkstille ab 28.01.2025"
    )
    # A translation holding markup characters stays text in the drawing.
    marked = Words("en")
    marked.catalog = _Marked()
    svg = str(charts.rhythm_chart(messages, marked, until=inbound[-1] + timedelta(days=10)))
    root = ET.fromstring(svg[: svg.index("</svg>") + 6])
    title = root.find("{http://www.w3.org/2000/svg}rect/{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == "<20> & 2025-01-28"
    assert charts.nice_ticks(0, 131_400) == [0, 50_000, 100_000, 150_000]
    assert words("de").compact(131_400) == "131k"
    assert words("de").compact(1_250_000) == "1,2M"


class _Marked(gettext.NullTranslations):
    """A catalog whose silence title is made of markup characters."""

    def gettext(self, message: str) -> str:
        return "<{days}> & {start}" if message.startswith("Silence of") else message


def test_web_routes_stay_out_of_the_api_contract(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/app", "/login", "/logout"))]
    assert "/" not in paths


@pytest.mark.reliability
def test_a_form_on_a_flag_that_cleared_meanwhile_says_so_and_writes_nothing(
    firm: WebFirm, client: TestClient
) -> None:
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[-1]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    engine = make_engine(firm.settings.database_url)
    with engine.begin() as connection:  # a score run cleared it while the page was open
        connection.execute(
            update(flags)
            .where(flags.c.flag_id == flag.flag_id)
            .values(status="cleared", level=None, trend="cleared")
        )
    later = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    for action, data in (("ack", {}), ("snooze", {"until": later, "reason": "on holiday"})):
        answer = client.post(
            f"/app/flags/{flag.flag_id}/{action}", data={"csrf_token": token, **data}
        )
        assert answer.status_code == 303
        page = client.get(answer.headers["location"])
        assert "This flag has cleared in the meantime" in page.text
    with engine.connect() as connection:
        row = connection.execute(select(flags).where(flags.c.flag_id == flag.flag_id)).one()
    engine.dispose()
    assert (row.acknowledged_by, row.snoozed_until) == (None, None)


@pytest.mark.reliability
def test_a_form_sent_while_the_database_is_busy_gets_a_page_that_says_so(
    firm: WebFirm,
) -> None:
    settings = firm.settings.model_copy(update={"lock_timeout_seconds": 1.0})
    client = TestClient(create_app(settings), follow_redirects=False)
    sign_in(client, firm.pm)
    flag = open_flags(firm, firm.pm)[0]
    token = csrf_of(client.get(f"/app/clients/{flag.client_id}").text)
    holder = sqlite3.connect(settings.home / "risk.store.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        answer = client.post(f"/app/flags/{flag.flag_id}/ack", data={"csrf_token": token})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503
    assert int(answer.headers["Retry-After"]) > 0
    assert "text/html" in answer.headers["content-type"]
    assert "Please try again in a few seconds" in answer.text
    assert next(f for f in open_flags(firm, firm.pm) if f.flag_id == flag.flag_id) == flag


def test_a_pm_checks_a_draft_invoice_on_the_page(
    firm: WebFirm, small_simulation: Simulation
) -> None:
    """The form, what the check said (in the page's and the client's language), a
    field it cannot read named beside the form, another PM's client a 404."""
    rows = invoice_set(small_simulation.bundle)
    known = rows.labels.iloc[:, 0].notna().to_numpy()
    fitted = fit_invoice_model(rows.rows(known), "logistic")
    columns = list(INVOICE_COLUMNS)
    model = InvoiceModel(
        "7",
        lambda frame: np.asarray(fitted.predict_proba(frame[columns])),
        rows.features[columns].median(),
    )
    app = create_app(firm.settings)
    app.state.risk.invoice_model = model
    client = TestClient(app, follow_redirects=False)
    sign_in(client, firm.pm)
    projects = small_simulation.bundle.projects
    mine = projects[projects["pm"] == firm.pm.principal.email].sort_values("project_id").iloc[0]
    url = f"/app/clients/{mine['client_id']}/check"
    form = client.get(url)
    assert form.status_code == 200
    assert f'value="{mine["project_id"]}"' in form.text
    sent = {"csrf_token": csrf_of(form.text), "amount": "4200", "project_id": mine["project_id"]}
    answer = client.post(url, data=sent)
    assert answer.status_code == 200, answer.text
    assert 'id="check-result"' in answer.text
    assert "billing-risk-invoice/7" in answer.text
    assert "<li>" in answer.text.split('id="check-result"')[1]
    stored = make_engine(firm.settings.database_url)
    with stored.connect() as connection:
        checks = connection.execute(select(invoice_checks)).all()
    stored.dispose()
    assert checks[-1].checked_by == firm.pm.key_id
    assert checks[-1].model_version == "billing-risk-invoice/7"

    wrong = client.post(url, data=sent | {"amount": "0"})
    assert wrong.status_code == 422
    assert 'id="amount" name="amount" required value="0" aria-invalid="true"' in wrong.text
    assert "the amount (a positive number)" in wrong.text
    german = client.post(url + "?lang=de", data=sent | {"due_at": "2020-01-01"})
    assert german.status_code == 422
    assert "das Fälligkeitsdatum" in german.text

    theirs = projects[projects["pm"] == firm.other_pm.principal.email]
    stranger = sorted(
        set(theirs["client_id"])
        - set(projects.loc[projects["pm"] == firm.pm.principal.email, "client_id"])
    )[0]
    assert client.get(f"/app/clients/{stranger}/check").status_code == 404
    assert client.post(f"/app/clients/{stranger}/check", data=sent).status_code == 404
    assert client.post(url, data=sent | {"csrf_token": "forged"}).status_code == 403
