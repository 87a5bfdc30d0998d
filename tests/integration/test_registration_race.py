"""Many concurrent registrations through a real server: the fatigue rule holds in the database.

The server runs in uvicorn (its thread pool serves requests in parallel) over SQLite and over
PostgreSQL; the requests come from many client threads at once.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from builders import Clock, Platform
from live_server import serving
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys, state
from livetier.store.models import FatigueDay, Registration
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
HOSTS = ["h1", "h2", "h3"]
UNCLAIMED = [f"u{i}" for i in range(12)]


@pytest.fixture
def server(tmp_path, db_url, warehouse):
    p = Platform()
    for host in HOSTS + UNCLAIMED:
        p.host(host, trade_medal="2", bsr_description="4.6", fans="0")
        p.sessions_for(host, 5, D - timedelta(days=10))
    db = open_engine(db_url)
    daily.run_day(p.write(tmp_path / "data"), D, rulebooks.load(), db, warehouse)
    for host in HOSTS:
        state.claim(db, host)
    host_keys = {h: keys.create(db, keys.Role.host, h)[0] for h in HOSTS + UNCLAIMED}
    operator = keys.create(db, keys.Role.operator)[0]
    app = create_app(db, rulebooks.load(), clock=Clock(D))
    with serving(app) as url:
        yield url, host_keys, operator, db
    db.dispose()


def _activities(url: str, operator: str, n: int, special: bool = False) -> list[int]:
    ids = []
    for i in range(n):
        r = httpx.post(
            f"{url}/api/v1/activities",
            json={"name": f"a{i}", "day": (D + timedelta(days=3)).isoformat(), "special": special},
            headers={"X-API-Key": operator},
        )
        r.raise_for_status()
        ids.append(r.json()["id"])
    return ids


def _post_all(url: str, requests: list[tuple[str, str, int, str | None]]) -> list[httpx.Response]:
    def post(item: tuple[str, str, int, str | None]) -> httpx.Response:
        host, key, activity, idempotency = item
        headers = {"X-API-Key": key}
        if idempotency:
            headers["Idempotency-Key"] = idempotency
        with httpx.Client(timeout=60) as client:
            return client.post(
                f"{url}/api/v1/hosts/{host}/registrations",
                json={"activity_id": activity},
                headers=headers,
            )

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(post, requests))


@pytest.mark.slow
def test_concurrent_registrations_never_both_pass_the_fatigue_rule(server):
    url, host_keys, operator, db = server
    ordinary = _activities(url, operator, 6)
    special = _activities(url, operator, 2, special=True)
    # Every host asks for every activity, several times over, all at once.
    requests = [
        (host, host_keys[host], activity, None)
        for _ in range(3)
        for host in HOSTS
        for activity in ordinary + special
    ]
    responses = _post_all(url, requests)
    assert all(r.status_code in (201, 409) for r in responses), {r.status_code for r in responses}

    with Session(db) as s:
        rows = s.execute(select(Registration.host_id, Registration.activity_id)).all()
        blocked = s.scalar(select(func.count()).select_from(FatigueDay))
    per_host = Counter(h for h, a in rows if a in ordinary)
    # Exactly one ordinary registration per host passed; special events are exempt, once each.
    assert per_host == dict.fromkeys(HOSTS, 1)
    assert Counter(h for h, a in rows if a in special) == dict.fromkeys(HOSTS, 2)
    assert blocked == 2 * len(HOSTS)  # each passed registration blocks its day and the next
    created = Counter(r.json()["host_id"] for r in responses if r.status_code == 201)
    assert created == dict.fromkeys(HOSTS, 3)  # what the clients saw matches the database
    reasons = Counter(r.json()["reason"] for r in responses if r.status_code == 409)
    assert set(reasons) <= {"fatigue", "already_registered"}


@pytest.mark.slow
def test_concurrent_retries_with_one_idempotency_key_register_once(server):
    url, host_keys, operator, db = server
    first, second = _activities(url, operator, 2)
    same = [("h1", host_keys["h1"], first, "retry-1")] * 24
    responses = _post_all(url, same)
    assert {r.status_code for r in responses} == {201}
    assert len({r.text for r in responses}) == 1  # every retry got the first response
    with Session(db) as s:
        assert s.scalar(select(func.count()).select_from(Registration)) == 1
    clash = _post_all(url, [("h1", host_keys["h1"], second, "retry-1")])[0]
    assert (clash.status_code, clash.json()["reason"]) == (409, "idempotency_key_reused")


def test_concurrent_claims_all_succeed(server):
    url, host_keys, _, db = server

    def claim(host: str) -> int:
        with httpx.Client(timeout=60) as client:
            r = client.post(
                f"{url}/api/v1/hosts/{host}/claim", headers={"X-API-Key": host_keys[host]}
            )
            return r.status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        codes = list(pool.map(claim, UNCLAIMED * 2))
    assert codes == [200] * len(codes)
    assert {t["host_id"] for t in state.tiers(db) if t["claimed"]} == set(HOSTS + UNCLAIMED)
