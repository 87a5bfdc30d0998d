"""Real-time surfacing and the live channel as rules: the rulebook's new sections, the
crossing instant of monotone requirements, and the channel's order (docs/rules.md,
"Real-time surfacing")."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from livetier import rulebooks
from livetier.domain.live import Room, arrange, crossing, from_lists, score, surfaced_at
from livetier.domain.rulebook import Criterion, Group, Op, diff_versions
from livetier.domain.tiers import Tier
from livetier.rulebooks import RulebookFileError

SHIPPED = rulebooks.DEFAULT_RULEBOOK.read_text(encoding="utf-8")
T0 = datetime(2026, 11, 25, 12, 0)


def _t(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def ge(metric: str, n: float, op: Op = Op.GE) -> Criterion:
    return Criterion(metric, op, n)


def test_the_shipped_rulebook_has_surfacing_for_every_line_and_channel_settings() -> None:
    version = rulebooks.load().versions[0]
    assert set(version.surfacing) == set(version.lines)
    assert version.channel is not None and version.channel.banner_slots > 0
    assert version.channel.ranking_boost_weight > 1


def test_crossing_is_the_nth_item_for_ge_the_next_for_gt_max_for_all_min_for_any() -> None:
    viewers = [_t(i) for i in range(1, 11)]  # the i-th viewer joins at minute i
    buyers = [_t(20), _t(25)]
    nth = from_lists({"session_viewers": viewers, "session_buyers": buyers})
    assert crossing(ge("session_viewers", 3), nth) == _t(3)
    assert crossing(ge("session_viewers", 3, Op.GT), nth) == _t(4)
    assert crossing(ge("session_viewers", 2.5), nth) == _t(3)  # needs 3 viewers
    assert crossing(ge("session_viewers", 11), nth) is None
    both = Group("all", (ge("session_viewers", 3), ge("session_buyers", 2)))
    either = Group("any", (ge("session_viewers", 3), ge("session_buyers", 2)))
    assert crossing(both, nth) == _t(25)
    assert crossing(either, nth) == _t(3)
    assert crossing(Group("all", (ge("session_viewers", 3), ge("session_buyers", 3))), nth) is None
    assert crossing(Group("all", ()), nth) == datetime.min


def test_surfaced_at_waits_for_the_start_and_a_session_ending_before_the_crossing_never_is() -> (
    None
):
    nth = from_lists({"session_viewers": [_t(1), _t(2)]})
    rule = Group("all", (ge("session_viewers", 2),))
    assert surfaced_at(rule, nth, _t(0), None) == _t(2)
    assert surfaced_at(rule, nth, _t(5), None) == _t(5)  # views before the start event
    assert surfaced_at(rule, nth, _t(0), _t(2)) is None  # ended at the crossing instant
    assert surfaced_at(rule, nth, _t(0), _t(3)) == _t(2)
    assert surfaced_at(None, nth, _t(0), None) is None  # no rule for its line


def _with(old: str, new: str) -> str:
    assert old in SHIPPED
    return SHIPPED.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '{metric: session_viewers, op: ">=", value: 30}',
            '{metric: fans, op: ">=", value: 30}',
            "'fans' is not a session metric",
        ),
        (
            '{metric: session_viewers, op: ">=", value: 30}',
            '{metric: session_viewers, op: "<=", value: 30}',
            "surfacing may use only >= and >",
        ),
        (
            "      industrial:\n        all:\n          - {metric: session_viewers",
            "      services:\n        all:\n          - {metric: session_viewers",
            "surfacing must define exactly the lines",
        ),
        (
            '- {metric: fans, op: ">=", value: 500}',
            '- {metric: session_buyers, op: ">=", value: 500}',
            "may appear only under surfacing",
        ),
        ("banner_slots: 3", "banner_slots: -1", "banner_slots"),
        ("ranking_boost_weight: 1.5", "ranking_boost_weight: 0.5", "ranking_boost_weight"),
        ("buyer_weight: 10", "buyer_weight: 10\n      extra: 1", "extra"),
    ],
)
def test_a_bad_surfacing_or_channel_section_is_refused_with_its_place(
    old: str, new: str, message: str
) -> None:
    with pytest.raises(RulebookFileError, match=message) as e:
        rulebooks.parse(_with(old, new), "draft.yaml")
    assert str(e.value).startswith("draft.yaml: ")


def test_rules_diff_shows_surfacing_and_channel_changes() -> None:
    before = rulebooks.parse(SHIPPED).versions[0]
    after = rulebooks.parse(
        _with(
            '{metric: session_buyers, op: ">=", value: 3}',
            '{metric: session_buyers, op: ">=", value: 5}',
        ).replace("ranking_boost_weight: 1.5", "ranking_boost_weight: 2")
    ).versions[0]
    changes = {
        (c.scope, c.criterion): (c.change, c.before, c.after) for c in diff_versions(before, after)
    }
    assert changes == {
        ("surfacing.consumer", "session_buyers >="): ("changed", 3, 5),
        ("channel", "ranking_boost_weight"): ("changed", 1.5, 2.0),
    }


def test_rules_show_prints_the_surfacing_and_channel_tables(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from livetier.entrypoints.cli import app

    shown = CliRunner().invoke(app, ["rules", "show"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "real-time surfacing 直播实时浮现" in shown.output
    assert "live channel 直播频道" in shown.output
    (tmp_path / "draft.yaml").write_text(_with("banner_slots: 3", "banner_slots: x"))
    bad = CliRunner().invoke(app, ["rules", "validate", str(tmp_path / "draft.yaml")])
    assert bad.exit_code == 2 and "channel.banner_slots" in bad.output


def _room(
    sid: str,
    tier: Tier,
    viewers: int,
    buyers: int,
    *,
    surfaced: bool = True,
    registered: bool = False,
) -> Room:
    return Room(sid, f"h_{sid}", tier, viewers, buyers, _t(1) if surfaced else None, registered)


def test_the_channel_orders_by_boosted_score_and_gives_banners_only_to_channel_banner() -> None:
    version = rulebooks.load().version_for(date(2026, 11, 25))
    channel = version.channel
    assert channel is not None
    rooms = [
        _room("ord", Tier.ORDINARY, 100, 10),  # 200
        _room("hon", Tier.HONOR, 80, 8),  # 160 x 1.5 = 240
        _room("exp", Tier.EXPERT, 10, 0, surfaced=False, registered=True),  # in an activity
        _room("exp2", Tier.EXPERT, 500, 50, surfaced=False),  # neither surfaced nor registered
        _room("ord2", Tier.ORDINARY, 5, 0, surfaced=False, registered=True),  # may not register
    ]
    placed = arrange(version, rooms)
    assert [p.room.session_id for p in placed] == ["hon", "ord", "exp"]
    assert [p.banner for p in placed] == [True, False, False]
    assert placed[0].score == score(channel, 80, 8, True) == (80 + channel.buyer_weight * 8) * 1.5
    assert placed[1].score == 100 + channel.buyer_weight * 10
    many = [_room(f"h{i}", Tier.HONOR, 10 * i, 0) for i in range(channel.banner_slots + 2)]
    assert sum(p.banner for p in arrange(version, many)) == channel.banner_slots
