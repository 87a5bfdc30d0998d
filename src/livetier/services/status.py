"""One host's status: tier, privileges, how long the tier holds, and its task list.

Read from the state store (tier, since, claimed) and the warehouse (profile and daily facts of
the latest day run), then graded with the pure domain: a single host needs no bulk engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from livetier.domain.evaluation import HostEvaluation, evaluate_host, tier_holds
from livetier.domain.rulebook import Rulebook
from livetier.domain.tiers import Tier
from livetier.pipeline import facts
from livetier.services.evaluate import SHOWN_METRICS, host_record
from livetier.store.models import Claim, HostTier, Run
from livetier.store.warehouse import open_warehouse


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
    evaluation: HostEvaluation | None  # None: no usable profile on that day
    metrics: dict[str, Any]


def host_status(db: Engine, warehouse: Path, host_id: str, rulebook: Rulebook) -> HostStatus:
    """The status of ``host_id`` as of the latest successful run."""
    with Session(db) as s:
        row = s.get(HostTier, host_id)
        if row is None:
            raise UnknownHost(f"{host_id}: no such host in the state store (not graded yet)")
        claimed = s.get(Claim, host_id) is not None
        day = s.scalar(select(func.max(Run.day)).where(Run.status == "succeeded"))
    assert day is not None  # a host row exists only after a successful run
    version = rulebook.version_for(day)
    window_days = rulebook.definitions.window_days
    with open_warehouse(warehouse, read_only=True) as wh:
        hosts, snapshots = wh.profiles()
        stored = wh.facts().filter(wh.facts().host_id == host_id)
        one = facts.metrics_for_day(
            hosts.filter(hosts.host_id == host_id),
            snapshots.filter(snapshots.host_id == host_id),
            stored,
            day,
            window_days,
        )
        rows = one.to_pyarrow().to_pylist()
        first, last = facts.window(day, window_days)
        daily = stored.filter(stored.day.between(first, last)).to_pyarrow().to_pylist()
    tier = Tier(row.tier)
    evaluation = None
    holds = None
    metrics: dict[str, Any] = {}
    if rows:
        metrics = rows[0]
        evaluation = evaluate_host(version, host_id, metrics["category_line"], metrics)
        contributions = {
            r["day"]: {metric: r[fact] for fact, metric in facts.METRIC_OF_FACT.items()}
            for r in daily
        }
        holds = tier_holds(
            version, evaluation.line, metrics, contributions, day, window_days, evaluation.tier
        )
    return HostStatus(
        host_id=host_id,
        tier=tier,
        since=row.since,
        claimed=claimed,
        rulebook_version=row.rulebook_version,
        day=day,
        privileges=version.privileges_for(tier),
        holds_days=holds,
        evaluation=evaluation,
        metrics=metrics,
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
