"""The HTTP API in-process, over a real day run's state store and serving snapshot."""

from __future__ import annotations

from datetime import date, timedelta
from unittest.mock import ANY

import pytest
from fastapi.testclient import TestClient

from builders import Clock, Platform
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys
from livetier.store.schema import open_engine

D = date(2026, 11, 26)


def days_before(n: int) -> date:
    return D - timedelta(days=n)


def platform() -> Platform:
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 5, days_before(27))  # 5 sessions: expert, holds 3 more days
    p.host("h_exp2", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp2", 5, days_before(10))
    p.host("h_ord")
    p.host("h_drug", category="pharmaceutical")
    p.host("h_basic", enterprise_member="false")
    return p


@pytest.fixture
def stack(tmp_path, db_url, warehouse):
    db = open_engine(db_url)
    daily.run_day(platform().write(tmp_path / "data"), D, rulebooks.load(), db, warehouse)
    clock = Clock(D)
    app = create_app(db, rulebooks.load(), clock=clock, refresh_seconds=0, auth_cache_seconds=0)
    made = {
        "op": keys.create(db, keys.Role.operator)[0],
        "svc": keys.create(db, keys.Role.service)[0],
        **{h: keys.create(db, keys.Role.host, h)[0] for h in ("h_exp", "h_exp2", "h_ord")},
    }
    with TestClient(app) as client:
        yield client, made, clock, db
    db.dispose()


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_keys_and_roles(stack):
    client, k, _, db = stack
    url = "/api/v1/hosts/h_exp/status"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth("lt_not-a-key")).status_code == 401
    assert client.get(url, headers=auth(k["h_exp"])).status_code == 200
    # A host key sees only its own host: another host's id is unknown to it.
    assert client.get("/api/v1/hosts/h_ord/status", headers=auth(k["h_exp"])).status_code == 404
    assert client.get("/api/v1/operator/changes", headers=auth(k["h_exp"])).status_code == 403
    assert client.get("/api/v1/operator/changes", headers=auth(k["svc"])).status_code == 403
    assert client.get("/api/v1/events", headers=auth(k["svc"])).status_code == 200
    assert client.get("/api/v1/events", headers=auth(k["h_exp"])).status_code == 403
    refused = client.post("/api/v1/hosts/h_exp/claim", headers=auth(k["op"]))
    assert refused.json()["detail"] == "an operator key may not do this (needs host)"
    # Only the key's hash is stored; a revoked key is refused.
    listed = {r["role"] + str(r["host_id"]): r for r in keys.listing(db)}
    assert all(not r["prefix"] or k["op"].startswith(r["prefix"]) for r in [listed["operatorNone"]])
    assert k["op"] not in str(keys.listing(db))
    keys.revoke(db, listed["operatorNone"]["id"])
    assert client.get("/api/v1/operator/changes", headers=auth(k["op"])).status_code == 401


def test_status_and_progress(stack):
    client, k, _, _ = stack
    status = client.get("/api/v1/hosts/h_exp/status", headers=auth(k["op"])).json()
    assert status["tier"] == "expert" and status["tier_zh"] == "达人主播"
    assert status["state"] == "qualified_not_claimed"
    assert status["holds_days"] == 3
    assert "channel_activity_registration" in status["privileges"]
    assert "channel_banner" not in status["privileges"]
    progress = client.get("/api/v1/hosts/h_exp/progress", headers=auth(k["h_exp"])).json()
    assert progress["next_tier"] == "honor" and progress["graded"]
    sessions = [
        c
        for c in progress["criteria"]
        if c["set"] == "honor" and c.get("metric") == "live_sessions_30d"
    ]
    assert sessions == [
        {
            "set": "honor",
            "metric": "live_sessions_30d",
            "op": ">=",
            "target": 15,
            "value": 5,
            "met": False,
            "progress": pytest.approx(5 / 15, abs=1e-4),
            "mode": None,
            "closest": None,
            "branches": None,
        }
    ]
    assert progress["metrics"]["live_sessions_30d"] == 5


def test_privilege_checks_give_the_reason(stack):
    client, k, _, _ = stack

    def check(host: str, privilege: str = "channel_activity_registration") -> dict:
        r = client.get(f"/api/v1/hosts/{host}/privileges/{privilege}", headers=auth(k["svc"]))
        assert r.status_code == 200, r.text
        return r.json()

    assert check("h_ord")["reason"] == "tier_too_low"
    assert check("h_drug")["reason"] == "restricted_category"
    assert check("h_basic")["reason"] == "basic_requirements"
    assert check("h_exp")["reason"] == "not_claimed"
    client.post("/api/v1/hosts/h_exp/claim", headers=auth(k["h_exp"])).raise_for_status()
    assert check("h_exp") | {"next_allowed_day": None} == {
        "host_id": "h_exp",
        "privilege": "channel_activity_registration",
        "allowed": True,
        "reason": "allowed",
        "tier": "expert",
        "required_tier": "expert",
        "next_allowed_day": None,
    }
    assert check("h_exp", "channel_banner")["reason"] == "tier_too_low"
    unknown = client.get("/api/v1/hosts/h_exp/privileges/flying", headers=auth(k["svc"]))
    assert unknown.status_code == 404


def _activity(client, k, day: date, special: bool = False) -> int:
    r = client.post(
        "/api/v1/activities",
        json={"name": f"双十二 {day}", "day": day.isoformat(), "special": special},
        headers=auth(k["op"]),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_registration_fatigue_and_special_events(stack):
    client, k, clock, _ = stack
    client.post("/api/v1/hosts/h_exp/claim", headers=auth(k["h_exp"])).raise_for_status()
    a1, a2, a3 = (_activity(client, k, D + timedelta(days=5)) for _ in range(3))
    special = _activity(client, k, D + timedelta(days=6), special=True)

    def register(activity: int) -> tuple[int, dict]:
        r = client.post(
            "/api/v1/hosts/h_exp/registrations",
            json={"activity_id": activity},
            headers=auth(k["h_exp"]),
        )
        return r.status_code, r.json()

    code, body = register(a1)
    assert (code, body["registered_day"], body["next_allowed_day"]) == (
        201,
        D.isoformat(),
        (D + timedelta(days=2)).isoformat(),
    )
    clock.set(D + timedelta(days=1), hour=23)  # day d+1, late evening: still refused
    code, body = register(a2)
    assert (code, body["reason"], body["next_allowed_day"]) == (
        409,
        "fatigue",
        (D + timedelta(days=2)).isoformat(),
    )
    assert register(special)[0] == 201  # special events are exempt
    clock.set(D + timedelta(days=2), hour=0)  # d+2 from midnight, platform time
    assert register(a2)[0] == 201
    assert register(a2)[1]["reason"] == "already_registered"
    # The special registration did not move the fatigue clock; a2 on d+2 did.
    assert register(a3)[1]["reason"] == "fatigue"
    listed = client.get("/api/v1/hosts/h_exp/registrations", headers=auth(k["h_exp"])).json()
    assert [r["activity"]["id"] for r in listed] == [a2, special, a1]


def test_idempotency_key(stack):
    client, k, _, _ = stack
    client.post("/api/v1/hosts/h_exp/claim", headers=auth(k["h_exp"])).raise_for_status()
    a1, a2 = (_activity(client, k, D + timedelta(days=3)) for _ in range(2))
    headers = {**auth(k["h_exp"]), "Idempotency-Key": "reg-1"}
    url = "/api/v1/hosts/h_exp/registrations"
    first = client.post(url, json={"activity_id": a1}, headers=headers)
    again = client.post(url, json={"activity_id": a1}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post(url, json={"activity_id": a2}, headers=headers)
    assert other.status_code == 409 and other.json()["reason"] == "idempotency_key_reused"
    # Another key's same idempotency key is its own.
    op = client.post(
        url, json={"activity_id": a2}, headers={**auth(k["op"]), "Idempotency-Key": "reg-1"}
    )
    assert op.json()["reason"] == "fatigue"


def test_a_refusal_is_not_saved_under_an_idempotency_key(stack):
    client, k, _, _ = stack
    a1 = _activity(client, k, D + timedelta(days=3))
    headers = {**auth(k["h_exp"]), "Idempotency-Key": "reg-before-claim"}
    url = "/api/v1/hosts/h_exp/registrations"
    refused = client.post(url, json={"activity_id": a1}, headers=headers)
    assert (refused.status_code, refused.json()["reason"]) == (409, "not_claimed")
    claimed = client.post("/api/v1/hosts/h_exp/claim", headers=auth(k["h_exp"]))
    # The claim's time says its zone (UTC).
    assert claimed.json()["claimed_at"].endswith(("Z", "+00:00")), claimed.text
    # The refusal depended on the claim: the same key is checked afresh, and now registers.
    made = client.post(url, json={"activity_id": a1}, headers=headers)
    assert made.status_code == 201 and "Idempotent-Replayed" not in made.headers
    again = client.post(url, json={"activity_id": a1}, headers=headers)
    assert (again.status_code, again.json()) == (201, made.json())
    assert again.headers["Idempotent-Replayed"] == "true"


def test_bad_input_gets_422(stack):
    client, k, _, _ = stack
    bad = [
        client.post(
            "/api/v1/activities", json={"name": "", "day": "2026-12-01"}, headers=auth(k["op"])
        ),
        client.post(
            "/api/v1/activities", json={"name": "x", "day": "2026-13-01"}, headers=auth(k["op"])
        ),
        client.post(
            "/api/v1/hosts/h_exp/registrations", json={"activity_id": -1}, headers=auth(k["h_exp"])
        ),
        client.get("/api/v1/events?after=-5", headers=auth(k["svc"])),
        client.get("/api/v1/operator/distribution?days=0", headers=auth(k["op"])),
        # Days are YYYY-MM-DD, not timestamps; booleans and ids are JSON's own, not strings.
        client.get("/api/v1/activities?since=0", headers=auth(k["op"])),
        client.get("/api/v1/activities?since=2026-12-01T00:00", headers=auth(k["op"])),
        client.post("/api/v1/activities", json={"name": "x", "day": 0}, headers=auth(k["op"])),
        client.post(
            "/api/v1/activities",
            json={"name": "x", "day": "2026-12-01", "special": "yes"},
            headers=auth(k["op"]),
        ),
        client.post(
            "/api/v1/hosts/h_exp/registrations",
            json={"activity_id": "1"},
            headers=auth(k["h_exp"]),
        ),
    ]
    assert [r.status_code for r in bad] == [422] * len(bad)
    past = {"name": "x", "day": "2020-01-01"}
    refused = client.post("/api/v1/activities", json=past, headers=auth(k["op"]))
    assert (refused.status_code, refused.json()["reason"]) == (409, "day_in_past")


def test_operator_views(stack):
    client, k, _, _ = stack
    dist = client.get("/api/v1/operator/distribution", headers=auth(k["op"])).json()
    assert dist[-1]["day"] == D.isoformat()
    assert dist[-1]["lines"] == {"consumer": {"expert": 2, "none": 2, "ordinary": 1}}
    quality = client.get("/api/v1/operator/quality", headers=auth(k["op"])).json()
    assert quality["day"] == D.isoformat()
    book = client.get("/api/v1/rulebook", headers=auth(k["op"])).json()
    assert book["versions"][0]["fatigue_days"] == {"channel_activity_registration": 2}
    changes = client.get("/api/v1/operator/changes", headers=auth(k["op"])).json()
    # First grading counts as a change from none; hosts that start at none have none.
    assert {(c["host_id"], c["direction"]) for c in changes} == {
        ("h_exp", "up"),
        ("h_exp2", "up"),
        ("h_ord", "up"),
    }


def test_api_docs_load_nothing_from_outside(stack):
    client, _, _, _ = stack
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "swagger-ui" in html.lower() or "redoc" in html.lower()
        assert "http://" not in html and "https://" not in html, page
    assert client.get("/openapi.json").json()["components"]["securitySchemes"] == {
        "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": ANY}
    }
