"""Bad input ends cleanly: one line naming what is wrong, exit 2, no traceback, and no state
created, lost or half-written (issue 14, defects 2, 3, 4, 5 and 7)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import ibis
import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from builders import Platform
from livetier.entrypoints.cli import app
from livetier.tools import partition as partition_tool

runner = CliRunner()
DAY = "2026-11-26"
SESSION_HEADER = "session_id,host_id,started_at,ended_at,deleted"


def run(*args: str):
    return runner.invoke(app, list(args))


def expect_error(result, *fragments: str) -> str:
    """The one-line error of a command that ended with exit 2; it holds every fragment."""
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    p = Platform()
    p.host("h1")
    s = p.session("h1", datetime(2026, 11, 20, 20), minutes=30)
    p.view(s, "b1", datetime(2026, 11, 20, 20, 5))
    p.order("h1", "b1", datetime(2026, 11, 20, 20, 10))
    p.sessions_for("h1", 3, date(2026, 11, 1))
    return p.write(tmp_path / "data")


def _session(i: int) -> str:
    return f"s{i},h1,2026-11-0{1 + i % 9}T20:00:00,2026-11-0{1 + i % 9}T20:20:00,false"


def _sessions(folder: Path, rows: list[str]) -> Path:
    (folder / "sessions.csv").write_text("\n".join([SESSION_HEADER, *rows]) + "\n")
    return folder / "sessions.csv"


# 2. An unclosed quote -------------------------------------------------------------------


@pytest.mark.parametrize("command", ["evaluate", "run"])
def test_an_unclosed_quote_early_in_a_long_file_names_file_line_and_column(tmp_path, data, command):
    # 3,000 rows after the quote: more than the csv module's field limit (131,072 characters).
    rows = [_session(i) for i in range(3000)]
    rows[2] = rows[2].replace(",h1,", ',"h1,', 1)
    path = _sessions(data, rows)
    args = ["--db", f"sqlite:///{tmp_path / 's.db'}"] if command == "run" else []
    result = run(command, "--data", str(data), "--date", DAY, *args)
    expect_error(result, f"{path}: line 4, column 4:", "quote", "not closed")


def test_an_unclosed_quote_in_the_last_field_of_the_last_line_names_the_file(data):
    # 30,000 rows: past what DuckDB samples, so the error comes from the query, not the read.
    rows = [_session(i) for i in range(30000)]
    rows[-1] = rows[-1].replace(",false", ',"false')
    path = _sessions(data, rows)
    result = run("evaluate", "--data", str(data), "--date", DAY)
    expect_error(result, f"{path}: line 30001, column 51:", "runs to the end of the file")


def test_a_row_with_the_wrong_field_count_is_named_by_its_first_line(data):
    rows = [_session(i) for i in range(5)]
    rows[3] += ",extra"
    path = _sessions(data, rows)
    result = run("evaluate", "--data", str(data), "--date", DAY)
    expect_error(result, f"{path}: row 4 (line 5) has 6 field(s), the header has 5")


# 3. A bad --db --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgresql+psycopg://someone:secret@127.0.0.1:1/x", "Connection refused"),
        ("sqlite:///{tmp}/missing/state.db", "no such folder"),
        ("notaurl", "is not a database URL"),
        ("oracle2://someone:secret@host/db", "unsupported database 'oracle2'"),
        ("mysql://someone:secret@127.0.0.1/db", "driver for 'mysql' is not installed"),
        ("sqlite:///{tmp}", "is a folder, not a database file"),
    ],
)
def test_a_bad_db_is_one_line_with_the_password_masked(tmp_path, url, fragment):
    url = url.format(tmp=tmp_path)
    for args in (["tiers"], ["keys", "create", "--role", "operator"], ["serve", "--port", "1"]):
        line = expect_error(run(*args, "--db", url), fragment)
        assert "secret" not in line


def test_a_read_only_store_refuses_writes_in_one_line(tmp_path):
    store = tmp_path / "state.db"
    assert run("keys", "create", "--role", "operator", "--db", f"sqlite:///{store}").exit_code == 0
    read_only = f"sqlite:///file:{store}?mode=ro&uri=true"
    expect_error(run("keys", "create", "--role", "operator", "--db", read_only), "read-only")
    if os.geteuid() != 0:  # root writes to a file whatever its mode
        store.chmod(0o444)
        expect_error(
            run("keys", "create", "--role", "operator", "--db", f"sqlite:///{store}"), "read-only"
        )


# 7. Read commands do not create stores ------------------------------------------------


READ_COMMANDS = [
    ["tiers"],
    ["history"],
    ["status", "h1"],
    ["events"],
    ["keys", "list"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=lambda a: " ".join(a))
def test_a_read_command_does_not_create_a_store(tmp_path, args):
    store = tmp_path / "none.db"
    expect_error(run(*args, "--db", f"sqlite:///{store}"), "no state store there")
    assert not store.exists()


def test_read_commands_neither_create_nor_migrate_a_database(db_url):
    expect_error(run("tiers", "--db", db_url), "no state store there")
    expect_error(run("keys", "list", "--db", db_url), "no state store there")
    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()
    assert run("keys", "create", "--role", "operator", "--db", db_url).exit_code == 0
    assert run("keys", "list", "--db", db_url).exit_code == 0


# 4. partition -------------------------------------------------------------------------


def test_partition_checks_the_contract_as_evaluate_does(tmp_path, data):
    rows = [_session(i) for i in range(5)]
    rows[3] += ",extra"
    path = _sessions(data, rows)
    out = tmp_path / "parts"
    expect_error(run("partition", "--data", str(data), "--out", str(out)), f"{path}: row 4")
    assert not out.exists()
    _sessions(data, [r.rsplit(",", 1)[0] for r in rows[:3]])
    (data / "sessions.csv").write_text(
        "\n".join([SESSION_HEADER.rsplit(",", 1)[0], *(r.rsplit(",", 1)[0] for r in rows[:3])])
    )
    expect_error(
        run("partition", "--data", str(data), "--out", str(out)), "missing column(s) deleted"
    )
    assert not out.exists()


def test_a_failed_partition_leaves_no_folder_and_the_retry_succeeds(tmp_path, data, monkeypatch):
    out = tmp_path / "parts"
    real = partition_tool.add_instant
    calls = iter(range(10))

    def fail_on_views(*args, **kwargs):  # sessions are written, then views fail
        if next(calls) == 1:
            raise OSError("No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(partition_tool, "add_instant", fail_on_views)
    expect_error(run("partition", "--data", str(data), "--out", str(out)), "No space left")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [data]  # nor a temporary folder
    monkeypatch.setattr(partition_tool, "add_instant", real)
    result = run("partition", "--data", str(data), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "views").is_dir() and (out / "hosts.csv").is_file()


# 5. Warehouse errors name the real cause ------------------------------------------------


def test_warehouse_open_failures_name_their_cause(tmp_path, data):
    db = f"sqlite:///{tmp_path / 's.db'}"
    for warehouse, cause in [
        (tmp_path / "missing" / "w.duckdb", "no such folder"),
        (tmp_path, "is a folder, not a warehouse file"),
    ]:
        line = expect_error(
            run(
                "run", "--data", str(data), "--date", DAY, "--db", db, "--warehouse", str(warehouse)
            ),
            cause,
        )
        assert "in use by another process" not in line
        line = expect_error(run("quality", "--date", DAY, "--warehouse", str(warehouse)), cause)


def test_a_warehouse_on_a_read_only_file_system_says_so(tmp_path, data, monkeypatch):
    # Mounting a read-only file system needs root; DuckDB's own words for one are these.
    def read_only(*args, **kwargs):
        raise duckdb.IOException(f'IO Error: Cannot open file "{args[0]}": Read-only file system')

    monkeypatch.setattr(ibis.duckdb, "connect", read_only)
    db = f"sqlite:///{tmp_path / 's.db'}"
    line = expect_error(
        run("run", "--data", str(data), "--date", DAY, "--db", db), "Read-only file system"
    )
    assert "in use by another process" not in line


def _limit_file_size() -> None:
    # Past RLIMIT_FSIZE a write fails with EFBIG ("File too large"), as a full disk fails with
    # ENOSPC, once SIGXFSZ no longer kills the process: no root or mount needed.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


@pytest.mark.slow  # a subprocess and two runs over 400 hosts
def test_a_full_disk_is_reported_as_such_and_the_next_run_completes(tmp_path):
    p = Platform()
    for i in range(400):  # enough facts for the warehouse to outgrow the limit
        p.host(f"h{i}")
        p.sessions_for(f"h{i}", 3, date(2026, 11, 1))
    folder = p.write(tmp_path / "data")
    db = f"sqlite:///{tmp_path / 's.db'}"
    warehouse = tmp_path / "w.duckdb"
    assert run("keys", "create", "--role", "operator", "--db", db).exit_code == 0
    command = [sys.executable, "-m", "livetier", "run", "--data", str(folder), "--date", DAY]
    command += ["--db", db, "--warehouse", str(warehouse)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    limited = subprocess.run(
        command, env=env, capture_output=True, text=True, preexec_fn=_limit_file_size, timeout=300
    )
    assert limited.returncode == 2, limited.stderr
    assert "Traceback" not in limited.stderr
    assert "cannot write the warehouse: File too large" in limited.stderr
    assert "input cannot be read" not in limited.stderr
    assert run("tiers", "--db", db).stdout.count("h1") == 0  # nothing recorded
    again = run(
        "run", "--data", str(folder), "--date", DAY, "--db", db, "--warehouse", str(warehouse)
    )
    assert again.exit_code == 0, again.output
    assert "graded 400 hosts" in again.output
