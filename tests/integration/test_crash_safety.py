"""A run killed at any point leaves the previous state intact, and the next run completes.

Each case runs `livetier run` in a real subprocess that kills itself with SIGKILL at one step
(LIVETIER_CRASH_AT), as a power cut or the OOM killer would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from builders import Platform
from livetier import rulebooks
from livetier.services import state
from livetier.services.served import Served
from livetier.store import serving
from livetier.store.models import Run
from livetier.store.schema import connected
from livetier.store.warehouse import open_warehouse

pytestmark = pytest.mark.slow  # run anyway by `make test`; skip locally with -m "not slow"

STEPS = [
    "facts-written",  # inside the warehouse transaction
    "warehouse-written",  # facts committed, state store not yet touched
    "evaluated",
    "run-started",
    "snapshot-written",  # a complete snapshot that no succeeded run names
    "changes-written",
    "committed",
]


def _livetier(*args: str, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVETIER_CRASH_AT": crash_at or ""}
    return subprocess.run(
        [sys.executable, "-m", "livetier", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _served(url: str) -> tuple[str, float]:
    """What the HTTP service shows of h_exp: its tier and the rating it was graded on."""
    with connected(url) as store:
        st = Served(store, rulebooks.load(), refresh_seconds=0).host("h_exp")
    return st.tier.value, st.metrics["bsr_description"]


def _snapshot(url: str):
    with connected(url) as store:
        return state.tiers(store), state.history(store), state.events_after(store)


@pytest.mark.parametrize("step", STEPS)
def test_a_run_killed_at_any_step_leaves_state_intact(tmp_path, db_url, step, warehouse):
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 5, date(2026, 11, 1))
    p.host("h_ord")
    first = p.write(tmp_path / "d1")
    assert (
        _livetier("run", "--data", str(first), "--date", "2026-11-25", "--db", db_url).returncode
        == 0
    )
    before = _snapshot(db_url)
    assert _served(db_url) == ("expert", 4.6)

    p.hosts[0]["bsr_description"] = "4.5"  # D2: h_exp drops to ordinary
    second = p.write(tmp_path / "d2")
    killed = _livetier(
        "run", "--data", str(second), "--date", "2026-11-26", "--db", db_url, crash_at=step
    )
    assert killed.returncode == -signal.SIGKILL
    after_crash = _snapshot(db_url)
    if step == "committed":  # killed after the commit: the day is complete, and kept
        assert after_crash != before
    else:
        assert after_crash == before
        # The service still shows the last succeeded run, not a killed run's snapshot.
        assert _served(db_url) == ("expert", 4.6)

    done = _livetier("run", "--data", str(second), "--date", "2026-11-26", "--db", db_url)
    assert done.returncode == 0, done.stderr
    tiers, history, events = _snapshot(db_url)
    assert {t["host_id"]: t["tier"] for t in tiers} == {"h_exp": "ordinary", "h_ord": "ordinary"}
    assert [(c["host_id"], c["day"], c["to_tier"]) for c in history][-1] == (
        "h_exp",
        "2026-11-26",
        "ordinary",
    )
    assert len(events) == len(before[2]) + 1  # the downgrade, once
    with connected(db_url) as store, Session(store) as s:
        statuses = s.scalars(select(Run.status).order_by(Run.id)).all()
    # Once the first day, once the second (after a commit, the re-run finds it done).
    assert statuses.count("succeeded") == 2
    assert "running" not in statuses
    assert _served(db_url) == ("ordinary", 4.5)
    with connected(db_url) as store, Session(store) as s:
        succeeded = s.scalars(select(Run.id).where(Run.status == "succeeded")).all()
    # A killed run's snapshot is removed by the next run; succeeded runs' are kept.
    with connected(db_url) as store, store.connect() as c:
        assert serving.stored_runs(c) == sorted(succeeded)
    # The warehouse holds each (host, day) once, and the facts a clean run would store.
    with open_warehouse(warehouse) as wh:
        rows = wh.facts().to_pyarrow().to_pylist()
    assert len(rows) == len({(r["host_id"], r["day"]) for r in rows})
    assert sum(r["valid_sessions"] for r in rows if r["host_id"] == "h_exp") == 5
    # The warehouse's copy of the state is the store's, or names an older run (not used).
    with open_warehouse(warehouse) as wh:
        tag = wh.state_of()
        copy = wh.raw.execute("SELECT host_id, tier FROM host_state ORDER BY host_id").fetchall()
    latest = max(succeeded)
    if step != "committed":  # the recovery run did the day, and brought the copy up to it
        assert tag is not None and tag.startswith(f"{latest}|")
    if tag is not None and tag.startswith(f"{latest}|"):
        assert copy == sorted((t["host_id"], t["tier"]) for t in tiers)
