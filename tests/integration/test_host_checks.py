"""A daily run checks the hosts file only when it changed: the findings of the last check
(report entries, listed hosts, profiles) are kept in the warehouse and reused, and every
day's data-quality report still lists them."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from builders import Platform
from livetier import rulebooks
from livetier.services import daily, state
from livetier.store.schema import open_engine
from livetier.store.warehouse import open_warehouse
from livetier.tools.partition import partition

D = date(2026, 11, 26)
NEXT = D + timedelta(days=1)
AFTER = NEXT + timedelta(days=1)


def _platform() -> Platform:
    p = Platform()
    good = {"trade_medal": "2", "bsr_description": "4.6", "fans": "0"}
    p.host("h_exp", snapshot_date=str(D - timedelta(days=10)), **good)
    p.sessions_for("h_exp", 5, D - timedelta(days=8))
    for _ in range(2):  # an exact duplicate: counted once, reported
        p.host("h_dup", snapshot_date=str(D - timedelta(days=10)))
    p.host("h_line", snapshot_date=str(D - timedelta(days=10)), category_line="toys")
    p.host("h_nodate", snapshot_date="")
    p.host("h_conf", snapshot_date=str(D - timedelta(days=10)), fans="10")
    p.host("h_conf", snapshot_date=str(D - timedelta(days=10)), fans="20")
    for host in ("h_line", "h_nodate", "h_conf", "h_dup"):  # listed: their events are known
        p.sessions_for(host, 1, D)
        p.sessions_for(host, 1, NEXT)
    return p


def _hosts_entries(report: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return sorted(
        (r["row_id"], r["reason"], r["detail"], r["counted"])
        for r in report
        if r["table"] == "hosts"
    )


def _run(parts: Path, day: date, folder: Path) -> tuple[daily.RunOutcome, list, dict]:
    db = open_engine(f"sqlite:///{folder / 'state.db'}")
    try:
        outcome = daily.run_day(parts, day, rulebooks.load(), db, folder / "wh.duckdb")
        tiers = {t["host_id"]: t["tier"] for t in state.tiers(db)}
    finally:
        db.dispose()
    with open_warehouse(folder / "wh.duckdb", read_only=True) as wh:
        report = wh.quality(day)
    assert report is not None
    return outcome, report, tiers


def test_an_unchanged_hosts_file_is_not_checked_again_and_every_report_lists_its_problems(
    tmp_path,
):
    parts = tmp_path / "parts"
    partition(_platform().write(tmp_path / "flat"), parts, "Asia/Shanghai", AFTER)
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    kept.mkdir()
    _run(parts, D, kept)
    shutil.copytree(kept, fresh)
    with open_warehouse(fresh / "wh.duckdb") as wh:  # as if the hosts were never checked
        wh.raw.execute("DELETE FROM meta WHERE key = 'host_checks'")

    reused, fresh_run = _run(parts, NEXT, kept), _run(parts, NEXT, fresh)
    assert reused == fresh_run  # outcome (its count of problems), the whole report, every tier
    _outcome, report, tiers = reused
    assert _hosts_entries(report) == [
        ("h_conf", "not_graded", f"no usable profile snapshot on or before {D}", False),
        (f"h_conf@{D - timedelta(days=10)}", "conflicting_duplicate", "", False),
        (f"h_dup@{D - timedelta(days=10)}", "duplicate_row", "2 identical rows counted once", True),
        ("h_line", "not_graded", f"no usable profile snapshot on or before {D}", False),
        (f"h_line@{D - timedelta(days=10)}", "unknown_category_line", "category_line=toys", False),
        ("h_nodate", "not_graded", f"no usable profile snapshot on or before {D}", False),
        ("h_nodate@(empty)", "missing_snapshot_date", "", False),
    ]
    assert not [r for r in report if r["reason"] == "unknown_host"]
    assert set(tiers) == {"h_exp", "h_dup"}

    # A changed hosts file is checked again: its new problems are reported, the fixed ones
    # are gone, and a host whose line is now known is graded.
    changed = _platform()
    for row in changed.hosts:
        if row["host_id"] == "h_line":
            row["category_line"] = "consumer"
    changed.host("h_late", snapshot_date=str(D), category_line="toys")
    shutil.copy(changed.write(tmp_path / "changed") / "hosts.csv", parts / "hosts.csv")
    _, after, tiers = _run(parts, AFTER, kept)
    entries = _hosts_entries(after)
    assert (f"h_late@{D}", "unknown_category_line", "category_line=toys", False) in entries
    assert not [e for e in entries if str(e[0]).startswith("h_line")]
    assert "h_line" in tiers
