"""What the HTTP service reads: live state from the state store, the rest from the snapshot.

Tier, since and claim come from the state store on every request, so a claim shows at once.
Metrics, criteria and holds come from the latest succeeded run's serving snapshot, which the
run stores in the state store too (store/serving.py), reloaded when a newer run succeeds. The
service never opens the warehouse (the batch run may hold it, on another machine): any number
of API servers share the state store alone.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, bindparam, desc, func, select

from livetier.domain.changes import direction
from livetier.domain.describe import node_spec
from livetier.domain.policy import change_reason
from livetier.domain.privileges import Decision, decide
from livetier.domain.rulebook import Rulebook, Version
from livetier.domain.tiers import Tier
from livetier.services.evaluate import freeze
from livetier.services.status import STATE_OF_HOST, HostStatus, UnknownHost, status_of
from livetier.store import serving
from livetier.store.lookup import PointQuery, as_date
from livetier.store.models import Activity, Claim, HostTier, Registration, TierChange
from livetier.store.runs import latest_succeeded_run, succeeded_since


@dataclass(frozen=True)
class LatestRun:
    id: int
    day: date
    counts: dict[str, Any]


class Served:
    """The stores as the service sees them; safe to share between request threads."""

    def __init__(
        self,
        db: Engine,
        rulebook: Rulebook,
        *,
        clock: Callable[[], datetime] | None = None,
        refresh_seconds: float = 5.0,
    ) -> None:
        self.db = db
        self.rulebook = rulebook
        self.zone = ZoneInfo(rulebook.definitions.timezone)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._checked = -1.0
        self._latest: LatestRun | None = None
        self._snapshot: serving.Snapshot | None = None
        self._state = PointQuery(db, STATE_OF_HOST)
        last_use = (
            select(func.max(Registration.registered_day))
            .join(Activity, Activity.id == Registration.activity_id)
            .where(and_(Registration.host_id == bindparam("host_id"), Activity.special.is_(False)))
        )
        self._last_use = PointQuery(db, last_use)
        # A privilege check reads the state and the last counted use in one statement.
        self._state_and_use = PointQuery(
            db,
            select(
                HostTier.tier,
                HostTier.since,
                HostTier.rulebook_version,
                Claim.claimed_at,
                last_use.scalar_subquery(),
            )
            .outerjoin(Claim, Claim.host_id == HostTier.host_id)
            .where(HostTier.host_id == bindparam("host_id")),
        )

    # the platform's clock ---------------------------------------------------------------

    def now(self) -> datetime:
        """Now, in UTC (naive, as the state store keeps it)."""
        return self.clock().astimezone(UTC).replace(tzinfo=None)

    def today(self) -> date:
        """The current platform day (docs/rules.md: a calendar day in the platform's zone)."""
        return self.clock().astimezone(self.zone).date()

    def version_today(self) -> Version:
        return self.rulebook.version_for(self.today())

    # the latest run and its snapshot -----------------------------------------------------

    def latest(self) -> tuple[LatestRun | None, serving.Snapshot | None]:
        """The latest succeeded run and its snapshot, checked at most every few seconds."""
        if time.monotonic() - self._checked < self.refresh_seconds:
            return self._latest, self._snapshot
        with self._lock:
            if time.monotonic() - self._checked >= self.refresh_seconds:
                with self.db.connect() as c:
                    row = latest_succeeded_run(c)
                latest = LatestRun(row.id, row.day, row.counts or {}) if row else None
                if latest is None:
                    self._snapshot = None
                elif self._snapshot is None or self._snapshot.run_id != latest.id:
                    self._snapshot = serving.Snapshot.load(self.db, latest.id)
                    # A million index entries live until the next run: keep them out of the
                    # collector's full passes, which would otherwise stall requests.
                    gc.collect()
                    freeze()
                self._latest = latest
                self._checked = time.monotonic()
        return self._latest, self._snapshot

    # one host --------------------------------------------------------------------------

    def host(self, host_id: str, *, evaluate: bool = True) -> HostStatus:
        """A host's status: live tier and claim, and the latest run's evaluation (left out,
        as None, with ``evaluate=False``: the status alone does not need it)."""
        row = self._state.first(host_id=host_id)
        if row is None:
            raise UnknownHost(f"{host_id}: no such host (not graded yet)")
        return self._status(host_id, row, evaluate)

    def _status(self, host_id: str, row: tuple[Any, ...], evaluate: bool) -> HostStatus:
        latest, snapshot = self.latest()
        assert latest is not None  # a host row exists only after a successful run
        served = snapshot.host(host_id) if snapshot and evaluate else None
        holds = snapshot.holds(host_id) if snapshot else None
        at_risk = snapshot.at_risk(host_id) if snapshot else False
        return status_of(self.rulebook, host_id, row, latest.day, served, holds, at_risk)

    def last_use(self, host_id: str) -> date | None:
        """The day of the host's latest registration that the fatigue rule counts."""
        row = self._last_use.first(host_id=host_id)
        return as_date(row[0]) if row else None

    def privilege(self, host_id: str, privilege: str, *, exempt: bool = False) -> Decision:
        """May ``host_id`` use ``privilege`` now? (``exempt``: for a special event)."""
        row = self._state_and_use.first(host_id=host_id)
        if row is None:
            raise UnknownHost(f"{host_id}: no such host (not graded yet)")
        # Only for tier none does the evaluation matter: it says why (restricted, ...).
        st = self._status(host_id, row, evaluate=row[0] == Tier.NONE.value)
        version = self.version_today()
        last = as_date(row[4]) if privilege in version.fatigue_days else None
        return decide(
            version,
            privilege,
            tier=st.tier,
            claimed=st.claimed,
            evaluation=st.evaluation,
            today=self.today(),
            last_use=last,
            exempt=exempt,
        )

    def changes(self, host_id: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Tier changes, newest first."""
        query = select(TierChange).order_by(desc(TierChange.day), desc(TierChange.id))
        if host_id is not None:
            query = query.where(TierChange.host_id == host_id)
        with self.db.connect() as c:
            rows = c.execute(query.limit(limit)).mappings().all()
        return [
            {
                "host_id": r["host_id"],
                "day": r["day"].isoformat(),
                "from_tier": r["from_tier"],
                "to_tier": r["to_tier"],
                "direction": direction(Tier(r["from_tier"]), Tier(r["to_tier"])).value,
                "reason": change_reason(r["reasons"]),
                "reasons": r["reasons"],
                "rulebook_version": r["rulebook_version"],
            }
            for r in rows
        ]

    # the operator's views -----------------------------------------------------------------

    def distribution(self, days: int = 30) -> list[dict[str, Any]]:
        """Hosts per line and tier on each of the last ``days`` run days, oldest first (the
        latest succeeded run of each day)."""
        latest, _ = self.latest()
        if latest is None:
            return []
        first = latest.day.toordinal() - days + 1
        with self.db.connect() as c:
            rows = succeeded_since(c, date.fromordinal(first))
        by_day = {r.day: r for r in rows}  # a later run of the same day replaces an earlier one
        return [
            {
                "day": d.isoformat(),
                "run_id": r.id,
                "lines": (r.counts or {}).get("distribution", {}),
            }
            for d, r in sorted(by_day.items())
        ]

    def quality(self, limit: int = 100) -> dict[str, Any]:
        """The latest run's data-quality report: counts by table and reason, and its first
        ``limit`` entries."""
        latest, snapshot = self.latest()
        if latest is None or snapshot is None:
            return {
                "day": latest.day.isoformat() if latest else None,
                "total": 0,
                "summary": [],
                "entries": [],
            }
        table = snapshot.quality
        summary = (
            table.group_by(["table", "reason", "counted"])
            .aggregate([([], "count_all")])
            .sort_by([("table", "ascending"), ("reason", "ascending"), ("counted", "ascending")])
            .to_pylist()
        )
        return {
            "day": latest.day.isoformat(),
            "total": table.num_rows,
            "summary": [
                {
                    "table": r["table"],
                    "reason": r["reason"],
                    "counted": r["counted"],
                    "entries": r["count_all"],
                }
                for r in summary
            ],
            "entries": table.slice(0, limit).to_pylist(),
        }


def rulebook_record(rulebook: Rulebook) -> dict[str, Any]:
    """Every rule version with its thresholds, privileges, fatigue rules, surfacing
    requirements and channel settings."""
    d = rulebook.definitions
    return {
        "name": rulebook.name,
        "definitions": {
            "timezone": d.timezone,
            "valid_session_longer_than_minutes": d.valid_session_longer_than_minutes,
            "window_days": d.window_days,
        },
        "versions": [
            {
                "version": v.version,
                "effective_from": v.effective_from.isoformat(),
                "privileges": {p: t.value for p, t in v.privileges.items()},
                "fatigue_days": dict(v.fatigue_days),
                "downgrade_grace_days": v.downgrade_grace_days,
                "basic": node_spec(v.basic),
                "lines": {
                    line: {t.value: node_spec(g) for t, g in tiers.items()}
                    for line, tiers in v.lines.items()
                },
                "surfacing": {line: node_spec(g) for line, g in v.surfacing.items()},
                "channel": (
                    {
                        "banner_slots": v.channel.banner_slots,
                        "ranking_boost_weight": v.channel.ranking_boost_weight,
                        "buyer_weight": v.channel.buyer_weight,
                    }
                    if v.channel is not None
                    else None
                ),
            }
            for v in rulebook.versions
        ],
    }
