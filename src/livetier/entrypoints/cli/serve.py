"""``serve``: the HTTP API and the web pages, configured by this invocation's settings, and
the live processor in a background thread of the serving process."""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.options import (
    DbOpt,
    RulesOpt,
    err,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from livetier.entrypoints.settings import Settings

FACTORY = "livetier.entrypoints.api:app_from_env"
STOP_SECONDS = 60.0
"""How long the server's end waits for the live processor to finish its batch."""
"""What each of several workers imports: it builds its app from ``Settings()``."""


def serve_cmd(
    db: DbOpt = None,
    rules: RulesOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    live: Annotated[
        bool,
        typer.Option(
            "--live/--no-live",
            help="Run the live processor (live events to sessions, surfacing, the channel).",
        ),
    ] = True,
) -> None:
    """Serve the HTTP API and web pages from the state store alone (any number of servers)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    with user_errors():
        chosen = settings(db, rules=rules)
        app = _application(chosen, workers)
    config = uvicorn.Config(
        app,
        factory=isinstance(app, str),
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    sock = _listen(host, port, config.backlog)
    # Printed once the socket listens: a connection from here on waits for the server.
    err.print(f"livetier on http://{host}:{port}/ (API docs at /docs)", highlight=False)
    with live_processor(chosen) if live else _nothing():
        try:  # as uvicorn.run does it, on the socket bound here
            if workers > 1:
                Multiprocess(config, sockets=[sock]).run()
                return
            server = _server_class()(config)
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            return
    if not server.started:
        raise typer.Exit(1)


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except that a SIGTERM or SIGINT that stopped it is not raised
        again once it has shut down (uvicorn does, for the default handlers to end the
        process): ``serve`` returns instead, and stops the live processor cleanly."""

        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                try:
                    yield
                finally:
                    self._captured_signals.clear()

    return Server


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def live_processor(config: Settings) -> Iterator[None]:
    """The live processor in a background thread of this process while the block runs.

    ``serve`` runs it in its own process (the supervisor, with several workers): one
    processor per ``serve`` whatever the number of workers, which accept events into the
    state store. Its lease keeps it one per state store: the processor of a second ``serve``
    on the same store waits until the lease is free. Stopped (its batch finished, its lease
    released) when the block ends.
    """
    from livetier import rulebooks
    from livetier.services import live
    from livetier.store.schema import open_engine

    db = open_engine(config.db)
    processor = live.Processor(db, rulebooks.load(config.rules))
    processor.start()
    try:
        yield
    finally:
        processor.stop(timeout=STOP_SECONDS)
        db.dispose()


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    """A socket listening on host:port, bound as uvicorn binds; a busy port is exit 2."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as e:
        sock.close()
        hint = ": choose another with --port" if e.errno == errno.EADDRINUSE else ""
        why = f"cannot listen on {host}:{port}: {e.strerror}{hint}"
        err.print(f"[bold red]error:[/] {why}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    sock.set_inheritable(True)  # the worker processes serve on it
    return sock


def _application(config: Settings, workers: int) -> FastAPI | str:
    """The app built here for one worker; for several, the factory each worker imports.

    uvicorn starts several workers as fresh interpreters from an import string, so the
    settings reach them as the ``LIVETIER_*`` variables they inherit, from which
    ``Settings()`` in the factory rebuilds exactly these settings.
    """
    from livetier import rulebooks
    from livetier.entrypoints import api
    from livetier.store import schema

    rulebooks.load(config.rules)  # a bad rulebook fails here, before the store is opened
    if workers <= 1:  # uvicorn runs one process for 0 or 1
        return api.app_from_env(config)
    with schema.connected(config.db):  # migrates the state store once, before the workers
        pass
    os.environ.update(config.environment())
    return FACTORY
