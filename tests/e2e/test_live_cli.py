"""``livetier live``: follow event files (NDJSON and Parquet, each once, bad events named),
a kill while a file is stored, and the readers' exact keys."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from livetier.entrypoints.cli import app
from livetier.store.models import LiveEvent, LiveFile
from livetier.store.schema import connected

SESSION_KEYS = [
    "session_id",
    "host_id",
    "started_at",
    "ended_at",
    "viewers",
    "buyers",
    "surfaced_at",
    "surfaced",
]
FACT_KEYS = ["host_id", "day", "valid_sessions", "live_buyers"]


def _events(sid: str, host: str) -> list[dict[str, object]]:
    return [
        {
            "event_id": f"{sid}-s",
            "kind": "session_started",
            "session_id": sid,
            "host_id": host,
            "started_at": "2026-11-25T20:00:00+08:00",
        },
        {
            "event_id": f"{sid}-v",
            "kind": "viewed",
            "session_id": sid,
            "buyer_id": "b1",
            "viewed_at": "2026-11-25T20:05:00+08:00",
        },
        {
            "event_id": f"{sid}-p",
            "kind": "paid",
            "order_id": f"{sid}-o",
            "host_id": host,
            "buyer_id": "b1",
            "paid_at": "2026-11-25T20:06:00+08:00",
        },
        {
            "event_id": f"{sid}-e",
            "kind": "session_ended",
            "session_id": sid,
            "ended_at": "2026-11-25T20:30:00+08:00",
        },
    ]


def _ndjson(path: Path, events: list[dict[str, object]], extra: str = "") -> None:
    path.write_text("".join(json.dumps(e) + "\n" for e in events) + extra, encoding="utf-8")


def _livetier(*args: str, crash_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVETIER_CRASH_AT": crash_at}
    return subprocess.run(
        [sys.executable, "-m", "livetier", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_follow_processes_each_file_once_and_names_bad_events(tmp_path: Path) -> None:
    source, url = tmp_path / "in", f"sqlite:///{tmp_path / 'state.db'}"
    source.mkdir()
    _ndjson(
        source / "a.ndjson",
        _events("s1", "h1"),
        extra='not json\n{"event_id": "z", "kind": "paid"}\n',
    )
    pq.write_table(pa.Table.from_pylist(_events("s2", "h2")[:1]), source / "b.parquet")
    _ndjson(source / ".c.ndjson", _events("s3", "h3"))  # still being written: hidden
    runner = CliRunner()
    first = runner.invoke(app, ["live", "follow", "--source", str(source), "--once", "--db", url])
    assert first.exit_code == 0, first.output
    assert "a.ndjson: event 4: not a JSON object" in first.output
    assert "a.ndjson: event 5: order_id: Field required" in first.output
    assert "2 file(s): 5 event(s) accepted" in first.output
    again = runner.invoke(app, ["live", "follow", "--source", str(source), "--once", "--db", url])
    assert "0 file(s): 0 event(s) accepted" in again.output

    sessions = runner.invoke(app, ["live", "sessions", "--db", url, "--format", "jsonl"])
    records = [json.loads(line) for line in sessions.output.splitlines()]
    assert [list(r) for r in records] == [SESSION_KEYS, SESSION_KEYS]
    assert records[0] | {} == {
        "session_id": "s1",
        "host_id": "h1",
        "started_at": "2026-11-25T12:00:00Z",
        "ended_at": "2026-11-25T12:30:00Z",
        "viewers": 1,
        "buyers": 1,
        "surfaced_at": None,
        "surfaced": False,
    }
    live_only = runner.invoke(
        app, ["live", "sessions", "--live-only", "--db", url, "--format", "jsonl"]
    )
    assert [json.loads(x)["session_id"] for x in live_only.output.splitlines()] == ["s2"]
    facts = runner.invoke(
        app, ["live", "facts", "--day", "2026-11-25", "--db", url, "--format", "jsonl"]
    )
    rows = [json.loads(line) for line in facts.output.splitlines()]
    assert rows == [
        {"host_id": "h1", "day": "2026-11-25", "valid_sessions": 1, "live_buyers": 1},
        {"host_id": "h2", "day": "2026-11-25", "valid_sessions": 0, "live_buyers": 0},
    ]
    assert all(list(r) == FACT_KEYS for r in rows)
    table = runner.invoke(
        app, ["live", "facts", "--day", "2026-11-25", "--db", url], env={"COLUMNS": "200"}
    )
    assert table.exit_code == 0 and "valid_sessions" in table.output
    bad = runner.invoke(
        app, ["live", "replay", "--data", str(tmp_path), "--db", url, "--engine", "spark"]
    )
    assert bad.exit_code == 2 and "only as a Spark stream" in bad.output


def test_a_follow_killed_while_storing_a_file_stores_it_once_when_restarted(tmp_path: Path) -> None:
    source, url = tmp_path / "in", f"sqlite:///{tmp_path / 'state.db'}"
    source.mkdir()
    _ndjson(source / "a.ndjson", _events("s1", "h1"))
    _ndjson(source / "b.ndjson", _events("s2", "h2"))
    args = ("live", "follow", "--source", str(source), "--once", "--db", url)
    killed = _livetier(*args, crash_at="live-file-stored@2")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = _livetier(*args)
    assert done.returncode == 0, done.stderr
    assert "1 file(s): 4 event(s) accepted" in done.stderr
    with connected(url) as db, Session(db) as s:
        assert s.scalar(select(func.count()).select_from(LiveEvent)) == 8
        assert s.scalar(select(func.count()).where(LiveEvent.processed.is_(False))) == 0
        assert sorted(Path(p).name for p in s.scalars(select(LiveFile.path))) == [
            "a.ndjson",
            "b.ndjson",
        ]
