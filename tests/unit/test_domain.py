"""The pure domain: tiers, criteria, groups and one host's evaluation. No engine involved."""

from __future__ import annotations

from datetime import date

import pytest

from livetier.domain.changes import (
    AT_RISK_DAYS,
    Direction,
    EventKind,
    at_risk,
    change_kind,
    direction,
)
from livetier.domain.evaluation import (
    closest_branch,
    criterion_met,
    criterion_progress,
    evaluate_host,
)
from livetier.domain.rulebook import (
    BASIC,
    Criterion,
    Definitions,
    Group,
    Op,
    Rulebook,
    RuleError,
    Version,
)
from livetier.domain.tiers import Tier


def test_tiers_are_ordered_lowest_first_and_know_the_next_one():
    assert [t.rank for t in Tier] == [0, 1, 2, 3]
    assert Tier.NONE.next is Tier.ORDINARY
    assert Tier.EXPERT.next is Tier.HONOR
    assert Tier.HONOR.next is None
    assert (Tier.ORDINARY.zh, Tier.EXPERT.zh, Tier.HONOR.zh) == ("普通主播", "达人主播", "荣耀主播")


@pytest.mark.parametrize(
    ("criterion", "value", "met"),
    [
        (Criterion("fans", Op.GE, 500), 500, True),
        (Criterion("fans", Op.GE, 500), 499, False),
        (Criterion("fans", Op.GT, 500), 500, False),
        (Criterion("bsr_description", Op.GE, 4.6), 4.6, True),
        (Criterion("bsr_description", Op.GE, 4.6), 4.59, False),
        (Criterion("bsr_description", Op.GE, 4.6), None, False),  # missing rating fails
        (Criterion("enterprise_member", Op.IS_TRUE), True, True),
        (Criterion("enterprise_member", Op.IS_TRUE), None, False),  # unknown flag fails
        (Criterion("dishonest_record", Op.IS_FALSE), False, True),
        (Criterion("dishonest_record", Op.IS_FALSE), None, False),  # unknown flag fails
        (Criterion("category", Op.NOT_IN, ("e_cigarette",)), "apparel", True),
        (Criterion("category", Op.NOT_IN, ("e_cigarette",)), "e_cigarette", False),
        (Criterion("category", Op.NOT_IN, ("e_cigarette",)), None, False),
        (Criterion("fans", Op.LT, 10), 9, True),
        (Criterion("fans", Op.LE, 10), 11, False),
        (Criterion("trade_medal", Op.EQ, 3), 3, True),
        (Criterion("trade_medal", Op.NE, 3), 3, False),
    ],
)
def test_a_criterion_compares_a_value_and_fails_closed_when_it_is_missing(criterion, value, met):
    assert criterion_met(criterion, value) is met


def test_progress_is_value_over_target_for_unmet_minimums_and_full_when_met():
    c = Criterion("fans", Op.GE, 500)
    assert criterion_progress(c, 250, False) == 0.5
    assert criterion_progress(c, 900, True) == 1.0
    assert criterion_progress(c, None, False) == 0.0
    assert criterion_progress(c, -5, False) == 0.0
    assert criterion_progress(Criterion("enterprise_member", Op.IS_TRUE), False, False) == 0.0


def test_the_closest_branch_is_the_highest_progress_and_the_first_on_a_tie():
    assert closest_branch([0.2, 0.9, 0.5]) == 1
    assert closest_branch([0.5, 0.5]) == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Criterion("followers", Op.GE, 1), "unknown metric 'followers'"),
        (lambda: Criterion("fans", Op.IS_TRUE), "does not apply to int metric"),
        (lambda: Criterion("fans", Op.GE, None), "needs a value"),
        (lambda: Criterion("enterprise_member", Op.IS_TRUE, True), "takes no value"),
        (lambda: Criterion("category", Op.IN, "apparel"), "needs a list"),
        (lambda: Criterion("fans", Op.GE, "many"), "needs a number"),
        (lambda: Group("any", ()), "needs at least one branch"),
        (lambda: Group("most", ()), "must be 'all' or 'any'"),
    ],
)
def test_nonsense_rules_are_refused(make, message):
    with pytest.raises(RuleError, match=message):
        make()


def _version(effective: date, sessions: int) -> Version:
    expert = Group("all", (Criterion("live_sessions_30d", Op.GE, sessions),))
    return Version(
        f"v{sessions}",
        effective,
        basic=Group("all", (Criterion("enterprise_member", Op.IS_TRUE),)),
        lines={
            "consumer": {
                Tier.ORDINARY: Group("all", ()),
                Tier.EXPERT: expert,
                Tier.HONOR: Group("all", (Criterion("fans", Op.GE, 10**6),)),
            }
        },
    )


def test_the_version_in_force_is_the_latest_on_or_before_the_day():
    book = Rulebook(
        "b",
        Definitions("Asia/Shanghai", 15, 30),
        (_version(date(2026, 1, 1), 5), _version(date(2026, 10, 1), 6)),
    )
    assert book.version_for(date(2026, 9, 30)).version == "v5"
    assert book.version_for(date(2026, 10, 1)).version == "v6"
    with pytest.raises(RuleError, match="no rulebook version is in force on 2025-12-31"):
        book.version_for(date(2025, 12, 31))


def test_two_versions_on_one_day_are_refused():
    with pytest.raises(RuleError, match="same day"):
        Rulebook(
            "b",
            Definitions("UTC", 15, 30),
            (_version(date(2026, 1, 1), 5), _version(date(2026, 1, 1), 6)),
        )


def test_a_line_must_define_every_graded_tier():
    with pytest.raises(RuleError, match="must define exactly"):
        Version("v", date(2026, 1, 1), Group("all", ()), {"consumer": {}})


def test_a_host_gets_the_highest_tier_it_meets():
    v = _version(date(2026, 1, 1), 5)
    values = {"enterprise_member": True, "live_sessions_30d": 5, "fans": 0}
    ev = evaluate_host(v, "h", "consumer", values)
    assert ev.tier is Tier.EXPERT and ev.next_tier is Tier.HONOR
    assert [m.node.metric for m in ev.missing()] == ["fans"]  # type: ignore[union-attr]
    assert ev.shown_sets() == [BASIC, "expert", "honor"]


def test_failing_the_basic_requirements_means_none_whatever_else_is_met():
    v = _version(date(2026, 1, 1), 5)
    ev = evaluate_host(
        v, "h", "consumer", {"enterprise_member": None, "live_sessions_30d": 99, "fans": 10**7}
    )
    assert ev.tier is Tier.NONE
    assert ev.next_tier is Tier.ORDINARY
    assert ev.shown_sets() == [BASIC, "ordinary"]


def test_an_unknown_line_is_refused():
    with pytest.raises(RuleError, match="unknown category line 'services'"):
        evaluate_host(_version(date(2026, 1, 1), 5), "h", "services", {})


def test_an_any_group_reports_its_closest_branch():
    v = _version(date(2026, 1, 1), 5)
    any_group = Group(
        "any", (Criterion("live_sessions_30d", Op.GE, 5), Criterion("live_buyers_30d", Op.GE, 50))
    )
    v.lines["consumer"][Tier.EXPERT] = Group("all", (any_group,))
    ev = evaluate_host(
        v,
        "h",
        "consumer",
        {"enterprise_member": True, "live_sessions_30d": 1, "live_buyers_30d": 40},
    )
    group = ev.sets["expert"].children[0]
    assert not group.met and group.closest == 1 and group.progress == 0.8


def test_a_change_has_a_kind_and_a_direction_and_a_tier_is_at_risk_near_its_end():
    assert change_kind(Tier.NONE, Tier.EXPERT) is EventKind.FIRST_QUALIFICATION
    assert change_kind(Tier.ORDINARY, Tier.HONOR) is EventKind.UPGRADE
    assert change_kind(Tier.HONOR, Tier.NONE) is EventKind.DOWNGRADE
    assert direction(Tier.NONE, Tier.ORDINARY) is Direction.UP
    assert direction(Tier.EXPERT, Tier.ORDINARY) is Direction.DOWN
    assert [at_risk(Tier.EXPERT, h, 3) for h in (2, 3, 4, None)] == [True, True, False, False]
    assert not at_risk(Tier.NONE, 0, 3)
    assert at_risk(Tier.ORDINARY, AT_RISK_DAYS)
