"""The live processor's lease and background loop (a part of ``Processor``).

Only one processor works at a time: it holds the lease row (``live_processor``), renewed in
each batch's results transaction. A dead holder's lease is taken at once when it ran on this
machine (its process is gone), else after the lease's time. ``livetier serve`` runs the
processor in a background thread, woken when this process accepts events.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, update
from sqlalchemy.orm import Session

from livetier.services.live.ingest import on_accept
from livetier.store.models import LiveProcessor
from livetier.store.schema import IMMEDIATE

log = logging.getLogger("livetier.services.live.processor")

NAME = "live"


class ProcessorBusy(RuntimeError):
    """Another processor holds the lease."""


class Leased:
    """The lease and the background loop of ``Processor``."""

    db: Engine
    owner: str
    clock: Callable[[], datetime]
    lease_seconds: float
    poll_seconds: float
    error: BaseException | None
    _stop: threading.Event
    _wake: threading.Event
    _thread: threading.Thread | None
    _unsubscribe: Callable[[], None] | None

    def process(self, limit: int | None = None) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _forget(self) -> None:
        raise NotImplementedError

    # the lease --------------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lease, or raise ProcessorBusy naming its holder."""
        now = self.clock()
        with Session(self.db.execution_options(**IMMEDIATE)) as s, s.begin():
            row = s.get(LiveProcessor, NAME, with_for_update=True)
            if row is None:
                s.add(LiveProcessor(name=NAME, processed=0, updated_at=now))
                s.flush()
                row = s.get(LiveProcessor, NAME)
                assert row is not None
            if row.owner not in (None, self.owner) and not self._expired(row, now):
                raise ProcessorBusy(
                    f"another live processor ({row.owner}) holds the lease until {row.lease_until}Z"
                )
            if row.owner != self.owner:
                self._forget()  # another may have processed events meanwhile: not in ours
            row.owner = self.owner
            row.lease_until = now + timedelta(seconds=self.lease_seconds)
            row.updated_at = now

    def release(self) -> None:
        """Give the lease back (another processor may start at once)."""
        with Session(self.db) as s, s.begin():
            s.execute(
                update(LiveProcessor)
                .where(and_(LiveProcessor.name == NAME, LiveProcessor.owner == self.owner))
                .values(owner=None, lease_until=None)
            )

    def _expired(self, row: LiveProcessor, now: datetime) -> bool:
        if row.lease_until is None or row.lease_until < now:
            return True
        host, _, rest = (row.owner or "").partition(":")
        pid = rest.partition(":")[0]
        if host == socket.gethostname() and pid.isdigit():
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                return True  # its process is gone: killed
            except PermissionError:
                return False
        return False

    # the background loop ----------------------------------------------------------------

    def start(self) -> None:
        """Run in a background thread until ``stop()`` (``livetier serve``)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._unsubscribe = on_accept(self._wake.set)
        self._thread = threading.Thread(target=self._loop, name="livetier-live", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.process()
                self.error = None
            except ProcessorBusy:
                pass  # another processor works; try again later
            except Exception as e:  # keep serving; the next pass retries the batch
                self.error = e
                self._forget()  # the engine's tables may hold an unwritten batch
                log.error("live processor: batch failed, retrying: %s: %s", type(e).__name__, e)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the background thread after its current batch, and release the lease."""
        self._stop.set()
        self._wake.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                # Still inside a batch: its engine connection is in use and must not be
                # closed under it (DuckDB aborts). The daemon thread ends with the process;
                # its lease expires (or is taken at once: its process is gone).
                log.warning("live processor: still busy after %.0f s, not closed", timeout)
                return
            self._thread = None
        self.release()
        self.close()
