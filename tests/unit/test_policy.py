"""Grace before a downgrade and manual overrides (domain/policy.py), and the bulk statement
of the recording step (store/day_run.decide_sql) and the Ibis expression of rules simulate
(pipeline/policy.hold) held equal to it at every combination."""

from __future__ import annotations

import itertools

import duckdb
import ibis
import pyarrow as pa
import pytest

from livetier.domain.policy import DecidedBy, decide, grace_ended
from livetier.domain.tiers import Tier
from livetier.pipeline.policy import hold
from livetier.store.day_run import decide_sql

N, OR, E, H = Tier.NONE, Tier.ORDINARY, Tier.EXPERT, Tier.HONOR


def _days(current: Tier, grades: list[Tier], grace: int, **kw: object) -> list[tuple[Tier, int]]:
    """Run the rule over consecutive day runs; the (tier held, lower days) after each."""
    out, lower = [], 0
    for g in grades:
        d = decide(current, g, lower, grace, **kw)  # type: ignore[arg-type]
        current, lower = d.tier, d.lower_days
        out.append((current, lower))
    return out


def test_no_grace_is_todays_behaviour():
    for current, graded in itertools.product(Tier, Tier):
        d = decide(current, graded, 0, 0)
        assert (d.tier, d.lower_days, d.by, d.grace_days_left) == (graded, 0, DecidedBy.GRADE, None)


@pytest.mark.parametrize("grace", [1, 2, 3])
def test_a_downgrade_waits_for_grace_plus_one_consecutive_lower_day_runs(grace):
    # N-1 and N lower day runs keep the tier; the N+1st moves to that day's grade.
    days = _days(H, [E] * (grace - 1) + [E] + [OR], grace)
    assert [t for t, _ in days[:grace]] == [H] * grace
    assert [n for _, n in days[:grace]] == list(range(1, grace + 1))
    assert days[grace] == (OR, 0)  # the grade of that day, not of the first lower day


def test_grace_days_left_counts_down_to_zero_before_the_downgrade():
    lefts = [decide(E, OR, n, 3).grace_days_left for n in range(3)]
    assert lefts == [2, 1, 0]
    assert decide(E, OR, 3, 3).by is DecidedBy.GRADE  # the fourth lower day run moves it
    assert (
        grace_ended(E, OR, 3, 3) and not grace_ended(E, OR, 2, 3) and not grace_ended(E, OR, 0, 0)
    )


def test_a_day_back_at_the_tier_resets_the_count():
    days = _days(E, [OR, OR, E, OR, OR, OR], 2)
    assert days == [(E, 1), (E, 2), (E, 0), (E, 1), (E, 2), (OR, 0)]


def test_an_upgrade_during_grace_is_immediate_and_ends_it():
    assert _days(E, [OR, H, OR], 2) == [(E, 1), (H, 0), (H, 1)]


def test_failing_the_basic_requirements_gives_none_at_once_and_no_floor_lifts_it():
    d = decide(H, N, 0, 5, basic_met=False, floor=E)
    assert (d.tier, d.lower_days, d.by) == (N, 0, DecidedBy.GRADE)
    assert decide(OR, N, 0, 5, basic_met=False, cap=E).tier is N


def test_a_floor_raises_a_cap_lowers_and_the_override_wins_over_grace():
    assert decide(OR, OR, 0, 0, floor=E).tier is E
    assert decide(OR, H, 0, 0, floor=E).tier is H  # a floor only raises
    assert decide(H, H, 0, 0, cap=OR) == decide(H, H, 0, 0, cap=OR)
    assert decide(H, H, 0, 0, cap=OR).by is DecidedBy.OVERRIDE
    assert decide(OR, OR, 0, 0, cap=E).by is DecidedBy.GRADE  # a cap only lowers
    in_grace = decide(H, OR, 0, 3, cap=E)  # grace would keep honor: the cap wins
    assert (in_grace.tier, in_grace.lower_days, in_grace.by) == (E, 0, DecidedBy.OVERRIDE)
    kept = decide(E, OR, 0, 3, floor=E)  # the floor changes nothing: still grace
    assert (kept.tier, kept.lower_days, kept.by) == (E, 1, DecidedBy.GRACE)


def _grid() -> list[tuple[object, ...]]:
    tiers = list(Tier)
    overrides = [(None, None)] + [(k, t) for k in ("floor", "cap") for t in tiers]
    return [
        (cur.value, g.value, lower, grace, basic, kind, t.value if t else None)
        for cur, g, lower, grace, basic, (kind, t) in itertools.product(
            tiers, tiers, range(5), range(4), (True, False), overrides
        )
        if basic or g is N  # a host failing the basic requirements grades none
    ]


@pytest.mark.parametrize("bulk", ["sql", "ibis"])
def test_the_bulk_statement_equals_the_rule_at_every_combination(bulk):
    """store/day_run.decide_sql (the day run) and pipeline/policy.hold (rules simulate)."""
    rows = _grid()
    names = ["cur", "graded", "lower_before", "grace", "basic_met", "o_kind", "o_tier"]
    table = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
    out = ["cur", "graded", "lower_before", "grace", "basic_met", "o_kind", "o_tier"]
    out += ["kept", "lower_after", "decided_by"]
    if bulk == "sql":
        con = duckdb.connect()
        con.register("src", table)
        sql = decide_sql("src", "grace")
        got = con.execute(f"SELECT {', '.join(out)} FROM ({sql})").fetchall()
    else:
        t = ibis.duckdb.connect().create_table("src", table)
        got = [tuple(r.values()) for r in hold(t, t.grace).select(*out).to_pyarrow().to_pylist()]
    assert len(got) == len(rows) > 1000
    for cur, graded, lower, grace, basic, kind, tier, kept, lower_after, by in got:
        o = Tier(tier) if tier else None
        d = decide(
            Tier(cur),
            Tier(graded),
            lower,
            grace,
            basic_met=basic,
            floor=o if kind == "floor" else None,
            cap=o if kind == "cap" else None,
        )
        assert (kept, lower_after, by) == (d.tier.value, d.lower_days, d.by.value), (
            cur,
            graded,
            lower,
            grace,
            basic,
            kind,
            tier,
        )


def _with_grace(value: str) -> str:
    from livetier import rulebooks

    marker = "    effective_from: 2026-01-01\n"
    text = rulebooks.DEFAULT_RULEBOOK.read_text()
    return text.replace(marker, marker + f"    downgrade_grace_days: {value}\n")


def test_the_rulebook_file_sets_grace_and_validate_and_diff_see_it():
    from livetier import rulebooks
    from livetier.domain.rulebook import diff_versions

    shipped = rulebooks.load().versions[0]
    assert shipped.downgrade_grace_days == 0  # default: no grace
    graced = rulebooks.parse(_with_grace("3"), "g.yaml").versions[0]
    assert graced.downgrade_grace_days == 3
    [change] = diff_versions(shipped, graced)
    assert (change.scope, change.criterion, change.before, change.after) == (
        "version",
        "downgrade_grace_days",
        0,
        3,
    )
    for bad in ("-1", "two"):
        with pytest.raises(rulebooks.RulebookFileError, match=r"g.yaml: versions\[0\]\.downgrade"):
            rulebooks.parse(_with_grace(bad), "g.yaml")


def test_rules_show_says_the_grace():
    from typer.testing import CliRunner

    from livetier.entrypoints.cli import app

    shown = CliRunner().invoke(app, ["rules", "show"], terminal_width=200)
    assert shown.exit_code == 0
    assert "downgrade_grace_days" in shown.stdout and "0 (a host graded lower moves" in shown.stdout
