"""What a day's grade means next to the day before: the kind of event and the at-risk rule."""

from __future__ import annotations

from enum import StrEnum

from livetier.domain.tiers import Tier

AT_RISK_DAYS = 3
"""A tier that holds this many more days or fewer is "at risk" (``--at-risk-days``)."""


class EventKind(StrEnum):
    """The kinds of tier event a run sends (the outbox's ``kind``)."""

    FIRST_QUALIFICATION = "first_qualification"
    UPGRADE = "upgrade"
    DOWNGRADE = "downgrade"
    AT_RISK = "at_risk"
    CORRECTION = "correction"  # a recorded change withdrawn or replaced (re-run, restatement)


class Direction(StrEnum):
    """Which way a change moved a host."""

    UP = "up"
    DOWN = "down"


def direction(before: Tier, after: Tier) -> Direction:
    """Up when ``after`` ranks above ``before``, else down."""
    return Direction.UP if after.rank > before.rank else Direction.DOWN


def change_kind(before: Tier, after: Tier) -> EventKind:
    """The event a change from ``before`` to ``after`` sends: from none it is a first
    qualification, else an upgrade or a downgrade."""
    if before is Tier.NONE:
        return EventKind.FIRST_QUALIFICATION
    return EventKind.UPGRADE if direction(before, after) is Direction.UP else EventKind.DOWNGRADE


def at_risk(tier: Tier, holds_days: int | None, at_risk_days: int = AT_RISK_DAYS) -> bool:
    """A tier other than none that holds ``at_risk_days`` more days or fewer (``holds_days``
    None: it does not drop while nothing changes)."""
    return tier is not Tier.NONE and holds_days is not None and holds_days <= at_risk_days
