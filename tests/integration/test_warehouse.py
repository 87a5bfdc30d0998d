"""The warehouse of daily facts: day partitions, incremental runs, lookback, how long a tier
holds, at-risk events and `livetier status`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import Platform, rulebook_with_new_version
from livetier import rulebooks
from livetier.domain.tiers import Tier
from livetier.entrypoints.cli import app
from livetier.entrypoints.render import tier_label
from livetier.pipeline.contract import ContractError
from livetier.services import daily, state, status
from livetier.services.evaluate import evaluate
from livetier.services.served import Served
from livetier.store.schema import open_engine
from livetier.store.warehouse import open_warehouse
from livetier.tools.partition import partition

D = date(2026, 11, 26)
NEXT = D + timedelta(days=1)
runner = CliRunner()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour, minutes=minute)


def days_before(n: int, day: date = D) -> date:
    return day - timedelta(days=n)


@pytest.fixture
def db(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    yield engine
    engine.dispose()


def _tiers(result) -> dict[str, str]:
    return {h.host_id: h.tier.value for h in result.hosts}


def _platform() -> Platform:
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 5, days_before(8))  # D-8 .. D-4: expert
    # 50 live buyers through a session that starts on D-1 at 23:50: they view and pay after
    # midnight, so they count on day D, and only from the window of D+1 on.
    p.host("h_buyers", trade_medal="2", bsr_description="4.6", fans="0")
    sid = p.session("h_buyers", at(days_before(1), 23, 50), minutes=20)
    for i in range(50):
        p.view(sid, f"b{i}", at(D, 0, 5))
        p.order("h_buyers", f"b{i}", at(D, 0, 10))
    p.host("h_ord")
    p.sessions_for("h_ord", 1, D)
    p.host("h_none", enterprise_member="false")
    return p


def _keep_only(parts: Path, keep: dict[str, set[date]]) -> None:
    for table, days in keep.items():
        for folder in (parts / table).iterdir():
            if date.fromisoformat(folder.name.removeprefix("day=")) not in days:
                shutil.rmtree(folder)


def test_partitioned_input_grades_as_the_flat_files_and_a_daily_run_reads_one_new_day(
    tmp_path, db, warehouse
):
    flat = _platform().write(tmp_path / "flat")
    parts = tmp_path / "parts"
    partition(flat, parts, "Asia/Shanghai", D)
    assert (parts / "views" / f"day={D}").is_dir() and (parts / "hosts.csv").is_file()
    book = rulebooks.load()
    assert _tiers(evaluate(parts, D, book)) == _tiers(evaluate(flat, D, book))

    first = daily.run_day(parts, D, book, db, warehouse)
    assert len(first.computed_days) == 30  # an empty warehouse: the whole window
    assert {t["host_id"]: t["tier"] for t in state.tiers(db)} == _tiers(evaluate(flat, D, book))

    # The next day needs only day D's partitions (and D-1's sessions, for the views after
    # midnight): everything older is gone, and the run still grades as a full evaluation.
    _keep_only(
        parts,
        {"sessions": {days_before(1), D}, "views": {D}, "orders": {D}},
    )
    second = daily.run_day(parts, NEXT, book, db, warehouse)
    assert second.computed_days == (D,)
    expected = _tiers(evaluate(flat, NEXT, book))
    assert expected["h_buyers"] == "expert"
    assert {t["host_id"]: t["tier"] for t in state.tiers(db)} == expected
    moved = [(c["host_id"], c["from_tier"], c["to_tier"]) for c in state.history(db, "h_buyers")]
    assert moved == [("h_buyers", "none", "ordinary"), ("h_buyers", "ordinary", "expert")]


def test_a_missing_partition_stops_the_run_with_a_clear_error(tmp_path, db, warehouse):
    flat = _platform().write(tmp_path / "flat")
    parts = tmp_path / "parts"
    partition(flat, parts, "Asia/Shanghai", D)
    daily.run_day(parts, D, rulebooks.load(), db, warehouse)
    shutil.rmtree(parts / "views" / f"day={D}")  # day D's views have not arrived
    result = runner.invoke(app, ["run", "--data", str(parts), "--date", str(NEXT)])
    assert result.exit_code == 2
    assert f"views: no partition day={D}" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_lookback_recomputes_late_corrections_and_logs_the_changed_facts(tmp_path, db, warehouse):
    p = _platform()
    folder = p.write(tmp_path / "flat")
    book = rulebooks.load()
    daily.run_day(folder, D, book, db, warehouse)
    # A late correction: h_exp's session of D-4 was a test stream, and is withdrawn.
    p.sessions = [s for s in p.sessions if not s["started_at"].startswith(str(days_before(4)))]
    p.write(folder)

    within_default = daily.run_day(folder, D, book, db, warehouse)  # lookback 1: D-1 only
    assert within_default.computed_days == (days_before(1),)
    assert within_default.facts_changed == 0
    assert {t["host_id"]: t["tier"] for t in state.tiers(db)}["h_exp"] == "expert"

    looked_back = daily.run_day(folder, D, book, db, warehouse, daily.Settings(lookback=4))
    assert looked_back.computed_days == tuple(days_before(n) for n in (4, 3, 2, 1))
    assert looked_back.facts_changed == 1
    assert {t["host_id"]: t["tier"] for t in state.tiers(db)}["h_exp"] == "ordinary"
    history = [(c["day"], c["from_tier"], c["to_tier"]) for c in state.history(db, "h_exp")]
    assert history == [(str(D), "none", "ordinary")]  # the day's change was replaced

    logged = runner.invoke(app, ["fact-changes", "--date", str(D)])
    assert logged.exit_code == 0, logged.output
    [change] = [json.loads(line) for line in logged.stdout.splitlines()]
    assert {k: change[k] for k in ("day", "host_id", "fact", "old", "new")} == {
        "day": str(days_before(4)),
        "host_id": "h_exp",
        "fact": "valid_sessions",
        "old": 1,
        "new": 0,
    }


def test_rows_in_another_days_partition_are_reported_and_not_counted(tmp_path, db, warehouse):
    p = _platform()
    flat = p.write(tmp_path / "flat")
    parts = tmp_path / "parts"
    partition(flat, parts, "Asia/Shanghai", D)
    # An export that filed h_ord's D-3 session under D-1.
    (parts / "sessions" / f"day={days_before(1)}" / "late.csv").write_text(
        "session_id,host_id,started_at,ended_at,deleted\n"
        f"s_late,h_ord,{days_before(3)}T20:00:00,{days_before(3)}T21:00:00,false\n"
    )
    daily.run_day(parts, D, rulebooks.load(), db, warehouse)
    with open_warehouse(warehouse, read_only=True) as wh:
        report = wh.quality(D)
        facts = wh.facts().to_pyarrow().to_pylist()
    [entry] = [r for r in report if r["reason"] == "wrong_partition"]
    assert entry["row_id"] == "s_late" and f"partition=day={days_before(1)}" in entry["detail"]
    assert not entry["counted"]
    assert not [f for f in facts if f["host_id"] == "h_ord" and f["day"] == days_before(3)]
    printed = runner.invoke(app, ["quality", "--date", str(D)])
    assert printed.exit_code == 0, printed.output
    assert "│ sessions │ wrong_partition  │    1 │" in printed.stdout
    as_lines = runner.invoke(app, ["quality", "--date", str(D), "--format", "jsonl"])
    assert [json.loads(x)["row_id"] for x in as_lines.stdout.splitlines()].count("s_late") == 1


def _holds_platform() -> Platform:
    """Expert hosts whose five sessions end at different distances from the window's edge."""
    p = Platform()
    for name, first in (("h20", 10), ("h4", 26), ("h3", 27), ("h0", 30)):
        p.host(name, trade_medal="2", bsr_description="4.6", fans="0")
        p.sessions_for(name, 5, days_before(first))
    p.host("h_ord")  # ordinary needs no activity: it holds while the profile does
    p.host("h_none", enterprise_member="false")
    return p


def test_how_long_a_tier_holds_and_at_risk_events(tmp_path, db, warehouse):
    folder = _holds_platform().write(tmp_path / "flat")
    book = rulebooks.load()
    daily.run_day(folder, D, book, db, warehouse)
    # Day d stops counting on d + 31: five sessions from D-10 lose expert on D+21, so the tier
    # holds 20 more days. From D-27 they hold 3 days: at risk (3 or fewer).
    expected = {"h20": 20, "h4": 4, "h3": 3, "h0": 0, "h_ord": None, "h_none": None}
    bulk = evaluate(folder, D, book).holds
    for host, holds in expected.items():
        assert status.host_status(db, host, book).holds_days == holds, host
        assert bulk.get(host) == holds, host
    at_risk = [e["host_id"] for e in state.events_after(db) if e["kind"] == "at_risk"]
    assert sorted(at_risk) == ["h0", "h3"]

    daily.run_day(folder, NEXT, book, db, warehouse)  # no new activity
    events = state.events_after(db)
    on_next = {(e["host_id"], e["kind"]) for e in events if e["day"] == str(NEXT)}
    # h4 now holds 3 days: at risk; h3 (2 days) was already told; h0 lost expert.
    assert on_next == {("h4", "at_risk"), ("h0", "downgrade")}
    [risk] = [e for e in events if e["day"] == str(NEXT) and e["kind"] == "at_risk"]
    assert (risk["tier"], risk["holds_days"]) == ("expert", 3)
    assert status.host_status(db, "h20", book).holds_days == 19


def test_status_says_at_risk_as_the_run_decided_it_with_its_own_at_risk_days(
    tmp_path, db, warehouse
):
    folder = _holds_platform().write(tmp_path / "flat")
    book = rulebooks.load()
    daily.run_day(folder, D, book, db, warehouse, daily.Settings(at_risk_days=4))
    # holds: h20 20, h4 4, h3 3, h0 0; at risk with 4 days is 4 or fewer (3 would leave h4 out)
    expected = {"h20": False, "h4": True, "h3": True, "h0": True, "h_ord": False, "h_none": False}
    for host, at_risk in expected.items():
        assert status.host_status(db, host, book).at_risk is at_risk, host
        assert Served(db, book, refresh_seconds=0).host(host).at_risk is at_risk, host
    sent = [e["host_id"] for e in state.events_after(db) if e["kind"] == "at_risk"]
    assert sorted(sent) == ["h0", "h3", "h4"]


def test_status_shows_tier_privileges_how_long_it_holds_and_the_task_list(
    tmp_path, db_url, warehouse
):
    folder = _holds_platform().write(tmp_path / "flat")
    ran = runner.invoke(app, ["run", "--data", str(folder), "--date", str(D), "--db", db_url])
    assert ran.exit_code == 0, ran.output
    table = runner.invoke(app, ["status", "h3", "--db", db_url])
    assert table.exit_code == 0, table.output
    text = " ".join(table.stdout.split())
    assert tier_label(Tier.EXPERT) in text
    assert "qualified, not claimed" in text
    assert "channel_activity_registration" in text and "channel_banner" not in text
    assert "holds 3 more day(s)" in text
    assert "近30天有效场次 │ 5 │ ≥ 15" in text  # keep expert, reach honor: 5 of 15 sessions

    record = json.loads(
        runner.invoke(app, ["status", "h3", "--db", db_url, "--format", "jsonl"]).stdout
    )
    graded = {h.host_id: h for h in evaluate(folder, D, rulebooks.load()).hosts}
    assert (record["tier"], record["state"], record["holds_days"]) == (
        "expert",
        "qualified_not_claimed",
        3,
    )
    assert record["metrics"]["live_sessions_30d"] == 5
    assert record["next_tier"] == graded["h3"].next_tier.value
    assert record["privileges"] == [
        "open_live_room",
        "realtime_surfacing",
        "fan_intimacy",
        "marketing_tools",
        "channel_activity_registration",
    ]
    unknown = runner.invoke(app, ["status", "nobody", "--db", db_url])
    assert unknown.exit_code == 2 and "no such host" in unknown.stderr


def test_a_warehouse_held_by_another_process_gives_a_clear_error(tmp_path, warehouse):
    folder = _platform().write(tmp_path / "flat")
    with subprocess.Popen(  # a batch job still running, holding DuckDB's write lock
        [sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            result = runner.invoke(app, ["run", "--data", str(folder), "--date", str(D)])
        finally:
            holder.kill()
    assert result.exit_code == 2
    assert "the warehouse is in use by another process" in " ".join(result.stderr.split())


HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "print('holding', flush=True); time.sleep(60)"
)


def test_contract_errors_in_a_partition_name_the_file(tmp_path, db, warehouse):
    flat = _platform().write(tmp_path / "flat")
    parts = tmp_path / "parts"
    partition(flat, parts, "Asia/Shanghai", D)
    bad = parts / "sessions" / f"day={days_before(1)}" / "bad.csv"
    bad.write_text(
        "session_id,host_id,started_at,ended_at,deleted\n"
        f"s_bad,h_ord,{days_before(1)}T20:00:00,{days_before(1)}T21:00:00,maybe\n"
    )
    with pytest.raises(ContractError, match=r"bad\.csv: row 1 \(line 2\), column deleted: 'maybe'"):
        daily.run_day(parts, D, rulebooks.load(), db, warehouse)
    (parts / "views" / "day=soon").mkdir()
    with pytest.raises(ContractError, match=r"day=soon: not a day partition"):
        daily.run_day(parts, D, rulebooks.load(), db, warehouse)


def test_a_day_partition_whose_file_lacks_a_column_is_named_when_days_are_read_together(
    tmp_path,
):
    """Many days of a table are one read on DuckDB (Engine.read_days): a file that lacks a
    column the other days have stops the read with an error that names that file."""
    flat = _platform().write(tmp_path / "flat")
    parts = tmp_path / "parts"
    partition(flat, parts, "Asia/Shanghai", D)
    bad = parts / "sessions" / f"day={days_before(3)}" / "bad.csv"
    bad.write_text(
        f"session_id,host_id,started_at,ended_at\ns_bad,h_ord,{days_before(3)}T20:00:00,x\n"
    )
    with pytest.raises(ContractError, match=r"bad\.csv: input cannot be read: .*deleted"):
        evaluate(parts, D, rulebooks.load())


def test_holds_follow_rules_where_less_activity_can_raise_a_tier(tmp_path, db, warehouse):
    """With a "<=" on activity the tier may come back as days leave; it holds until the first
    day it drops, and the bulk walk (every fact day) agrees with the pure one."""
    rules = rulebook_with_new_version(
        tmp_path,
        "2026-11-01",
        '{metric: live_buyers_30d, op: ">=", value: 50}',
        '{metric: live_buyers_30d, op: "<=", value: 0}',
    )
    book = rulebooks.load(rules)
    p = Platform()
    p.host("h_mixed", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_mixed", 5, days_before(20))  # expert through sessions until D+11
    p.buyers_for("h_mixed", 3, days_before(2))  # 3 buyers: the "<= 0" branch fails to D+28
    p.host("h_quiet", trade_medal="2", bsr_description="4.6", fans="0")  # expert, no activity
    folder = p.write(tmp_path / "flat")
    daily.run_day(folder, D, book, db, warehouse)
    bulk = evaluate(folder, D, book).holds
    for host, holds in {"h_mixed": 10, "h_quiet": None}.items():
        assert status.host_status(db, host, book).holds_days == holds, host
        assert bulk.get(host) == holds, host
