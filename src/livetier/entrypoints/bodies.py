"""The answers about one host as plain data: the API returns them, the web pages show them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from livetier.domain.privileges import Decision
from livetier.domain.tiers import Tier
from livetier.services.status import HostStatus, claim_state, override_record, status_record


def _tier_zh(tier: Tier) -> str:
    return "" if tier is Tier.NONE else tier.zh


def status_body(st: HostStatus) -> dict[str, Any]:
    return {
        "host_id": st.host_id,
        "tier": st.tier.value,
        "tier_zh": _tier_zh(st.tier),
        "since": st.since,
        "claimed": st.claimed,
        "state": claim_state(st),
        "rulebook_version": st.rulebook_version,
        "day": st.day,
        "privileges": st.privileges,
        "holds_days": st.holds_days,
        "grace_days_left": st.grace_days_left,
        "override": override_record(st.override),
    }


def progress_body(st: HostStatus) -> dict[str, Any]:
    record = status_record(st)
    return {
        "host_id": st.host_id,
        "tier": st.tier.value,
        "next_tier": st.tier.next.value if st.tier.next else None,
        "day": st.day,
        "line": st.evaluation.line if st.evaluation else None,
        "graded": st.evaluation is not None,
        "holds_days": st.holds_days,
        "grace_days_left": st.grace_days_left,
        "override": record["override"],
        "criteria": record["criteria"],
        "missing": record["missing"],
        "metrics": record["metrics"],
    }


def privilege_body(host_id: str, d: Decision) -> dict[str, Any]:
    return {
        "host_id": host_id,
        "privilege": d.privilege,
        "allowed": d.allowed,
        "reason": d.reason,
        "tier": d.tier.value,
        "required_tier": d.required_tier.value if d.required_tier else None,
        "next_allowed_day": d.next_allowed_day,
    }


def claimed_body(record: dict[str, Any]) -> dict[str, Any]:
    """A claim with its time zone: the store keeps UTC times without one."""
    at = datetime.fromisoformat(record["claimed_at"]).replace(tzinfo=UTC)
    return {**record, "claimed_at": at.isoformat()}
