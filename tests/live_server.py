"""Serve livetier's app with uvicorn on a free localhost port, for a test.

``serving`` runs an app in a thread of the test's process. ``serving_process`` runs the app
over a state store in a uvicorn process of its own (no shared interpreter lock with the
test's clients), with a clock the test moves by writing a day into a file, and with ``live``
the live processor beside it as ``livetier serve`` runs it: run as a script, this module is
that process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import uvicorn

if TYPE_CHECKING:
    from fastapi import FastAPI

PLATFORM = ZoneInfo("Asia/Shanghai")


@contextmanager
def serving(app: object) -> Iterator[str]:
    """The app's base URL while the block runs."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def set_day(clock_file: Path, day: date) -> None:
    """Move the served clock of ``serving_process`` to 10:00 platform time on ``day``."""
    temporary = clock_file.with_suffix(".tmp")
    temporary.write_text(day.isoformat())
    temporary.replace(clock_file)  # the server never reads a half-written day


@contextmanager
def serving_process(
    db_url: str, clock_file: Path, workers: int = 1, *, live: bool = False
) -> Iterator[str]:
    """The base URL of a uvicorn process (with ``workers`` worker processes) serving livetier
    over ``db_url`` while the block runs; its clock is the day in ``clock_file`` (``set_day``).
    It runs in the clock file's folder, its log beside it: it needs nothing else (the state
    store holds the runs' serving snapshots), so several can share one store. With ``live``,
    the live processor runs in that process too, as in ``livetier serve``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = clock_file.with_name("server.log")
    command = [
        sys.executable,
        "-X",
        "faulthandler",  # a crash of the server shows in its log
        str(Path(__file__).resolve()),
        db_url,
        str(clock_file),
        str(port),
        str(workers),
        "live" if live else "",
    ]
    with (
        log.open("w") as output,
        subprocess.Popen(command, stderr=output, cwd=clock_file.parent) as server,
    ):
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, server, log)
            yield url
        finally:
            died = server.poll()
            server.terminate()
            server.wait(timeout=30)
            if died is not None:  # it ended under the test: say why
                raise RuntimeError(f"the server exited ({died}):\n{log.read_text()}")


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120  # workers start slowly on a loaded machine
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{log.read_text()}")
        time.sleep(0.1)


class FileClock:
    """10:00 platform time on the day written in a file, read at every call."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> datetime:
        day = date.fromisoformat(self.path.read_text())
        return datetime(day.year, day.month, day.day, 10, tzinfo=PLATFORM).astimezone(UTC)


KEEP_ALIVE_SECONDS = 75
"""How long the process keeps an idle connection open: longer than any client here keeps one."""
CLOCK = "LIVETIER_TEST_CLOCK"
"""The variable naming the clock file, for each worker process's ``app``."""


def app() -> FastAPI:
    """The app ``livetier serve`` builds from ``LIVETIER_*``, on the clock in ``CLOCK``."""
    from livetier import rulebooks
    from livetier.entrypoints.api import create_app
    from livetier.entrypoints.settings import Settings
    from livetier.store.schema import open_engine

    config = Settings()
    clock = FileClock(Path(os.environ[CLOCK]))
    return create_app(open_engine(config.db), rulebooks.load(), clock=clock)


def main(db_url: str, clock_file: str, port: str, workers: str = "1", live: str = "") -> None:
    """Serve livetier as ``livetier serve --workers`` does, on the clock in ``clock_file``."""
    from contextlib import nullcontext

    from livetier.entrypoints.cli.serve import live_processor
    from livetier.entrypoints.settings import Settings

    os.environ.update(LIVETIER_DB=db_url, **{CLOCK: clock_file})
    signal.signal(signal.SIGTERM, _interrupt)  # as serve: uvicorn raises it again once stopped
    with live_processor(Settings()) if live else nullcontext():
        _run(port, workers)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run(port: str, workers: str) -> None:
    uvicorn.run(
        "live_server:app",
        factory=True,
        app_dir=str(Path(__file__).parent),
        host="127.0.0.1",
        port=int(port),
        workers=int(workers),
        log_level="info",  # its start and shutdown, in the log a failing test shows
        access_log=False,
        # uvicorn's 5 s default closes idle connections just as a pooling client (httpx's
        # expiry is 5 s too) reuses them: POSTs end in ReadError under load, not in the store.
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
