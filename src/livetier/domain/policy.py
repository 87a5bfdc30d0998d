"""The tier a host holds after a day run: its grade, softened by grace before a downgrade,
then bounded by a manual override (docs/rules.md, "Grace and overrides").

In order: **grade** (the rulebook's criteria) → **grace** (a host graded below the tier it
holds keeps that tier until it has graded lower on ``downgrade_grace_days + 1`` consecutive
day runs; an upgrade is immediate) → **override** (a floor raises the tier to at least its
tier, a cap lowers it to at most its tier; the override wins). A host that fails the basic
requirements (the compliance gates and restricted categories) gets none: no grace and no
floor lift it (fail closed). ``store/day_run.decide_sql`` is the same rule for every host in
one statement; a test holds the two equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from livetier.domain.tiers import Tier


class OverrideKind(StrEnum):
    """What an override does to the graded tier."""

    FLOOR = "floor"  # at least this tier (never for a host failing the basic requirements)
    CAP = "cap"  # at most this tier


class DecidedBy(StrEnum):
    """What decided the tier a host holds after a day run."""

    GRADE = "grade"  # the grade of the day
    GRACE = "grace"  # grace: the host graded lower but keeps its tier
    OVERRIDE = "override"  # a manual floor or cap


@dataclass(frozen=True)
class Decision:
    """The tier a host holds after a day run, and the grace counter to carry forward."""

    tier: Tier
    lower_days: int  # consecutive day runs graded below the held tier (0: not in grace)
    by: DecidedBy
    grace_days_left: int | None  # in grace: further lower day runs it keeps the tier; else None


def decide(
    current: Tier,
    graded: Tier,
    lower_days: int,
    grace_days: int,
    *,
    basic_met: bool = True,
    floor: Tier | None = None,
    cap: Tier | None = None,
) -> Decision:
    """The tier held after a day run.

    ``current`` is the tier held before the run (none for a new host), ``graded`` the day's
    grade, ``lower_days`` how many consecutive day runs before this one graded the host below
    ``current`` (while it kept it), ``grace_days`` the version's ``downgrade_grace_days``.
    With ``grace_days`` 0 and no override, the held tier is the grade (no grace).
    """
    if basic_met and graded.rank < current.rank and lower_days + 1 <= grace_days:
        kept, lower = current, lower_days + 1
    else:
        kept, lower = graded, 0
    tier = kept
    if floor is not None and basic_met and tier.rank < floor.rank:
        tier = floor
    if cap is not None and tier.rank > cap.rank:
        tier = cap
    if tier is not kept:  # the override decides; grace no longer holds the tier
        return Decision(tier, 0, DecidedBy.OVERRIDE, None)
    if lower:
        return Decision(tier, lower, DecidedBy.GRACE, grace_days - lower)
    return Decision(tier, 0, DecidedBy.GRADE, None)


def grace_ended(current: Tier, graded: Tier, lower_days: int, grace_days: int) -> bool:
    """Whether a downgrade to ``graded`` is the end of a grace (the host kept ``current``
    through ``grace_days`` lower day runs before this one): history says "grace"."""
    return grace_days > 0 and graded.rank < current.rank and lower_days >= grace_days


def change_reason(reasons: list[str]) -> str:
    """What decided a recorded change, from its reasons: ``override`` (a manual floor or
    cap), ``grace`` (the downgrade at the end of a grace) or ``grade``."""
    first = reasons[0] if reasons else ""
    for by in (DecidedBy.OVERRIDE, DecidedBy.GRACE):
        if first.startswith(f"{by.value}:"):
            return by.value
    return DecidedBy.GRADE.value
