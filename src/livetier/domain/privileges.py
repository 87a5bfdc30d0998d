"""May a host use a privilege now? The answer and its reason, from the rules alone.

The inputs are what the services read (tier, claim, the evaluation's basic requirements, the
last use of a privilege that has a fatigue rule); the decision is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from livetier.domain.evaluation import HostEvaluation
from livetier.domain.rulebook import BASIC, Version
from livetier.domain.tiers import Tier

CATEGORY_METRIC = "category"
"""The profile metric that restricted-category rules test (docs/rules.md, restricted categories)."""


class Reason(StrEnum):
    """Why a privilege is allowed or refused; the first that applies wins."""

    ALLOWED = "allowed"
    UNKNOWN_PRIVILEGE = "unknown_privilege"
    NOT_GRADED = "not_graded"  # no usable profile on the latest day run
    RESTRICTED_CATEGORY = "restricted_category"
    BASIC_REQUIREMENTS = "basic_requirements"
    TIER_TOO_LOW = "tier_too_low"
    NOT_CLAIMED = "not_claimed"
    FATIGUE = "fatigue"


@dataclass(frozen=True)
class Decision:
    """The answer to "may the host use this privilege now?"."""

    privilege: str
    allowed: bool
    reason: Reason
    tier: Tier
    required_tier: Tier | None = None
    next_allowed_day: date | None = None  # for fatigue: the first day it is allowed again


def blocked_days(day: date, fatigue_days: int) -> list[date]:
    """The platform days a use on ``day`` blocks: ``day`` .. ``day + fatigue_days - 1``.

    With 2 days, a registration on d blocks d and d+1, so the next is allowed from d+2. Two
    uses conflict exactly when their blocked days overlap, which a unique key can enforce.
    """
    return [day + timedelta(days=i) for i in range(fatigue_days)]


def decide(
    version: Version,
    privilege: str,
    *,
    tier: Tier,
    claimed: bool,
    evaluation: HostEvaluation | None,
    today: date,
    last_use: date | None = None,
    exempt: bool = False,
) -> Decision:
    """Whether a host may use ``privilege`` on platform day ``today``.

    ``tier`` and ``claimed`` come from the state store; ``evaluation`` (the latest day run's)
    tells why a tier is none; ``last_use`` is the latest day the privilege was used in a way the
    fatigue rule counts, and ``exempt`` marks a use the rule does not count (a special event).
    """
    required = version.privileges.get(privilege)
    if required is None:
        return Decision(privilege, False, Reason.UNKNOWN_PRIVILEGE, tier)
    if tier.rank < required.rank:
        return Decision(privilege, False, _why_too_low(tier, evaluation), tier, required)
    if not claimed:
        return Decision(privilege, False, Reason.NOT_CLAIMED, tier, required)
    days = version.fatigue_days.get(privilege)
    if days is not None and not exempt and last_use is not None:
        free_from = last_use + timedelta(days=days)
        if today < free_from:
            return Decision(privilege, False, Reason.FATIGUE, tier, required, free_from)
    return Decision(privilege, True, Reason.ALLOWED, tier, required)


def _why_too_low(tier: Tier, evaluation: HostEvaluation | None) -> Reason:
    if tier is not Tier.NONE:
        return Reason.TIER_TOO_LOW
    if evaluation is None:
        return Reason.NOT_GRADED
    failed = [c for c in evaluation.sets[BASIC].children if not c.met]
    if any(getattr(c.node, "metric", None) == CATEGORY_METRIC for c in failed):
        return Reason.RESTRICTED_CATEGORY
    return Reason.BASIC_REQUIREMENTS if failed else Reason.TIER_TOO_LOW
