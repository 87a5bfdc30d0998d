"""The live processor on a real state store (SQLite and PostgreSQL): events in, session
metrics, surfacing by the rulebook, outbox events once, today so far, and the readers."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from livetier import rulebooks
from livetier.domain.rulebook import Rulebook
from livetier.services import live
from livetier.services.state import events_after
from livetier.store.models import HostTier, LiveEvent
from livetier.store.schema import connected

TZ = "Asia/Shanghai"
DAY = date(2026, 11, 25)


def small_rules(tmp_path: Path, viewers: int = 3, buyers: int = 2) -> Rulebook:
    """The shipped rulebook with surfacing at ``viewers`` and ``buyers`` on every line."""
    text = rulebooks.DEFAULT_RULEBOOK.read_text(encoding="utf-8")
    for old in ("value: 30}", "value: 20}"):
        text = text.replace(
            f'{{metric: session_viewers, op: ">=", {old}',
            f'{{metric: session_viewers, op: ">=", value: {viewers}}}',
        )
    for old in ("value: 3}", "value: 2}"):
        text = text.replace(
            f'{{metric: session_buyers, op: ">=", {old}',
            f'{{metric: session_buyers, op: ">=", value: {buyers}}}',
        )
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return rulebooks.load(path)


def set_tiers(db, tiers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    with Session(db) as s, s.begin():
        for host, tier in tiers.items():
            s.merge(
                HostTier(
                    host_id=host, tier=tier, since=DAY, first_seen=DAY, rulebook_version="2026.1"
                )
            )


def started(sid: str, host: str, at: str) -> dict[str, object]:
    return {
        "event_id": f"{sid}-start",
        "kind": "session_started",
        "session_id": sid,
        "host_id": host,
        "started_at": at,
    }


def ended(sid: str, at: str) -> dict[str, object]:
    return {"event_id": f"{sid}-end", "kind": "session_ended", "session_id": sid, "ended_at": at}


def viewed(sid: str, buyer: str, at: str) -> dict[str, object]:
    return {
        "event_id": f"{sid}-v-{buyer}-{at}",
        "kind": "viewed",
        "session_id": sid,
        "buyer_id": buyer,
        "viewed_at": at,
    }


def paid(order: str, host: str, buyer: str, at: str) -> dict[str, object]:
    return {
        "event_id": f"pay-{order}",
        "kind": "paid",
        "order_id": order,
        "host_id": host,
        "buyer_id": buyer,
        "paid_at": at,
    }


def local(hhmm: str) -> str:
    return f"2026-11-25T{hhmm}:00+08:00"


def utc(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, 11, 25, hour - 8, minute)


def room(sid: str, host: str, *, end: str | None = None) -> list[dict[str, object]]:
    """Three viewers by 20:03; buyer b1 pays at 20:05, b4 pays at 20:06 before its view at
    20:07 (no buyer then), b2 pays at 20:08: the second buyer, so the crossing event."""
    events = [
        started(sid, host, local("20:00")),
        viewed(sid, "b1", local("20:01")),
        viewed(sid, "b2", local("20:02")),
        viewed(sid, "b3", local("20:03")),
        paid(f"{sid}-o1", host, "b1", local("20:05")),
        paid(f"{sid}-o4", host, "b4", local("20:06")),
        viewed(sid, "b4", local("20:07")),
        paid(f"{sid}-o2", host, "b2", local("20:08")),
        viewed(sid, "b5", local("20:09")),
    ]
    return events + ([ended(sid, local(end))] if end else [])


def test_accepting_events_answers_each_bad_one_and_stores_the_good_once(db_url: str) -> None:
    with connected(db_url) as db:
        events: list[object] = [
            started("s1", "h1", local("20:00")),
            {"event_id": "x", "kind": "viewed", "session_id": "s1", "viewed_at": local("20:01")},
            {"event_id": "y", "kind": "teleported"},
            "not an object",
            viewed("s1", "b1", "2026-11-25 20:01:00"),  # no offset: platform local time
            started("s1", "h1", local("20:00")),  # the same event twice in one request
            {**paid("o1", "h1", "b1", local("20:02")), "paid_at": "yesterday"},
        ]
        report = live.accept_events(db, events, timezone=TZ)
        assert (report.accepted, report.duplicates) == (2, 1)
        assert [i for i, _ in report.rejected] == [1, 2, 3, 6]
        assert "buyer_id" in report.rejected[0][1]
        assert "kind" in report.rejected[1][1]
        assert "paid_at" in report.rejected[3][1]
        again = live.accept_events(db, [started("s1", "h1", local("20:00"))], timezone=TZ)
        assert (again.accepted, again.duplicates, again.rejected) == (0, 1, [])
        with Session(db) as s:
            stored = {e.event_id: e.at for e in s.scalars(select(LiveEvent))}
        assert stored == {"s1-start": utc("20:00"), "s1-v-b1-2026-11-25 20:01:00": utc("20:01")}


def test_surfacing_follows_the_tier_the_thresholds_and_the_session_end(
    db_url: str, tmp_path: Path
) -> None:
    rules = small_rules(tmp_path)
    with connected(db_url) as db:
        set_tiers(db, {"h_ord": "ordinary", "h_none": "none", "h_short": "ordinary"})
        events = (
            room("s_ord", "h_ord")
            + room("s_none", "h_none")
            + room("s_short", "h_short", end="20:06")
        )
        processor = live.Processor(db, rules)
        # Late and out of order: the second half first, then the first.
        half = len(events) // 2
        live.accept_events(db, events[half:], timezone=TZ)
        processor.process()
        live.accept_events(db, events[:half], timezone=TZ)
        assert processor.process() == half
        s_ord, s_none, s_short = (live.session(db, s) for s in ("s_ord", "s_none", "s_short"))
        assert s_ord is not None and s_none is not None and s_short is not None
        assert (s_ord.viewers, s_ord.buyers) == (5, 2)
        assert s_ord.surfaced_at == utc("20:08")  # the second buyer's payment
        assert s_ord.surfaced_metrics == {"viewers": 4, "buyers": 2}  # at that moment
        assert s_ord.surfaced
        assert s_none.surfaced_at is None  # tier none: no realtime_surfacing
        assert s_short.surfaced_at is None and s_short.ended_at == utc("20:06")
        surfaced = [e for e in events_after(db) if e["kind"] == "surfaced"]
        assert [
            (e["session_id"], e["surfaced_at"], e["viewers"], e["buyers"]) for e in surfaced
        ] == [("s_ord", "2026-11-25T12:08:00Z", 4, 2)]
        assert surfaced[0]["day"] == "2026-11-25" and surfaced[0]["run_id"] is None

        now = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
        channel = live.channel(db, rules, now)
        assert [r.session_id for r in channel.rooms] == ["s_ord"]
        assert channel.rooms[0].banner is False  # ordinary: no channel_banner
        host = live.host_live(db, rules, "h_ord", now)
        assert host.session is not None and host.session.session_id == "s_ord"
        assert [(t.metric, t.target, t.value, t.met) for t in host.thresholds] == [
            ("session_viewers", 3, 5, True),
            ("session_buyers", 2, 2, True),
        ]
        assert (host.day, host.valid_sessions, host.live_buyers, host.provisional) == (
            DAY,
            1,
            2,
            True,
        )

        # The session ends: surfacing_ended once; replaying everything again sends nothing.
        live.accept_events(db, [ended("s_ord", local("21:00"))], timezone=TZ)
        processor.process()
        live.accept_events(
            db, [{**e, "event_id": f"again-{e['event_id']}"} for e in events], timezone=TZ
        )
        processor.process()
        kinds = [(e["kind"], e["session_id"]) for e in events_after(db)]
        assert kinds == [("surfaced", "s_ord"), ("surfacing_ended", "s_ord")]
        assert live.channel(db, rules, now).rooms == []
        assert live.host_live(db, rules, "h_ord", now).session is None
        facts = {f["host_id"]: f for f in live.facts(db, DAY)}
        assert facts["h_ord"] == {
            "host_id": "h_ord",
            "day": "2026-11-25",
            "valid_sessions": 1,
            "live_buyers": 2,
        }
        assert facts["h_short"]["valid_sessions"] == 0  # six minutes is not a valid session
        assert [v.session_id for v in live.sessions(db, live_only=True)] == ["s_none"]
        processor.release()


def test_only_one_processor_works_at_a_time(db_url: str, tmp_path: Path) -> None:
    rules = small_rules(tmp_path)
    with connected(db_url) as db:
        first, second = live.Processor(db, rules), live.Processor(db, rules)
        first.acquire()
        with pytest.raises(live.ProcessorBusy, match="holds the lease"):
            second.acquire()
        first.release()
        second.acquire()
        second.release()


def test_the_background_loop_logs_a_failed_batch_and_keeps_running(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rules = small_rules(tmp_path)
    with connected(db_url) as db:
        set_tiers(db, {"h1": "honor"})
        processor = live.Processor(db, rules, poll_seconds=0.05)
        compute = processor._compute
        failures = []

        def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
            if not failures:  # the first batch fails once, as a transient error would
                failures.append(1)
                raise RuntimeError("disk hiccup")
            return compute(*args, **kwargs)

        processor._compute = flaky  # type: ignore[method-assign]
        processor.start()
        try:
            live.accept_events(db, room("s1", "h1"), timezone=TZ)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and live.session(db, "s1") is None:
                time.sleep(0.05)
        finally:
            processor.stop()
        found = live.session(db, "s1")
        assert found is not None and (found.viewers, found.buyers) == (5, 2)
        assert found.surfaced_at == utc("20:08")
    logged = [r for r in caplog.records if r.name == "livetier.services.live.processor"]
    assert [r.levelname for r in logged] == ["ERROR"]
    assert "RuntimeError: disk hiccup" in logged[0].getMessage()


def test_stopping_never_closes_the_engine_under_a_running_batch(
    db_url: str, tmp_path: Path
) -> None:
    rules = small_rules(tmp_path)
    with connected(db_url) as db:
        processor = live.Processor(db, rules, poll_seconds=0.05)
        compute = processor._compute
        inside, go_on = threading.Event(), threading.Event()

        def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
            inside.set()
            go_on.wait(60)
            return compute(*args, **kwargs)

        processor._compute = slow  # type: ignore[method-assign]
        processor.start()
        live.accept_events(db, room("s1", "h1"), timezone=TZ)
        assert inside.wait(60)
        processor.stop(timeout=0.1)  # the batch still runs: its engine must stay open
        assert processor._engine is not None
        go_on.set()
        processor.stop()  # now it ends, releases the lease and closes
        assert processor._engine is None
        found = live.session(db, "s1")
        assert found is not None and found.viewers == 5


def test_a_processor_taking_the_lease_back_sees_what_another_processed(
    db_url: str, tmp_path: Path
) -> None:
    rules = small_rules(tmp_path)
    events = room("s1", "h1")
    with connected(db_url) as db:
        first, second = live.Processor(db, rules), live.Processor(db, rules)
        try:
            for processor, part in (
                (first, events[:3]),
                (second, events[3:6]),
                (first, events[6:]),
            ):
                live.accept_events(db, part, timezone=TZ)
                assert processor.process() == len(part)
                processor.release()
        finally:
            first.close()
            second.close()
        found = live.session(db, "s1")
        assert found is not None and (found.viewers, found.buyers) == (5, 2)
