"""entrypoints/views.py: the one picture of a task list, its holds and a version's tables that
the CLI and the web pages both draw."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from livetier.domain.evaluation import evaluate_host
from livetier.domain.rulebook import Criterion, Group, Op, Version
from livetier.domain.tiers import Tier
from livetier.entrypoints import views

ANY = Group(
    "any", (Criterion("live_sessions_30d", Op.GE, 5), Criterion("live_buyers_30d", Op.GE, 50))
)
VERSION = Version(
    "v1",
    date(2026, 1, 1),
    basic=Group("all", (Criterion("enterprise_member", Op.IS_TRUE),)),
    lines={
        "consumer": {
            Tier.ORDINARY: Group("all", ()),
            Tier.EXPERT: Group("all", (Criterion("fans", Op.GE, 200), ANY)),
            Tier.HONOR: Group("all", (Criterion("fans", Op.GE, 10**6),)),
        }
    },
    privileges={"open_live_room": Tier.ORDINARY},
    fatigue_days={"open_live_room": 2},
)


def _ordinary():
    values = {"enterprise_member": True, "fans": 199, "live_sessions_30d": 1, "live_buyers_30d": 40}
    return evaluate_host(VERSION, "h", "consumer", values)


def test_task_sets_say_which_set_is_kept_or_reached():
    sets = views.task_sets(_ordinary())
    assert [(s.role, s.tier, s.collapsed, s.count) for s in sets] == [
        ("basic", None, True, 1),
        ("reach", Tier.EXPERT, False, 2),
    ]  # the ordinary set has no criteria: not shown


def test_an_unmet_requirement_never_shows_full_and_the_closest_branch_is_marked():
    fans, group = views.task_sets(_ordinary())[1].rows
    assert (fans.met, fans.pct, fans.target, fans.value) == (False, 99, "≥ 200", 199)
    assert group.mode == "any" and not group.met and group.pct == 80
    assert [(c.closest, c.target) for c in group.children] == [(False, "≥ 5"), (True, "≥ 50")]


def test_holds_and_at_risk():
    ev = _ordinary()
    assert views.evaluation_holds(ev, None) == views.Holds(None, False)
    days = views.AT_RISK_DAYS  # the run's default
    assert views.evaluation_holds(ev, days) == views.Holds(days, True)
    assert views.evaluation_holds(ev, days + 1) == views.Holds(days + 1, False)
    none = evaluate_host(VERSION, "h", "consumer", {"enterprise_member": False})
    assert views.evaluation_holds(none, 1) is None


def test_a_status_shows_at_risk_as_its_run_decided_not_by_the_default_days():
    @dataclass(frozen=True)
    class Stored:
        tier: Tier
        holds_days: int | None
        at_risk: bool

    far = views.AT_RISK_DAYS + 3  # a run with --at-risk-days 6 called this at risk
    assert views.holds(Stored(Tier.EXPERT, far, True)) == views.Holds(far, True)
    assert views.holds(Stored(Tier.EXPERT, 1, False)) == views.Holds(1, False)
    assert views.holds(Stored(Tier.NONE, 1, True)) is None


def test_version_tables():
    tables = views.version_tables(VERSION)
    assert tables.basic == {"enterprise_member": "yes"}
    (line,) = tables.lines
    assert line.metrics == ("fans", "live_sessions_30d", "live_buyers_30d")
    assert line.rows == (
        (Tier.ORDINARY, ("—", "—", "—")),
        (Tier.EXPERT, ("≥ 200", "≥ 5 or", "≥ 50")),
        (Tier.HONOR, ("≥ 1000000", "—", "—")),
    )
    assert tables.privileges == (("open_live_room", Tier.ORDINARY, 2),)
