"""Claims, the events feed, backfill and rule versions, against a real state store."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from builders import Platform, rulebook_with_new_version
from livetier import rulebooks
from livetier.entrypoints.cli import app
from livetier.entrypoints.settings import Settings
from livetier.services import daily, state
from livetier.store.schema import connected, open_engine

runner = CliRunner()


@pytest.fixture
def db(db_url):
    engine = open_engine(db_url)
    yield engine
    engine.dispose()


def _platform() -> Platform:
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 5, date(2026, 11, 1))  # sessions 11-01..11-05
    p.host("h_none", enterprise_member="false")
    return p


def test_a_qualified_host_can_claim_and_an_unqualified_one_cannot(tmp_path, db_url, db):
    daily.run_day(
        _platform().write(tmp_path), date(2026, 11, 26), rulebooks.load(), db, Settings().warehouse
    )
    assert {t["host_id"]: t["claimed"] for t in state.tiers(db)} == {
        "h_exp": False,
        "h_none": False,
    }
    ok = runner.invoke(app, ["claim", "h_exp", "--db", db_url])
    assert ok.exit_code == 0, ok.output
    first = state.claim(db, "h_exp")["claimed_at"]
    assert state.claim(db, "h_exp")["claimed_at"] == first  # claiming again changes nothing
    refused = runner.invoke(app, ["claim", "h_none", "--db", db_url])
    assert refused.exit_code == 2 and "does not qualify for any tier" in refused.output
    unknown = runner.invoke(app, ["claim", "nobody", "--db", db_url])
    assert unknown.exit_code == 2 and "no such host" in unknown.output
    listed = runner.invoke(app, ["tiers", "--db", db_url, "--format", "jsonl"])
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert records == [
        {
            "host_id": "h_exp",
            "tier": "expert",
            "since": "2026-11-26",
            "rulebook_version": "2026.1",
            "claimed": True,
        },
        {
            "host_id": "h_none",
            "tier": "none",
            "since": "2026-11-26",
            "rulebook_version": "2026.1",
            "claimed": False,
        },
    ]


def test_backfill_gives_the_history_of_daily_runs_and_events_follow_a_cursor(tmp_path, db_url):
    folder = _platform().write(tmp_path / "data")
    result = runner.invoke(
        app,
        [
            "backfill",
            "--data",
            str(folder),
            "--from",
            "2026-11-05",
            "--to",
            "2026-11-07",
            "--db",
            db_url,
        ],
    )
    assert result.exit_code == 0, result.output
    daily_db = str(tmp_path / "daily.db")
    for day in ("2026-11-05", "2026-11-06", "2026-11-07"):
        assert (
            runner.invoke(
                app, ["run", "--data", str(folder), "--date", day, "--db", f"sqlite:///{daily_db}"]
            ).exit_code
            == 0
        )

    def changes(url: str) -> list[tuple[str, str, str, str]]:
        with connected(url) as store:
            return [
                (c["host_id"], c["day"], c["from_tier"], c["to_tier"]) for c in state.history(store)
            ]

    assert changes(db_url) == changes(f"sqlite:///{daily_db}")
    # Four sessions in the window on 11-05, five from 11-06 on: one upgrade, then nothing.
    assert [c for c in changes(db_url) if c[0] == "h_exp"] == [
        ("h_exp", "2026-11-05", "none", "ordinary"),
        ("h_exp", "2026-11-06", "ordinary", "expert"),
    ]
    events = runner.invoke(app, ["events", "--db", db_url])
    feed = [json.loads(line) for line in events.stdout.splitlines()]
    assert [e["id"] for e in feed] == sorted(e["id"] for e in feed)
    after = runner.invoke(app, ["events", "--after", str(feed[0]["id"]), "--db", db_url])
    assert [json.loads(line) for line in after.stdout.splitlines()] == feed[1:]


def test_on_the_day_a_new_rule_version_takes_effect_tiers_move_and_record_it(tmp_path, db):
    rules = rulebook_with_new_version(
        tmp_path,
        "2026-11-26",
        '{metric: live_sessions_30d, op: ">=", value: 5}',
        '{metric: live_sessions_30d, op: ">=", value: 6}',
    )
    folder = _platform().write(tmp_path / "data")
    book = rulebooks.load(rules)
    daily.run_day(folder, date(2026, 11, 25), book, db, Settings().warehouse)
    daily.run_day(folder, date(2026, 11, 26), book, db, Settings().warehouse)
    last = state.history(db, "h_exp")[-1]
    assert (last["day"], last["from_tier"], last["to_tier"], last["rulebook_version"]) == (
        "2026-11-26",
        "expert",
        "ordinary",
        "2026.4",
    )
    assert "expert: any" not in " ".join(last["reasons"])
    assert any("live_sessions_30d >= 6" in r for r in last["reasons"])


def test_rules_diff_prints_the_moved_thresholds(tmp_path):
    edited = tmp_path / "b.yaml"
    edited.write_text(rulebooks.DEFAULT_RULEBOOK.read_text().replace("value: 4.7}", "value: 4.8}"))
    result = runner.invoke(
        app, ["rules", "diff", str(rulebooks.DEFAULT_RULEBOOK), str(edited)], terminal_width=120
    )
    assert result.exit_code == 0
    assert "consumer.honor" in result.stdout and "4.7" in result.stdout and "4.8" in result.stdout
