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

from sqlalchemy import Engine, bindparam, func, literal_column, select

from livetier.domain.evaluation import HostEvaluation, evaluate_host
from livetier.domain.rulebook import Rulebook
from livetier.domain.tiers import Tier
from livetier.services.evaluate import SHOWN_METRICS, host_record
from livetier.store import serving
from livetier.store.lookup import as_date
from livetier.store.models import Claim, GraceDay, HostTier, Override, Run, RunStatus
from livetier.store.runs import latest_succeeded_run

_LATEST_DAY = (
    select(func.max(Run.day))
    # a literal, not a parameter: the point query binds host_id alone (store/lookup.py)
    .where(Run.status == literal_column(f"'{RunStatus.SUCCEEDED.value}'"))
    .scalar_subquery()
)
_GRACE_NOW = (
    select(GraceDay.lower_days)
    .where(GraceDay.host_id == HostTier.host_id, GraceDay.day == _LATEST_DAY)
    .scalar_subquery()
)
STATE_OF_HOST = (
    select(
        HostTier.tier,
        HostTier.since,
        HostTier.rulebook_version,
        Claim.claimed_at,
        Override.id,
        Override.kind,
        Override.tier,
        Override.valid_until,
        _GRACE_NOW,
    )
    .outerjoin(Claim, Claim.host_id == HostTier.host_id)
    .outerjoin(Override, Override.id == HostTier.override_id)
    .where(HostTier.host_id == bindparam("host_id"))
)
"""A host's live state: (tier, since, rulebook_version, claimed_at), then the override that
set its tier at the latest day run (id, kind, tier, until) and its grace count on that day."""


@dataclass(frozen=True)
class OverrideNote:
    """The manual override that set a host's tier at the latest day run."""

    id: int
    kind: str  # floor | cap
    tier: Tier
    until: date | None  # the last day run it acts on (inclusive); None: until cleared


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
    # In grace before a downgrade: further day runs graded lower it keeps the tier (0: the
    # next one moves it); None: not in grace (domain/policy.py).
    grace_days_left: int | None = None
    override: OverrideNote | None = None  # the override that set the tier, if one did


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
    override, grace_left = None, None
    if len(state) >= 9:  # STATE_OF_HOST's policy columns
        o_id, o_kind, o_tier, o_until, lower = state[4:9]
        if o_id is not None:
            override = OverrideNote(o_id, o_kind, Tier(o_tier), as_date(o_until))
        if lower:
            grace_left = max(version.downgrade_grace_days - int(lower), 0)
    # In grace the tier is at risk; a tier an override set does not follow the grade.
    at_risk = grace_left is not None or (at_risk and override is None)
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
        grace_days_left=grace_left,
        override=override,
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
        "at_risk": st.at_risk,
        "grace_days_left": st.grace_days_left,
        "override": override_record(st.override),
        "criteria": graded["criteria"] if graded else [],
        "next_tier": graded["next_tier"] if graded else None,
        "missing": graded["missing"] if graded else [],
        "metrics": graded["metrics"] if graded else {},
    }


def override_record(note: OverrideNote | None) -> dict[str, Any] | None:
    """The override that set the tier, as plain data (None: none did)."""
    if note is None:
        return None
    until = note.until.isoformat() if note.until else None
    return {"id": note.id, "kind": note.kind, "tier": note.tier.value, "until": until}


def claim_state(st: HostStatus) -> str:
    """``none``, ``qualified_not_claimed`` or ``claimed``: an unclaimed host is graded, but
    shown as qualified, not claimed."""
    if st.tier is Tier.NONE:
        return "none"
    return "claimed" if st.claimed else "qualified_not_claimed"
