"""Model-based test: day runs, re-runs, restatements, claims, registrations and rulebook versions,
interleaved by Hypothesis, against an in-memory model of the rules (docs/rules.md).

The model keeps its own state, history, claims and fatigue; only the tiers of a day come from
the pure evaluation of the whole input (services/evaluate), never from the daily run's
warehouse or state store. Short by default (a few examples, marked slow);
``LIVETIER_STATEFUL_EXAMPLES=200`` runs a longer campaign.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from builders import Clock, Platform, rulebook_with_new_version
from livetier import rulebooks
from livetier.domain.rulebook import Rulebook
from livetier.services import activities, daily, state
from livetier.services.evaluate import evaluate
from livetier.services.served import Served
from livetier.services.state import ClaimRefused
from livetier.store.schema import open_engine

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LIVETIER_STATEFUL_EXAMPLES", "3"))
FIRST = date(2026, 11, 24)
HOSTS = ("h_early", "h_late", "h_ord", "h_bad")
PRIVILEGE = "channel_activity_registration"
_ROOT = Path(tempfile.mkdtemp(prefix="livetier-stateful-"))  # the inputs, shared by examples
atexit.register(shutil.rmtree, _ROOT, True)


def _platform(corrected: bool) -> Platform:
    """Four hosts whose tiers move over the days run: h_early loses expert when its sessions
    leave the window, h_late gains it; the corrected input changes two profiles."""
    p = Platform()
    expert = {"trade_medal": "2", "bsr_description": "4.5" if corrected else "4.6", "fans": "0"}
    p.host("h_early", **expert)
    p.sessions_for("h_early", 5, date(2026, 10, 28))
    p.host("h_late", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_late", 5, date(2026, 11, 22))
    p.host("h_ord")
    p.host("h_bad", category="apparel" if corrected else "e_cigarette")
    return p


@cache
def _data(corrected: bool) -> Path:
    return _platform(corrected).write(_ROOT / ("corrected" if corrected else "first"))


@cache
def _rules(effective: date | None) -> Path:
    """The shipped rulebook, or with a version from ``effective`` with a longer fatigue."""
    if effective is None:
        return rulebooks.DEFAULT_RULEBOOK
    folder = _ROOT / f"rules-{effective}"
    folder.mkdir(exist_ok=True)
    return rulebook_with_new_version(folder, str(effective), f"{PRIVILEGE}: 2", f"{PRIVILEGE}: 4")


@cache
def _grades(corrected: bool, day: date, effective: date | None) -> dict[str, str]:
    """The model's grader: every host's tier on ``day`` from the whole input."""
    result = evaluate(_data(corrected), day, rulebooks.load(_rules(effective)))
    return {e.host_id: e.tier.value for e in result.hosts}


@dataclass
class Model:
    """The rules' state, kept apart from the services: tiers, history, claims, fatigue."""

    tiers: dict[str, str] = field(default_factory=dict)
    history: list[tuple[str, date, str, str]] = field(default_factory=list)
    before: dict[date, dict[str, str]] = field(default_factory=dict)  # state before each day
    days: list[date] = field(default_factory=list)
    claims: set[str] = field(default_factory=set)
    last_use: dict[str, date] = field(default_factory=dict)

    def run(self, day: date, grades: dict[str, str]) -> None:
        """Day ``day`` graded as ``grades``: a re-run of the latest day replaces it."""
        if self.days and self.days[-1] == day:
            self.tiers = dict(self.before[day])
            self.history = [h for h in self.history if h[1] != day]
        else:
            self.days.append(day)
            self.before[day] = dict(self.tiers)
        for host, tier in sorted(grades.items()):
            old = self.tiers.get(host, "none")
            if old != tier:
                self.history.append((host, day, old, tier))
            self.tiers[host] = tier

    def restate_from(
        self, first: date, days: list[date], grade: dict[date, dict[str, str]]
    ) -> None:
        """Restatement (``backfill --restate``): history from ``first`` (a day run) on is
        replaced by the new grades of every calendar day in ``days``."""
        self.tiers = dict(self.before[first])
        self.history = [h for h in self.history if h[1] < first]
        self.days = [d for d in self.days if d < first]
        for d in days:
            self.run(d, grade[d])

    def may_register(self, host: str, today: date, special: bool, fatigue: int) -> bool:
        if self.tiers.get(host) not in ("expert", "honor") or host not in self.claims:
            return False
        last = self.last_use.get(host)
        return special or last is None or today >= last + timedelta(days=fatigue)


class DailyLife(RuleBasedStateMachine):
    """The services, driven like a platform would, compared with the model after each step."""

    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(dir=_ROOT))
        self.db = open_engine(f"sqlite:///{self.folder / 'state.db'}")
        self.warehouse = self.folder / "livetier.duckdb"
        self.model = Model()
        self.corrected = False
        self.effective: date | None = None
        self._run(FIRST)  # every other rule needs a day run

    def teardown(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _rulebook(self) -> Rulebook:
        return rulebooks.load(_rules(self.effective))

    def _run(self, day: date) -> None:
        daily.run_day(_data(self.corrected), day, self._rulebook(), self.db, self.warehouse)
        self.model.run(day, _grades(self.corrected, day, self.effective))

    @rule(skip=st.integers(1, 3))
    def run_next_day(self, skip: int) -> None:
        self._run(self.model.days[-1] + timedelta(days=skip))

    @precondition(lambda self: bool(self.model.days))
    @rule(corrected=st.booleans())
    def rerun_latest_day(self, corrected: bool) -> None:
        self.corrected = self.corrected or corrected  # a correction stays corrected
        self._run(self.model.days[-1])

    @precondition(lambda self: len(self.model.days) >= 2)
    @rule(back=st.integers(1, 2))
    def restate_with_corrected_input(self, back: int) -> None:
        days = self.model.days
        first, last = days[max(0, len(days) - 1 - back)], days[-1]
        self.corrected = True
        daily.restate(_data(True), first, last, self._rulebook(), self.db, self.warehouse)
        calendar = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        grades = {d: _grades(True, d, self.effective) for d in calendar}
        self.model.restate_from(first, calendar, grades)

    @precondition(lambda self: bool(self.model.days) and self.effective is None)
    @rule(delay=st.integers(1, 3))
    def new_rule_version(self, delay: int) -> None:
        self.effective = self.model.days[-1] + timedelta(days=delay)

    @precondition(lambda self: bool(self.model.days))
    @rule(host=st.sampled_from(HOSTS))
    def claim(self, host: str) -> None:
        allowed = self.model.tiers.get(host, "none") != "none"
        try:
            state.claim(self.db, host)
        except ClaimRefused:
            assert not allowed, f"{host} refused a claim at tier {self.model.tiers.get(host)}"
            return
        assert allowed, f"{host} claimed at tier {self.model.tiers.get(host)}"
        self.model.claims.add(host)

    @precondition(lambda self: bool(self.model.days))
    @rule(host=st.sampled_from(HOSTS), special=st.booleans(), later=st.integers(0, 2))
    def register(self, host: str, special: bool, later: int) -> None:
        today = max([self.model.days[-1], *self.model.last_use.values()]) + timedelta(days=later)
        book = self._rulebook()
        served = Served(self.db, book, clock=Clock(today), refresh_seconds=0)
        activity = activities.create_activity(served, "live", today, special)
        outcome = activities.register(served, host, activity["id"], api_key_id=0, codes={})
        fatigue = book.version_for(today).fatigue_days[PRIVILEGE]
        expected = self.model.may_register(host, today, special, fatigue)
        assert (outcome.result is activities.Result.CREATED) == expected, outcome.body
        if expected and not special:
            self.model.last_use[host] = today

    @invariant()
    def state_and_history_follow_the_model(self) -> None:
        if not hasattr(self, "model"):
            return
        tiers = {t["host_id"]: t["tier"] for t in state.tiers(self.db)}
        assert tiers == self.model.tiers
        history = sorted(
            (c["host_id"], date.fromisoformat(c["day"]), c["from_tier"], c["to_tier"])
            for c in state.history(self.db)
        )
        assert history == sorted(self.model.history)


DailyLife.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=6 if EXAMPLES <= 3 else 15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestDailyLife = DailyLife.TestCase
