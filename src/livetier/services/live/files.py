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
import pyarrow as pa
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
from livetier.services.live import events
from livetier.services.live.ingest import check, store_rows
from livetier.services.live.processor import Processor
from livetier.store.failpoint import checkpoint
from livetier.store.models import LiveFile

EVENT_FILES = (".ndjson", ".jsonl", ".parquet")
REPLAY_BATCH = 2_000_000
"""Events per micro-batch of ``live replay`` by default."""


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


def replay_table(
    data: Path, rulebook: Rulebook, engine: PipelineEngine
) -> tuple[pa.Table, dict[str, str], Counter[str]]:
    """The data folder as one table of events (``events.SCHEMA``) in time order, each host's
    category line (its latest profile's), and the rows that cannot be events (reason ->
    count).

    Identical rows are one event (the batch counts them once) and rows of one id that differ
    stay two (the batch rejects both, and so does the processor). A session row is replayed
    only if both its timestamps parse (else the batch rejects it and its views); an order
    without ``paid_at`` is unpaid. Events of one instant come starts first, ends last, the
    rest by their values: the order is the same on every read of the same folder.
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
    parts: list[ibis.Table] = []
    problems: list[ibis.Table] = []

    def reason(t: ibis.Table, cases: list[tuple[ibis.BooleanValue, str]]) -> ibis.Table:
        """``t`` with ``_why``: the first reason its row is no event (NULL: an event)."""
        why = ibis.cases(*cases, else_=ibis.null("string"))
        t = t.mutate(_why=why)
        problems.append(t.filter(t._why.notnull()).select(_why=t._why))
        return t.filter(t._why.isnull())

    s = sources["sessions"].table
    s = add_instant(
        add_instant(s, "started_at", zone, "s_utc", "s_day"), "ended_at", zone, "e_utc", "e_day"
    )
    s = reason(
        s,
        [
            (s.session_id.isnull() | s.host_id.isnull(), "sessions: missing_id"),
            (s.s_utc.isnull() | s.e_utc.isnull(), "sessions: unparseable_timestamp"),
        ],
    )
    none = ibis.null("string")
    parts.append(
        s.select(
            kind=ibis.literal("session_started"),
            session_id=s.session_id.cast("string"),
            host_id=s.host_id.cast("string"),
            buyer_id=none,
            order_id=none,
            at=s.s_utc,
            deleted=ibis.null("boolean"),
        )
    )
    parts.append(
        s.select(
            kind=ibis.literal("session_ended"),
            session_id=s.session_id.cast("string"),
            host_id=none,
            buyer_id=none,
            order_id=none,
            at=s.e_utc,
            deleted=s.deleted.cast("boolean"),
        )
    )
    v = add_instant(sources["views"].table, "viewed_at", zone, "utc", "day")
    v = reason(
        v,
        [
            (v.session_id.isnull() | v.buyer_id.isnull(), "views: missing_id"),
            (v.utc.isnull(), "views: unparseable_timestamp"),
        ],
    )
    parts.append(
        v.select(
            kind=ibis.literal("viewed"),
            session_id=v.session_id.cast("string"),
            host_id=none,
            buyer_id=v.buyer_id.cast("string"),
            order_id=none,
            at=v.utc,
            deleted=ibis.null("boolean"),
        )
    )
    o = add_instant(sources["orders"].table, "paid_at", zone, "utc", "day")
    o = o.filter(o.paid_at.notnull())  # unpaid: never counts, not a problem
    # An unpaid row is no event, but an order id with an unpaid row and a different paid one
    # is a conflicting duplicate the batch rejects whole: so is its paid event here.
    raw = sources["orders"].table
    unpaid = raw.filter(raw.paid_at.isnull()).select("order_id").distinct()
    o = reason(
        o,
        [
            (o.order_id.isin(unpaid.order_id), "orders: conflicting_duplicate"),
            (
                o.order_id.isnull() | o.host_id.isnull() | o.buyer_id.isnull(),
                "orders: missing_id",
            ),
            (o.utc.isnull(), "orders: unparseable_timestamp"),
        ],
    )
    parts.append(
        o.select(
            kind=ibis.literal("paid"),
            session_id=none,
            host_id=o.host_id.cast("string"),
            buyer_id=o.buyer_id.cast("string"),
            order_id=o.order_id.cast("string"),
            at=o.utc,
            deleted=ibis.null("boolean"),
        )
    )
    every = ibis.union(*parts, distinct=True)
    rank = ibis.cases(*((every.kind == k, n) for k, n in _KINDS_ORDER.items()), else_=9)
    ordered = every.order_by(
        [every.at, rank, every.session_id, every.host_id, every.buyer_id, every.order_id]
    )
    table = con.to_pyarrow(ordered.select(*events.SCHEMA.names)).cast(events.SCHEMA)
    counted = con.to_pyarrow(ibis.union(*problems).group_by("_why").agg(n=_.count()))
    rejected = Counter(
        dict(zip(counted.column("_why").to_pylist(), counted.column("n").to_pylist(), strict=True))
    )
    return table, lines, rejected


def replay_events(
    data: Path, rulebook: Rulebook, engine: PipelineEngine
) -> tuple[list[dict[str, Any]], dict[str, str], Counter[str]]:
    """``replay_table`` as event dicts in time order, each with an ``event_id`` (a digest of
    its values): what ``live follow`` or the HTTP API would accept."""
    table, lines, rejected = replay_table(data, rulebook, engine)
    out = []
    for r in table.to_pylist():
        event = {k: v for k, v in r.items() if v is not None}
        event["event_id"] = _event_id(r["kind"], *r.values())
        out.append(event)
    return out, lines, rejected


def replay(
    db: Engine,
    rulebook: Rulebook,
    data: Path,
    *,
    engine: str = "duckdb",
    batch_events: int = REPLAY_BATCH,
) -> ReplayReport:
    """Replay a data-contract folder through the processor, in time order, in micro-batches
    of ``batch_events``, each handed over whole (``Processor.apply``: no inbox row per event;
    the batch's events are stored as one block with its results). Replaying again changes
    nothing: each micro-batch is found stored (the same folder and batch size give the same
    micro-batches). Events still in the inbox are processed too."""
    started = time.perf_counter()
    processor = Processor(db, rulebook, engine=engine, batch_size=batch_events)
    compute = duckdb_engine(threads=2)
    try:
        table, lines, rejected = replay_table(data, rulebook, compute)
    finally:
        compute.close()
    processor.lines.known.update(lines)
    report = ReplayReport(rejected=rejected)
    try:
        processor.acquire()
        for start in range(0, table.num_rows, batch_events):
            chunk = table.slice(start, batch_events)
            applied = processor.apply(chunk)
            report.events += chunk.num_rows
            report.accepted += applied
            report.duplicates += chunk.num_rows - applied
            report.processed += applied
            report.batches += 1
        report.processed += processor.process()  # events accepted into the inbox meanwhile
    finally:
        processor.release()
        processor.close()
    report.seconds = time.perf_counter() - started
    return report
