"""The live processor: one at a time (a lease row), draining the inbox into results."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

from livetier.domain.rulebook import Rulebook


class ProcessorBusy(RuntimeError):
    """Another processor holds the lease."""


class Processor:
    """Drains accepted live events into sessions, facts and outbox events.

    ``process()`` handles every pending event (in micro-batches of ``batch_size``) and returns
    how many; ``start()`` runs it in a background thread (woken by ``accept_events`` in this
    process, else every ``poll_seconds``) until ``stop()``. ``engine`` is the pipeline engine
    name (``duckdb``; ``spark`` may be refused until built). ``warehouse`` locates the serving
    snapshot, which tells each host's category line (its surfacing requirements).
    """

    def __init__(
        self,
        db: Engine,
        rulebook: Rulebook,
        *,
        warehouse: Path | None = None,
        engine: str = "duckdb",
        batch_size: int = 50_000,
        poll_seconds: float = 0.25,
        lease_seconds: float = 30.0,
    ) -> None:
        self.db = db
        self.rulebook = rulebook
        self.warehouse = warehouse
        self.engine = engine
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def process(self) -> int:
        """Process every pending event; the number processed."""
        raise NotImplementedError

    def start(self) -> None:
        """Run in a background thread until ``stop()``."""
        raise NotImplementedError

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background thread after its current batch, and release the lease."""
        raise NotImplementedError
