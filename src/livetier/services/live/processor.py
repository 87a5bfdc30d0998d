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
from sqlalchemy import Engine, and_, delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from livetier.domain.live import SURFACING_PRIVILEGE, Nth, grants, needed, surfaced_at
from livetier.domain.rulebook import Group, Rulebook, Version, metrics_of
from livetier.domain.tiers import Tier
from livetier.pipeline import live as expr
from livetier.pipeline.engine import Engine as PipelineEngine
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.errors import InvalidInput
from livetier.services.live.ingest import on_accept
from livetier.store import serving
from livetier.store.failpoint import checkpoint
from livetier.store.models import (
    HostTier,
    LiveEvent,
    LiveFact,
    LiveProcessor,
    LiveSession,
    OutboxEvent,
)
from livetier.store.runs import latest_succeeded_run
from livetier.store.schema import IMMEDIATE

NAME = "live"
CHUNK = 5000  # ids per IN (...) list
ENGINES = ("duckdb", "spark")


class ProcessorBusy(RuntimeError):
    """Another processor holds the lease."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class BatchResult:
    """What one batch did."""

    events: int
    sessions: int
    facts: int
    surfaced: int
    ended: int


class Lines:
    """Each host's category line, from the latest succeeded run's serving snapshot in the
    state store (reloaded when a newer run succeeds); unknown for a host not graded."""

    def __init__(self, db: Engine, known: Mapping[str, str] | None = None) -> None:
        self.db = db
        self.known = dict(known or {})
        self.run_id: int | None = None
        self.lines: dict[str, str] = {}

    def of(self, hosts: Iterable[str]) -> dict[str, str]:
        """The known lines of ``hosts``: given ones first, else the snapshot's."""
        hosts = set(hosts)
        given = {h: self.known[h] for h in hosts if h in self.known}
        if len(given) == len(hosts):
            return given
        with self.db.connect() as c:
            latest = latest_succeeded_run(c)
        if latest is not None and latest.id != self.run_id:
            snap = serving.Snapshot.load(self.db, latest.id)
            if snap is not None and "category_line" in snap.hosts.column_names:
                ids = snap.hosts.column("host_id").to_pylist()
                lines = snap.hosts.column("category_line").to_pylist()
                self.lines = dict(zip(ids, lines, strict=True))
                self.run_id = latest.id
        return {h: self.lines[h] for h in hosts if h in self.lines} | given


def surfacing_group(version: Version, line: str | None) -> Group | None:
    """The surfacing requirements of ``line``; when the line is unknown, the requirements
    every line shares (None when they differ, or the version has none)."""
    if line is not None and line in version.surfacing:
        return version.surfacing[line]
    groups = set(version.surfacing.values())
    return next(iter(groups)) if len(groups) == 1 else None


def needs_of(rulebook: Rulebook) -> set[tuple[str, int]]:
    """Every (metric, n) whose n-th item's instant a surfacing requirement may ask for."""
    return {
        (c.metric, needed(c))
        for v in rulebook.versions
        for group in v.surfacing.values()
        for c in metrics_of(group)
        if needed(c) > 0
    }


class Processor:
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
        poll_seconds: float = 0.25,
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
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.error: BaseException | None = None

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
        with Session(self.db) as s:
            pending = list(
                s.scalars(
                    select(LiveEvent)
                    .where(LiveEvent.processed.is_(False))
                    .order_by(LiveEvent.seq)
                    .limit(self.batch_size)
                )
            )
            s.expunge_all()
        if not pending:
            return None
        checkpoint("live-batch-read")
        hosts, days = self._affected(pending)
        loaded = self._load(hosts, days) if hosts else None
        computed = self._compute(loaded, days) if loaded is not None else None
        checkpoint("live-computed")
        return self._write(pending, hosts, days, loaded, computed)

    def _day(self, at: datetime) -> date:
        return at.replace(tzinfo=UTC).astimezone(self.zone).date()

    def _affected(self, pending: list[LiveEvent]) -> tuple[set[str], set[date]]:
        """The hosts and platform days the pending events can change."""
        hosts: set[str] = set()
        days: set[date] = set()
        by_session: dict[str, list[datetime]] = defaultdict(list)
        orders: set[str] = set()
        for e in pending:
            if e.kind in ("session_started", "paid"):
                assert e.host_id is not None
                hosts.add(e.host_id)
                days.add(self._day(e.at))
            if e.kind == "paid" and e.order_id is not None:
                orders.add(e.order_id)
            if e.kind != "paid" and e.session_id is not None:
                by_session[e.session_id].append(e.at)
        with Session(self.db) as s:
            # Other payments of the same order id (the batch rejects an order id whose rows
            # disagree, say on the host: every host concerned is recomputed).
            for chunk in _chunks(orders):
                for host, at in s.execute(
                    select(LiveEvent.host_id, LiveEvent.at).where(
                        and_(LiveEvent.kind == "paid", LiveEvent.order_id.in_(chunk))
                    )
                ):
                    assert host is not None
                    hosts.add(host)
                    days.add(self._day(at))
            if by_session:
                for chunk in _chunks(by_session):
                    for sid, host, at in s.execute(
                        select(LiveEvent.session_id, LiveEvent.host_id, LiveEvent.at).where(
                            and_(
                                LiveEvent.kind == "session_started",
                                LiveEvent.session_id.in_(chunk),
                            )
                        )
                    ):
                        assert host is not None and sid is not None
                        hosts.add(host)
                        days.add(self._day(at))  # a session counts on its start day
                        days.update(self._day(t) for t in by_session[sid])  # views: their day
        return hosts, days

    def _load(self, hosts: set[str], days: set[date]) -> dict[str, pa.Table]:
        """Every stored event of ``hosts`` that the facts of ``days`` and the metrics of their
        sessions can depend on: sessions started from the day before the first day to the
        last day, all their ends and views, and the hosts' payments from the day before the
        first day to the day after the last."""
        first, last = min(days) - timedelta(days=1), max(days) + timedelta(days=1)
        lo = datetime.combine(first, datetime.min.time(), self.zone).astimezone(UTC)
        hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), self.zone)
        lo_n, hi_n = lo.replace(tzinfo=None), hi.astimezone(UTC).replace(tzinfo=None)
        started: list[tuple[Any, ...]] = []
        paid: list[tuple[Any, ...]] = []
        ended: list[tuple[Any, ...]] = []
        viewed: list[tuple[Any, ...]] = []
        e = LiveEvent
        with Session(self.db) as s:
            for chunk in _chunks(sorted(hosts)):
                started += s.execute(
                    select(e.session_id, e.host_id, e.at).where(
                        and_(
                            e.kind == "session_started",
                            e.host_id.in_(chunk),
                            e.at >= lo_n,
                            e.at < hi_n,
                        )
                    )
                ).all()
                paid += s.execute(
                    select(e.order_id, e.host_id, e.buyer_id, e.at).where(
                        and_(e.kind == "paid", e.host_id.in_(chunk), e.at >= lo_n, e.at < hi_n)
                    )
                ).all()
            # Rows of the same order or session id under another host: the batch rejects ids
            # whose rows disagree, so the processor must see them all.
            order_ids = sorted({r[0] for r in paid})
            seen_orders = set(paid)
            for chunk in _chunks(order_ids):
                for r in s.execute(
                    select(e.order_id, e.host_id, e.buyer_id, e.at).where(
                        and_(e.kind == "paid", e.order_id.in_(chunk))
                    )
                ):
                    if tuple(r) not in seen_orders:
                        paid.append(r)
                        seen_orders.add(tuple(r))
            sessions = sorted({r[0] for r in started})
            seen_starts = set(started)
            for chunk in _chunks(sessions):
                for start in s.execute(
                    select(e.session_id, e.host_id, e.at).where(
                        and_(e.kind == "session_started", e.session_id.in_(chunk))
                    )
                ):
                    if tuple(start) not in seen_starts:
                        started.append(start)
                        seen_starts.add(tuple(start))
            for chunk in _chunks(sessions):
                ended += s.execute(
                    select(e.session_id, e.at, e.deleted).where(
                        and_(e.kind == "session_ended", e.session_id.in_(chunk))
                    )
                ).all()
                viewed += s.execute(
                    select(e.session_id, e.buyer_id, e.at).where(
                        and_(e.kind == "viewed", e.session_id.in_(chunk))
                    )
                ).all()
        return {
            "started": _arrow(started, expr.STARTED),
            "ended": _arrow(ended, expr.ENDED),
            "viewed": _arrow(viewed, expr.VIEWED),
            "paid": _arrow(paid, expr.PAID),
        }

    def _engine_now(self) -> PipelineEngine:
        if self._pipeline is not None:
            return self._pipeline  # its owner closes it
        if self._engine is None:
            self._engine = duckdb_engine(threads=2)
        return self._engine

    def _platform_zone(self, day: date) -> PlatformZone:
        if day.year not in self._zones:
            self._zones[day.year] = PlatformZone.around(self.zone_name, day)
        return self._zones[day.year]

    def _compute(self, loaded: dict[str, pa.Table], days: set[date]) -> dict[str, Any]:
        """Facts of ``days`` and every loaded session's metrics, with the pipeline."""
        engine = self._engine_now()
        con = engine.con
        t = {k: ibis.memtable(v) for k, v in loaded.items()}
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
            "loaded_sessions": set(loaded["started"].column("session_id").to_pylist()),
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
        pending: list[LiveEvent],
        hosts: set[str],
        days: set[date],
        loaded: dict[str, pa.Table] | None,
        computed: dict[str, Any] | None,
    ) -> BatchResult:
        now = self.clock()
        clock = max(e.at for e in pending)
        ongoing: set[str] = set()
        if loaded is not None:
            ended_ids = set(loaded["ended"].column("session_id").to_pylist())
            ongoing = set(loaded["started"].column("session_id").to_pylist()) - ended_ids
        surfaced = ended = 0
        with Session(self.db.execution_options(**IMMEDIATE)) as s, s.begin():
            renewed = s.execute(
                update(LiveProcessor)
                .where(and_(LiveProcessor.name == NAME, LiveProcessor.owner == self.owner))
                .values(
                    lease_until=now + timedelta(seconds=self.lease_seconds),
                    processed=LiveProcessor.processed + len(pending),
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
            for chunk in _chunks([e.seq for e in pending]):
                s.execute(update(LiveEvent).where(LiveEvent.seq.in_(chunk)).values(processed=True))
            checkpoint("live-events-marked")
        checkpoint("live-committed")
        return BatchResult(
            len(pending),
            len(computed["sessions"]) if computed else 0,
            len(computed["facts"]) if computed else 0,
            surfaced,
            ended,
        )

    def _write_sessions(
        self,
        s: Session,
        hosts: set[str],
        computed: dict[str, Any],
        ongoing: set[str],
        now: datetime,
    ) -> tuple[int, int]:
        rows = computed["sessions"]
        ids = [r["session_id"] for r in rows]
        existing: dict[str, LiveSession] = {}
        for chunk in _chunks(ids):
            existing.update(
                {
                    x.session_id: x
                    for x in s.scalars(select(LiveSession).where(LiveSession.session_id.in_(chunk)))
                }
            )
        tiers: dict[str, Tier] = {}
        for chunk in _chunks(sorted(hosts)):
            tiers.update(
                {
                    h: Tier(t)
                    for h, t in s.execute(
                        select(HostTier.host_id, HostTier.tier).where(HostTier.host_id.in_(chunk))
                    )
                }
            )
        lines = self.lines.of({r["host_id"] for r in rows})
        decided: dict[str, datetime | None] = {}
        for r in rows:
            sid = r["session_id"]
            old = existing.get(sid)
            version = self.rulebook.version_for(r["start_day"])
            tier = tiers.get(r["host_id"], Tier.NONE)
            end = None if sid in ongoing else r["end_utc"]
            at: datetime | None = None
            # The tier is checked when a session first surfaces; once surfaced, the instant
            # is recomputed from event time alone (late events may move it, or withdraw it).
            was = old is not None and old.surfaced_at is not None
            if was or grants(version, tier, SURFACING_PRIVILEGE):
                group = surfacing_group(version, lines.get(r["host_id"]))
                times: dict[tuple[str, int], datetime] = computed["nth"].get(sid, {})
                at = surfaced_at(group, _lookup(times), r["start_utc"], end)
            decided[sid] = at
        moments = {sid: at for sid, at in decided.items() if at is not None}
        metrics_at = self._counts_at(computed["q"], moments)
        surfaced = ended = 0
        values = []
        for r in rows:
            sid = r["session_id"]
            old = existing.get(sid)
            c = computed["counts"].get(sid, {"viewers": 0, "buyers": 0})
            at = decided[sid]
            end = None if sid in ongoing else r["end_utc"]
            metrics = metrics_at.get(sid, {"viewers": 0, "buyers": 0}) if at is not None else None
            surfaced_event = old.surfaced_event if old is not None else None
            ended_event = old.ended_event if old is not None else None
            version = self.rulebook.version_for(r["start_day"])
            tier = tiers.get(r["host_id"], Tier.NONE)
            if at is not None and old is not None and old.surfaced_at is None:
                surfaced_event = ended_event = None  # withdrawn before, surfaced again now
            if at is not None and surfaced_event is None:
                surfaced_event = self._event(
                    s,
                    "surfaced",
                    r["host_id"],
                    at,
                    {
                        "session_id": sid,
                        "surfaced_at": _iso(at),
                        "viewers": (metrics or {}).get("viewers", 0),
                        "buyers": (metrics or {}).get("buyers", 0),
                        "tier": tier.value,
                        "rulebook_version": version.version,
                    },
                )
                surfaced += 1
            withdrawn = at is None and old is not None and old.surfaced_at is not None
            if ended_event is None and surfaced_event is not None and (end or withdrawn):
                # Ended; or a late event (an end before the crossing) shows that by event time
                # it never was surfaced: the surfacing sent is withdrawn.
                first = old.surfaced_at if withdrawn and old is not None else at
                assert first is not None
                ended_event = self._event(
                    s,
                    "surfacing_ended",
                    r["host_id"],
                    end or first,
                    {
                        "session_id": sid,
                        "surfaced_at": _iso(first),
                        "ended_at": _iso(end) if end else None,
                        "withdrawn": withdrawn,
                    },
                )
                ended += 1
            values.append(
                {
                    "session_id": sid,
                    "host_id": r["host_id"],
                    "started_at": r["start_utc"],
                    "ended_at": end,
                    "day": r["start_day"],
                    "line": lines.get(r["host_id"]),
                    "viewers": int(c["viewers"]),
                    "buyers": int(c["buyers"]),
                    "surfaced_at": at,
                    "surfaced_metrics": metrics,
                    "surfaced_event": surfaced_event,
                    "ended_event": ended_event,
                    "updated_at": now,
                }
            )
        # A session the checks now reject (its end before its start, rows that disagree) is no
        # session: its row goes, unless it was announced (then it is kept, ended or withdrawn).
        gone = [
            sid
            for sid in computed["loaded_sessions"] - set(ids)
            if sid not in existing or existing[sid].surfaced_event is None
        ]
        for chunk in _chunks(sorted(gone)):
            s.execute(
                delete(LiveSession).where(
                    and_(LiveSession.session_id.in_(chunk), LiveSession.surfaced_event.is_(None))
                )
            )
        _upsert(s, LiveSession, values, ["session_id"])
        return surfaced, ended

    def _event(
        self, s: Session, kind: str, host_id: str, at: datetime, payload: dict[str, Any]
    ) -> int:
        row = OutboxEvent(
            kind=kind, host_id=host_id, day=self._day(at), payload=payload, run_id=None
        )
        s.add(row)
        s.flush()
        return row.id

    def _write_facts(
        self,
        s: Session,
        hosts: set[str],
        days: set[date],
        facts: list[dict[str, Any]],
        now: datetime,
    ) -> None:
        values = [
            {
                "host_id": f["host_id"],
                "day": f["day"],
                "valid_sessions": int(f["valid_sessions"]),
                "live_buyers": int(f["live_buyers"]),
                "updated_at": now,
            }
            for f in facts
            if f["host_id"] in hosts and f["day"] in days
        ]
        # A host-day recomputed without facts (its only session rejected) has none now.
        kept = {(v["host_id"], v["day"]) for v in values}
        stale = []
        for chunk in _chunks(sorted(hosts)):
            stale += [
                (h, d)
                for h, d in s.execute(
                    select(LiveFact.host_id, LiveFact.day).where(
                        and_(LiveFact.host_id.in_(chunk), LiveFact.day.in_(sorted(days)))
                    )
                )
                if (h, d) not in kept
            ]
        for chunk in _chunks(stale, 500):
            s.execute(delete(LiveFact).where(tuple_(LiveFact.host_id, LiveFact.day).in_(chunk)))
        _upsert(s, LiveFact, values, ["host_id", "day"])

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
            self._thread = None
        self.release()
        self.close()

    def close(self) -> None:
        """Close the embedded engine."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _lookup(times: dict[tuple[str, int], datetime]) -> Nth:
    def nth(metric: str, n: int) -> datetime | None:
        return times.get((metric, n))

    return nth


def _iso(at: datetime) -> str:
    return at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _arrow(rows: list[Any], columns: dict[str, Any]) -> pa.Table:
    names = list(columns)
    types = {
        "string": pa.string(),
        "boolean": pa.bool_(),
    }
    arrays = []
    for i, name in enumerate(names):
        kind = columns[name]
        if kind.is_timestamp():
            arrays.append(pa.array([r[i] for r in rows], pa.timestamp("us", tz="UTC")))
        else:
            arrays.append(
                pa.array([r[i] for r in rows], types["boolean" if kind.is_boolean() else "string"])
            )
    return pa.table(dict(zip(names, arrays, strict=True)))


def _upsert(s: Session, model: Any, values: list[dict[str, Any]], keys: list[str]) -> None:
    if not values:
        return
    dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
    for chunk in _chunks(values, 2000):
        stmt = dialect.insert(model)
        stmt = stmt.on_conflict_do_update(
            index_elements=keys,
            set_={c: stmt.excluded[c] for c in chunk[0] if c not in keys},
        )
        s.execute(stmt, chunk)
