"""How long a tier holds if nothing new happens (domain/evaluation.tier_holds), at its edges."""

from __future__ import annotations

from datetime import date, timedelta

from livetier import rulebooks
from livetier.domain.evaluation import evaluate_host, tier_holds
from livetier.domain.tiers import Tier

D = date(2026, 11, 26)
BOOK = rulebooks.load()
VERSION = BOOK.version_for(D)
PROFILE = {
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
    "trade_medal": 2,
    "bsr_description": 4.6,
    "bsr_shipping": 4.5,
    "fans": 0,
}


def _holds(daily: dict[date, dict[str, int]]) -> tuple[Tier, int | None]:
    totals = {"live_sessions_30d": 0, "live_buyers_30d": 0}
    for day, adds in daily.items():
        if D - timedelta(days=30) <= day < D:
            for metric, n in adds.items():
                totals[metric] += n
    values = {**PROFILE, **totals}
    tier = evaluate_host(VERSION, "h", "consumer", values).tier
    return tier, tier_holds(VERSION, "consumer", values, daily, D, 30, tier)


def _sessions(first: int, count: int) -> dict[date, dict[str, int]]:
    return {D - timedelta(days=first - i): {"live_sessions_30d": 1} for i in range(count)}


def test_the_oldest_day_leaves_first():
    assert _holds(_sessions(10, 5)) == (Tier.EXPERT, 20)  # D-10 stops counting on D+21
    assert _holds(_sessions(30, 5)) == (Tier.EXPERT, 0)  # D-30 stops counting tomorrow
    # A sixth, older session is a spare: losing it tomorrow keeps five, until D-5 leaves.
    assert _holds(_sessions(5, 5) | _sessions(30, 1)) == (Tier.EXPERT, 25)


def test_an_any_group_holds_while_one_branch_does():
    daily = _sessions(20, 5)
    daily[D - timedelta(days=2)] = {"live_buyers_30d": 50}
    # Losing a session on D+11 breaks the sessions branch; the 50 buyers of D-2 hold to D+28.
    assert _holds(daily) == (Tier.EXPERT, 28)


def test_days_outside_the_window_change_nothing():
    daily = _sessions(10, 5)
    daily[D - timedelta(days=31)] = {"live_sessions_30d": 1}  # already gone
    daily[D] = {"live_sessions_30d": 1}  # day D is not counted yet (T+1)
    assert _holds(daily) == (Tier.EXPERT, 20)


def test_none_and_tiers_without_activity_have_no_end():
    assert _holds(_sessions(10, 4)) == (Tier.ORDINARY, None)  # ordinary needs no activity
    no_member = {**PROFILE, "enterprise_member": False}
    values = {**no_member, "live_sessions_30d": 0, "live_buyers_30d": 0}
    assert tier_holds(VERSION, "consumer", values, {}, D, 30, Tier.NONE) is None
