"""Tables of the state store. Schema changes go through Alembic migrations (migrations/)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the state store."""


class RunStatus(StrEnum):
    """How a run ended (or that it is still running); the values are stored as they are."""

    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # found still running by a later run: it was killed
    SUPERSEDED = "superseded"  # a day run whose history a restatement replaced
    RESTATING = "restating"  # a restatement under way (or killed): its corrections not yet sent
    CORRECTED = "corrected"  # a restatement that completed and sent its correction events


class Run(Base):
    """One daily run: which day, on what input, how it ended."""

    __tablename__ = "runs"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused, even after a delete

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    day: Mapped[date] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16))  # a RunStatus
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    fingerprint: Mapped[str] = mapped_column(String(64))
    rulebook_version: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class HostTier(Base):
    """A host's current tier and the day it took effect."""

    __tablename__ = "host_tiers"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    tier: Mapped[str] = mapped_column(String(16))
    since: Mapped[date]  # the day of the last change, or the first day the host was graded
    first_seen: Mapped[date]
    rulebook_version: Mapped[str] = mapped_column(String(64))
    # Whether the "at risk" event was sent for the current tier (it holds only a few more
    # days): sent once when the host enters that state, again only after leaving it.
    at_risk: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The override that set the tier at the latest day run (None: its grade, or grace, did).
    override_id: Mapped[int | None] = mapped_column(default=None)


class TierChange(Base):
    """A day on which a host's tier differed from its tier on the previous day run."""

    __tablename__ = "tier_changes"
    __table_args__ = (UniqueConstraint("host_id", "day"), Index("ix_tier_changes_day", "day"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    host_id: Mapped[str] = mapped_column(String(128))
    day: Mapped[date]
    from_tier: Mapped[str] = mapped_column(String(16))
    to_tier: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    rulebook_version: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))


class Claim(Base):
    """A host's opt-in to its identity (领取主播身份)."""

    __tablename__ = "claims"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    claimed_at: Mapped[datetime]


class OutboxEvent(Base):
    """An event waiting to be read or delivered; ids only ever increase. Tier events name the
    run that made them; live events (``surfaced``, ``surfacing_ended``) have no run."""

    __tablename__ = "outbox"
    __table_args__ = ({"sqlite_autoincrement": True},)  # consumers keep a cursor: never reuse ids

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(32))
    host_id: Mapped[str] = mapped_column(String(128), index=True)
    day: Mapped[date]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))


class DeliveryCursor(Base):
    """How far a webhook consumer has been sent the outbox (the last delivered event id)."""

    __tablename__ = "delivery_cursors"

    consumer: Mapped[str] = mapped_column(String(512), primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class ApiKey(Base):
    """An API key of the HTTP service. Only its SHA-256 is stored; the key is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # first characters, to tell keys apart
    role: Mapped[str] = mapped_column(String(16))  # host | operator | service
    host_id: Mapped[str | None] = mapped_column(String(128))  # the one host a host key acts for
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Activity(Base):
    """A channel activity that expert and honor hosts may register for."""

    __tablename__ = "activities"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(index=True)
    special: Mapped[bool]  # a special large event: exempt from the registration fatigue rule
    created_at: Mapped[datetime]


class Registration(Base):
    """A host's registration for a channel activity."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("activity_id", "host_id"),
        Index("ix_registrations_host", "host_id", "registered_day"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"))
    host_id: Mapped[str] = mapped_column(String(128))
    registered_day: Mapped[date]  # the platform day the registration was made
    registered_at: Mapped[datetime]


class FatigueDay(Base):
    """A platform day on which a host may not register again (the fatigue rule).

    A registration on day d for an activity that is not special takes days d .. d+n-1 (n = the
    rulebook's fatigue days). The primary key lets no two registrations take the same day, so
    two concurrent requests can never both pass the rule, whatever the isolation level.
    """

    __tablename__ = "fatigue_days"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"))


class IdempotentResponse(Base):
    """The first response to a request sent with an Idempotency-Key, per API key."""

    __tablename__ = "idempotent_responses"

    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class LiveEvent(Base):
    """An accepted live event (services/live): the inbox and the log the processor computes from.

    ``event_id`` is unique, so an event sent twice is stored once. Times are naive UTC.
    ``processed`` is set in the same transaction as the results computed from the event.
    """

    __tablename__ = "live_events"
    __table_args__ = (
        Index("ix_live_events_pending", "processed", "seq"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # session_started | session_ended | viewed | paid
    session_id: Mapped[str | None] = mapped_column(String(128))
    host_id: Mapped[str | None] = mapped_column(String(128))
    buyer_id: Mapped[str | None] = mapped_column(String(128))
    order_id: Mapped[str | None] = mapped_column(String(128))
    at: Mapped[datetime]  # started_at, ended_at, viewed_at or paid_at
    deleted: Mapped[bool | None]
    received_at: Mapped[datetime]
    processed: Mapped[bool] = mapped_column(default=False, server_default=false())


class LiveSession(Base):
    """One live session as the processor last computed it, and whether it was surfaced."""

    __tablename__ = "live_sessions"

    session_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    host_id: Mapped[str] = mapped_column(String(128), index=True)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    day: Mapped[date]  # the platform day it started
    line: Mapped[str | None] = mapped_column(String(64))  # its host's line, if known
    viewers: Mapped[int] = mapped_column(default=0)
    buyers: Mapped[int] = mapped_column(default=0)
    surfaced_at: Mapped[datetime | None]
    surfaced_metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The outbox ids of its surfaced / surfacing_ended events, written in the same transaction
    # as the events: a session gets each at most once, whatever crashes in between.
    surfaced_event: Mapped[int | None]
    ended_event: Mapped[int | None]
    updated_at: Mapped[datetime]


class LiveFact(Base):
    """Today so far: a host's valid sessions and live buyers on one platform day (provisional)."""

    __tablename__ = "live_facts"

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True, index=True)
    valid_sessions: Mapped[int]
    live_buyers: Mapped[int]
    updated_at: Mapped[datetime]


class LiveProcessor(Base):
    """The processor's lease (one processor at a time) and progress."""

    __tablename__ = "live_processor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner: Mapped[str | None] = mapped_column(String(128))
    lease_until: Mapped[datetime | None]
    processed: Mapped[int] = mapped_column(default=0)  # events processed so far
    clock: Mapped[datetime | None]  # the latest event time processed
    updated_at: Mapped[datetime]


class LiveFile(Base):
    """An event file ``live follow`` has accepted, recorded with its events."""

    __tablename__ = "live_files"

    path: Mapped[str] = mapped_column(String(1000), primary_key=True)
    size: Mapped[int]
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    events: Mapped[int]
    accepted_at: Mapped[datetime]


class LiveBlock(Base):
    """A block of live events stored whole (``live replay``): the events of one replayed
    micro-batch as Parquet, recorded in the same transaction as the results computed from
    them. ``digest`` (of the Parquet) is unique, so replaying the same events again finds
    them recorded and changes nothing. The processor's copy of the events is the inbox's
    processed events and these blocks."""

    __tablename__ = "live_blocks"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    events: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime]


class GraceDay(Base):
    """A host in grace after a day run: it graded below its tier on ``lower_days``
    consecutive day runs up to this one and keeps the tier (domain/policy.py). Only hosts
    in grace have rows; a run reads the rows of the previous day run, so a re-run of a day
    or a restatement finds the count as it was before that day."""

    __tablename__ = "grace_days"
    __table_args__ = (Index("ix_grace_days_day", "day"),)

    host_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    lower_days: Mapped[int]


class Override(Base):
    """A manual floor or cap on one host's tier, in force on the day runs of
    ``valid_from`` .. ``valid_until`` (inclusive; None: no end) before ``ended_from`` (the day
    a clear or a newer override takes effect). Rows are never deleted: a restatement replays
    each day with the overrides in force on it."""

    __tablename__ = "overrides"
    __table_args__ = (
        Index("ix_overrides_host", "host_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    host_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(8))  # an OverrideKind: floor | cap
    tier: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    valid_from: Mapped[date]  # the first day run it acts on: the day after the latest run
    valid_until: Mapped[date | None]  # the last day run it acts on (inclusive)
    ended_from: Mapped[date | None]  # cleared or replaced: not in force from this day run
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime]
    expired_at: Mapped[datetime | None]  # when a day run after valid_until logged its expiry


class OverrideAudit(Base):
    """Every set, clear and expiry of an override: who, when, why. Append only."""

    __tablename__ = "override_audit"
    __table_args__ = (
        Index("ix_override_audit_host", "host_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    override_id: Mapped[int] = mapped_column(ForeignKey("overrides.id"))
    host_id: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(8))  # set | clear | expire
    who: Mapped[str] = mapped_column(String(200))  # the API key's label, or the CLI user
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(500))


class ServingPart(Base):
    """One piece of a run's serving snapshot (store/serving.py): the Parquet file ``kind``
    (``hosts`` or ``quality``) of run ``run_id`` is its pieces joined in ``part`` order."""

    __tablename__ = "serving_parts"

    run_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    part: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
