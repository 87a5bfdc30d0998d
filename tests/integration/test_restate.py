"""Re-runs and restatements: a repeated backfill does nothing, a retry completes the missing
days, and a restatement gives the history of a fresh backfill over the corrected data, with
corrections that bring event consumers to the same tiers."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.cli import app
from livetier.entrypoints.cli.options import flag
from livetier.services import daily, state
from livetier.services.daily import record
from livetier.store.models import HostTier, Run, TierChange
from livetier.store.schema import open_engine
from livetier.store.warehouse import open_warehouse

runner = CliRunner()
FIRST, RESTATE_FROM, LAST = date(2026, 11, 5), date(2026, 11, 6), date(2026, 11, 7)


@pytest.fixture
def db(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def _platform(*, corrected: bool) -> Platform:
    """h_exp: expert from 11-06 (its fifth session on 11-05); h_b: ordinary (four sessions).
    The corrected data drop h_exp's 11-05 session (it stays ordinary: its upgrade no longer
    holds) and add one for h_b on 11-06 (expert from 11-07: a change that newly holds)."""
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 4 if corrected else 5, date(2026, 11, 1))
    p.host("h_b", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_b", 4, date(2026, 11, 1))
    if corrected:
        p.sessions_for("h_b", 1, date(2026, 11, 6))
    p.host("h_none", enterprise_member="false")
    return p


def _backfill(folder: Path, db, warehouse: Path, first: date = FIRST, last: date = LAST):
    return daily.backfill(folder, first, last, rulebooks.load(), db, warehouse)


def _restate(folder: Path, db, warehouse: Path) -> daily.Restatement:
    return daily.restate(folder, RESTATE_FROM, LAST, rulebooks.load(), db, warehouse)


def _history(db, warehouse: Path) -> dict[str, Any]:
    """What a restatement must leave as a fresh backfill would: tiers, changes, facts."""
    with Session(db) as s:
        tiers = sorted(
            (t.host_id, t.tier, t.since, t.first_seen, t.rulebook_version, t.at_risk)
            for t in s.scalars(select(HostTier))
        )
        changes = sorted(
            (c.host_id, c.day, c.from_tier, c.to_tier, tuple(c.reasons), c.rulebook_version)
            for c in s.scalars(select(TierChange))
        )
    with open_warehouse(warehouse, read_only=True) as wh:
        facts = wh.raw.execute("SELECT * FROM daily_facts ORDER BY ALL").fetchall()
    return {"tiers": tiers, "changes": changes, "facts": facts}


def _consumer_tiers(db) -> dict[str, str]:
    """A webhook consumer's tiers: every event applied in order (a correction's ``tier``)."""
    tiers: dict[str, str] = {}
    for e in state.events_after(db):
        if e["kind"] == "correction":
            tiers[e["host_id"]] = e["tier"]
        elif e["kind"] != "at_risk":
            tiers[e["host_id"]] = e["to_tier"]
    return {h: t for h, t in tiers.items() if t != "none"}


def _state_tiers(db) -> dict[str, str]:
    return {t["host_id"]: t["tier"] for t in state.tiers(db) if t["tier"] != "none"}


def _fresh(tmp_path: Path, folder: Path) -> dict[str, Any]:
    """The history of a fresh backfill over ``folder`` on a new store and warehouse."""
    fresh_db = open_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        _backfill(folder, fresh_db, tmp_path / "fresh.duckdb")
        return _history(fresh_db, tmp_path / "fresh.duckdb")
    finally:
        fresh_db.dispose()


def test_a_repeated_backfill_does_nothing_and_says_so(tmp_path, db_url, db):
    folder = _platform(corrected=False).write(tmp_path / "data")
    args = ["backfill", "--data", str(folder), "--from", str(FIRST), "--to", str(LAST)]
    args += ["--db", db_url, "--warehouse", str(tmp_path / "w.duckdb")]
    assert runner.invoke(app, args).exit_code == 0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "already run with the same input; nothing changed" in again.stdout
    with db.connect() as c:
        assert c.execute(select(Run.status)).scalars().all() == ["succeeded"] * 3


@pytest.mark.slow
def test_a_retry_after_a_killed_backfill_completes_the_missing_days(tmp_path, db, monkeypatch):
    folder = _platform(corrected=False).write(tmp_path / "data")
    warehouse = tmp_path / "w.duckdb"
    real = record.record_day

    def killed_on_the_last_day(s, run_id, day, *args, **kwargs):
        if day == LAST:
            raise RuntimeError("killed")
        return real(s, run_id, day, *args, **kwargs)

    monkeypatch.setattr(record, "record_day", killed_on_the_last_day)
    with pytest.raises(RuntimeError, match="killed"):
        _backfill(folder, db, warehouse)
    monkeypatch.setattr(record, "record_day", real)
    outcomes = _backfill(folder, db, warehouse)  # the cron job's retry
    assert [o.status for o in outcomes] == ["unchanged"] * 2 + ["succeeded"]
    assert _history(db, warehouse) == _fresh(tmp_path, folder)


@pytest.mark.slow
def test_an_earlier_day_with_new_input_is_refused_without_restate(tmp_path, db):
    _backfill(_platform(corrected=False).write(tmp_path / "a"), db, tmp_path / "w.duckdb")
    corrected = _platform(corrected=True).write(tmp_path / "b")
    with pytest.raises(daily.RunRefused, match=r"before 2026-11-07, the latest day") as refused:
        _backfill(corrected, db, tmp_path / "w.duckdb", RESTATE_FROM)
    assert "--from 2026-11-06 --to 2026-11-07 --restate" in refused.value.say(flag)


def test_a_restatement_equals_a_fresh_backfill_and_consumers_converge(tmp_path, db):
    warehouse = tmp_path / "w.duckdb"
    _backfill(_platform(corrected=False).write(tmp_path / "a"), db, warehouse)
    assert _consumer_tiers(db) == _state_tiers(db) == {"h_exp": "expert", "h_b": "ordinary"}
    corrected = _platform(corrected=True).write(tmp_path / "b")
    done = _restate(corrected, db, warehouse)
    assert _history(db, warehouse) == _fresh(tmp_path, corrected)
    assert _consumer_tiers(db) == _state_tiers(db) == {"h_exp": "ordinary", "h_b": "expert"}
    corrections = [e for e in state.events_after(db) if e["kind"] == "correction"]
    assert done.corrections == 2
    assert [
        (e["host_id"], e["day"], e["withdrawn"], e["change"], e["tier"]) for e in corrections
    ] == [
        ("h_exp", "2026-11-06", {"from_tier": "ordinary", "to_tier": "expert"}, None, "ordinary"),
        ("h_b", "2026-11-07", None, {"from_tier": "ordinary", "to_tier": "expert"}, "expert"),
    ]
    # Restated, the days are run: a backfill of them again does nothing.
    assert {o.status for o in _backfill(corrected, db, warehouse, RESTATE_FROM)} == {"unchanged"}


@pytest.mark.slow
def test_a_killed_restatement_blocks_other_runs_until_it_is_run_again(tmp_path, db, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    _backfill(_platform(corrected=False).write(tmp_path / "a"), db, warehouse)
    corrected = _platform(corrected=True).write(tmp_path / "b")
    real = record.record_day

    def killed(s, run_id, day, *args, **kwargs):
        if day == LAST:
            raise RuntimeError("killed")
        return real(s, run_id, day, *args, **kwargs)

    monkeypatch.setattr(record, "record_day", killed)
    with pytest.raises(RuntimeError, match="killed"):
        _restate(corrected, db, warehouse)
    monkeypatch.setattr(record, "record_day", real)
    with pytest.raises(daily.RunRefused, match="restatement from 2026-11-06 was interrupted"):
        _backfill(corrected, db, warehouse)
    _restate(corrected, db, warehouse)
    assert _history(db, warehouse) == _fresh(tmp_path, corrected)
    assert _consumer_tiers(db) == _state_tiers(db)


@pytest.mark.slow
def test_rerunning_the_latest_day_that_withdraws_a_change_sends_a_correction(tmp_path, db):
    warehouse = tmp_path / "w.duckdb"
    _backfill(_platform(corrected=False).write(tmp_path / "a"), db, warehouse, last=RESTATE_FROM)
    assert _consumer_tiers(db)["h_exp"] == "expert"  # upgraded on 11-06, the latest day
    corrected = _platform(corrected=True).write(tmp_path / "b")
    daily.run_day(corrected, RESTATE_FROM, rulebooks.load(), db, warehouse)
    [correction] = [e for e in state.events_after(db) if e["kind"] == "correction"]
    assert (correction["host_id"], correction["withdrawn"], correction["tier"]) == (
        "h_exp",
        {"from_tier": "ordinary", "to_tier": "expert"},
        "ordinary",
    )
    assert _consumer_tiers(db) == _state_tiers(db) == {"h_exp": "ordinary", "h_b": "ordinary"}


def test_quality_of_a_day_never_run_says_so_and_a_lookback_run_keeps_earlier_findings(
    tmp_path, db_url
):
    p = _platform(corrected=False)
    for at in ("2026-11-02T10:00:00", "2026-11-02T11:00:00"):  # one order id, two payments
        p.order("h_b", "buyer", at, order_id="o_dup")
    folder = p.write(tmp_path / "data")
    common = ["--db", db_url, "--warehouse", str(tmp_path / "w.duckdb")]
    run = ["run", "--data", str(folder), "--date", str(LAST), *common]
    assert runner.invoke(app, run).exit_code == 0  # the first run computes the whole window
    never = runner.invoke(app, ["quality", "--date", str(FIRST), *common[2:]])
    assert never.exit_code == 2 and "no data-quality report for 2026-11-05" in never.output

    def reasons() -> list[str]:
        with open_warehouse(tmp_path / "w.duckdb", read_only=True) as wh:
            return [str(r["reason"]) for r in wh.quality(LAST) or []]

    assert "conflicting_duplicate" in reasons()
    first = sorted(reasons())
    later = datetime.now().timestamp() + 5
    os.utime(folder / "orders.csv", (later, later))  # new input: the day runs again
    assert runner.invoke(app, [*run, "--lookback", "1"]).exit_code == 0
    assert sorted(reasons()) == first  # kept, once each
    clean = runner.invoke(app, ["quality", "--date", str(LAST), *common[2:]])
    assert clean.exit_code == 0 and "conflicting_duplicate" in clean.stdout
