"""End to end: live events posted over HTTP to a running server with the live processor (as
``livetier serve`` runs it: two workers on SQLite, one on PostgreSQL), and the session
surfaced in the channel and as a ``surfaced`` event in the outbox."""

from __future__ import annotations

import time
from datetime import date, datetime

import httpx
import pytest

from builders import Platform
from live_events import session_events
from live_server import serving_process, set_day
from livetier import rulebooks
from livetier.services import daily, keys
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
WORKERS = {"sqlite": 2, "postgr": 1}  # several workers once (the processor beside them), one once


pytestmark = pytest.mark.slow  # a day run, then a server with two workers, on each store


def wait_for(what, seconds: float = 30.0):
    """``what()`` once it is truthy and not a 404 (the processor runs beside the server)."""
    deadline = time.monotonic() + seconds
    while True:
        found = what()
        if (found and "detail" not in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_events_posted_to_serve_surface_the_session(tmp_path, db_url, warehouse):
    p = Platform()
    p.host("h_ord")
    p.host("h_ord2")
    db = open_engine(db_url)
    daily.run_day(p.write(tmp_path / "data"), D, rulebooks.load(), db, warehouse)
    svc = {"X-API-Key": keys.create(db, keys.Role.service)[0]}
    clock = tmp_path / "today"
    set_day(clock, D)
    up = session_events("s-up", "h_ord", 30, 3)
    short = session_events("s-short", "h_ord2", 29, 3)
    with (
        serving_process(db_url, clock, workers=WORKERS[db_url[:6]], live=True) as url,
        httpx.Client(base_url=url, headers=svc, timeout=30) as client,
    ):
        for batch in (up[:20], short, up[20:]):  # the crossing event comes last
            r = client.post("/api/v1/live/events", json=batch)
            assert r.status_code == 200 and r.json()["rejected"] == [], r.text

        def channel() -> list[str]:
            rooms = client.get("/api/v1/live/channel").json()["rooms"]
            return [room["session_id"] for room in rooms]

        assert wait_for(channel) == ["s-up"]
        events = wait_for(
            lambda: [e for e in client.get("/api/v1/events").json() if e["kind"] == "surfaced"]
        )
        assert [(e["host_id"], e["run_id"]) for e in events] == [("h_ord", None)]
        session = client.get("/api/v1/live/sessions/s-up").json()
        crossing = datetime.fromisoformat(up[-1]["viewed_at"])
        assert datetime.fromisoformat(session["surfaced_at"]) == crossing
        short_now = wait_for(lambda: client.get("/api/v1/live/sessions/s-short").json())
        assert (short_now["viewers"], short_now["surfaced"]) == (29, False)
    db.dispose()
