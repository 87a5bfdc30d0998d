"""The live processor: one at a time (a lease row), draining the inbox into results.

A batch: read the pending events (``processed`` false, oldest first); find the hosts and
platform days they touch; load every stored event of those hosts around those days; compute
with the pipeline (pipeline/live: the batch's clean + daily facts, and the session metrics)
on an embedded engine; then, in ONE state-store transaction that first renews the lease,
write the sessions, the today-so-far facts, the ``surfaced`` / ``surfacing_ended`` outbox
events (each at most once per session: the session row keeps the event's id) and mark the
batch's events processed. A kill anywhere leaves either nothing or everything of a batch;
the next processor recomputes the same keys from the same stored events.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _
from sqlalchemy import Engine, and_, insert, or_, select, update
from sqlalchemy.orm import Session

from livetier.domain.rulebook import Rulebook
from livetier.pipeline import live as expr
from livetier.pipeline.engine import Engine as PipelineEngine
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.errors import InvalidInput
from livetier.services.live import events
from livetier.services.live.lease import NAME, Leased, ProcessorBusy
from livetier.services.live.results import Lines, Writing, _chunks, needs_of
from livetier.store.failpoint import checkpoint
from livetier.store.models import (
    LiveBlock,
    LiveEvent,
    LiveProcessor,
)
from livetier.store.schema import IMMEDIATE

CHUNK = 5000  # ids per IN (...) list
ENGINES = ("duckdb", "spark")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class BatchResult:
    """What one batch did."""

    events: int
    sessions: int
    facts: int
    surfaced: int
    ended: int


class Processor(Leased, Writing):
    """Drains accepted live events into sessions, facts and outbox events.

    ``process()`` handles every pending event (in micro-batches of ``batch_size``) and returns
    how many; ``start()`` runs it in a background thread (woken by ``accept_events`` in this
    process, else every ``poll_seconds``) until ``stop()``. ``engine`` names the pipeline
    engine (``duckdb``; ``spark`` only with ``pipeline``, the engine of the Spark stream,
    services/live/spark_stream.py).
    Each host's category line (its surfacing requirements) comes from ``lines`` when given
    (``live replay`` reads them from the data folder), else from the serving snapshot of
    the latest succeeded run (in the state store); a host with no known line surfaces only
    if every line has the same requirements.

    Only one processor works at a time: ``acquire()`` takes the lease (a dead holder's is
    taken at once when it ran on this machine, else after ``lease_seconds``) and raises
    ``ProcessorBusy`` if another holds it.
    """

    def __init__(
        self,
        db: Engine,
        rulebook: Rulebook,
        *,
        engine: str = "duckdb",
        batch_size: int = 50_000,
        poll_seconds: float = 0.1,
        lease_seconds: float = 30.0,
        clock: Callable[[], datetime] = _now,
        lines: Mapping[str, str] | None = None,
        pipeline: PipelineEngine | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise InvalidInput(f"$engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if engine == "spark" and pipeline is None:
            raise InvalidInput(
                "$engine spark runs live events only as a Spark stream (following a source); "
                "here use $engine duckdb"
            )
        self.db = db
        self.rulebook = rulebook
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.zone_name = rulebook.definitions.timezone
        self.zone = ZoneInfo(self.zone_name)
        self.minutes = rulebook.definitions.valid_session_longer_than_minutes
        self.lines = Lines(db, lines)
        self.needs = needs_of(rulebook)
        self._engine: PipelineEngine | None = None
        # Seams for the Spark stream (services/live/spark_stream.py): an engine it owns and
        # keeps open (``pipeline``), and a hook called inside each batch's results
        # transaction, where the stream records its Spark batch id.
        self._pipeline = pipeline
        self.in_transaction: Callable[[Session], None] | None = None
        self._zones: dict[int, PlatformZone] = {}
        self._days: dict[datetime, date] = {}
        self._cached = False  # the engine holds every processed event (see _append)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.error: BaseException | None = None

    # processing -------------------------------------------------------------------------

    def process(self, limit: int | None = None) -> int:
        """Process pending events (all, or about ``limit``); the number processed. Takes the
        lease if this processor does not hold it."""
        self.acquire()
        done = 0
        while limit is None or done < limit:
            result = self.batch()
            if result is None:
                break
            done += result.events
        return done

    def batch(self) -> BatchResult | None:
        """One micro-batch; None when nothing is pending."""
        e = LiveEvent
        with self.db.connect() as c:
            pending: list[Any] = c.execute(
                select(e.seq, *events.EVENT_COLUMNS)
                .where(e.processed.is_(False))
                .order_by(e.seq)
                .limit(self.batch_size)
            ).all()  # type: ignore[assignment]
        if not pending:
            return None
        checkpoint("live-batch-read")
        seqs = sorted(e.seq for e in pending)

        def mark(s: Session) -> None:
            for ranges in _chunks(_ranges(seqs), 200):
                s.connection().execute(  # Core: the ORM would fetch the rows to sync them
                    update(LiveEvent)
                    .where(or_(*(LiveEvent.seq.between(a, b) for a, b in ranges)))
                    .values(processed=True)
                )

        return self._run(events.from_rows(pending), mark)

    def apply(self, block: pa.Table) -> int:
        """Process a block of events given whole (``live replay``: ``events.SCHEMA``, in time
        order) without the inbox: the block is stored in ``live_blocks`` in the transaction
        of its results. A block already stored (the same events again) changes nothing: 0,
        else the number of its events. Takes the lease if this processor does not hold it."""
        if not block.num_rows:
            return 0
        self.acquire()
        data, digest = events.encode(block)
        with self.db.connect() as c:
            if c.execute(select(LiveBlock.seq).where(LiveBlock.digest == digest)).first():
                return 0
        checkpoint("live-batch-read")

        def mark(s: Session) -> None:
            s.connection().execute(
                insert(LiveBlock).values(
                    digest=digest, events=block.num_rows, data=data, added_at=self.clock()
                )
            )

        return self._run(block, mark).events

    def _run(self, every: pa.Table, mark: Callable[[Session], None]) -> BatchResult:
        """Compute and write the results of a batch of events (``events.SCHEMA``); ``mark``
        records the events as processed in the results' transaction."""
        try:
            batch = events.split(every)
            tables = self._append(batch)
            hosts, days = self._affected(batch, tables)
            loaded = self._select(tables, hosts, days) if hosts else None
            if loaded is not None and self._pipeline is not None:  # to the stream's engine
                local = self._local().con
                loaded = {k: ibis.memtable(local.to_pyarrow(v)) for k, v in loaded.items()}
            computed = self._compute(loaded, days) if loaded is not None else None
            checkpoint("live-computed")
            clock = pc.max(every.column("at")).as_py()
            return self._write(every.num_rows, clock, mark, hosts, days, loaded, computed)
        except BaseException:
            self._forget()  # the engine's tables hold events that were not marked processed
            raise

    def _day(self, at: datetime) -> date:
        key = at.replace(second=0, microsecond=0, tzinfo=None)  # offsets change on a minute
        day = self._days.get(key)
        if day is None:
            if len(self._days) > 100_000:
                self._days.clear()
            day = self._days[key] = at.replace(tzinfo=UTC).astimezone(self.zone).date()
        return day

    # the engine's copy of the stored events ---------------------------------------------

    def _append(self, batch: dict[str, pa.Table]) -> dict[str, ibis.Table]:
        """The engine's tables of every processed event plus ``pending``.

        The tables live in the processor's engine between batches: built from the state store
        when this processor (re)takes the lease or after a failed batch, then each batch adds
        its own events, instead of reading every stored event of the touched hosts back."""
        con = self._local().con
        if not self._cached:
            e = LiveEvent
            with self.db.connect() as c:
                stored = c.execute(select(*events.EVENT_COLUMNS).where(e.processed.is_(True))).all()
                blocks = [events.decode(d) for d in c.scalars(select(LiveBlock.data))]
            every = pa.concat_tables([events.from_rows(stored), *blocks])
            for kind, table in events.split(every).items():
                con.create_table(_CACHE[kind], table, overwrite=True)
            self._cached = True
        for kind, table in batch.items():
            if table.num_rows:
                con.insert(_CACHE[kind], table)
        return {kind: con.table(name) for kind, name in _CACHE.items()}

    def _forget(self) -> None:
        """Build the engine's tables from the state store again before the next batch."""
        self._cached = False

    def _affected(
        self, batch: dict[str, pa.Table], t: dict[str, ibis.Table]
    ) -> tuple[set[str], set[date]]:
        """The hosts and platform days the batch's events (``batch``, by kind) can change:
        a start's or payment's host and day; the hosts of other payments of the same order
        id (the batch rejects an order id whose rows disagree, say on the host: every host
        concerned is recomputed); for an event of a session, its host, its start day (a
        session counts on its start day) and the event's own day (a view's day)."""
        con = self._local().con
        hosts: set[str] = set()
        minutes: set[datetime] = set()
        for name in ("started", "paid"):
            hosts.update(pc.unique(batch[name].column("host_id")).to_pylist())
            minutes.update(_minutes(batch[name].column("at")))
        orders = pc.unique(batch["paid"].column("order_id"))
        if len(orders):
            found = con.to_pyarrow(
                t["paid"]
                .semi_join(_ids("order_id", orders.to_pylist()), "order_id")
                .select("host_id", minute=_.at.truncate("m"))
                .distinct()
            )
            hosts.update(found.column("host_id").to_pylist())
            minutes.update(found.column("minute").to_pylist())
        touched = pa.concat_tables(
            [batch[n].select(["session_id", "at"]) for n in ("started", "ended", "viewed")]
        )
        if touched.num_rows:
            times = pa.table(
                {
                    "session_id": touched.column("session_id"),
                    "minute": pc.floor_temporal(touched.column("at"), unit="minute"),
                }
            )
            events = ibis.memtable(times).distinct()
            found_sessions = t["started"].semi_join(events, "session_id")
            found = con.to_pyarrow(
                found_sessions.select("host_id", minute=_.at.truncate("m")).distinct()
            )
            hosts.update(found.column("host_id").to_pylist())
            minutes.update(found.column("minute").to_pylist())
            views = con.to_pyarrow(
                events.semi_join(found_sessions, "session_id").select("minute").distinct()
            )
            minutes.update(views.column("minute").to_pylist())
        return hosts, {self._day(m) for m in minutes}

    def _select(
        self, t: dict[str, ibis.Table], hosts: set[str], days: set[date]
    ) -> dict[str, ibis.Table]:
        """Every event of ``hosts`` that the facts of ``days`` and the metrics of their
        sessions can depend on: sessions started from the day before the first day to the
        last day, all their ends and views, and the hosts' payments from the day before the
        first day to the day after the last; with every row of the same session or order id
        under another host (the batch rejects ids whose rows disagree, so the processor must
        see them all)."""
        first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
        lo = datetime.combine(first, datetime.min.time(), self.zone).astimezone(UTC)
        hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), self.zone)
        lo_at = ibis.literal(lo, expr.UTC_TS)
        hi_at = ibis.literal(hi.astimezone(UTC), expr.UTC_TS)
        who = _ids("host_id", hosts)

        def within(x: ibis.Table) -> ibis.Table:
            return x.filter((x.at >= lo_at) & (x.at < hi_at)).semi_join(who, "host_id")

        engine = self._local()
        started = engine.keep(within(t["started"]), "_live_started_in")
        sessions = started.select("session_id")
        paid_in = within(t["paid"]).select("order_id")
        chosen = {
            "started": t["started"].semi_join(sessions, "session_id"),
            "ended": t["ended"].semi_join(sessions, "session_id"),
            "viewed": t["viewed"].semi_join(sessions, "session_id"),
            "paid": t["paid"].semi_join(paid_in, "order_id"),
        }
        return {k: engine.keep(v, f"_live_{k}_sel") for k, v in chosen.items()}

    def _engine_now(self) -> PipelineEngine:
        """The engine that computes: the stream's (Spark) when given, else the local one."""
        if self._pipeline is not None:
            return self._pipeline  # its owner closes it
        return self._local()

    def _local(self) -> PipelineEngine:
        """The processor's own DuckDB engine: its copy of the events and the choice of what
        a batch recomputes live here whatever engine computes."""
        if self._engine is None:
            self._engine = duckdb_engine(threads=2)
        return self._engine

    def _platform_zone(self, day: date) -> PlatformZone:
        if day.year not in self._zones:
            self._zones[day.year] = PlatformZone.around(self.zone_name, day)
        return self._zones[day.year]

    def _compute(self, t: dict[str, ibis.Table], days: set[date]) -> dict[str, Any]:
        """Facts of ``days`` and every selected session's metrics, with the pipeline."""
        engine = self._engine_now()
        con = engine.con
        zone = self._platform_zone(max(days))
        lines = sorted({line for v in self.rulebook.versions for line in v.lines})
        stages = itertools.count()

        def keep(table: ibis.Table) -> ibis.Table:  # each checked table computed once
            return engine.keep(table, f"_live_checked_{next(stages)}")

        cleaned = expr.checked(
            expr.sources(t["started"], t["ended"], t["viewed"], t["paid"]),
            zone,
            lines,
            keep=keep,
        )
        facts = con.to_pyarrow(expr.today_so_far(cleaned, self.minutes, sorted(days))).to_pylist()
        sessions = con.to_pyarrow(
            cleaned.sessions.select("session_id", "host_id", "start_utc", "end_utc", "start_day")
        ).to_pylist()
        q = engine.keep(expr.qualified(cleaned, t["viewed"], zone), "_live_qualified")
        counted = {r["session_id"]: r for r in con.to_pyarrow(expr.counts(q)).to_pylist()}
        nth: dict[str, dict[tuple[str, int], datetime]] = defaultdict(dict)
        for r in con.to_pyarrow(expr.nth_times(q, self.needs)).to_pylist():
            nth[r["session_id"]][(r["metric"], r["n"])] = r["at"]
        return {
            "facts": facts,
            "sessions": sessions,
            "counts": counted,
            "nth": nth,
            "q": q,
            "loaded_sessions": set(_column(con, t["started"], "session_id")),
        }

    def _counts_at(self, q: ibis.Table, moments: dict[str, datetime]) -> dict[str, dict[str, int]]:
        if not moments:
            return {}
        table = ibis.memtable(
            pa.table(
                {
                    "session_id": pa.array(list(moments), pa.string()),
                    "moment": pa.array(list(moments.values()), pa.timestamp("us")),
                }
            )
        )
        rows = self._engine_now().con.to_pyarrow(expr.counts_at(q, table)).to_pylist()
        return {r["session_id"]: {"viewers": r["viewers"], "buyers": r["buyers"]} for r in rows}

    def _write(
        self,
        count: int,
        clock: datetime,
        mark: Callable[[Session], None],
        hosts: set[str],
        days: set[date],
        loaded: dict[str, ibis.Table] | None,
        computed: dict[str, Any] | None,
    ) -> BatchResult:
        now = self.clock()
        ongoing: set[str] = set()
        if loaded is not None and computed is not None:
            con = self._engine_now().con
            ended_ids = set(_column(con, loaded["ended"], "session_id"))
            ongoing = computed["loaded_sessions"] - ended_ids
        surfaced = ended = 0
        with Session(self.db.execution_options(**IMMEDIATE)) as s, s.begin():
            renewed = s.execute(
                update(LiveProcessor)
                .where(and_(LiveProcessor.name == NAME, LiveProcessor.owner == self.owner))
                .values(
                    lease_until=now + timedelta(seconds=self.lease_seconds),
                    processed=LiveProcessor.processed + count,
                    updated_at=now,
                )
            )
            if renewed.rowcount != 1:  # type: ignore[attr-defined]
                raise ProcessorBusy("the live processor lost its lease; the batch is not written")
            row = s.get(LiveProcessor, NAME)
            assert row is not None
            row.clock = clock if row.clock is None else max(row.clock, clock)
            if self.in_transaction is not None:
                self.in_transaction(s)
            if computed is not None:
                surfaced, ended = self._write_sessions(s, hosts, computed, ongoing, now)
                self._write_facts(s, hosts, days, computed["facts"], now)
            checkpoint("live-results-written")
            mark(s)
            checkpoint("live-events-marked")
        checkpoint("live-committed")
        return BatchResult(
            count,
            len(computed["sessions"]) if computed else 0,
            len(computed["facts"]) if computed else 0,
            surfaced,
            ended,
        )

    def close(self) -> None:
        """Close the embedded engine."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None


_CACHE = {name: f"_live_events_{name}" for name, _ in events.KINDS.values()}


def _minutes(at: pa.ChunkedArray) -> list[datetime]:
    return list(pc.unique(pc.floor_temporal(at, unit="minute")).to_pylist())


def _ids(column: str, values: Iterable[str]) -> ibis.Table:
    return ibis.memtable(pa.table({column: pa.array(sorted(values), pa.string())}))


def _column(con: Any, table: ibis.Table, column: str) -> list[Any]:
    return list(con.to_pyarrow(table.select(column)).column(column).to_pylist())


def _ranges(seqs: list[int]) -> list[tuple[int, int]]:
    """Sorted ids as runs of consecutive ones (first, last)."""
    out: list[tuple[int, int]] = []
    for n in seqs:
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out
