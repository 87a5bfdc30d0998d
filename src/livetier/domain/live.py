"""Real-time surfacing and the live channel, decided from the rules alone (docs/rules.md,
"Real-time surfacing"). The services count; this module says what the counts mean."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from livetier.domain.rulebook import Channel, Criterion, Group, Op, Version
from livetier.domain.tiers import Tier

SURFACING_PRIVILEGE = "realtime_surfacing"
BANNER_PRIVILEGE = "channel_banner"
BOOST_PRIVILEGE = "ranking_boost"
ACTIVITY_PRIVILEGE = "channel_activity_registration"


def crossing(
    node: Criterion | Group, qualified: Mapping[str, Sequence[datetime]]
) -> datetime | None:
    """The instant a session's metrics first meet ``node``, or None if they never do.

    ``qualified[metric]`` holds, sorted, the instant each counted item (a distinct viewer, a
    distinct buyer) joined the metric. Surfacing criteria use only >= and > (the rulebook
    checks it), so ``metric >= n`` is met from the n-th item on (``> n``: the (n+1)-th), an
    ``all`` group from its last child's crossing and an ``any`` group from its first. An
    empty ``all`` is met from the start (returned as ``datetime.min``).
    """
    if isinstance(node, Group):
        times = [crossing(c, qualified) for c in node.children]
        if node.mode == "all":
            return None if any(t is None for t in times) else max(times, default=datetime.min)  # type: ignore[type-var]
        met = [t for t in times if t is not None]
        return min(met) if met else None
    assert node.op in (Op.GE, Op.GT) and isinstance(node.target, int | float)
    items = qualified.get(node.metric, ())
    need = max(math.floor(node.target) + 1 if node.op is Op.GT else math.ceil(node.target), 0)
    if need == 0:
        return datetime.min
    return items[need - 1] if len(items) >= need else None


def surfaced_at(
    group: Group | None,
    qualified: Mapping[str, Sequence[datetime]],
    started_at: datetime,
    ended_at: datetime | None,
) -> datetime | None:
    """When a session is surfaced: the first event time at which it is live (started, not yet
    ended) and its metrics meet ``group``; None if that never happens (or no rule applies).
    A session whose thresholds are crossed at or after its end is never surfaced."""
    if group is None:
        return None
    crossed = crossing(group, qualified)
    if crossed is None:
        return None
    at = max(crossed, started_at)
    if ended_at is not None and at >= ended_at:
        return None
    return at


def grants(version: Version, tier: Tier, privilege: str) -> bool:
    """Whether ``tier`` holds ``privilege`` in ``version``."""
    return privilege in version.privileges_for(tier)


def score(channel: Channel, viewers: int, buyers: int, boosted: bool) -> float:
    """A room's channel score: (viewers + buyer_weight x buyers), times the boost weight when
    its host holds ranking_boost."""
    base = viewers + channel.buyer_weight * buyers
    return base * channel.ranking_boost_weight if boosted else float(base)


@dataclass(frozen=True)
class Room:
    """A room that may appear in the channel, with what its ordering needs."""

    session_id: str
    host_id: str
    tier: Tier
    viewers: int
    buyers: int
    surfaced_at: datetime | None
    registered_today: bool  # registered for a channel activity on today's platform day


@dataclass(frozen=True)
class Placed:
    """A room as the channel shows it."""

    room: Room
    score: float
    banner: bool


def arrange(version: Version, rooms: Sequence[Room]) -> list[Placed]:
    """The channel: which rooms appear, in order, and which fill the banner slots.

    A live room appears when it is surfaced, or when its host may register for channel
    activities and registered for one on today's platform day (expert hosts appear during a
    channel activity they registered for). Rooms are ordered by score, highest first, then by
    surfaced_at (earlier first) and session id. The banner slots go, in that order, to the
    first rooms whose host holds channel_banner.
    """
    channel = version.channel
    if channel is None:
        return []
    shown = [
        r
        for r in rooms
        if r.surfaced_at is not None
        or (r.registered_today and grants(version, r.tier, ACTIVITY_PRIVILEGE))
    ]
    scored = [
        (score(channel, r.viewers, r.buyers, grants(version, r.tier, BOOST_PRIVILEGE)), r)
        for r in shown
    ]
    scored.sort(key=lambda p: (-p[0], p[1].surfaced_at or datetime.max, p[1].session_id))
    slots = channel.banner_slots
    out = []
    for s, r in scored:
        banner = slots > 0 and grants(version, r.tier, BANNER_PRIVILEGE)
        slots -= banner
        out.append(Placed(r, s, banner))
    return out
