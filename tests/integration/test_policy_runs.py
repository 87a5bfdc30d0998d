"""Grace before a downgrade and manual overrides through real day runs (backfill, a re-run
of the latest day, a restatement), on SQLite and PostgreSQL: the recorded history equals the
pure rule (domain/policy.decide) replayed over each day's grade, and every set, clear and
expiry of an override is in the audit trail once."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from builders import Platform
from livetier import rulebooks
from livetier.domain.policy import decide
from livetier.domain.tiers import Tier
from livetier.services import daily, overrides, state
from livetier.services.status import host_status
from livetier.store.models import GraceDay, HostTier, TierChange
from livetier.store.schema import open_engine

pytestmark = pytest.mark.slow

D = [date(2026, 11, 1) + timedelta(days=i) for i in range(5)]  # D[0] .. D[4]: 11-01 .. 11-05
GRACE = 1
N, OR, E, H = Tier.NONE, Tier.ORDINARY, Tier.EXPERT, Tier.HONOR
GRADES = {  # each host's grade on D[0] .. D[4], by construction (see _platform)
    "h_lapse": [E, OR, OR, OR, OR],
    "h_blip": [E, OR, E, OR, OR],
    "h_jump": [E, OR, H, H, H],
    "h_ord": [OR] * 5,
    "h_cig": [N] * 5,
}


def _at(day: date, hour: int = 20) -> datetime:
    return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)


def _platform() -> Platform:
    """Consumer expert needs 5 valid sessions in D-30 .. D-1 (the profiles meet the rest):
    h_lapse is expert on 11-01 only; h_blip on 11-01 and 11-03 (a day back at the tier resets
    the count); h_jump (industrial) is expert, then ordinary (grace), then honor (an upgrade
    during grace is immediate); h_ord is ordinary; h_cig a restricted category (none)."""
    p = Platform()
    base = [date(2026, 10, 20) + timedelta(days=i) for i in range(4)]
    p.host("h_lapse", trade_medal="2", bsr_description="4.6", fans="0")
    for d in [date(2026, 10, 2), *base]:
        p.session("h_lapse", _at(d))
    p.host("h_blip", trade_medal="2", bsr_description="4.6", fans="0")
    for d in [date(2026, 10, 2), date(2026, 10, 4), *base[:3], date(2026, 11, 2)]:
        p.session("h_blip", _at(d))
    p.host("h_jump", category_line="industrial", fans="1000")
    for d in [date(2026, 10, 2), *base[:2]]:
        p.session("h_jump", _at(d))
    for i in range(8):
        p.session("h_jump", _at(date(2026, 11, 2), 8 + i), minutes=30)
    p.buyers_for("h_jump", 30, date(2026, 11, 2))
    p.host("h_ord", trade_medal="1")
    p.sessions_for("h_ord", 4, base[0])
    p.host("h_cig", category="e_cigarette")
    return p


def _rules(folder: Path) -> Path:
    text = rulebooks.DEFAULT_RULEBOOK.read_text()
    marker = "    effective_from: 2026-01-01\n"
    path = folder / "grace.yaml"
    path.write_text(text.replace(marker, marker + f"    downgrade_grace_days: {GRACE}\n"))
    return path


Bounds = dict[str, tuple[str, Tier, date, date]]


def _expected(bounds: Bounds) -> dict[date, dict[str, tuple[Tier, int]]]:
    """The pure rule replayed day after day: (tier held, lower days) per host and day."""
    held: dict[str, tuple[Tier, int]] = {}
    out = {}
    for i, day in enumerate(D):
        for host, grades in GRADES.items():
            current, lower = held.get(host, (N, 0))
            kind, tier, first, last = bounds.get(host, ("", N, date.max, date.min))
            on = first <= day <= last
            d = decide(
                current,
                grades[i],
                lower,
                GRACE,
                basic_met=host != "h_cig",
                floor=tier if on and kind == "floor" else None,
                cap=tier if on and kind == "cap" else None,
            )
            held[host] = (d.tier, d.lower_days)
        out[day] = dict(held)
    return out


def _recorded(db: Any) -> dict[date, dict[str, tuple[Tier, int]]]:
    """Each day's held tier and grace count, from the recorded history."""
    with Session(db) as s:
        changes = sorted((c.day, c.host_id, c.to_tier) for c in s.scalars(select(TierChange)))
        grace = {(g.day, g.host_id): g.lower_days for g in s.scalars(select(GraceDay))}
    out = {}
    for day in D:
        tiers = dict.fromkeys(GRADES, N)
        for when, h, to in changes:
            if when <= day:
                tiers[h] = Tier(to)
        out[day] = {h: (t, grace.get((day, h), 0)) for h, t in tiers.items()}
    return out


def _history(db: Any) -> list[Any]:
    with Session(db) as s:
        changes = sorted(
            (c.host_id, c.day, c.from_tier, c.to_tier, tuple(c.reasons))
            for c in s.scalars(select(TierChange))
        )
        grace = sorted((g.host_id, g.day, g.lower_days) for g in s.scalars(select(GraceDay)))
        tiers = sorted(
            (t.host_id, t.tier, t.since, t.at_risk, t.override_id)
            for t in s.scalars(select(HostTier))
        )
    return [changes, grace, tiers]


def test_grace_and_overrides_through_backfill_reruns_and_restatement(tmp_path, db_url):
    folder = _platform().write(tmp_path / "data")
    book = rulebooks.load(_rules(tmp_path))
    db = open_engine(db_url)
    warehouse = tmp_path / "w.duckdb"
    try:
        daily.backfill(folder, D[0], D[2], book, db, warehouse)
        with pytest.raises(ValueError, match="until 2026-11-03 is before 2026-11-04"):
            overrides.set_override(db, "h_ord", "floor", "honor", "x", D[2], "ops")
        with pytest.raises(LookupError, match="no such host"):
            overrides.set_override(db, "nobody", "floor", "honor", "x", None, "ops")
        # Set after the run of 11-03: they act from 11-04 ("until" is inclusive).
        overrides.set_override(db, "h_blip", "cap", "ordinary", "quality review", D[3], "ops1")
        overrides.set_override(db, "h_ord", "floor", "expert", "launch partner", D[3], "ops2")
        overrides.set_override(db, "h_cig", "floor", "honor", "must not lift", None, "ops1")
        overrides.set_override(db, "h_jump", "cap", "expert", "under review", None, "ops2")
        assert {o["state"] for o in overrides.listing(db)} == {"in_force"}
        daily.backfill(folder, D[3], D[3], book, db, warehouse)
        st = host_status(db, "h_ord", book)
        assert st.tier is E and st.override is not None
        assert (st.override.kind, st.override.tier, st.override.until) == ("floor", E, D[3])
        assert host_status(db, "h_cig", book).tier is N  # fail closed
        daily.run_day(folder, D[4], book, db, warehouse)

        bounds: Bounds = {
            "h_blip": ("cap", OR, D[3], D[3]),
            "h_ord": ("floor", E, D[3], D[3]),
            "h_cig": ("floor", H, D[3], date.max),
            "h_jump": ("cap", E, D[3], date.max),
        }
        expected = _expected(bounds)
        assert _recorded(db) == expected
        # The boundaries in words (N = 1): N lower day runs keep the tier, the N+1st moves it.
        assert [expected[d]["h_lapse"] for d in D[:3]] == [(E, 0), (E, 1), (OR, 0)]
        assert [expected[d]["h_blip"] for d in D[:3]] == [(E, 0), (E, 1), (E, 0)]  # reset
        assert [expected[d]["h_jump"] for d in D[:3]] == [(E, 0), (E, 1), (H, 0)]  # up at once
        assert expected[D[3]]["h_blip"] == (OR, 0)  # the cap wins over grace
        # The floor ended: a drop from the tier held gets grace like any other.
        assert [expected[d]["h_ord"] for d in D[3:]] == [(E, 0), (E, 1)]
        assert [expected[d]["h_jump"] for d in D[3:]] == [(E, 0), (E, 0)]

        by = {(c["host_id"], c["day"]): c for c in state.history(db)}
        assert by[("h_lapse", "2026-11-03")]["reason"] == "grace"
        assert by[("h_lapse", "2026-11-03")]["reasons"][0].startswith("grace: graded lower")
        assert by[("h_blip", "2026-11-04")]["reason"] == "override"
        assert "quality review" in by[("h_blip", "2026-11-04")]["reasons"][0]
        assert by[("h_jump", "2026-11-03")]["reason"] == "grade"
        assert not any(h == "h_cig" for h, _ in by)

        audit = [(a["host_id"], a["action"], a["who"]) for a in overrides.audit(db)]
        expiries = [("h_blip", "expire", "livetier"), ("h_ord", "expire", "livetier")]
        assert audit == [
            ("h_blip", "set", "ops1"),
            ("h_ord", "set", "ops2"),
            ("h_cig", "set", "ops1"),
            ("h_jump", "set", "ops2"),
            *expiries,  # logged by the run of 11-05
        ]
        st = host_status(db, "h_ord", book)  # in grace: at risk, days left
        assert (st.tier, st.grace_days_left, st.at_risk, st.override) == (E, 0, True, None)
        st = host_status(db, "h_jump", book)
        assert st.tier is E and st.override is not None and st.override.until is None
        before = _history(db)

        # A re-run of the latest day (new input files) records the same.
        os.utime(folder / "sessions.csv", (1, 1))
        assert daily.run_day(folder, D[4], book, db, warehouse).status == "succeeded"
        assert _history(db) == before
        # A restatement replays each day with the overrides in force on it.
        daily.restate(folder, D[3], D[4], book, db, warehouse)
        assert _history(db) == before
        assert len(overrides.audit(db)) == len(audit)  # expiries are logged once

        overrides.clear_override(db, "h_jump", "review done", "ops3")
        last = overrides.audit(db)[-1]
        assert (last["host_id"], last["action"], last["who"], last["reason"]) == (
            "h_jump",
            "clear",
            "ops3",
            "review done",
        )
        states = {o["host_id"]: o["state"] for o in overrides.listing(db)}
        assert states == {"h_jump": "ended", "h_cig": "in_force", "h_ord": "expired"} | {
            "h_blip": "expired"
        }
    finally:
        db.dispose()
