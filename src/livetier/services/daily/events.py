"""The tier events a run puts in the outbox: one per change, one per host entering the
at-risk state."""

from __future__ import annotations

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
) -> list[dict[str, Any]]:
    """One outbox row per host that entered the at-risk state, in the order of ``hosts``."""
    return [
        {
            "kind": EventKind.AT_RISK.value,
            "host_id": h,
            "day": day,
            "run_id": run_id,
            "payload": {
                "tier": tier_of[h],
                "holds_days": holds_of[h],
                "rulebook_version": version.version,
            },
        }
        for h in hosts
    ]
