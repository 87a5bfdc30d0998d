"""The fault-injection campaign's machinery: a scenario of CLI steps run in real processes
(forked from a server that imported livetier once), a webhook consumer, the reference run,
and the canonical dump compared after each killed run's recovery.

What the dump leaves out, and why (everything else of these tables is compared):

- ids of runs, tier changes and outbox events, and ``run_id`` columns: a killed run leaves
  an ``interrupted`` run row, and PostgreSQL sequences advance on rolled-back inserts, so the
  numbers legitimately differ; the outbox keeps its order (rows are listed by id).
- runs that did not succeed, and ``started_at``, ``ended_at`` and ``counts`` of those that
  did: timestamps, and what that process did (a recovery run finds the facts its killed
  predecessor committed, so it computes fewer days and logs no fact change).
- ``computed_at`` and ``logged_at`` in the warehouse: timestamps.
- ``delivery_cursors.updated_at`` (a timestamp); the cursor itself is kept as the number of
  outbox events at or before it.
- the warehouse's copy of the state (``host_state``, ``meta.host_state``): a cache that may
  name an older run after a kill; checked separately (a copy naming the latest run equals it).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import select
from sqlalchemy.orm import Session

from builders import Platform
from livetier.store import serving
from livetier.store.models import DeliveryCursor, HostTier, OutboxEvent, Run, TierChange
from livetier.store.schema import connected

D1, D2, D3, D4 = (date(2026, 11, d) for d in (24, 25, 26, 27))
CONSUMER = "hook"
# Killed between the webhook's 2xx and the cursor's commit, delivery sends that event again
# (at least once, docs/design.md): the consumer sees its id twice and keeps it once.
RESENDS_AT = {"delivery-sent", "delivery-cursor-written"}


def platform_data(folder: Path) -> tuple[Path, Path]:
    """Two inputs: ``data1``, and ``data2`` correcting day D3 (a re-run of the latest day
    replaces, withdraws and removes changes) and adding a late session (lookback)."""
    first = Platform()
    second = Platform()
    for p in (first, second):
        good = {"trade_medal": "2", "bsr_description": "4.6", "fans": "0"}
        for host in ("h_exp", "h_w"):
            p.host(host, snapshot_date="2026-11-01", **good)
            p.sessions_for(host, 5, date(2026, 11, 1))
        p.host("h_ord", snapshot_date="2026-11-01")
    # data1: h_w drops on D3; corrected (data2): h_w does not (withdrawn), h_exp does.
    # Day D grades on the profile snapshots up to D-1.
    first.host("h_w", snapshot_date="2026-11-25", bsr_description="4.5")
    second.host("h_exp", snapshot_date="2026-11-25", bsr_description="4.5")
    first.host("h_new", snapshot_date="2026-11-25")  # first graded on D3, gone once corrected
    second.sessions_for("h_ord", 1, D2)  # a late session: D2's facts change
    return first.write(folder / "data1"), second.write(folder / "data2")


def steps(data1: Path, data2: Path) -> list[tuple[str, ...]]:
    """The scenario: CLI arguments of each step (``--db`` and ``--warehouse`` added)."""
    deliver = ("deliver", "--consumer", CONSUMER, "--backoff", "0")
    return [
        ("backfill", "--data", str(data1), "--from", str(D1), "--to", str(D2)),
        deliver,
        ("run", "--data", str(data1), "--date", str(D3)),
        deliver,
        ("run", "--data", str(data2), "--date", str(D3)),  # corrected input, same day
        deliver,
        ("run", "--data", str(data2), "--date", str(D4)),
        deliver,
    ]


class Consumer:
    """A loopback webhook: refuses the first request on each path (so delivery retries),
    records every event it accepts, by path."""

    def __init__(self) -> None:
        self.received: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        self.seen: set[str] = set()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path not in hook.seen:
                    hook.seen.add(self.path)
                    self.send_response(503)
                else:
                    key = self.headers["Idempotency-Key"]
                    hook.received.setdefault(self.path, []).append((key, body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _child(args: tuple[str, ...], env: dict[str, str], log: str) -> None:
    """A step in a forked process: the CLI as `python -m livetier` runs it."""
    os.environ.update(env)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.argv = ["livetier", *args]
    from livetier.entrypoints.cli import main

    main()


_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(  # what every step imports, once
    [
        "livetier.entrypoints.cli",
        "livetier.services.daily",
        "livetier.services.delivery",
        "livetier.store.warehouse",
        "livetier.store.schema",
        "ibis",
        "ibis.backends.duckdb",
        "duckdb",
        "pyarrow.parquet",
        "httpx",
        "psycopg",
    ]
)


def run_step(args: tuple[str, ...], env: dict[str, str], log: Path) -> int:
    """Run one CLI step in a fresh process; its exit code (negative: killed by a signal)."""
    process = _context.Process(target=_child, args=(args, env, str(log)))
    process.start()
    process.join()
    assert process.exitcode is not None
    return process.exitcode


@dataclass
class Place:
    """Where one scenario keeps its stores: a state-store URL and a warehouse file."""

    url: str
    folder: Path

    @property
    def warehouse(self) -> Path:
        return self.folder / "livetier.duckdb"

    def args(self, step: tuple[str, ...], hook: str) -> tuple[str, ...]:
        where = ("--url", hook) if step[0] == "deliver" else ("--warehouse", str(self.warehouse))
        return (*step, "--db", self.url, *where)


def dump(place: Place) -> dict[str, Any]:
    """The canonical contents compared after a recovery (see the module docstring)."""
    out: dict[str, Any] = {}
    with connected(place.url) as store, Session(store) as s:
        out["host_tiers"] = _rows(s.execute(select(HostTier.__table__).order_by(HostTier.host_id)))
        c = TierChange
        out["tier_changes"] = _rows(
            s.execute(
                select(
                    c.host_id, c.day, c.from_tier, c.to_tier, c.reasons, c.rulebook_version
                ).order_by(c.day, c.host_id)
            )
        )
        e = OutboxEvent
        ids = list(s.scalars(select(e.id).order_by(e.id)))
        out["outbox"] = _rows(s.execute(select(e.kind, e.host_id, e.day, e.payload).order_by(e.id)))
        out["runs"] = _rows(
            s.execute(
                select(Run.day, Run.fingerprint, Run.rulebook_version)
                .where(Run.status == "succeeded")
                .order_by(Run.id)
            )
        )
        cursors = s.execute(select(DeliveryCursor.consumer, DeliveryCursor.last_id)).all()
        out["cursors"] = {name: sum(i <= last for i in ids) for name, last in cursors}
        latest = s.execute(
            select(Run.id, Run.started_at).where(Run.status == "succeeded").order_by(Run.id.desc())
        ).first()
        succeeded = set(s.scalars(select(Run.id).where(Run.status == "succeeded")))
    if place.warehouse.exists():
        out.update(_warehouse(place, out["host_tiers"], latest))
        out["snapshot"] = _snapshot(place, latest[0] if latest else None, succeeded)
    return out


def _warehouse(place: Place, tiers: list[list[Any]], latest: Any) -> dict[str, Any]:
    con = duckdb.connect(str(place.warehouse), read_only=True)
    try:
        q = {
            "daily_facts": "SELECT * FROM daily_facts ORDER BY ALL",
            "fact_days": "SELECT day, definitions FROM fact_days ORDER BY ALL",
            "fact_changes": "SELECT run_day, day, host_id, fact, old, new FROM fact_changes "
            "ORDER BY ALL",
            "profiles": "SELECT * FROM profiles ORDER BY ALL",
            "quality": "SELECT * FROM quality ORDER BY ALL",
            "host_checks": "SELECT * FROM host_checks ORDER BY ALL",
            "listed_hosts": "SELECT * FROM listed_hosts ORDER BY ALL",
            "meta": "SELECT * FROM meta WHERE key <> 'host_state' ORDER BY ALL",
        }
        out = {name: _rows(con.execute(sql).fetchall()) for name, sql in q.items()}
        tag = con.execute("SELECT value FROM meta WHERE key = 'host_state'").fetchall()
        copy = con.execute("SELECT * FROM host_state ORDER BY host_id").fetchall()
    finally:
        con.close()
    if latest is not None and tag and tag[0][0] == f"{latest[0]}|{latest[1].isoformat()}":
        # A copy naming the store's latest run is used instead of the store: it must equal it.
        assert _rows(copy) == [[t[0], t[1], t[3], t[5]] for t in tiers], "stale state copy"
    return out


def _snapshot(place: Place, latest: int | None, succeeded: set[int]) -> list[Any]:
    """The latest succeeded run's serving snapshot; every snapshot left names a succeeded run."""
    with connected(place.url) as store:
        with store.connect() as c:
            stored = serving.stored_runs(c)
        assert set(stored) <= succeeded, stored
        tables = serving.read(store, latest) if latest is not None else None
    if tables is None:
        return []
    return [
        sorted(json.dumps(r, sort_keys=True, default=str) for r in table.to_pylist())
        for table in tables
    ]


def _rows(rows: Any) -> list[list[Any]]:
    return [[_plain(v) for v in r] for r in rows]


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def digest(d: dict[str, Any]) -> str:
    """The hash of a dump."""
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()


def events_received(received: list[tuple[str, dict[str, Any]]]) -> tuple[list[Any], int]:
    """What a consumer keeps (each event id once, in order, without ids) and how many
    requests repeated an id it already had."""
    kept: dict[str, dict[str, Any]] = {}
    for key, body in received:
        assert key == str(body["id"])
        body = {k: v for k, v in body.items() if k not in ("id", "run_id")}
        assert kept.setdefault(key, body) == body, f"event {key} sent with two contents"
    return list(kept.values()), len(received) - len(kept)


@dataclass
class Reference:
    """The uninterrupted run: its dump and what the consumer kept after each step, and which
    failpoints each step passes (and how often)."""

    dumps: list[dict[str, Any]] = field(default_factory=list)
    kept: list[list[Any]] = field(default_factory=list)
    reached: list[Counter[str]] = field(default_factory=list)


def copy_folder(source: Path, target: Path) -> None:
    """Restore a saved state: the SQLite files, the warehouse and its snapshots."""
    shutil.copytree(source, target)
