"""``serve``: the HTTP API and the web pages, configured by this invocation's settings."""

from __future__ import annotations

import errno
import os
import socket
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
"""What each of several workers imports: it builds its app from ``Settings()``."""


def serve_cmd(
    db: DbOpt = None,
    rules: RulesOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API and web pages from the state store alone (any number of servers)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    with user_errors():
        app = _application(settings(db, rules=rules), workers)
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
    try:  # as uvicorn.run does it, on the socket bound here
        if workers > 1:
            Multiprocess(config, sockets=[sock]).run()
            return
        server = uvicorn.Server(config)
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        return
    if not server.started:
        raise typer.Exit(1)


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
