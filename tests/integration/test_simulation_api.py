"""``POST /api/v1/operator/simulations`` and the dashboard's simulation page (issue 13,
part 1): operator keys only, a bounded body, the latest run's day from its serving snapshot,
and no state changed."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from builders import Clock, Platform
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
pytestmark = pytest.mark.slow  # a day run per test, then the app: about 10 s alone
SHIPPED = rulebooks.DEFAULT_RULEBOOK.read_text()
# The draft: expert needs 6 sessions where 5 did (a second version, in force from D).
DRAFT = (
    SHIPPED
    + "\n"
    + SHIPPED[SHIPPED.index("  - version:") :]
    .replace('"2026.1"', '"2026.4"')
    .replace("effective_from: 2026-01-01", f"effective_from: {D}")
    .replace(
        '{metric: live_sessions_30d, op: ">=", value: 5}',
        '{metric: live_sessions_30d, op: ">=", value: 6}',
    )
)


def platform() -> Platform:
    p = Platform()
    for h, n in (("h5", 5), ("h6", 6), ("h4", 4)):
        p.host(h, trade_medal="2", bsr_description="4.6", fans="0")
        p.sessions_for(h, n, D - timedelta(days=20))
    p.host("h_ord")
    return p


@pytest.fixture
def stack(tmp_path: Path, warehouse: Path):
    url = f"sqlite:///{tmp_path / 'state.db'}"
    db = open_engine(url)
    daily.run_day(platform().write(tmp_path / "data"), D, rulebooks.load(), db, warehouse)
    app = create_app(db, rulebooks.load(), clock=Clock(D), refresh_seconds=0, auth_cache_seconds=0)
    made = {
        role: keys.create(db, role, "h5" if role is keys.Role.host else None)[0]
        for role in keys.Role
    }
    with TestClient(app) as client:
        yield client, made, [tmp_path / "state.db", warehouse]
    db.dispose()


def digest(paths: list[Path]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_operators_simulate_a_draft_from_the_api_and_nothing_changes(stack):
    client, made, files = stack
    url = "/api/v1/operator/simulations"
    for role in (keys.Role.host, keys.Role.service):
        assert (
            client.post(url, json={"draft": DRAFT}, headers={"X-API-Key": made[role]}).status_code
            == 403
        )
    op = {"X-API-Key": made[keys.Role.operator]}
    before = digest(files)
    r = client.post(url, json={"draft": DRAFT, "date": str(D)}, headers=op)
    assert r.status_code == 200, r.text
    body = r.json()
    assert digest(files) == before
    assert (body["day"], body["version"], body["draft_version"]) == (str(D), "2026.1", "2026.4")
    assert body["policy_applied"] and body["downgrade_grace_days"] == {"tier": 0, "draft_tier": 0}
    consumer = next(line for line in body["lines"] if line["line"] == "consumer")
    cells = {(c["tier"], c["draft_tier"]): c["hosts"] for c in consumer["matrix"]}
    assert cells[("expert", "ordinary")] == 1 and cells[("expert", "expert")] == 1
    lost = {p["privilege"]: p for p in consumer["privileges"]}["channel_activity_registration"]
    assert (lost["gained"], lost["lost"]) == (0, 1)
    [moved] = consumer["thresholds"]
    assert (moved["metric"], moved["before"], moved["after"]) == ("live_sessions_30d", 5, 6)
    assert [n["value"] for n in moved["nearest"][:3]] == [6, 5, 5] or moved["nearest"][0][
        "value"
    ] == 6
    [h5] = body["changed_hosts"]
    assert (h5["host_id"], h5["tier"], h5["draft_tier"], h5["changed"]) == (
        "h5",
        "expert",
        "ordinary",
        True,
    )
    assert any("live_sessions_30d ≥ 6" in x and "not met" in x for x in h5["reasons"]), h5
    # Refusals: a bad draft, an unknown version, another day, a body over the bound.
    for bad, words in (
        ({"draft": "rulebook: [1"}, "not valid YAML"),
        ({"draft": DRAFT, "version": "9"}, "no such version"),
        ({"draft": DRAFT, "date": str(D - timedelta(days=3))}, "latest run's day"),
    ):
        r = client.post(url, json=bad, headers=op)
        assert r.status_code == 409 and words in r.json()["detail"], r.text
        assert r.json()["reason"] == "invalid_draft"
    assert client.post(url, json={"draft": "x" * 70_000}, headers=op).status_code in (413, 422)


def test_the_dashboard_simulates_a_pasted_or_uploaded_draft_in_chinese_and_english(stack):
    client, made, _ = stack
    client.post("/login", data={"key": made[keys.Role.operator]})
    page = client.get("/operator/simulate")
    assert page.status_code == 200 and "规则草案模拟" in page.text
    pasted = client.post("/operator/simulate", data={"draft": DRAFT})
    assert pasted.status_code == 200
    assert 'data-tier="expert" data-draft-tier="ordinary" data-count="1"' in pasted.text
    assert 'data-host="h5"' in pasted.text and "达人主播" in pasted.text
    # The reasons in words, Chinese first (the API keeps the rule text).
    assert "近30天有效场次 ≥ 6" in pasted.text and "未达标" in pasted.text
    assert "live_sessions_30d" not in pasted.text.split('data-host="h5"')[1]
    uploaded = client.post(
        "/operator/simulate?lang=en", files={"upload": ("draft.yaml", DRAFT.encode(), "text/yaml")}
    )
    assert uploaded.status_code == 200 and "Hosts that change tier" in uploaded.text
    assert "valid sessions, 30 d ≥ 6" in uploaded.text and "not met" in uploaded.text
    assert 'data-host="h5"' in uploaded.text
    bad = client.post("/operator/simulate?lang=zh", data={"draft": "versions: nope"})
    assert bad.status_code == 400 and "无法模拟" in bad.text
    client.post("/login", data={"key": made[keys.Role.host]})
    assert client.get("/operator/simulate").status_code == 403
