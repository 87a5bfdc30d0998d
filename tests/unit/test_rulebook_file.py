"""Rulebook YAML: the shipped 1688 rulebook loads and matches docs/rules.md; errors say where."""

from __future__ import annotations

from datetime import date

import pytest

from livetier import rulebooks
from livetier.domain.rulebook import BASIC, Criterion, Group
from livetier.domain.tiers import Tier


def _targets(group: Group) -> dict[str, object]:
    out: dict[str, object] = {}
    for child in group.children:
        if isinstance(child, Criterion):
            out[child.metric] = child.target
        else:
            out.update({f"{child.mode}:{k}": v for k, v in _targets(child).items()})
    return out


def test_the_shipped_rulebook_holds_rules_md_tables():
    book = rulebooks.load()
    assert book.definitions.timezone == "Asia/Shanghai"
    assert book.definitions.valid_session_longer_than_minutes == 15
    assert book.definitions.window_days == 30
    v = book.version_for(date(2026, 11, 26))
    consumer, industrial = v.lines["consumer"], v.lines["industrial"]
    assert _targets(consumer[Tier.ORDINARY]) == {}
    assert _targets(consumer[Tier.EXPERT]) == {
        "trade_medal": 2,
        "bsr_description": 4.6,
        "bsr_shipping": 4.3,
        "any:live_sessions_30d": 5,
        "any:live_buyers_30d": 50,
    }
    assert _targets(consumer[Tier.HONOR]) == {
        "trade_medal": 3,
        "bsr_description": 4.7,
        "bsr_shipping": 4.3,
        "fans": 500,
        "live_sessions_30d": 15,
        "live_buyers_30d": 300,
    }
    assert _targets(industrial[Tier.EXPERT]) == {
        "trade_medal": 2,
        "any:live_sessions_30d": 3,
        "any:live_buyers_30d": 10,
    }
    assert _targets(industrial[Tier.HONOR]) == {
        "trade_medal": 3,
        "bsr_description": 4.3,
        "fans": 200,
        "live_sessions_30d": 10,
        "live_buyers_30d": 30,
    }
    basic = v.requirement_sets("consumer")[BASIC]
    assert len(basic.children) == 10
    assert _targets(basic)["category"] == (
        "adult_health",
        "pharmaceutical",
        "health_care",
        "e_cigarette",
    )
    assert v.privileges["channel_activity_registration"] is Tier.EXPERT
    assert v.privileges["channel_banner"] is Tier.HONOR
    assert v.fatigue_days == {"channel_activity_registration": 2}  # docs/rules.md: every 2 days


def test_fatigue_days_must_name_a_privilege_and_be_positive():
    text = rulebooks.DEFAULT_RULEBOOK.read_text()
    unknown = text.replace("channel_activity_registration: 2", "channel_activities: 2")
    with pytest.raises(rulebooks.RulebookFileError, match="unknown privileges: channel_activities"):
        rulebooks.parse(unknown, "x.yaml")
    zero = text.replace("channel_activity_registration: 2", "channel_activity_registration: 0")
    with pytest.raises(rulebooks.RulebookFileError, match="fatigue_days"):
        rulebooks.parse(zero, "x.yaml")


def test_unknown_keys_are_errors_with_their_place():
    text = rulebooks.DEFAULT_RULEBOOK.read_text().replace(
        "window_days: 30", "window_days: 30\n  windows: 7"
    )
    with pytest.raises(rulebooks.RulebookFileError, match=r"x\.yaml: definitions\.windows"):
        rulebooks.parse(text, "x.yaml")


def test_a_group_with_both_all_and_any_is_an_error():
    text = rulebooks.DEFAULT_RULEBOOK.read_text().replace(
        "ordinary: {all: []}", "ordinary: {all: [], any: []}", 1
    )
    with pytest.raises(rulebooks.RulebookFileError, match="exactly one of 'all' or 'any'"):
        rulebooks.parse(text, "x.yaml")


def test_unreadable_and_malformed_files_name_the_file(tmp_path):
    with pytest.raises(rulebooks.RulebookFileError, match=r"nope\.yaml: cannot read"):
        rulebooks.load(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("versions: [")
    with pytest.raises(rulebooks.RulebookFileError, match=r"bad\.yaml: not valid YAML"):
        rulebooks.load(bad)
