"""How many more days each host's tier holds if nothing new happens, for all hosts at once.

With no new events and the profile unchanged, only the window moves: day d stops counting on
d + window + 1, oldest first, so a host's metrics can only change on the days one of its
fact days leaves. Each such point is graded with the same compiled rules as the day itself,
and the tier holds until the first point that grades lower. This is the bulk form of
domain/evaluation.tier_holds; a test holds the two together.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from livetier.domain.metrics import ACTIVITY_METRICS
from livetier.domain.rulebook import Criterion, Node, Op, Version
from livetier.domain.tiers import Tier
from livetier.pipeline import grading
from livetier.pipeline.facts import METRIC_OF_FACT, window
from livetier.pipeline.tables import without


def _monotone(version: Version, line: str) -> bool:
    """Whether every criterion on an activity metric asks for at least some amount (>=, >):
    then a tier can only be lost, never regained, as activity leaves the window."""

    def rising(node: Node) -> bool:
        if isinstance(node, Criterion):
            return node.metric not in ACTIVITY_METRICS or node.op in (Op.GE, Op.GT)
        return all(rising(c) for c in node.children)

    return all(rising(group) for group in version.requirement_sets(line).values())


def tier_rank(tier: ir.StringValue) -> ir.IntegerValue:
    return ibis.cases(*((tier == t.value, t.rank) for t in Tier), else_=0)


def line_holds(
    version: Version, graded: ir.Table, facts: ir.Table, day: date, window_days: int, line: str
) -> ir.Table:
    """``host_id, holds_days`` for the graded hosts of ``line`` above ``none``.

    ``graded`` is the line's metrics and tier of day D (grading.grade or grading.tiers; best
    materialised, as it is read several times); ``facts`` the stored daily facts.
    ``holds_days`` is NULL when the tier never drops.
    """
    first, last = window(day, window_days)
    tiered = graded.filter(graded.tier != Tier.NONE.value)
    # Only the activity metrics change from point to point: what reads none of them (the
    # profile's criteria, the basic requirements) is graded once per host, not per point.
    fixed, paths = grading.fixed_columns(version, tiered, line, frozenset(METRIC_OF_FACT.values()))
    tiered = tiered.mutate(_rank_now=tier_rank(tiered.tier), **fixed)
    candidates = tiered
    if _monotone(version, line):
        # More activity never lowers a tier under these rules, so a host that keeps its tier
        # with no activity at all keeps it every day: only the others need the day-by-day walk.
        zero = tiered.mutate(**{m: ibis.literal(0, "int64") for m in METRIC_OF_FACT.values()})
        floor = grading.ranks(version, zero, line, paths)
        drops = floor.filter(floor._rank < floor._rank_now)
        candidates = tiered.semi_join(drops.select("host_id"), "host_id")
    f = facts.filter(facts.day.between(first, last)).semi_join(candidates, "host_id")
    # What each host's fact days add up to, oldest first: the window loses them in that order.
    gone = ibis.cumulative_window(group_by="host_id", order_by="day")
    left = f.select(
        "host_id", "day", **{f"_gone_{fact}": f[fact].sum().over(gone) for fact in METRIC_OF_FACT}
    )
    points = without(candidates.join(left, "host_id"), "host_id_right")
    points = points.mutate(
        **{
            metric: points[metric] - points[f"_gone_{fact}"]
            for fact, metric in METRIC_OF_FACT.items()
        },
    )
    regraded = grading.ranks(version, points, line, paths)
    lost = regraded.filter(regraded._rank < regraded._rank_now)
    # Day d leaves on d + window + 1: the tier holds the days strictly between D and then.
    first_lost = lost.group_by("host_id").agg(lost_day=lost.day.min())
    holds = without(tiered.select("host_id").left_join(first_lost, "host_id"), "host_id_right")
    return holds.select(
        "host_id",
        holds_days=(holds.lost_day.delta(ibis.literal(day), unit="day") + window_days).cast(
            "int64"
        ),
    )
