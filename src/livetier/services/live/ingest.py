"""Accepting live events: each checked, the good ones stored durably (once per event_id)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from livetier.store.models import LiveEvent

KINDS = ("session_started", "session_ended", "viewed", "paid")
MAX_ID = 128
"""Longest id (session, host, buyer, order) the store keeps; event_id may be up to 200."""

_listeners: list[Callable[[], None]] = []
_listeners_lock = threading.Lock()


def on_accept(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` after each accept that stored new events (a processor in the same
    process wakes up at once); returns a function that removes it."""
    with _listeners_lock:
        _listeners.append(callback)

    def remove() -> None:
        with _listeners_lock:
            if callback in _listeners:
                _listeners.remove(callback)

    return remove


@dataclass(frozen=True)
class IngestReport:
    """What became of a list of events: ``accepted`` new ones stored, ``duplicates`` already
    stored (or repeated in the list) and acknowledged without counting again, and each
    ``rejected`` one as (index in the list, reason)."""

    accepted: int
    duplicates: int
    rejected: list[tuple[int, str]] = field(default_factory=list)


_Id = Field(min_length=1, max_length=MAX_ID)


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    event_id: str = Field(min_length=1, max_length=200)


class SessionStarted(_Event):
    kind: Literal["session_started"]
    session_id: str = _Id
    host_id: str = _Id
    started_at: datetime


class SessionEnded(_Event):
    kind: Literal["session_ended"]
    session_id: str = _Id
    ended_at: datetime
    deleted: bool = False


class Viewed(_Event):
    kind: Literal["viewed"]
    session_id: str = _Id
    buyer_id: str = _Id
    viewed_at: datetime


class Paid(_Event):
    kind: Literal["paid"]
    order_id: str = _Id
    host_id: str = _Id
    buyer_id: str = _Id
    paid_at: datetime


_MODELS: dict[str, type[_Event]] = {
    "session_started": SessionStarted,
    "session_ended": SessionEnded,
    "viewed": Viewed,
    "paid": Paid,
}
_KIND_OF = {model: kind for kind, model in _MODELS.items()}
_TIME = {
    "session_started": "started_at",
    "session_ended": "ended_at",
    "viewed": "viewed_at",
    "paid": "paid_at",
}


def _reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "event"
    return f"{where}: {first['msg']}"


def check(raw: Any, zone: ZoneInfo) -> dict[str, Any] | str:
    """One event as a ``live_events`` row, or the reason it is refused.

    Timestamps are ISO 8601; one without an offset is platform local time, as in the batch
    data contract. Stored as naive UTC.
    """
    if not isinstance(raw, dict):
        return "an event is a JSON object"
    kind = raw.get("kind")
    if kind not in _MODELS:
        return f"kind: must be one of {', '.join(KINDS)}"
    try:
        event = _MODELS[kind].model_validate(raw)
    except ValidationError as e:
        return _reason(e)
    return _row(event, zone)


_EVENTS: TypeAdapter[list[Any]] = TypeAdapter(
    list[
        Annotated[
            SessionStarted | SessionEnded | Viewed | Paid,
            Field(discriminator="kind"),
        ]
    ]
)
"""Every event of a list checked in one call (the common case: all good)."""


def check_all(events: list[Any], zone: ZoneInfo) -> list[dict[str, Any] | str]:
    """``check`` of each event: the whole list validated at once, and event by event (for
    each one's reason) only when some are bad."""
    try:
        good = _EVENTS.validate_python(events)
    except ValidationError:
        return [check(raw, zone) for raw in events]
    return [_row(event, zone) for event in good]


def _row(event: _Event, zone: ZoneInfo) -> dict[str, Any]:
    kind = _KIND_OF[type(event)]
    at: datetime = getattr(event, _TIME[kind])
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    at = at.astimezone(UTC).replace(tzinfo=None)
    return {
        "event_id": event.event_id,
        "kind": kind,
        "session_id": getattr(event, "session_id", None),
        "host_id": getattr(event, "host_id", None),
        "buyer_id": getattr(event, "buyer_id", None),
        "order_id": getattr(event, "order_id", None),
        "at": at,
        "deleted": getattr(event, "deleted", None),
    }


def accept_events(db: Engine, events: list[Any], *, timezone: str) -> IngestReport:
    """Check ``events`` and store the good ones durably before returning.

    Each bad event is answered with its index and reason; good ones are stored whatever the
    others are. An event whose ``event_id`` is already stored (or earlier in the list) is a
    duplicate: acknowledged, not stored or counted again. ``timezone`` is the platform zone
    (the rulebook's ``definitions.timezone``), for timestamps written without an offset.
    """
    zone = ZoneInfo(timezone)
    rows: dict[str, dict[str, Any]] = {}
    rejected: list[tuple[int, str]] = []
    repeated = 0
    for i, row in enumerate(check_all(events, zone)):
        if isinstance(row, str):
            rejected.append((i, row))
        elif row["event_id"] in rows:
            repeated += 1
        else:
            rows[row["event_id"]] = row
    stored = store_rows(db, list(rows.values())) if rows else 0
    if stored:
        with _listeners_lock:
            callbacks = list(_listeners)
        for callback in callbacks:
            callback()
    return IngestReport(stored, repeated + len(rows) - stored, rejected)


def store_rows(db: Engine, rows: list[dict[str, Any]], session: Session | None = None) -> int:
    """Insert checked rows, skipping event ids already stored; the number inserted.

    With ``session`` the rows join its transaction (``live follow`` records a file's events
    and the file together); otherwise they are committed here.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    columns = ("event_id", "kind", "session_id", "host_id", "buyer_id", "order_id", "at", "deleted")
    table: Any = LiveEvent.__table__
    if db.dialect.name == "sqlite":
        # The DB-API's executemany with plain tuples (SQLAlchemy's per-value processing was
        # most of the cost), no RETURNING; the rows inserted counted by the connection's
        # change counter (the write lock is held: nobody else writes meanwhile).
        received = _sqlite_time(now)
        tuples = [
            (
                r["event_id"],
                r["kind"],
                r.get("session_id"),
                r.get("host_id"),
                r.get("buyer_id"),
                r.get("order_id"),
                _sqlite_time(r["at"]),
                r.get("deleted"),
                received,
                False,
            )
            for r in rows
        ]
        if session is not None:
            return _insert_tuples(session, tuples)
        with Session(db) as s, s.begin():
            return _insert_tuples(s, tuples)
    values = [
        {**{c: r.get(c) for c in columns}, "received_at": now, "processed": False} for r in rows
    ]
    returning = (
        postgresql.insert(table)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.seq)
    )
    if session is not None:
        return _insert(session, returning, values)
    with Session(db) as s, s.begin():
        return _insert(s, returning, values)


def _insert(s: Session, stmt: Any, values: list[dict[str, Any]]) -> int:
    connection = s.connection()
    count = 0
    for start in range(0, len(values), 5000):
        count += len(connection.execute(stmt, values[start : start + 5000]).all())
    return count


_SQLITE_INSERT = (
    "INSERT INTO live_events (event_id, kind, session_id, host_id, buyer_id, order_id, at, "
    "deleted, received_at, processed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (event_id) DO NOTHING"
)


def _sqlite_time(at: datetime) -> str:
    """A naive UTC instant as SQLAlchemy's SQLite ``DateTime`` stores it."""
    return (
        f"{at.year:04d}-{at.month:02d}-{at.day:02d} "
        f"{at.hour:02d}:{at.minute:02d}:{at.second:02d}.{at.microsecond:06d}"
    )


def _insert_tuples(s: Session, tuples: list[tuple[Any, ...]]) -> int:
    connection = s.connection()
    changes = "SELECT total_changes()"
    before = int(connection.exec_driver_sql(changes).scalar_one())
    connection.exec_driver_sql(_SQLITE_INSERT, tuples)
    return int(connection.exec_driver_sql(changes).scalar_one()) - before
