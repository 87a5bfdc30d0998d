"""domain/policy.decide as an Ibis expression: the tier each host holds after a day run (its
grade, softened by grace before a downgrade, bounded by an override), for every host of a
table at once. ``rules simulate`` uses it to compare what hosts would hold under two
versions; a test holds it equal to ``decide`` at every combination."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from livetier.domain.policy import DecidedBy
from livetier.domain.tiers import Tier


def _rank(tier: ir.StringValue) -> ir.IntegerValue:
    return ibis.cases(*((tier == t.value, t.rank) for t in Tier), else_=ibis.null("int64"))


def _name(rank: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(*((rank == t.rank, t.value) for t in Tier), else_=ibis.null("string"))


def hold(table: ir.Table, grace_days: int | ir.IntegerValue) -> ir.Table:
    """``table`` with the columns cur (tier held before the run), graded (the day's grade),
    lower_before (grace counter of the previous run), basic_met, o_kind (floor, cap or NULL)
    and o_tier, plus kept (the tier held after), lower_after and decided_by."""
    cur, grd, o = _rank(table.cur), _rank(table.graded), _rank(table.o_tier)
    graced = (table.basic_met & (grd < cur) & (table.lower_before + 1 <= grace_days)).fill_null(
        False
    )
    kept = ibis.ifelse(graced, cur, grd)
    floor = ((table.o_kind == "floor") & table.basic_met & (kept < o)).fill_null(False)
    floored = ibis.ifelse(floor, o, kept)
    cap = ((table.o_kind == "cap") & (floored > o)).fill_null(False)
    held = ibis.ifelse(cap, o, floored)
    return table.mutate(
        kept=_name(held),
        lower_after=ibis.ifelse((held == kept) & graced, table.lower_before + 1, 0),
        decided_by=ibis.cases(
            (held != kept, DecidedBy.OVERRIDE.value),
            (graced, DecidedBy.GRACE.value),
            else_=DecidedBy.GRADE.value,
        ),
    )
