"""May a host use a privilege now: the pure decision, and the fatigue rule at its boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from livetier import rulebooks
from livetier.domain.evaluation import evaluate_host
from livetier.domain.privileges import Reason, blocked_days, decide
from livetier.domain.tiers import Tier

V = rulebooks.load().versions[0]
D = date(2026, 11, 26)
REG = "channel_activity_registration"
GOOD = {
    "enterprise_member": True,
    "risk_assessment_passed": True,
    "major_tax_violation": False,
    "prohibited_goods_violation": False,
    "compliance_violation": False,
    "severe_infringement_penalty": False,
    "business_status_abnormal": False,
    "dishonest_record": False,
    "competitiveness_passed": True,
    "category": "apparel",
}


def ask(tier: Tier = Tier.EXPERT, claimed: bool = True, **kw):  # type: ignore[no-untyped-def]
    return decide(
        V,
        kw.pop("privilege", REG),
        tier=tier,
        claimed=claimed,
        evaluation=kw.pop("evaluation", None),
        today=kw.pop("today", D),
        **kw,
    )


def test_the_tier_the_rulebook_names_and_a_claim_are_needed():
    assert ask().allowed and ask().reason is Reason.ALLOWED
    assert ask(Tier.HONOR).allowed  # higher tiers keep the privilege
    assert ask(Tier.ORDINARY).reason is Reason.TIER_TOO_LOW
    assert ask(Tier.ORDINARY).required_tier is Tier.EXPERT
    assert ask(claimed=False).reason is Reason.NOT_CLAIMED
    assert ask(privilege="channel_banner").reason is Reason.TIER_TOO_LOW
    assert ask(Tier.HONOR, privilege="channel_banner").allowed
    assert ask(privilege="time_travel").reason is Reason.UNKNOWN_PRIVILEGE


def test_tier_none_says_why():
    drug = evaluate_host(V, "h", "consumer", {**GOOD, "category": "pharmaceutical"})
    basic = evaluate_host(V, "h", "consumer", {**GOOD, "dishonest_record": None})
    assert ask(Tier.NONE, evaluation=drug).reason is Reason.RESTRICTED_CATEGORY
    assert ask(Tier.NONE, evaluation=basic).reason is Reason.BASIC_REQUIREMENTS
    assert ask(Tier.NONE, evaluation=None).reason is Reason.NOT_GRADED


@pytest.mark.parametrize(("days_since", "allowed"), [(0, False), (1, False), (2, True), (3, True)])
def test_after_a_registration_on_d_the_next_is_allowed_from_d_plus_2(days_since, allowed):
    decision = ask(last_use=D, today=D + timedelta(days=days_since))
    assert decision.allowed is allowed
    if not allowed:
        assert decision.reason is Reason.FATIGUE
        assert decision.next_allowed_day == D + timedelta(days=2)


def test_special_events_are_exempt_and_other_privileges_have_no_fatigue():
    assert ask(last_use=D, exempt=True).allowed
    assert ask(Tier.HONOR, privilege="channel_banner", last_use=D).allowed


def test_blocked_days_overlap_exactly_when_the_rule_refuses():
    assert blocked_days(D, 2) == [D, D + timedelta(days=1)]
    for gap in range(4):
        overlap = set(blocked_days(D, 2)) & set(blocked_days(D + timedelta(days=gap), 2))
        assert bool(overlap) is (not ask(last_use=D, today=D + timedelta(days=gap)).allowed)
