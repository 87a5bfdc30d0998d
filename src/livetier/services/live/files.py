"""Events from files: ``live follow`` (event files as they land in a folder) and ``live
replay`` (a data-contract folder replayed as one time-ordered stream). Both store events
through the inbox and run the same processor."""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import orjson
import pyarrow.parquet as pq
from ibis import _
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from livetier.domain.rulebook import Rulebook
from livetier.pipeline.contract import load as load_table
from livetier.pipeline.engine import Engine as PipelineEngine
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.timestamps import PlatformZone, add_instant
from livetier.services.errors import InvalidInput
from livetier.services.live.ingest import check, store_rows
from livetier.services.live.processor import Processor
from livetier.store.failpoint import checkpoint
from livetier.store.models import LiveFile

EVENT_FILES = (".ndjson", ".jsonl", ".parquet")


@dataclass
class FollowReport:
    """What a pass (or several) over the folder did."""

    files: int = 0
    accepted: int = 0
    duplicates: int = 0
    processed: int = 0
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # (file, index, reason)


def _records(path: Path) -> Iterator[Any]:
    """The raw events of one file, in order (a line that is not JSON is yielded as text)."""
    if path.suffix == ".parquet":
        for row in pq.read_table(path).to_pylist():
            yield {k: v for k, v in row.items() if v is not None}
        return
    with path.open("rb") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError:
                yield line.decode("utf-8", "replace").strip()


def pending_files(db: Engine, source: Path) -> list[Path]:
    """Event files in ``source`` not yet accepted, by name. Hidden files (``.x``, ``_x``) are
    skipped: write a file under such a name and rename it when complete."""
    if not source.is_dir():
        raise InvalidInput(f"$source {source}: no such folder")
    files = sorted(
        p
        for p in source.iterdir()
        if p.is_file() and p.suffix in EVENT_FILES and not p.name.startswith((".", "_"))
    )
    with Session(db) as s:
        done = set(s.scalars(select(LiveFile.path)))
    return [p for p in files if str(p.resolve()) not in done]


def accept_file(db: Engine, path: Path, zone: ZoneInfo, report: FollowReport) -> None:
    """Store one file's good events and its ledger row in one transaction."""
    rows: dict[str, dict[str, Any]] = {}
    for i, raw in enumerate(_records(path)):
        row = check(raw, zone) if not isinstance(raw, str) else "not a JSON object"
        if isinstance(row, str):
            report.rejected.append((path.name, i, row))
        elif row["event_id"] in rows:
            report.duplicates += 1
        else:
            rows[row["event_id"]] = row
    stat = path.stat()
    with Session(db) as s, s.begin():
        stored = store_rows(db, list(rows.values()), session=s) if rows else 0
        s.add(
            LiveFile(
                path=str(path.resolve()),
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                events=stored,
                accepted_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        checkpoint("live-file-stored")
    report.files += 1
    report.accepted += stored
    report.duplicates += len(rows) - stored


def follow(
    db: Engine,
    rulebook: Rulebook,
    source: Path,
    processor: Processor,
    *,
    once: bool = False,
    poll_seconds: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
    on_pass: Callable[[FollowReport], None] | None = None,
) -> FollowReport:
    """Accept the event files that land in ``source`` and process them; with ``once``, what
    is there now, then return."""
    zone = ZoneInfo(rulebook.definitions.timezone)
    report = FollowReport()
    processor.acquire()
    while True:
        for path in pending_files(db, source):
            accept_file(db, path, zone, report)
        report.processed += processor.process()
        if on_pass is not None:
            on_pass(report)
        if once or should_stop():
            return report
        time.sleep(poll_seconds)


@dataclass
class ReplayReport:
    """What a replay did."""

    events: int = 0
    accepted: int = 0
    duplicates: int = 0
    processed: int = 0
    batches: int = 0
    rejected: Counter[str] = field(default_factory=Counter)  # reason -> rows
    seconds: float = 0.0


_KINDS_ORDER = {"session_started": 0, "viewed": 1, "paid": 2, "session_ended": 3}


def _event_id(kind: str, *parts: Any) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{kind}:{hashlib.blake2b(text.encode(), digest_size=16).hexdigest()}"


def replay_events(
    data: Path, rulebook: Rulebook, engine: PipelineEngine
) -> tuple[list[dict[str, Any]], dict[str, str], Counter[str]]:
    """The data folder as events in time order, each host's category line (its latest
    profile's), and the rows that cannot be events (reason -> count).

    Each event's id is a digest of its source row, so identical rows are one event (the
    batch counts them once) and rows of one id that differ stay two (the batch rejects
    both, and so does the processor). A session row is replayed only if both its timestamps
    parse (else the batch rejects it and its views); an order without ``paid_at`` is unpaid.
    """
    # The zone's offsets for the years around today (a replay of older data: its years too).
    zone = PlatformZone.around(rulebook.definitions.timezone, datetime.now(UTC).date(), 10)
    sources = {n: load_table(engine, data, n) for n in ("hosts", "sessions", "views", "orders")}
    con = engine.con
    hosts = sources["hosts"].table
    order = "snapshot_date" if "snapshot_date" in hosts.columns else None
    latest = (
        hosts.filter(hosts.host_id.notnull())
        .mutate(_rank=ibis.row_number().over(group_by="host_id", order_by=ibis.desc(order)))
        .filter(_._rank == 0)
        if order
        else hosts.filter(hosts.host_id.notnull()).distinct(on="host_id")
    )
    lines = {
        r["host_id"]: r["category_line"]
        for r in con.to_pyarrow(latest.select("host_id", "category_line")).to_pylist()
        if r["category_line"] is not None
    }
    rejected: Counter[str] = Counter()
    events: list[dict[str, Any]] = []

    def text(t: ibis.Table, c: str) -> ibis.Value:
        return t[c].cast("string")

    s = sources["sessions"].table
    s = add_instant(
        add_instant(s, "started_at", zone, "s_utc", "s_day"), "ended_at", zone, "e_utc", "e_day"
    )
    s = s.select(
        "session_id",
        "host_id",
        "s_utc",
        "e_utc",
        "deleted",
        raw_s=text(s, "started_at"),
        raw_e=text(s, "ended_at"),
    )
    for r in con.to_pyarrow(s).to_pylist():
        if r["session_id"] is None or r["host_id"] is None:
            rejected["sessions: missing_id"] += 1
            continue
        if r["s_utc"] is None or r["e_utc"] is None:
            rejected["sessions: unparseable_timestamp"] += 1
            continue
        key = (r["session_id"], r["host_id"], r["raw_s"], r["raw_e"], r["deleted"])
        events.append(
            {
                "event_id": _event_id("session_started", *key),
                "kind": "session_started",
                "session_id": r["session_id"],
                "host_id": r["host_id"],
                "at": r["s_utc"],
            }
        )
        events.append(
            {
                "event_id": _event_id("session_ended", *key),
                "kind": "session_ended",
                "session_id": r["session_id"],
                "at": r["e_utc"],
                "deleted": r["deleted"],
            }
        )
    v = add_instant(sources["views"].table, "viewed_at", zone, "utc", "day")
    v = v.select("session_id", "buyer_id", "utc", raw=text(v, "viewed_at"))
    for r in con.to_pyarrow(v).to_pylist():
        if r["session_id"] is None or r["buyer_id"] is None:
            rejected["views: missing_id"] += 1
        elif r["utc"] is None:
            rejected["views: unparseable_timestamp"] += 1
        else:
            events.append(
                {
                    "event_id": _event_id("viewed", r["session_id"], r["buyer_id"], r["raw"]),
                    "kind": "viewed",
                    "session_id": r["session_id"],
                    "buyer_id": r["buyer_id"],
                    "at": r["utc"],
                }
            )
    o = add_instant(sources["orders"].table, "paid_at", zone, "utc", "day")
    o = o.select("order_id", "host_id", "buyer_id", "utc", raw=text(o, "paid_at"))
    rows = con.to_pyarrow(o).to_pylist()
    # An unpaid row is no event, but an order id with an unpaid row and a different paid one
    # is a conflicting duplicate the batch rejects whole: so is its paid event here.
    unpaid = {r["order_id"] for r in rows if r["raw"] is None}
    for r in rows:
        if r["raw"] is None:
            continue  # unpaid: never counts, not a problem
        if r["order_id"] in unpaid:
            rejected["orders: conflicting_duplicate"] += 1
            continue
        if r["order_id"] is None or r["host_id"] is None or r["buyer_id"] is None:
            rejected["orders: missing_id"] += 1
        elif r["utc"] is None:
            rejected["orders: unparseable_timestamp"] += 1
        else:
            events.append(
                {
                    "event_id": _event_id(
                        "paid", r["order_id"], r["host_id"], r["buyer_id"], r["raw"]
                    ),
                    "kind": "paid",
                    "order_id": r["order_id"],
                    "host_id": r["host_id"],
                    "buyer_id": r["buyer_id"],
                    "at": r["utc"],
                }
            )
    events.sort(key=lambda e: (e["at"], _KINDS_ORDER[e["kind"]], e["event_id"]))
    return events, lines, rejected


def replay(
    db: Engine,
    rulebook: Rulebook,
    data: Path,
    *,
    engine: str = "duckdb",
    batch_events: int = 200_000,
    events: list[dict[str, Any]] | None = None,
) -> ReplayReport:
    """Replay a data-contract folder through the inbox and the processor, in time order, in
    micro-batches of ``batch_events``. Replaying again changes nothing: every event is a
    duplicate of itself. ``events`` (already read) skips reading ``data``."""
    started = time.perf_counter()
    processor = Processor(db, rulebook, engine=engine, batch_size=batch_events)
    compute = duckdb_engine(threads=2)
    try:
        found, lines, rejected = replay_events(data, rulebook, compute)
    finally:
        compute.close()
    stream = events if events is not None else found
    processor.lines.known.update(lines)
    report = ReplayReport(rejected=rejected)
    try:
        processor.acquire()
        for start in range(0, len(stream), batch_events):
            chunk = stream[start : start + batch_events]
            stored = store_rows(db, chunk)
            report.events += len(chunk)
            report.accepted += stored
            report.duplicates += len(chunk) - stored
            report.processed += processor.process()
            report.batches += 1
        report.processed += processor.process()  # anything left by a killed run before
    finally:
        processor.release()
        processor.close()
    report.seconds = time.perf_counter() - started
    return report
