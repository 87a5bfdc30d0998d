"""One host's status: tier, privileges, how long the tier holds, at risk, and its task list.

One service for every reader: the live state (tier, since, claim) from the state store, and
the latest succeeded run's decisions (metrics, holds_days, at risk) from its serving snapshot
(store/serving.py), graded with the pure domain. The CLI reads it with ``host_status``, the
HTTP service through ``Served.host``; both build the status with ``status_of``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, bindparam, select

from livetier.domain.evaluation import HostEvaluation, evaluate_host
from livetier.domain.rulebook import Rulebook
from livetier.domain.tiers import Tier
from livetier.services.evaluate import SHOWN_METRICS, host_record
from livetier.store import serving
from livetier.store.lookup import as_date
from livetier.store.models import Claim, HostTier
from livetier.store.runs import latest_succeeded_run

STATE_OF_HOST = (
    select(HostTier.tier, HostTier.since, HostTier.rulebook_version, Claim.claimed_at)
    .outerjoin(Claim, Claim.host_id == HostTier.host_id)
    .where(HostTier.host_id == bindparam("host_id"))
)
"""A host's live state: (tier, since, rulebook_version, claimed_at)."""


class UnknownHost(LookupError):
    """No such host in the state store."""


@dataclass(frozen=True)
class HostStatus:
    """What a host (or a service acting for it) needs to know today."""

    host_id: str
    tier: Tier
    since: date
    claimed: bool
    rulebook_version: str
    day: date  # the latest day run: the evaluation below is of that day
    privileges: list[str]  # unlocked by the tier (shown as "qualified, not claimed" if unclaimed)
    holds_days: int | None  # None: tier none, or it holds while the profile is unchanged
    at_risk: bool  # as the run decided it, with its own --at-risk-days (domain/changes.py)
    evaluation: HostEvaluation | None  # None: no usable profile on that day
    metrics: dict[str, Any]


def status_of(
    rulebook: Rulebook,
    host_id: str,
    state: tuple[Any, ...],
    day: date,
    row: dict[str, Any] | None,
    holds_days: int | None,
    at_risk: bool,
) -> HostStatus:
    """A host's status from its live ``state`` (STATE_OF_HOST) and what the run of ``day``
    decided: its snapshot ``row`` (None: not graded, or not asked for), holds and at-risk."""
    tier_code, since_text, rulebook_version, claimed_at = state[:4]
    since = as_date(since_text)
    assert since is not None  # host_tiers.since is NOT NULL
    version = rulebook.version_for(day)
    tier = Tier(tier_code)
    return HostStatus(
        host_id=host_id,
        tier=tier,
        since=since,
        claimed=claimed_at is not None,
        rulebook_version=rulebook_version,
        day=day,
        privileges=version.privileges_for(tier),
        holds_days=holds_days,
        at_risk=at_risk,
        evaluation=(evaluate_host(version, host_id, row["category_line"], row) if row else None),
        metrics=row or {},
    )


def host_status(db: Engine, host_id: str, rulebook: Rulebook) -> HostStatus:
    """The status of ``host_id`` as of the latest successful run (``livetier status``)."""
    with db.connect() as c:
        state = c.execute(STATE_OF_HOST, {"host_id": host_id}).first()
        if state is None:
            raise UnknownHost(f"{host_id}: no such host in the state store (not graded yet)")
        latest = latest_succeeded_run(c)
    assert latest is not None  # a host row exists only after a successful run
    row = serving.host_row(db, latest.id, host_id)
    holds = row["holds_days"] if row else None
    return status_of(
        rulebook, host_id, tuple(state), latest.day, row, holds, bool(row and row["at_risk"])
    )


def status_record(st: HostStatus) -> dict[str, Any]:
    """A host status as plain data (``livetier status --format jsonl``)."""
    graded = (
        host_record(st.evaluation, {m: st.metrics.get(m) for m in SHOWN_METRICS}, st.holds_days)
        if st.evaluation is not None
        else None
    )
    return {
        "host_id": st.host_id,
        "tier": st.tier.value,
        "since": st.since.isoformat(),
        "claimed": st.claimed,
        "state": claim_state(st),
        "rulebook_version": st.rulebook_version,
        "day": st.day.isoformat(),
        "privileges": st.privileges,
        "holds_days": st.holds_days,
        "criteria": graded["criteria"] if graded else [],
        "next_tier": graded["next_tier"] if graded else None,
        "missing": graded["missing"] if graded else [],
        "metrics": graded["metrics"] if graded else {},
    }


def claim_state(st: HostStatus) -> str:
    """``none``, ``qualified_not_claimed`` or ``claimed``: an unclaimed host is graded, but
    shown as qualified, not claimed."""
    if st.tier is Tier.NONE:
        return "none"
    return "claimed" if st.claimed else "qualified_not_claimed"
