"""The simulation as plain data (the API's answer; the CLI and the page draw it), and the
HTTP service's simulation of a pasted draft on its serving snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from livetier.domain.policy import DecidedBy
from livetier.domain.rulebook import RuleError
from livetier.domain.tiers import Tier
from livetier.services.errors import InvalidInput
from livetier.services.rules_ops.comparison import Simulation, simulate
from livetier.services.rules_ops.sources import FromSnapshot
from livetier.services.rules_ops.standings import NO_STANDING_NOTE


def summary(sim: Simulation) -> dict[str, Any]:
    """The simulation as plain data (the API's answer; the CLI and the page draw it): per
    line the transition matrix with shares, privileges gained and lost, and the hosts
    closest to each moved threshold."""
    lines = []
    now, then = sim.decided("by"), sim.decided("draft_by")
    for ls in sim.lines:
        total = ls.hosts or 1
        lines.append(
            {
                "line": ls.line,
                "hosts": ls.hosts,
                "changed": ls.changed,
                "grace": {
                    "tier": now[ls.line].get(DecidedBy.GRACE.value, 0),
                    "draft_tier": then[ls.line].get(DecidedBy.GRACE.value, 0),
                },
                "overrides": {
                    "tier": now[ls.line].get(DecidedBy.OVERRIDE.value, 0),
                    "draft_tier": then[ls.line].get(DecidedBy.OVERRIDE.value, 0),
                },
                "matrix": [
                    {
                        "tier": a.value,
                        "draft_tier": b.value,
                        "hosts": ls.matrix.get((a, b), 0),
                        "share": round(ls.matrix.get((a, b), 0) / total, 4),
                    }
                    for a in Tier
                    for b in Tier
                ],
                "privileges": [
                    {"privilege": p.privilege, "gained": p.gained, "lost": p.lost}
                    for p in ls.privileges
                ],
                "thresholds": [
                    {
                        "requirement": m.scope,
                        "metric": m.metric,
                        "op": m.op,
                        "before": _plain(m.before),
                        "after": _plain(m.after),
                        "nearest": [
                            {
                                "host_id": n.host_id,
                                "value": n.value,
                                "tier": n.tier.value,
                                "draft_tier": n.draft_tier.value,
                            }
                            for n in near
                        ],
                    }
                    for m, near in ls.thresholds
                ],
            }
        )
    return {
        "day": sim.day.isoformat(),
        "version": sim.current.version,
        "draft_version": sim.draft.version,
        "hosts": sum(ls.hosts for ls in sim.lines),
        "changed": sum(ls.changed for ls in sim.lines),
        "policy_applied": sim.policy_applied,
        "downgrade_grace_days": {
            "tier": sim.current.downgrade_grace_days,
            "draft_tier": sim.draft.downgrade_grace_days,
        },
        "note": None if sim.policy_applied else NO_STANDING_NOTE,
        "lines": lines,
    }


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


CHANGED_LISTED = 200
"""Changed hosts the API and the page list (with their reasons); the counts cover all."""


class DraftRefused(ValueError):
    """A draft the service cannot simulate: not a valid rulebook, or a day it cannot grade."""


def simulate_served(
    view: Any, draft_text: str, day: date | None, version: str | None
) -> dict[str, Any]:
    """Simulate a pasted draft on the latest run's day from its serving snapshot (the HTTP
    service never opens the warehouse): the summary and the first changed hosts."""
    from livetier import rulebooks

    latest, snapshot = view.latest()
    if latest is None or snapshot is None:
        raise DraftRefused("no day run yet: there is nothing to simulate on")
    when = day or latest.day
    try:
        draft = rulebooks.parse(draft_text, "draft")
    except rulebooks.RulebookFileError as e:
        raise DraftRefused(str(e)) from None
    source = FromSnapshot(snapshot.hosts, latest.day)
    try:
        sim = simulate(source, when, view.rulebook, draft, version, db=view.db)
    except InvalidInput as e:
        raise DraftRefused(e.say(lambda name: name)) from None
    except RuleError as e:  # no version of the rules in force on that day
        raise DraftRefused(str(e)) from None
    return {**summary(sim), "changed_hosts": sim.changed_records(CHANGED_LISTED)}
