"""Over a thousand concurrent registration attempts from over a hundred hosts, through a served
app: the fatigue rule and idempotency hold in the database, on SQLite and PostgreSQL.

The app runs in a uvicorn process of its own (tests/live_server.py); the test sends each wave of
attempts at once over many connections, then moves the served clock a day. Every host asks for
this wave's two ordinary activities and special event, several times over, some attempts with
an Idempotency-Key and one of them replayed at the same time; odd hosts start a wave later, so
each wave has hosts the fatigue rule lets through and hosts it refuses. The database is then
read directly. A longer profile: LIVETIER_RACE_ATTEMPTS (default 1200), LIVETIER_RACE_HOSTS
(120), LIVETIER_RACE_CONCURRENCY (64) and LIVETIER_RACE_WORKERS (uvicorn worker processes, 1);
the figures are printed (``pytest -s``).
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from builders import Platform
from live_server import serving_process, set_day
from livetier import rulebooks
from livetier.services import daily, keys, state
from livetier.services.activities import PRIVILEGE
from livetier.store.models import Activity, FatigueDay, IdempotentResponse, Registration
from livetier.store.schema import open_engine

pytestmark = pytest.mark.slow

D = date(2026, 11, 26)
WAVES = 4
ATTEMPTS = int(os.environ.get("LIVETIER_RACE_ATTEMPTS", "1200"))
HOSTS = int(os.environ.get("LIVETIER_RACE_HOSTS", "120"))
CONCURRENCY = int(os.environ.get("LIVETIER_RACE_CONCURRENCY", "64"))
WORKERS = int(os.environ.get("LIVETIER_RACE_WORKERS", "1"))
FATIGUE = rulebooks.load().version_for(D).fatigue_days[PRIVILEGE]


@dataclass(frozen=True)
class Attempt:
    """One registration request: who, for what, on which wave's day, with which key."""

    day: date
    host: str
    activity: int
    key: str | None


@dataclass(frozen=True)
class Answer:
    """What the server answered an attempt (status 0: the request was lost in transit)."""

    attempt: Attempt
    status: int
    body: dict[str, Any]
    replayed: bool


@dataclass
class Store:
    """A served store with its hosts' keys, an operator key and the served clock's file."""

    url: str
    db: Engine
    host_keys: dict[str, str]
    operator: str
    clock: Path


@pytest.fixture
def store(tmp_path, db_url, warehouse):
    hosts = [f"h{i:04d}" for i in range(HOSTS)]
    p = Platform()
    for host in hosts:
        p.host(host, trade_medal="2", bsr_description="4.6", fans="0")
        p.sessions_for(host, 5, D - timedelta(days=10))
    db = open_engine(db_url)
    daily.run_day(p.write(tmp_path / "data"), D, rulebooks.load(), db, warehouse)
    for host in hosts:
        state.claim(db, host)
    host_keys = {h: keys.create(db, keys.Role.host, h)[0] for h in hosts}
    operator = keys.create(db, keys.Role.operator)[0]
    clock = tmp_path / "today"
    set_day(clock, D)
    with serving_process(db_url, clock, WORKERS) as url:
        yield Store(url, db, host_keys, operator, clock)
    db.dispose()


def test_concurrent_registrations_keep_the_fatigue_rule_and_idempotency(store, db_url):
    activities = _activities(store)
    per_host = max(3, math.ceil(ATTEMPTS / (HOSTS * WAVES - HOSTS // 2)))
    rng = random.Random(14)
    answers: list[Answer] = []
    last_ordinary: dict[str, date] = {}  # the model: each host's latest ordinary registration
    seconds = 0.0
    for wave in range(WAVES):
        day = D + timedelta(days=wave)
        set_day(store.clock, day)
        attempts = _wave(wave, day, sorted(store.host_keys), activities[wave], per_host, rng)
        started = time.perf_counter()
        got = asyncio.run(_send(store, attempts))
        seconds += time.perf_counter() - started
        allowed = {
            a.host
            for a in attempts
            if a.host not in last_ordinary or (day - last_ordinary[a.host]).days >= FATIGUE
        }
        _check_wave(got, activities[wave], allowed)
        last_ordinary.update(dict.fromkeys(allowed, day))
        answers += got
    _check_store(store.db, answers)
    _report(db_url.split(":")[0], answers, seconds)


def _activities(store: Store) -> list[tuple[list[int], int]]:
    """Each wave's two ordinary activities and special event, on days after the last wave."""
    made = []
    for wave in range(WAVES):
        ids = []
        for special in (False, False, True):
            r = httpx.post(
                f"{store.url}/api/v1/activities",
                json={
                    "name": f"wave {wave}",
                    "day": (D + timedelta(days=WAVES + len(made) + len(ids))).isoformat(),
                    "special": special,
                },
                headers={"X-API-Key": store.operator},
            )
            r.raise_for_status()
            ids.append(r.json()["id"])
        made.append((ids[:2], ids[2]))
    return made


def _wave(
    wave: int,
    day: date,
    hosts: list[str],
    activities: tuple[list[int], int],
    per_host: int,
    rng: random.Random,
) -> list[Attempt]:
    """Every host's attempts for a wave, shuffled; odd hosts sit out the first wave."""
    ordinary, special = activities
    attempts = []
    for i, host in enumerate(hosts):
        if wave == 0 and i % 2:
            continue
        chosen = [rng.choice(ordinary)] + [
            rng.choice([*ordinary, special]) for _ in range(per_host - 2)
        ]
        keys = [
            f"{host}-{wave}-{j}" if j == 0 or rng.random() < 0.5 else None
            for j in range(len(chosen))
        ]
        mine = [Attempt(day, host, a, k) for a, k in zip(chosen, keys, strict=True)]
        mine.append(rng.choice([a for a in mine if a.key is not None]))  # a concurrent replay
        attempts += mine
    rng.shuffle(attempts)
    return attempts


async def _send(store: Store, attempts: list[Attempt]) -> list[Answer]:
    """All attempts at once, at most CONCURRENCY in flight, over as many connections."""
    limit = asyncio.Semaphore(CONCURRENCY)
    limits = httpx.Limits(  # idle connections are dropped long before the server drops them
        max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY, keepalive_expiry=1
    )
    async with httpx.AsyncClient(base_url=store.url, limits=limits, timeout=120) as client:

        async def send(a: Attempt) -> Answer:
            headers = {"X-API-Key": store.host_keys[a.host]}
            if a.key is not None:
                headers["Idempotency-Key"] = a.key
            async with limit:
                try:
                    r = await client.post(
                        f"/api/v1/hosts/{a.host}/registrations",
                        json={"activity_id": a.activity},
                        headers=headers,
                    )
                except httpx.TransportError as e:  # counted, and failed on after the wave
                    return Answer(a, 0, {"error": repr(e)}, replayed=False)
            body = r.json() if r.headers.get("content-type") == "application/json" else {}
            return Answer(a, r.status_code, body, r.headers.get("Idempotent-Replayed") == "true")

        return list(await asyncio.gather(*(send(a) for a in attempts)))


def _check_wave(
    answers: list[Answer], activities: tuple[list[int], int], allowed: set[str]
) -> None:
    """What the clients saw: the hosts the rule lets through register once; replays agree."""
    statuses = Counter(a.status for a in answers)
    failed = [a.body for a in answers if a.status not in (201, 409)][:5]
    assert statuses.keys() <= {201, 409}, (statuses, failed)
    ordinary, special = activities
    created = [a for a in answers if a.status == 201 and not a.replayed]
    per_host = Counter(a.attempt.host for a in created if a.attempt.activity in ordinary)
    assert per_host == dict.fromkeys(allowed, 1)
    asked = {a.attempt.host for a in answers if a.attempt.activity == special}
    assert Counter(
        a.attempt.host for a in created if a.attempt.activity == special
    ) == dict.fromkeys(asked, 1)
    reasons = Counter(a.body["reason"] for a in answers if a.status == 409)
    assert set(reasons) <= {"fatigue", "already_registered"}, reasons
    by_key: dict[str, list[Answer]] = defaultdict(list)
    for a in answers:
        if a.attempt.key is not None:
            by_key[a.attempt.key].append(a)
    for same in by_key.values():
        assert len({a.status for a in same}) == 1, [(a.status, a.body) for a in same]
        if same[0].status == 201:
            assert all(a.body == same[0].body for a in same)
            assert sum(not a.replayed for a in same) == 1


def _check_store(db: Engine, answers: list[Answer]) -> None:
    """The database: no host twice in a window; exactly the registrations answered 201."""
    ordinary = select(Registration).join(Activity, Activity.id == Registration.activity_id)
    ordinary = ordinary.where(Activity.special.is_(False)).subquery()
    with Session(db) as s:
        for start in range(-FATIGUE, WAVES):
            first = D + timedelta(days=start)
            twice = s.scalars(
                select(ordinary.c.host_id)
                .where(
                    ordinary.c.registered_day.between(first, first + timedelta(days=FATIGUE - 1))
                )
                .group_by(ordinary.c.host_id)
                .having(func.count() > 1)
            ).all()
            assert twice == [], (first, twice)
        rows = {
            r.id: (r.host_id, r.activity_id, r.registered_day)
            for r in s.scalars(select(Registration))
        }
        n_ordinary = s.scalar(select(func.count()).select_from(ordinary))
        fatigue_days = s.scalar(select(func.count()).select_from(FatigueDay))
        kept = {r.key: (r.status_code, r.body) for r in s.scalars(select(IdempotentResponse))}
    created = [a for a in answers if a.status == 201 and not a.replayed]
    told = {
        a.body["registration_id"]: (a.attempt.host, a.attempt.activity, a.attempt.day)
        for a in created
    }
    assert len(told) == len(created) and told == rows
    assert fatigue_days == FATIGUE * n_ordinary
    for a in answers:
        if a.status == 201:
            assert a.body["registration_id"] in rows
            if a.attempt.key is not None:
                assert kept[a.attempt.key] == (201, a.body)


def _report(store: str, answers: list[Answer], seconds: float) -> None:
    statuses = Counter(a.status for a in answers)
    created = sum(a.status == 201 and not a.replayed for a in answers)
    refused = Counter(a.body.get("reason") for a in answers if a.status == 409)
    hosts = len({a.attempt.host for a in answers})
    print(
        f"\n{store}: {len(answers)} attempts from {hosts} hosts in {seconds:.1f} s "
        f"({len(answers) / seconds:.0f} attempts/s; {created} registrations, "
        f"{created / seconds:.1f}/s); replays {sum(a.replayed for a in answers)}; "
        f"refused {dict(refused)}; 5xx {sum(n for c, n in statuses.items() if c >= 500)}"
    )
