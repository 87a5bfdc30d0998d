"""The live routes in-process: events in (service keys, JSON or NDJSON, size cap, partial
acceptance, duplicates), the channel and sessions out, over a real day run's state store."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from builders import Clock, Platform
from live_events import local, session_events
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.entrypoints.api.errors import ECHO_CHARS
from livetier.entrypoints.api.live import MAX_EVENTS_BODY
from livetier.entrypoints.api.middleware import MAX_BODY_BYTES
from livetier.services import daily, keys, live
from livetier.store.models import LiveEvent
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
ZONE = ZoneInfo("Asia/Shanghai")
EVENTS = "/api/v1/live/events"
NDJSON = {"content-type": "application/x-ndjson"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live-api")
    p = Platform()
    p.host("h_ord")
    p.host("h_ord2")
    p.host("h_basic", enterprise_member="false")  # tier none: never surfaced
    db = open_engine(f"sqlite:///{folder / 'state.db'}")
    warehouse = folder / "livetier.duckdb"
    daily.run_day(p.write(folder / "data"), D, rulebooks.load(), db, warehouse)
    app = create_app(
        db,
        rulebooks.load(),
        clock=Clock(D),
        refresh_seconds=0,
        auth_cache_seconds=0,
    )
    made = {
        "op": keys.create(db, keys.Role.operator)[0],
        "svc": keys.create(db, keys.Role.service)[0],
        "h_ord": keys.create(db, keys.Role.host, "h_ord")[0],
        "h_ord2": keys.create(db, keys.Role.host, "h_ord2")[0],
    }
    with TestClient(app) as client:
        yield client, made, db, warehouse
    db.dispose()


def auth(key: str, **headers: str) -> dict[str, str]:
    return {"X-API-Key": key, **headers}


def stored(db) -> int:
    with db.connect() as c:
        return int(c.execute(select(func.count()).select_from(LiveEvent)).scalar_one())


def test_only_service_keys_send_events(stack):
    client, k, db, _ = stack
    batch = session_events("s-auth", "h_ord", 1, 0)
    before = stored(db)
    assert client.post(EVENTS, json=batch).status_code == 401
    assert client.post(EVENTS, json=batch, headers=auth("lt_not-a-key")).status_code == 401
    for who in ("op", "h_ord"):  # an operator reads the live data; it does not feed it
        r = client.post(EVENTS, json=batch, headers=auth(k[who]))
        assert r.status_code == 403 and "needs service" in r.json()["detail"]
    assert stored(db) == before
    r = client.post(EVENTS, json=batch, headers=auth(k["svc"]))
    assert r.json() == {"accepted": 2, "duplicates": 0, "rejected": []}
    assert stored(db) == before + 2


def test_bad_events_are_answered_by_index_and_good_ones_kept(stack):
    client, k, db, _ = stack
    good = session_events("s-partial", "h_ord", 2, 1)  # 4 events
    huge = "x" * 20_000
    bad: list[Any] = [
        {**good[1], "event_id": "bad-time", "viewed_at": "soon"},
        {**good[1], "event_id": "bad-type", "viewed_at": 1764118800},  # a number is not a time
        {k: v for k, v in good[1].items() if k != "buyer_id"} | {"event_id": "bad-missing"},
        {**good[1], "event_id": "bad-kind", "kind": "liked"},
        "not an object",
        {**good[1], "event_id": "bad-extra", huge: 1},
        {**good[1], "event_id": "bad-long", "buyer_id": huge},
        {
            "event_id": "bad-deleted",
            "kind": "session_ended",
            "session_id": "s-partial",
            "ended_at": local(9, 30),
            "deleted": "yes",
        },
    ]
    batch = [good[0], bad[0], good[1], *bad[1:], good[2], good[3]]
    before = stored(db)
    r = client.post(EVENTS, content=orjson.dumps(batch), headers=auth(k["svc"]))
    assert r.status_code == 200
    report = r.json()
    assert (report["accepted"], report["duplicates"]) == (4, 0)
    reasons = {e["index"]: e["reason"] for e in report["rejected"]}
    assert sorted(reasons) == [1, 3, 4, 5, 6, 7, 8, 9]
    assert reasons[1].startswith("viewed_at")
    assert reasons[3].startswith("viewed_at") and "string" in reasons[3]
    assert reasons[4].startswith("buyer_id") and "required" in reasons[4].lower()
    assert reasons[5].startswith("kind: must be one of session_started")
    assert reasons[6] == "an event is a JSON object"
    assert reasons[8].startswith("buyer_id") and "128" in reasons[8]
    assert reasons[9].startswith("deleted")
    assert all(len(text) <= ECHO_CHARS + 1 for text in reasons.values())  # never the input
    assert huge[: ECHO_CHARS + 1] not in r.text
    assert stored(db) == before + 4


def test_duplicates_are_acknowledged_not_counted_again(stack):
    client, k, db, _ = stack
    batch = session_events("s-dup", "h_ord", 3, 0)  # 4 events
    first = client.post(EVENTS, json=batch + batch[:2], headers=auth(k["svc"])).json()
    assert first == {"accepted": 4, "duplicates": 2, "rejected": []}
    before = stored(db)
    again = client.post(EVENTS, json=batch, headers=auth(k["svc"])).json()
    assert again == {"accepted": 0, "duplicates": 4, "rejected": []}
    assert stored(db) == before


def test_ndjson_batches_index_their_non_blank_lines(stack):
    client, k, _, _ = stack
    batch = session_events("s-nd", "h_ord", 2, 0)  # 3 events
    lines = [orjson.dumps(e) for e in batch]
    body = b"\n".join([lines[0], b"", b"{not json", lines[1], b"   ", lines[2]]) + b"\n"
    r = client.post(EVENTS, content=body, headers=auth(k["svc"], **NDJSON))
    assert r.status_code == 200
    report = r.json()
    assert (report["accepted"], report["duplicates"]) == (3, 0)
    assert [e["index"] for e in report["rejected"]] == [1]
    assert report["rejected"][0]["reason"].startswith("not valid JSON")
    empty = client.post(EVENTS, content=b"", headers=auth(k["svc"], **NDJSON))
    assert empty.json() == {"accepted": 0, "duplicates": 0, "rejected": []}


def test_the_body_must_be_a_batch_of_json_or_ndjson(stack):
    client, k, _, _ = stack
    svc = auth(k["svc"])
    r = client.post(EVENTS, content=b"[{", headers=svc)
    assert r.status_code == 400 and "not valid JSON" in r.json()["detail"]
    r = client.post(EVENTS, json=session_events("s-obj", "h_ord", 0, 0)[0], headers=svc)
    assert r.status_code == 422 and "JSON array" in r.json()["detail"]
    r = client.post(EVENTS, content=b"a,b", headers=auth(k["svc"], **{"content-type": "text/csv"}))
    assert r.status_code == 415


def test_a_batch_may_be_larger_than_other_bodies_but_is_capped(stack):
    client, k, db, _ = stack
    batch = session_events("s-big", "h_ord", 3000, 0)  # ~470 kB: over the other routes' cap
    body = orjson.dumps(batch)
    assert MAX_BODY_BYTES < len(body) < MAX_EVENTS_BODY
    r = client.post(EVENTS, content=body, headers=auth(k["svc"]))
    assert r.status_code == 200 and r.json()["accepted"] == 3001
    before = stored(db)
    over = body + b" " * (MAX_EVENTS_BODY - len(body) + 1)
    r = client.post(EVENTS, content=over, headers=auth(k["svc"]))
    assert r.status_code == 413 and str(MAX_EVENTS_BODY) in r.json()["detail"]

    def chunks():
        for start in range(0, len(over), 1 << 20):
            yield over[start : start + (1 << 20)]

    r = client.post(EVENTS, content=chunks(), headers=auth(k["svc"]))  # no Content-Length
    assert r.status_code == 413
    assert stored(db) == before
    # The other routes keep their cap.
    r = client.post(
        "/api/v1/activities",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers=auth(k["op"], **{"content-type": "application/json"}),
    )
    assert r.status_code == 413


def test_sessions_and_the_channel_after_processing(stack):
    client, k, db, _ = stack
    surfaced = session_events("s-up", "h_ord", 30, 3)
    short = session_events("s-short", "h_ord2", 29, 3)  # one viewer short
    none = session_events("s-none", "h_basic", 40, 5)  # its tier has no surfacing
    for batch in (surfaced, short, none):
        assert client.post(EVENTS, json=batch, headers=auth(k["svc"])).json()["rejected"] == []
    live.Processor(db, rulebooks.load()).process()

    url = "/api/v1/live/sessions/s-up"
    for who in ("op", "svc", "h_ord"):
        r = client.get(url, headers=auth(k[who]))
        assert r.status_code == 200, (who, r.text)
    body = r.json()
    assert (body["viewers"], body["buyers"], body["surfaced"]) == (30, 3, True)
    # surfaced at the crossing event: the 30th view (the 3 buyers paid earlier)
    crossing = datetime.fromisoformat(surfaced[-1]["viewed_at"])
    assert datetime.fromisoformat(body["surfaced_at"]) == crossing
    assert client.get(url, headers=auth(k["h_ord2"])).status_code == 404  # not its session
    assert client.get("/api/v1/live/sessions/nope", headers=auth(k["op"])).status_code == 404
    assert client.get(url).status_code == 401

    channel = client.get("/api/v1/live/channel", headers=auth(k["h_ord2"])).json()
    assert [room["session_id"] for room in channel["rooms"]] == ["s-up"]
    assert channel["rooms"][0]["rank"] == 1 and channel["banner"] == []
    assert channel["banner_slots"] == 3 and channel["day"] == str(D)
    short_now = client.get("/api/v1/live/sessions/s-short", headers=auth(k["op"])).json()
    assert (short_now["viewers"], short_now["surfaced"]) == (29, False)
    events = client.get("/api/v1/events", headers=auth(k["svc"])).json()
    assert [(e["kind"], e["host_id"], e["run_id"]) for e in events if e["run_id"] is None] == [
        ("surfaced", "h_ord", None)
    ]
    assert datetime.fromisoformat(body["started_at"]) == datetime.fromisoformat(local(9))
