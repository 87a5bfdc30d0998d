"""The pure parts of rules simulate and calibrate (domain/simulation), and rulebooks.dump."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from livetier import rulebooks
from livetier.domain.evaluation import evaluate_host
from livetier.domain.rulebook import Criterion, Group, Op
from livetier.domain.simulation import (
    decisive,
    moved_thresholds,
    next_quarter,
    privilege_shifts,
    roundness,
    version_id,
)
from livetier.domain.tiers import Tier

BOOK = rulebooks.load()
V = BOOK.versions[0]


def with_expert_sessions(n: int):
    """The 1688 version with consumer expert's sessions threshold at ``n``."""
    expert = V.lines["consumer"][Tier.EXPERT]
    *head, anyof = expert.children
    assert isinstance(anyof, Group)
    sessions = Criterion("live_sessions_30d", Op.GE, n)
    group = Group("all", (*head, Group("any", (sessions, anyof.children[1]))))
    lines = {**V.lines, "consumer": {**V.lines["consumer"], Tier.EXPERT: group}}
    return replace(V, version="draft", lines=lines)


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (date(2026, 11, 26), date(2027, 1, 1)),
        (date(2026, 1, 1), date(2026, 4, 1)),
        (date(2026, 3, 31), date(2026, 4, 1)),
        (date(2026, 9, 30), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2027, 1, 1)),
    ],
)
def test_next_quarter_is_the_first_day_of_the_following_quarter(day, first):
    assert next_quarter(day) == first


def test_version_ids_name_quarters_and_never_repeat():
    assert version_id(date(2027, 1, 1), set()) == "2027.1"
    assert version_id(date(2026, 10, 1), set()) == "2026.4"
    assert version_id(date(2026, 11, 27), set()) == "2026-11-27"
    assert version_id(date(2027, 1, 1), {"2027.1", "2027.1-2"}) == "2027.1-3"


def test_roundness_prefers_larger_round_steps():
    assert roundness(300) > roundness(250) == roundness(50) > roundness(45) > roundness(47)
    assert roundness(47) == 0 and roundness(10) == 1
    assert roundness(4.5) > roundness(4.55)


def test_moved_thresholds_name_line_requirement_and_both_values():
    [m] = moved_thresholds(V, with_expert_sessions(4))
    assert (m.line, m.scope, m.metric, m.op, m.before, m.after) == (
        "consumer",
        "expert",
        "live_sessions_30d",
        ">=",
        5,
        4,
    )
    assert m.numeric
    assert moved_thresholds(V, V) == []


def test_privilege_shifts_count_gains_and_losses_from_the_matrix():
    matrix = Counter({(Tier.ORDINARY, Tier.EXPERT): 3, (Tier.HONOR, Tier.ORDINARY): 2})
    shifts = {p.privilege: (p.gained, p.lost) for p in privilege_shifts(V, V, matrix)}
    assert shifts["channel_activity_registration"] == (3, 2)
    assert shifts["channel_banner"] == (0, 2)
    assert shifts["open_live_room"] == (0, 0)


def host(sessions: int, buyers: int) -> dict[str, object]:
    return {
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
        "bsr_shipping": 4.3,
        "fans": 0,
        "live_sessions_30d": sessions,
        "live_buyers_30d": buyers,
    }


def test_decisive_names_the_draft_criteria_that_flip():
    draft = with_expert_sessions(6)
    before = evaluate_host(V, "h", "consumer", host(5, 0))
    after = evaluate_host(draft, "h", "consumer", host(5, 0))
    assert (before.tier, after.tier) == (Tier.EXPERT, Tier.ORDINARY)
    assert decisive(before, after) == [
        "expert: (live_sessions_30d ≥ 6 or live_buyers_30d ≥ 50): not met "
        "(live_sessions_30d 5, live_buyers_30d 0)"
    ]
    easier = with_expert_sessions(4)
    up = decisive(
        evaluate_host(V, "h", "consumer", host(4, 0)),
        evaluate_host(easier, "h", "consumer", host(4, 0)),
    )
    assert up == [
        "expert: (live_sessions_30d ≥ 4 or live_buyers_30d ≥ 50): met "
        "(live_sessions_30d 4, live_buyers_30d 0)"
    ]


def test_dump_reads_back_as_the_same_rulebook_with_a_header():
    text = rulebooks.dump(BOOK, "made by a test\nsecond line")
    assert text.startswith("# made by a test\n# second line\n")
    assert rulebooks.parse(text) == BOOK
    two = replace(
        BOOK, versions=(V, replace(with_expert_sessions(4), effective_from=date(2027, 1, 1)))
    )
    assert rulebooks.parse(rulebooks.dump(two)) == two
