"""What the live processor writes in a batch's transaction: the sessions (surfacing decided by
the rulebook, ``surfaced`` / ``surfacing_ended`` outbox events at most once per session) and
the today-so-far facts; and where each host's surfacing requirements come from."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import ibis
from sqlalchemy import Engine, and_, delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from livetier.domain.live import SURFACING_PRIVILEGE, Nth, grants, needed, surfaced_at
from livetier.domain.rulebook import Group, Rulebook, Version, metrics_of
from livetier.domain.tiers import Tier
from livetier.store import serving
from livetier.store.models import HostTier, LiveFact, LiveSession, OutboxEvent
from livetier.store.runs import latest_succeeded_run

CHUNK = 5000  # ids per IN (...) list


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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


class Writing:
    """The processor's writing of a batch's results (a part of ``Processor``)."""

    rulebook: Rulebook
    lines: Lines

    def _day(self, at: datetime) -> date:
        raise NotImplementedError

    def _counts_at(self, q: ibis.Table, moments: dict[str, datetime]) -> dict[str, dict[str, int]]:
        raise NotImplementedError

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
        existing: dict[str, Any] = {}
        x = LiveSession
        for chunk in _chunks(ids):
            existing.update(
                {
                    r.session_id: r
                    for r in s.execute(
                        select(x.session_id, x.surfaced_at, x.surfaced_event, x.ended_event).where(
                            x.session_id.in_(chunk)
                        )
                    )
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
        values: list[dict[str, Any]] = []
        events = _Outbox(self._day)
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
                surfaced_event = events.add(
                    len(values),
                    "surfaced_event",
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
                ended_event = events.add(
                    len(values),
                    "ended_event",
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
        events.insert(s, values)
        _upsert(s, LiveSession, values, ["session_id"])
        return surfaced, ended

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


class _Outbox:
    """Outbox events of one batch, inserted together; each session row they belong to gets
    its event's id."""

    PENDING = -1

    def __init__(self, day: Callable[[datetime], date]) -> None:
        self.day = day
        self.rows: list[dict[str, Any]] = []
        self.targets: list[tuple[int, str]] = []

    def add(
        self, index: int, field: str, kind: str, host_id: str, at: datetime, payload: dict[str, Any]
    ) -> int:
        self.rows.append(
            {
                "kind": kind,
                "host_id": host_id,
                "day": self.day(at),
                "payload": payload,
                "run_id": None,
            }
        )
        self.targets.append((index, field))
        return self.PENDING

    def insert(self, s: Session, values: list[dict[str, Any]]) -> None:
        if not self.rows:
            return
        stmt = insert(OutboxEvent).returning(OutboxEvent.id, sort_by_parameter_order=True)
        ids = list(s.connection().execute(stmt, self.rows).scalars())  # Core: one statement
        for (index, field), id_ in zip(self.targets, ids, strict=True):
            values[index][field] = id_


def _lookup(times: dict[tuple[str, int], datetime]) -> Nth:
    def nth(metric: str, n: int) -> datetime | None:
        return times.get((metric, n))

    return nth


def _iso(at: datetime) -> str:
    return at.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _upsert(s: Session, model: Any, values: list[dict[str, Any]], keys: list[str]) -> None:
    if not values:
        return
    if s.get_bind().dialect.name == "sqlite":
        _upsert_sqlite(s, model.__tablename__, values, keys)
        return
    for chunk in _chunks(values, 2000):
        stmt = postgresql.insert(model)
        stmt = stmt.on_conflict_do_update(
            index_elements=keys,
            set_={c: stmt.excluded[c] for c in chunk[0] if c not in keys},
        )
        s.connection().execute(stmt, chunk)  # Core: the ORM's bulk path goes row by row


def _upsert_sqlite(s: Session, table: str, values: list[dict[str, Any]], keys: list[str]) -> None:
    """The DB-API's executemany with plain values, as SQLAlchemy's SQLite types store them
    (its per-value processing was most of the cost)."""
    columns = list(values[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    rows = [tuple(_sqlite_value(v[c]) for c in columns) for v in values]
    s.connection().exec_driver_sql(sql, rows)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return value
