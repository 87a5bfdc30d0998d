"""Reading what the processor computed: sessions, today-so-far facts, the channel, a host."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, select
from sqlalchemy.orm import Session

from livetier.domain.live import SURFACING_PRIVILEGE, Room, arrange, grants
from livetier.domain.rulebook import Criterion, Group, Rulebook, metrics_of
from livetier.domain.tiers import Tier
from livetier.store.models import Activity, HostTier, LiveFact, LiveSession, Registration


@dataclass(frozen=True)
class LiveSessionView:
    """One session as the processor last computed it (times naive UTC)."""

    session_id: str
    host_id: str
    started_at: datetime
    ended_at: datetime | None
    viewers: int
    buyers: int
    surfaced_at: datetime | None
    surfaced_metrics: dict[str, int] | None  # the metrics at the moment it was surfaced
    line: str | None

    @property
    def surfaced(self) -> bool:
        """Surfaced now: surfaced, and not ended."""
        return self.surfaced_at is not None and self.ended_at is None

    @property
    def live(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class ChannelRoom:
    """A room in the live channel, in channel order."""

    session_id: str
    host_id: str
    tier: Tier
    viewers: int
    buyers: int
    score: float
    surfaced_at: datetime | None
    banner: bool


@dataclass(frozen=True)
class Channel:
    """The live channel now: its banner slots and its rooms, best first."""

    banner_slots: int
    rooms: list[ChannelRoom]
    rulebook_version: str
    day: date  # today's platform day


@dataclass(frozen=True)
class Threshold:
    """One surfacing requirement against a live session's current value."""

    metric: str
    op: str
    target: float | int
    value: int
    met: bool


@dataclass(frozen=True)
class HostLive:
    """A host while live: its current session against its surfacing thresholds, and today so
    far (provisional: the 30-day metrics count a day from the next day on, T+1)."""

    host_id: str
    tier: Tier
    surfacing_allowed: bool  # its tier grants realtime_surfacing
    session: LiveSessionView | None  # its live session, if any (the latest started)
    thresholds: list[Threshold]  # empty when not live or its line is unknown
    day: date
    valid_sessions: int
    live_buyers: int
    provisional: bool = True


def _view(row: LiveSession) -> LiveSessionView:
    return LiveSessionView(
        row.session_id,
        row.host_id,
        row.started_at,
        row.ended_at,
        row.viewers,
        row.buyers,
        row.surfaced_at,
        row.surfaced_metrics,
        row.line,
    )


def naive_utc(now: datetime) -> datetime:
    """``now`` as the state store keeps instants (a naive one is taken as UTC)."""
    return now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now


def platform_day(rulebook: Rulebook, now: datetime) -> date:
    """The platform day of ``now``."""
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(rulebook.definitions.timezone)).date()


def session(db: Engine, session_id: str) -> LiveSessionView | None:
    """One session, or None if no event of it was processed yet."""
    with Session(db) as s:
        row = s.get(LiveSession, session_id)
        return _view(row) if row is not None else None


def sessions(db: Engine, *, live_only: bool = False) -> list[LiveSessionView]:
    """Every session processed (``live_only``: those not ended), by start then id."""
    query = select(LiveSession).order_by(LiveSession.started_at, LiveSession.session_id)
    if live_only:
        query = query.where(LiveSession.ended_at.is_(None))
    with Session(db) as s:
        return [_view(r) for r in s.scalars(query)]


def session_record(v: LiveSessionView) -> dict[str, Any]:
    """A session as plain data (``live sessions --format jsonl``; times ISO 8601 UTC)."""

    def iso(t: datetime | None) -> str | None:
        return None if t is None else t.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")

    return {
        "session_id": v.session_id,
        "host_id": v.host_id,
        "started_at": iso(v.started_at),
        "ended_at": iso(v.ended_at),
        "viewers": v.viewers,
        "buyers": v.buyers,
        "surfaced_at": iso(v.surfaced_at),
        "surfaced": v.surfaced,
    }


def facts(db: Engine, day: date) -> list[dict[str, Any]]:
    """Today so far (or any processed day): per host, valid sessions and live buyers."""
    query = select(LiveFact).where(LiveFact.day == day).order_by(LiveFact.host_id)
    with Session(db) as s:
        return [
            {
                "host_id": f.host_id,
                "day": f.day.isoformat(),
                "valid_sessions": f.valid_sessions,
                "live_buyers": f.live_buyers,
            }
            for f in s.scalars(query)
        ]


def channel(db: Engine, rulebook: Rulebook, now: datetime) -> Channel:
    """The live channel at ``now`` (docs/rules.md, "The live channel")."""
    today = platform_day(rulebook, now)
    version = rulebook.version_for(today)
    registered = (
        select(Registration.host_id)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Activity.day == today)
    )
    query = (
        select(LiveSession, HostTier.tier)
        .join(HostTier, HostTier.host_id == LiveSession.host_id)
        .where(and_(LiveSession.ended_at.is_(None), LiveSession.started_at <= naive_utc(now)))
    )
    with Session(db) as s:
        on_activity = set(s.scalars(registered))
        rows = [(_view(r), Tier(t)) for r, t in s.execute(query)]
    rooms = [
        Room(
            v.session_id, v.host_id, t, v.viewers, v.buyers, v.surfaced_at, v.host_id in on_activity
        )
        for v, t in rows
    ]
    placed = arrange(version, rooms)
    return Channel(
        version.channel.banner_slots if version.channel else 0,
        [
            ChannelRoom(
                p.room.session_id,
                p.room.host_id,
                p.room.tier,
                p.room.viewers,
                p.room.buyers,
                p.score,
                p.room.surfaced_at,
                p.banner,
            )
            for p in placed
        ],
        version.version,
        today,
    )


def thresholds(group: Group | None, viewers: int, buyers: int) -> list[Threshold]:
    """Each surfacing requirement of ``group`` against a session's current counts."""
    values = {"session_viewers": viewers, "session_buyers": buyers}
    out = []
    for c in metrics_of(group) if group is not None else []:
        target = c.target
        assert isinstance(target, int | float) and not isinstance(target, bool)
        value = values.get(c.metric, 0)
        out.append(Threshold(c.metric, c.op.value, target, value, _met(c, value)))
    return out


def _met(c: Criterion, value: int) -> bool:
    assert isinstance(c.target, int | float)
    return value >= c.target if c.op.value == ">=" else value > c.target


def host_live(db: Engine, rulebook: Rulebook, host_id: str, now: datetime) -> HostLive:
    """A host at ``now``: its live session against its line's surfacing thresholds, and
    today so far. A session still live counts as valid today once ``now`` is more than the
    minimum past its start (the stored facts count it from its end)."""
    today = platform_day(rulebook, now)
    version = rulebook.version_for(today)
    at = naive_utc(now)
    minimum = timedelta(minutes=rulebook.definitions.valid_session_longer_than_minutes)
    with Session(db) as s:
        tier_code = s.scalar(select(HostTier.tier).where(HostTier.host_id == host_id))
        tier = Tier(tier_code) if tier_code else Tier.NONE
        live = [
            _view(r)
            for r in s.scalars(
                select(LiveSession)
                .where(and_(LiveSession.host_id == host_id, LiveSession.ended_at.is_(None)))
                .order_by(LiveSession.started_at.desc(), LiveSession.session_id)
            )
        ]
        fact = s.get(LiveFact, (host_id, today))
        ongoing_valid = sum(
            1
            for r in s.scalars(
                select(LiveSession).where(
                    and_(
                        LiveSession.host_id == host_id,
                        LiveSession.ended_at.is_(None),
                        LiveSession.day == today,
                    )
                )
            )
            if at > r.started_at + minimum
        )
    current = live[0] if live else None
    group = version.surfacing.get(current.line) if current and current.line else None
    if current is not None and group is None and len(set(version.surfacing.values())) == 1:
        group = next(iter(version.surfacing.values()))  # every line has the same requirements
    return HostLive(
        host_id=host_id,
        tier=tier,
        surfacing_allowed=grants(version, tier, SURFACING_PRIVILEGE),
        session=current,
        thresholds=thresholds(group, current.viewers, current.buyers) if current else [],
        day=today,
        valid_sessions=(fact.valid_sessions if fact else 0) + ongoing_valid,
        live_buyers=fact.live_buyers if fact else 0,
    )
