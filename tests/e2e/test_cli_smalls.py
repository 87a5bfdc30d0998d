"""Issue 14's small CLI defects, and a clean stderr at exit (no DuckDB "leaked" report)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import Platform
from livetier import __version__
from livetier.entrypoints.cli import app

runner = CliRunner()
DAY = "2026-11-26"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    p = Platform()
    p.host("h1")
    p.host("h2", category_line="industrial")
    s = p.session("h1", datetime(2026, 11, 20, 20), minutes=30)
    p.view(s, "b1", datetime(2026, 11, 20, 20, 5))
    p.order("h1", "b1", datetime(2026, 11, 20, 20, 10))
    return p.write(tmp_path / "data")


def livetier(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it: its own interpreter, so exit-time output is seen."""
    return subprocess.run(
        [sys.executable, "-m", "livetier", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env={**os.environ, "COLUMNS": "100"},
    )


def assert_no_leak_report(stderr: str) -> None:
    assert "nanobind" not in stderr and "leaked" not in stderr, stderr[-2000:]


COMMANDS = {
    "evaluate": ["evaluate", "--data", "{data}", "--date", DAY],
    "run": [
        "run",
        "--data",
        "{data}",
        "--date",
        "2026-11-25",
        "--db",
        "{db}",
        "--warehouse",
        "{wh}",
    ],
    "backfill": ["backfill", "--data", "{data}", "--from", DAY, "--to", DAY, "--db", "{db}"],
    "demo": ["demo", "--hosts", "30", "--days", "35", "--date", DAY],
}


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["evaluate"], id="evaluate"),
        pytest.param(["run", "backfill", "demo"], id="run-backfill-demo", marks=pytest.mark.slow),
    ],
)
def test_data_commands_leave_no_leak_report_at_exit(tmp_path, data, names):
    # gc.freeze() kept DuckDB's objects alive past the interpreter (issue 14, §1.8); one
    # cause for all: evaluate in the normal run, the others in the slow one.
    db, wh = f"sqlite:///{tmp_path}/s.db", str(tmp_path / "w.duckdb")
    for name in names:
        args = [a.format(data=data, db=db, wh=wh) for a in COMMANDS[name]]
        if name == "backfill":
            args += ["--warehouse", wh]
        done = livetier(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert_no_leak_report(done.stderr)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, proc: subprocess.Popen[str]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail(f"serve ended: {proc.communicate()[1]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("serve did not listen")


@pytest.mark.slow
def test_serve_refuses_a_busy_port_and_leaves_no_leak_report(tmp_path, data):
    db, wh = f"sqlite:///{tmp_path}/s.db", str(tmp_path / "w.duckdb")
    ran = livetier(
        "run", "--data", str(data), "--date", DAY, "--db", db, "--warehouse", wh, cwd=tmp_path
    )
    assert ran.returncode == 0, ran.stderr
    key = runner.invoke(app, ["keys", "create", "--role", "operator", "--db", db]).stdout.strip()
    port = _free_port()
    serve = [sys.executable, "-m", "livetier", "serve", "--db", db]
    with subprocess.Popen(
        [*serve, "--port", str(port)], cwd=tmp_path, stderr=subprocess.PIPE, text=True
    ) as first:
        try:
            _wait_listening(port, first)
            busy = livetier("serve", "--db", db, "--port", str(port), cwd=tmp_path)
            assert busy.returncode == 2
            assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
            assert "http://" not in busy.stderr  # no URL for a server that never listened
            import httpx

            # The host's progress loads the run's snapshot (the served state freezes it).
            got = httpx.get(
                f"http://127.0.0.1:{port}/api/v1/hosts/h1/progress",
                headers={"X-API-Key": key},
                timeout=60,
            )
            assert got.status_code == 200, got.text
        finally:
            first.send_signal(2)  # Ctrl-C
            _, stderr = first.communicate(timeout=60)
    assert f"http://127.0.0.1:{port}/" in stderr
    assert_no_leak_report(stderr)


@pytest.mark.parametrize("text", ["20261126", "2026-1-26", "2026-11-26T00:00"])
def test_a_date_must_be_written_yyyy_mm_dd(data, text):
    result = runner.invoke(app, ["evaluate", "--data", str(data), "--date", text])
    assert result.exit_code == 2
    assert "is not a date (YYYY-MM-DD)" in result.output


def test_evaluate_warns_when_nobody_has_activity_in_the_window(data):
    late = runner.invoke(app, ["evaluate", "--data", str(data), "--date", "2099-01-01"])
    assert late.exit_code == 0, late.output
    assert "warning: no host has any activity" in late.stderr
    normal = runner.invoke(app, ["evaluate", "--data", str(data), "--date", DAY])
    assert "warning" not in normal.stderr


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"livetier {__version__}\n"


def test_keys_for_unknown_hosts_are_refused_once_runs_know_the_hosts(tmp_path, data):
    db = f"sqlite:///{tmp_path}/s.db"
    before = runner.invoke(
        app, ["keys", "create", "--role", "host", "--host", "nobody", "--db", db]
    )
    assert before.exit_code == 0  # no run yet: no host is known, the key is made with a warning
    assert "warning: no day run yet" in before.stderr
    ran = runner.invoke(app, ["run", "--data", str(data), "--date", DAY, "--db", db])
    assert ran.exit_code == 0, ran.output
    known = runner.invoke(app, ["keys", "create", "--role", "host", "--host", "h1", "--db", db])
    assert known.exit_code == 0 and "warning" not in known.stderr
    unknown = runner.invoke(app, ["keys", "create", "--role", "host", "--host", "h9", "--db", db])
    assert unknown.exit_code == 2
    assert "h9: no such host" in unknown.stderr


def test_revoking_twice_says_already_revoked(tmp_path):
    db = f"sqlite:///{tmp_path}/s.db"
    assert runner.invoke(app, ["keys", "create", "--role", "operator", "--db", db]).exit_code == 0
    first = runner.invoke(app, ["keys", "revoke", "1", "--db", db])
    again = runner.invoke(app, ["keys", "revoke", "1", "--db", db])
    assert (first.exit_code, first.stdout) == (0, "key 1 revoked\n")
    assert (again.exit_code, again.stdout) == (0, "key 1 already revoked\n")


def test_tables_at_80_columns_show_dashes_and_whole_dates(tmp_path, data):
    db = f"sqlite:///{tmp_path}/s.db"
    runner.invoke(app, ["keys", "create", "--role", "operator", "--db", db])
    runner.invoke(app, ["run", "--data", str(data), "--date", DAY, "--db", db])
    keys = runner.invoke(app, ["keys", "list", "--db", db], terminal_width=80).stdout
    history = runner.invoke(app, ["history", "--db", db], terminal_width=80).stdout
    assert "None" not in keys and "—" in keys
    assert re.search(r"│ \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} │", keys), keys
    assert f"│ {DAY} │" in history, history


def test_fact_changes_says_when_there_are_none(tmp_path, data):
    assert runner.invoke(app, ["run", "--data", str(data), "--date", DAY]).exit_code == 0
    result = runner.invoke(app, ["fact-changes", "--date", DAY])
    assert result.exit_code == 0
    assert result.stdout == ""  # stdout stays JSON lines
    assert f"no fact changes for {DAY}" in result.stderr
