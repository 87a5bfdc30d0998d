"""`livetier keys` and `livetier serve`, as an operator would use them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from builders import Platform
from livetier.entrypoints.cli import app

runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_keys_are_printed_once_listed_without_secret_and_revoked(tmp_path):
    db = f"sqlite:///{tmp_path / 'state.db'}"
    made = runner.invoke(app, ["keys", "create", "--role", "host", "--host", "h1", "--db", db])
    assert made.exit_code == 0, made.output
    key = made.stdout.strip()
    assert key.startswith("lt_") and len(key) > 40
    listed = runner.invoke(app, ["keys", "list", "--db", db])
    assert "h1" in listed.stdout and key not in listed.stdout and key[:10] in listed.stdout
    assert runner.invoke(app, ["keys", "revoke", "1", "--db", db]).exit_code == 0
    refused = runner.invoke(app, ["keys", "create", "--role", "host", "--db", db])
    assert refused.exit_code == 2 and "needs --host" in refused.output
    assert runner.invoke(app, ["keys", "revoke", "9", "--db", db]).exit_code == 2
    bad_role = runner.invoke(app, ["keys", "create", "--role", "admin", "--db", db])
    assert bad_role.exit_code == 2


@pytest.mark.slow
def test_serve_answers_over_a_day_run(tmp_path):
    p = Platform()
    p.host("h1")
    data = p.write(tmp_path / "data")
    db = f"sqlite:///{tmp_path / 'state.db'}"
    wh = str(tmp_path / "w.duckdb")
    ran = runner.invoke(
        app, ["run", "--data", str(data), "--date", "2026-11-26", "--db", db, "--warehouse", wh]
    )
    assert ran.exit_code == 0, ran.output
    key = runner.invoke(app, ["keys", "create", "--role", "service", "--db", db]).stdout.strip()
    port = _free_port()
    cmd = [sys.executable, "-m", "livetier", "serve", "--db", db]
    log = tmp_path / "serve.log"
    with (
        log.open("w") as stderr,
        subprocess.Popen(
            [*cmd, "--port", str(port)],
            cwd=tmp_path,
            env={**os.environ, "LIVETIER_WAREHOUSE": ""},
            stderr=stderr,
        ) as server,
    ):
        _check_server(server, port, key, log)
    assert not Path(tmp_path / "w.duckdb.serving").exists()  # the snapshot is in the store


def _check_server(server: subprocess.Popen, port: int, key: str, log: Path) -> None:
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        # The first status loads the run's snapshot from the store: slow on a loaded machine.
        status = httpx.get(f"{url}/api/v1/hosts/h1/status", headers={"X-API-Key": key}, timeout=60)
        assert status.status_code == 200
        assert (status.json()["tier"], status.json()["day"]) == ("ordinary", "2026-11-26")
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "livetier"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
