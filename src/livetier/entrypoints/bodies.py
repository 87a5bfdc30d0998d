"""The answers about one host as plain data: the API returns them, the web pages show them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from livetier.domain.privileges import Decision
from livetier.domain.tiers import Tier
from livetier.services import live
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


def _utc(t: datetime | None) -> datetime | None:
    """A naive UTC instant of the state store as an aware one (ISO 8601 with its offset)."""
    return None if t is None else t.replace(tzinfo=UTC)


def live_session_body(v: live.LiveSessionView) -> dict[str, Any]:
    """A live session as the API returns it."""
    return {
        "session_id": v.session_id,
        "host_id": v.host_id,
        "started_at": _utc(v.started_at),
        "ended_at": _utc(v.ended_at),
        "viewers": v.viewers,
        "buyers": v.buyers,
        "surfaced_at": _utc(v.surfaced_at),
        "surfaced": v.surfaced,
        "surfaced_metrics": v.surfaced_metrics,
    }


def channel_body(ch: live.Channel) -> dict[str, Any]:
    """The live channel as the API returns it and the channel page shows it."""
    return {
        "day": ch.day,
        "rulebook_version": ch.rulebook_version,
        "banner_slots": ch.banner_slots,
        "banner": [r.session_id for r in ch.rooms if r.banner],
        "rooms": [
            {
                "rank": rank,
                "session_id": r.session_id,
                "host_id": r.host_id,
                "tier": r.tier.value,
                "viewers": r.viewers,
                "buyers": r.buyers,
                "score": r.score,
                "surfaced_at": _utc(r.surfaced_at),
                "banner": r.banner,
            }
            for rank, r in enumerate(ch.rooms, 1)
        ],
    }
