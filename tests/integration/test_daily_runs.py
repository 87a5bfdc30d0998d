"""Daily runs with history: re-runs and failures keep history true."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.settings import Settings
from livetier.services import daily, state
from livetier.services.daily import record
from livetier.store.models import HostTier, OutboxEvent, Run
from livetier.store.schema import open_engine
from livetier.store.warehouse import open_warehouse

D1, D2 = date(2026, 11, 25), date(2026, 11, 26)


@pytest.fixture
def db(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def _platform(expert_sessions: int = 5) -> Platform:
    """h_exp: consumer expert on D1 and D2 (sessions on 11-20..); h_ord: always ordinary."""
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", expert_sessions, date(2026, 11, 20))
    p.host("h_ord", trade_medal="1")
    p.host("h_none", enterprise_member="false")
    return p


# These tests rewrite earlier days' events between runs; a 30-day lookback recomputes them
# all, so each run sees its whole folder (tests/integration/test_warehouse.py covers lookback).
WHOLE_WINDOW = daily.Settings(lookback=30)


def _run(p: Platform, folder, day: date, db) -> daily.RunOutcome:
    return daily.run_day(
        p.write(folder), day, rulebooks.load(), db, Settings().warehouse, WHOLE_WINDOW
    )


def _counts(db) -> tuple[int, int, int]:
    with Session(db) as s:
        return (
            s.scalar(select(func.count()).select_from(Run)) or 0,
            len(state.history(db)),
            s.scalar(select(func.count()).select_from(OutboxEvent)) or 0,
        )


def test_the_first_run_starts_every_host_from_none(tmp_path, db):
    outcome = _run(_platform(), tmp_path, D1, db)
    assert (outcome.graded, outcome.changes, outcome.events) == (3, 2, 2)
    tiers = {t["host_id"]: (t["tier"], t["since"]) for t in state.tiers(db)}
    assert tiers == {
        "h_exp": ("expert", "2026-11-25"),
        "h_ord": ("ordinary", "2026-11-25"),
        "h_none": ("none", "2026-11-25"),
    }
    changes = {c["host_id"]: (c["from_tier"], c["to_tier"]) for c in state.history(db)}
    assert changes == {"h_exp": ("none", "expert"), "h_ord": ("none", "ordinary")}
    with Session(db) as s:
        kinds = set(s.scalars(select(OutboxEvent.kind)))
    assert kinds == {"first_qualification"}


def test_rerunning_a_day_with_the_same_input_adds_nothing(tmp_path, db):
    p = _platform()
    _run(p, tmp_path, D1, db)
    before = (_counts(db), state.tiers(db), state.history(db))
    folder = tmp_path
    again = daily.run_day(folder, D1, rulebooks.load(), db, Settings().warehouse, WHOLE_WINDOW)
    assert again.status == "unchanged" and again.run_id is None
    assert (_counts(db), state.tiers(db), state.history(db)) == before
    # A touched file is new input: the day is graded again, and still nothing changes.
    later = datetime.now().timestamp() + 5
    os.utime(folder / "hosts.csv", (later, later))
    touched = daily.run_day(folder, D1, rulebooks.load(), db, Settings().warehouse, WHOLE_WINDOW)
    assert touched.status == "succeeded" and touched.changes == touched.replaced == 0
    assert state.tiers(db) == before[1] and state.history(db) == before[2]
    assert _counts(db)[2] == before[0][2]  # no new events


def test_the_next_day_records_only_what_changed(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    # h_ord's data now qualify it for expert; nothing else moves between D1 and D2.
    p.hosts[1].update(trade_medal="2", bsr_description="4.6")
    p.sessions_for("h_ord", 5, date(2026, 11, 20))
    outcome = _run(p, tmp_path / "d2", D2, db)
    assert (outcome.changes, outcome.replaced) == (1, 0)
    [change] = [c for c in state.history(db) if c["day"] == "2026-11-26"]
    assert (change["host_id"], change["from_tier"], change["to_tier"]) == (
        "h_ord",
        "ordinary",
        "expert",
    )
    assert change["reasons"][0].startswith("expert: trade_medal >= 2")
    with Session(db) as s:
        assert s.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id.desc())).first() == (
            "upgrade"
        )


def test_rerunning_the_latest_day_after_a_correction_replaces_its_changes(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    p.hosts[1].update(trade_medal="2", bsr_description="4.6")
    p.sessions_for("h_ord", 5, date(2026, 11, 20))
    _run(p, tmp_path / "d2", D2, db)
    # The D2 data were wrong: corrected, h_ord stays ordinary and h_exp drops to ordinary.
    p.hosts[1].update(trade_medal="1")
    p.hosts[0].update(bsr_description="4.5")
    outcome = _run(p, tmp_path / "d2-fixed", D2, db)
    assert outcome.replaced == 1 and outcome.changes == 1
    d2 = {
        c["host_id"]: (c["from_tier"], c["to_tier"])
        for c in state.history(db)
        if c["day"] == "2026-11-26"
    }
    assert d2 == {"h_exp": ("expert", "ordinary")}
    tiers = {t["host_id"]: (t["tier"], t["since"]) for t in state.tiers(db)}
    assert tiers["h_ord"] == ("ordinary", "2026-11-25")  # restored to its D1 state
    assert tiers["h_exp"] == ("ordinary", "2026-11-26")


def test_a_day_before_the_latest_is_refused_and_history_is_untouched(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d2", D2, db)
    before = (_counts(db), state.history(db))
    with pytest.raises(daily.RunRefused, match="before 2026-11-26, the latest day"):
        _run(p, tmp_path / "d1", D1, db)
    assert (_counts(db), state.history(db)) == before


def test_a_failure_while_recording_leaves_the_previous_state_and_the_next_run_completes(
    tmp_path, db, monkeypatch
):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    before = (state.tiers(db), state.history(db))
    real = record.record_day

    def crash_after_writing(*args, **kwargs):
        real(*args, **kwargs)  # every write of the day is made, then the process fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(record, "record_day", crash_after_writing)
    p.hosts[0].update(bsr_description="4.5")
    with pytest.raises(RuntimeError, match="disk full"):
        _run(p, tmp_path / "d2", D2, db)
    assert (state.tiers(db), state.history(db)) == before
    with Session(db) as s:
        assert s.scalars(select(Run.status).order_by(Run.id)).all() == ["succeeded", "failed"]
    monkeypatch.setattr(record, "record_day", real)
    outcome = _run(p, tmp_path / "d2-again", D2, db)
    assert outcome.changes == 1
    assert state.history(db, "h_exp")[-1]["to_tier"] == "ordinary"


def test_outbox_ids_strictly_increase(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    p.hosts[0].update(bsr_description="4.5")
    _run(p, tmp_path / "d2", D2, db)
    p.hosts[0].update(bsr_description="4.6")
    p.hosts[1].update(trade_medal="2", bsr_description="4.6")
    p.sessions_for("h_ord", 5, date(2026, 11, 20) - timedelta(days=1))
    _run(p, tmp_path / "d2b", D2, db)
    with Session(db) as s:
        ids = s.scalars(select(OutboxEvent.id).order_by(OutboxEvent.id)).all()
    assert ids == sorted(set(ids)) and len(ids) >= 3


def test_a_corrected_day_can_move_a_host_to_another_tier_than_first_recorded(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)  # h_ord: ordinary
    p.hosts[1].update(trade_medal="2", bsr_description="4.6")
    p.sessions_for("h_ord", 5, date(2026, 11, 20))
    _run(p, tmp_path / "d2", D2, db)  # h_ord: ordinary -> expert
    p.hosts[1].update(trade_medal="3", bsr_description="4.7", fans="500")
    p.buyers_for("h_ord", 300, date(2026, 11, 24))
    p.sessions_for("h_ord", 10, date(2026, 11, 1))
    outcome = _run(p, tmp_path / "d2-fixed", D2, db)  # corrected: ordinary -> honor
    assert (outcome.replaced, outcome.changes) == (1, 1)
    d2 = [
        (c["host_id"], c["from_tier"], c["to_tier"])
        for c in state.history(db)
        if c["day"] == "2026-11-26"
    ]
    assert d2 == [("h_ord", "ordinary", "honor")]
    assert {t["host_id"]: t["tier"] for t in state.tiers(db)}["h_ord"] == "honor"


def _copy_of_state(db) -> list[tuple[str, str, date, bool]] | None:
    """The warehouse's copy of the hosts' state, if it names the store's latest run."""
    with open_warehouse(Settings().warehouse, read_only=True) as wh:
        tag = wh.state_of()
        rows = wh.raw.execute("SELECT * FROM host_state ORDER BY host_id").fetchall()
    with Session(db) as s:
        latest = s.execute(
            select(Run.id, Run.started_at).where(Run.status == "succeeded").order_by(Run.id.desc())
        ).first()
    return rows if latest and tag == record.run_tag(latest.id, latest.started_at) else None


def _store_state(db) -> list[tuple[str, str, date, bool]]:
    with Session(db) as s:
        rows = s.execute(
            select(HostTier.host_id, HostTier.tier, HostTier.first_seen, HostTier.at_risk).order_by(
                HostTier.host_id
            )
        ).all()
    return [tuple(r) for r in rows]


def test_runs_compare_with_the_warehouse_copy_of_the_state_only_while_it_is_current(
    tmp_path, db, monkeypatch
):
    read_store: list[bool] = []  # per run: whether the state came from the store
    real = record.state_before

    def spy(s, wh):
        state = real(s, wh)
        read_store.append(state.read_from_store)
        return state

    monkeypatch.setattr(record, "state_before", spy)
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    assert _copy_of_state(db) == _store_state(db) and len(_store_state(db)) == 3
    p.hosts[1].update(trade_medal="2", bsr_description="4.6")
    p.sessions_for("h_ord", 5, date(2026, 11, 20))
    p.host("h_new", trade_medal="1")
    _run(p, tmp_path / "d2", D2, db)  # h_ord moves up, h_new is new: both in the copy
    assert read_store == [True, False]
    assert _copy_of_state(db) == _store_state(db) and len(_store_state(db)) == 4
    p.hosts[1].update(trade_medal="1")
    _run(p, tmp_path / "d2-fixed", D2, db)  # a re-run of the day: the copy is dropped
    assert _copy_of_state(db) is None
    _run(p, tmp_path / "d3", D2 + timedelta(days=1), db)  # so this run reads the store
    assert read_store == [True, False, False, True]
    assert _copy_of_state(db) == _store_state(db)
    assert dict((h, t) for h, t, _, _ in _store_state(db))["h_ord"] == "ordinary"


def test_a_copy_of_another_store_is_not_used(tmp_path, db):
    p = _platform()
    _run(p, tmp_path / "d1", D1, db)
    # A second state store on the same warehouse: its run 1 is not the copy's run 1.
    other = open_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        p.hosts[2].update(enterprise_member="true")
        outcome = _run(p, tmp_path / "d1b", D1, other)
        assert outcome.changes == 3  # every host from none: nothing taken from the copy
        assert _copy_of_state(other) == _store_state(other)
        assert _copy_of_state(db) is None  # the copy now follows the other store
    finally:
        other.dispose()
