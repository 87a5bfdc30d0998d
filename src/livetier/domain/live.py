"""Real-time surfacing and the live channel, decided from the rules alone (docs/rules.md,
"Real-time surfacing"). The services count; this module says what the counts mean."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from livetier.domain.rulebook import Channel, Criterion, Group, Op, Version
from livetier.domain.tiers import Tier

SURFACING_PRIVILEGE = "realtime_surfacing"
BANNER_PRIVILEGE = "channel_banner"
BOOST_PRIVILEGE = "ranking_boost"
ACTIVITY_PRIVILEGE = "channel_activity_registration"


Nth = Callable[[str, int], datetime | None]
"""``nth(metric, n)``: the instant the n-th counted item (a distinct viewer, a distinct buyer)
joined ``metric`` in a session, or None if it has fewer than n."""


def from_lists(qualified: Mapping[str, Sequence[datetime]]) -> Nth:
    """An ``Nth`` over each metric's sorted instants."""

    def nth(metric: str, n: int) -> datetime | None:
        items = qualified.get(metric, ())
        return items[n - 1] if len(items) >= n else None

    return nth


def needed(c: Criterion) -> int:
    """How many items ``c`` needs: ``>= t`` needs ceil(t), ``> t`` needs floor(t) + 1."""
    assert c.op in (Op.GE, Op.GT) and isinstance(c.target, int | float)
    return max(math.floor(c.target) + 1 if c.op is Op.GT else math.ceil(c.target), 0)


def crossing(node: Criterion | Group, nth: Nth) -> datetime | None:
    """The instant a session's metrics first meet ``node``, or None if they never do.

    Surfacing criteria use only >= and > on counts that only grow (the rulebook checks it), so
    ``metric >= n`` is met from the instant its n-th item joined (``> n``: the (n+1)-th), an
    ``all`` group from its last child's crossing and an ``any`` group from its first. What
    needs nothing (an empty ``all``, ``>= 0``) is met from the start (``datetime.min``).
    """
    if isinstance(node, Group):
        times = [crossing(c, nth) for c in node.children]
        if node.mode == "all":
            known = [t for t in times if t is not None]
            return None if len(known) < len(times) else max(known, default=datetime.min)
        met = [t for t in times if t is not None]
        return min(met) if met else None
    need = needed(node)
    return datetime.min if need == 0 else nth(node.metric, need)


def surfaced_at(
    group: Group | None, nth: Nth, started_at: datetime, ended_at: datetime | None
) -> datetime | None:
    """When a session is surfaced: the first event time at which it is live (started, not yet
    ended) and its metrics meet ``group``; None if that never happens (or no rule applies).
    A session whose thresholds are crossed at or after its end is never surfaced."""
    if group is None:
        return None
    crossed = crossing(group, nth)
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
