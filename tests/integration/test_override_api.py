"""Overrides through the HTTP API and the operator page, over a real day run, on SQLite and
PostgreSQL: operator keys only, the key's label in the audit trail, idempotent retries, and
the host page saying the tier is set by an override (after the next day run)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from builders import Clock, Platform
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys
from livetier.store.schema import open_engine

pytestmark = pytest.mark.slow  # a day run per store, then two more for the page: ~10 s alone

D = date(2026, 11, 26)


@pytest.fixture
def stack(tmp_path, db_url):
    p = Platform()
    p.host("h_ord", trade_medal="1")
    p.host("h_drug", category="pharmaceutical")
    folder = p.write(tmp_path / "data")
    db = open_engine(db_url)
    warehouse = tmp_path / "w.duckdb"
    daily.run_day(folder, D, rulebooks.load(), db, warehouse)
    app = create_app(db, rulebooks.load(), clock=Clock(D), refresh_seconds=0, auth_cache_seconds=0)
    made = {
        "op": keys.create(db, keys.Role.operator, label="ops-alice")[0],
        "svc": keys.create(db, keys.Role.service)[0],
        "host": keys.create(db, keys.Role.host, "h_ord")[0],
    }
    with TestClient(app) as client:
        yield client, made, db, folder, warehouse
    db.dispose()


def _auth(key: str, idem: str | None = None) -> dict[str, str]:
    return {"X-API-Key": key} | ({"Idempotency-Key": idem} if idem else {})


def test_overrides_by_api_and_page(stack):
    client, k, db, folder, warehouse = stack
    url = "/api/v1/operator/overrides/h_ord"
    body = {"kind": "floor", "tier": "expert", "reason": "launch partner", "until": "2026-11-28"}
    for role in ("host", "svc"):  # host and service keys are refused, before the body is read
        assert client.post(url, json=body, headers=_auth(k[role])).status_code == 403
        assert client.get("/api/v1/operator/overrides", headers=_auth(k[role])).status_code == 403
    assert client.post(url, json=body).status_code == 401

    early = body | {"until": "2026-11-26"}  # the next day run is 11-27
    refused = client.post(url, json=early, headers=_auth(k["op"]))
    assert refused.status_code == 409 and "until 2026-11-26 is before" in refused.json()["detail"]
    assert client.post(url, json=body | {"kind": "cap", "tier": "honor"}, headers=_auth(k["op"]))
    missing = client.post("/api/v1/operator/overrides/nobody", json=body, headers=_auth(k["op"]))
    assert missing.status_code == 404

    made = client.post(url, json=body, headers=_auth(k["op"], "k1"))
    assert made.status_code == 201, made.text
    o = made.json()
    assert (o["host_id"], o["kind"], o["tier"], o["state"], o["from"], o["until"]) == (
        "h_ord",
        "floor",
        "expert",
        "in_force",
        "2026-11-27",
        "2026-11-28",
    )
    again = client.post(url, json=body, headers=_auth(k["op"], "k1"))
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == o
    reused = client.post(url, json=body | {"reason": "other"}, headers=_auth(k["op"], "k1"))
    assert reused.status_code == 409
    floor_drug = {"kind": "floor", "tier": "honor", "reason": "must not lift"}
    drug = client.post("/api/v1/operator/overrides/h_drug", json=floor_drug, headers=_auth(k["op"]))
    assert drug.status_code == 201

    listed = client.get("/api/v1/operator/overrides", headers=_auth(k["op"])).json()
    assert [(x["host_id"], x["set_by"]) for x in listed] == [
        ("h_drug", "ops-alice"),
        ("h_ord", "ops-alice"),
    ]

    # Not before the next day run: the status is unchanged until then.
    status = client.get("/api/v1/hosts/h_ord/status", headers=_auth(k["op"])).json()
    assert (status["tier"], status["override"]) == ("ordinary", None)
    daily.run_day(folder, D + timedelta(days=1), rulebooks.load(), db, warehouse)
    status = client.get("/api/v1/hosts/h_ord/status", headers=_auth(k["host"])).json()
    assert status["tier"] == "expert"
    assert status["override"] == {
        "id": o["id"],
        "kind": "floor",
        "tier": "expert",
        "until": "2026-11-28",
    }
    drug_status = client.get("/api/v1/hosts/h_drug/status", headers=_auth(k["op"])).json()
    assert (drug_status["tier"], drug_status["override"]) == ("none", None)  # fail closed
    history = client.get("/api/v1/hosts/h_ord/history", headers=_auth(k["op"])).json()
    assert history[0]["reason"] == "override" and history[0]["to_tier"] == "expert"

    # The host page (Chinese first, English on request) says so and until when.
    client.cookies.set("livetier_key", k["host"])
    page = client.get("/host")
    assert "身份由人工调整决定：保底 达人主播，截至 2026-11-28（含）" in page.text
    assert "Tier set by a manual override: floor expert, until 2026-11-28 (inclusive)" in (
        client.get("/host?lang=en").text
    )
    # The operator page lists it, sets and clears by form, with the audit trail.
    client.cookies.set("livetier_key", k["op"])
    client.cookies.set("livetier_lang", "zh")
    dash = client.get("/operator")
    assert 'data-host="h_ord" data-state="in_force"' in dash.text and "launch partner" in dash.text
    bad = client.post(
        "/operator/overrides",
        data={"host_id": "h_ord", "kind": "floor", "tier": "none", "reason": "x"},
        follow_redirects=False,
    )
    assert bad.status_code == 409 and 'id="override-error"' in bad.text
    done = client.post(
        "/operator/overrides/h_ord/clear", data={"reason": "ended early"}, follow_redirects=False
    )
    assert done.status_code == 303
    audit = client.get("/api/v1/operator/override-audit", headers=_auth(k["op"])).json()
    assert [(a["host_id"], a["action"], a["who"], a["reason"]) for a in audit] == [
        ("h_ord", "set", "ops-alice", "launch partner"),
        ("h_drug", "set", "ops-alice", "must not lift"),
        ("h_ord", "clear", "ops-alice", "ended early"),
    ]
    assert 'data-action="clear" data-host="h_ord"' in client.get("/operator").text
    nothing = client.post(
        "/api/v1/operator/overrides/h_ord/clear",
        json={"reason": "again"},
        headers=_auth(k["op"]),
    )
    assert nothing.status_code == 409
