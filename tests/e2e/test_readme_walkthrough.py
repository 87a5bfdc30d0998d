"""The README's walkthrough runs as written: every ```sh block, in order, in one fresh folder.

The folder stands in for a checkout: ``.venv/bin/livetier`` is a shim to this interpreter's
livetier and the shipped rulebook sits at ``src/livetier/rulebooks/``. Each block runs in its
own ``bash -e``. A block preceded by ``<!-- not run: why -->`` is skipped (``make test`` would
run this very suite). ``livetier serve`` is started in the background where the README starts
it, on a free port that replaces ``localhost:8000``; the example webhook is a local receiver.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

import livetier
from livetier import rulebooks

pytestmark = pytest.mark.slow  # a small platform, a few day runs and a server: about a minute

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"(?:<!-- not run: (?P<why>.+?) -->\n)?```sh\n(?P<body>.*?)```", re.S)
SERVE = ".venv/bin/livetier serve"
WEBHOOK = "https://hooks.example/tiers"
MOST_SKIPPED = 4  # make demo/test, make serve-demo, Spark on a cluster, the test suite itself


def blocks() -> list[tuple[str | None, str]]:
    """Every sh block of the README, in order, with its not-run reason (None: it runs)."""
    return [(m["why"], m["body"]) for m in BLOCK.finditer(README.read_text())]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Hook(http.server.BaseHTTPRequestHandler):
    received: ClassVar[list[bytes]] = []

    def do_POST(self) -> None:
        _Hook.received.append(self.rfile.read(int(self.headers["content-length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[bytes]]]:
    """A local webhook that accepts every event (the README's hooks.example stands for it)."""
    _Hook.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tiers", _Hook.received
    finally:
        server.shutdown()
        server.server_close()


def checkout(folder: Path) -> dict[str, str]:
    """A stand-in for a checkout in ``folder``, and the environment its commands run in."""
    shim = folder / ".venv" / "bin" / "livetier"
    shim.parent.mkdir(parents=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m livetier "$@"\n')
    shim.chmod(0o755)
    shipped = folder / "src" / "livetier" / "rulebooks"
    shipped.mkdir(parents=True)
    shutil.copy(rulebooks.DEFAULT_RULEBOOK, shipped)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVETIER_")}
    src = str(Path(livetier.__file__).parents[1])
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    env["COLUMNS"] = "100"
    return env


def run_block(body: str, folder: Path, env: dict[str, str]) -> str:
    t0 = time.monotonic()
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", body],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"README block failed ({done.returncode}):\n{body}\n{done.stderr}"
    print(f"{time.monotonic() - t0:6.1f} s  {body.splitlines()[0]}")  # shown by pytest -s
    return done.stdout


def start_server(
    line: str, folder: Path, env: dict[str, str], port: int
) -> subprocess.Popen[bytes]:
    """``livetier serve`` as the README starts it, on ``port``, once it answers."""
    command = [*line.split("#")[0].split(), "--port", str(port)]
    log = folder / "serve.log"
    with log.open("w") as sink:  # the child keeps its own copy of the file
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=sink, stderr=sink)
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, f"serve exited:\n{log.read_text()}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "serve did not answer within 60 s"
        time.sleep(0.2)


def test_the_readme_says_why_a_block_is_not_run():
    found = blocks()
    skipped = [why for why, _ in found if why is not None]
    assert len(found) - len(skipped) >= 4
    assert len(skipped) <= MOST_SKIPPED, skipped
    for why, body in found:
        if why is None:
            assert not re.search(r"^\s*make ", body, re.M), f"a run block calls make:\n{body}"


def test_the_readme_walkthrough_runs_top_to_bottom(tmp_path, webhook):
    hook_url, received = webhook
    env = checkout(tmp_path)
    port = free_port()
    server: subprocess.Popen[bytes] | None = None
    out: list[str] = []
    try:
        for why, body in blocks():
            if why is not None:
                continue
            assert "localhost:8000" not in body or server is not None, "a call before serve"
            body = body.replace(WEBHOOK, hook_url).replace("localhost:8000", f"127.0.0.1:{port}")
            lines = body.rstrip("\n").splitlines()
            serve = [i for i, line in enumerate(lines) if line.startswith(SERVE)]
            if serve:
                assert serve == [len(lines) - 1], "livetier serve must end its block"
                out.append(run_block("\n".join(lines[:-1]) + "\n", tmp_path, env))
                server = start_server(lines[-1], tmp_path, env, port)
            else:
                out.append(run_block(body, tmp_path, env))
    finally:
        if server is not None:
            server.terminate()
            server.wait(10)
    printed = "\n".join(out)
    assert received, "deliver posted no event to the webhook"
    assert '"reason":"not_claimed"' in printed  # before the claim
    assert '"registration_id":1' in printed
    assert '"reason":"fatigue"' in printed  # the second registration, refused
