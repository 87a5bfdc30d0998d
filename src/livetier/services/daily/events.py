"""The tier events a run puts in the outbox: one per change, one per host entering the
at-risk state, and one per recorded change withdrawn or replaced by a re-run or a
restatement (a correction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from livetier.domain.changes import EventKind, change_kind
from livetier.domain.rulebook import Version
from livetier.domain.tiers import Tier

Move = tuple[str, Tier, Tier]  # (host, tier before, tier after)


def change_events(
    moved: list[Move], day: date, run_id: int, version: Version
) -> list[dict[str, Any]]:
    """One outbox row per tier change, in the order of ``moved``."""
    return [
        {
            "kind": change_kind(before, after).value,
            "host_id": h,
            "day": day,
            "run_id": run_id,
            "payload": {
                "from_tier": before.value,
                "to_tier": after.value,
                "rulebook_version": version.version,
            },
        }
        for h, before, after in moved
    ]


def at_risk_events(
    hosts: list[str],
    tier_of: dict[str, str],
    holds_of: dict[str, int | None],
    day: date,
    run_id: int,
    version: Version,
    grace_left_of: dict[str, int | None] | None = None,
) -> list[dict[str, Any]]:
    """One outbox row per host that entered the at-risk state, in the order of ``hosts``
    (``grace_days_left``: set for a host at risk because it is in grace before a downgrade)."""
    grace = grace_left_of or {}
    return [
        {
            "kind": EventKind.AT_RISK.value,
            "host_id": h,
            "day": day,
            "run_id": run_id,
            "payload": {
                "tier": tier_of[h],
                "holds_days": holds_of[h],
                "grace_days_left": grace.get(h),
                "rulebook_version": version.version,
            },
        }
        for h in hosts
    ]


@dataclass(frozen=True)
class Correction:
    """A change sent before that no longer holds, or one that newly holds, on one day."""

    host_id: str
    day: date
    withdrawn: tuple[str, str] | None  # (from_tier, to_tier) of the change sent before
    change: tuple[str, str] | None  # the change that holds instead (None: no change that day)
    tier: str  # the host's tier once corrected: what a consumer applies
    rulebook_version: str


def correction_events(corrections: list[Correction], run_id: int) -> list[dict[str, Any]]:
    """One outbox row per correction, in the order of ``corrections``."""

    def change(pair: tuple[str, str] | None) -> dict[str, str] | None:
        return None if pair is None else {"from_tier": pair[0], "to_tier": pair[1]}

    return [
        {
            "kind": EventKind.CORRECTION.value,
            "host_id": c.host_id,
            "day": c.day,
            "run_id": run_id,
            "payload": {
                "withdrawn": change(c.withdrawn),
                "change": change(c.change),
                "tier": c.tier,
                "rulebook_version": c.rulebook_version,
            },
        }
        for c in corrections
    ]
