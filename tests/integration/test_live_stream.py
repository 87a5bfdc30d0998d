"""The live stream against the batch, on a generated platform (cross-midnight sessions,
payments before views, conflicting duplicates, sessions ending before they start, bad
timestamps): at the end of each day the live facts equal the batch daily facts; replaying
twice changes nothing; shuffled, late and repeated arrival gives the same result; and a
processor killed (SIGKILL) at any step and restarted gives the same result as one that was not.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from livetier import rulebooks
from livetier.domain.rulebook import Rulebook
from livetier.pipeline.clean import clean
from livetier.pipeline.contract import load as load_table
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.facts import daily_facts
from livetier.pipeline.timestamps import PlatformZone
from livetier.services import live
from livetier.services.live import files
from livetier.services.live.ingest import store_rows
from livetier.services.state import events_after
from livetier.store.models import HostTier, LiveFact, LiveSession
from livetier.store.schema import connected
from livetier.tools.synthetic import generate

pytestmark = pytest.mark.slow  # a generated platform and subprocesses: run by `make test`

END = date(2026, 11, 26)
BATCH = 500  # events per micro-batch: several batches, each crossing days


def _rules_file(folder: Path) -> Path:
    """The shipped rulebook, with surfacing low enough for a small platform to reach."""
    text = rulebooks.DEFAULT_RULEBOOK.read_text(encoding="utf-8")
    for metric, low in (("session_viewers", 4), ("session_buyers", 1)):
        for value in (30, 20, 3, 2):
            text = text.replace(
                f'{{metric: {metric}, op: ">=", value: {value}}}',
                f'{{metric: {metric}, op: ">=", value: {low}}}',
            )
    path = folder / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Platform:
    def __init__(self, root: Path) -> None:
        self.data = root / "data"
        self.summary = generate(self.data, hosts=120, days=3, end_day=END, fmt="csv", seed=11)
        self.rules_path = _rules_file(root)
        self.rules: Rulebook = rulebooks.load(self.rules_path)
        engine = duckdb_engine()
        try:
            sources = {
                n: load_table(engine, self.data, n)
                for n in ("hosts", "sessions", "views", "orders")
            }
            zone = PlatformZone.around(self.rules.definitions.timezone, END)
            cleaned = clean(sources, zone, list(self.rules.versions[0].lines))
            rows = engine.con.to_pyarrow(daily_facts(cleaned, 15)).to_pylist()
            self.hosts = sorted(
                engine.con.to_pyarrow(sources["hosts"].table.select("host_id").distinct())
                .column(0)
                .to_pylist()
            )
        finally:
            engine.close()
        self.batch_facts = {
            (r["host_id"], r["day"]): (r["valid_sessions"], r["live_buyers"]) for r in rows
        }
        # Honor and none alternate: none has no realtime_surfacing.
        self.tiers = {h: ("honor" if i % 2 else "none") for i, h in enumerate(self.hosts)}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Platform:
    return Platform(tmp_path_factory.mktemp("live_platform"))


def _prepare(url: str, platform: Platform) -> None:
    with connected(url) as db, Session(db) as s, s.begin():
        for host, tier in platform.tiers.items():
            s.add(
                HostTier(
                    host_id=host, tier=tier, since=END, first_seen=END, rulebook_version="2026.1"
                )
            )


def state_of(url: str) -> dict[str, Any]:
    """Everything the processor wrote, in a comparable form."""
    with connected(url, migrate=False) as db, Session(db) as s:
        facts = {
            (f.host_id, f.day): (f.valid_sessions, f.live_buyers)
            for f in s.scalars(select(LiveFact))
        }
        sessions = {
            x.session_id: (
                x.host_id,
                x.started_at,
                x.ended_at,
                x.viewers,
                x.buyers,
                x.surfaced_at,
                x.surfaced_metrics,
            )
            for x in s.scalars(select(LiveSession))
        }
        sent = [(e["kind"], e["session_id"], bool(e.get("withdrawn"))) for e in events_after(db)]
    return {"facts": facts, "sessions": sessions, "events": sent}


def applied(events: list[tuple[str, str, bool]]) -> set[str]:
    """The sessions a consumer applying the events in order holds as surfaced (ended or not)."""
    held: set[str] = set()
    for kind, sid, withdrawn in events:
        if kind == "surfaced":
            held.add(sid)
        elif withdrawn:
            held.discard(sid)
    return held


@pytest.fixture(scope="module")
def in_order(
    platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, dict[str, Any]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('in_order') / 'state.db'}"
    _prepare(url, platform)
    with connected(url) as db:
        report = files.replay(db, platform.rules, platform.data, batch_events=BATCH)
    assert report.batches >= 3 and report.rejected  # the generator's bad rows are skipped
    return url, state_of(url)


def test_end_of_day_live_facts_equal_the_batch_daily_facts(
    platform: Platform, in_order: tuple[str, dict[str, Any]]
) -> None:
    _, state = in_order
    assert platform.summary.anomalies.cross_day_sessions > 0
    assert platform.summary.anomalies.conflicting_duplicate_orders > 0
    assert state["facts"] == platform.batch_facts
    surfaced = {sid for sid, row in state["sessions"].items() if row[5] is not None}
    assert surfaced, "the small thresholds surface some sessions"
    assert all(platform.tiers[state["sessions"][sid][0]] == "honor" for sid in surfaced)
    assert sorted(state["events"]) == sorted(
        [("surfaced", sid, False) for sid in surfaced]
        + [("surfacing_ended", sid, False) for sid in surfaced]
    )  # in time order nothing is withdrawn


def test_replaying_again_changes_nothing(
    platform: Platform, in_order: tuple[str, dict[str, Any]]
) -> None:
    url, state = in_order
    with connected(url) as db:
        report = files.replay(db, platform.rules, platform.data, batch_events=BATCH)
    assert report.accepted == 0 and report.duplicates == report.events
    assert state_of(url) == state


def test_shuffled_late_and_repeated_arrival_gives_the_same_result(
    platform: Platform, in_order: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    events, lines, _ = files.replay_events(platform.data, platform.rules, duckdb_engine())
    shuffled = events + random.Random(5).sample(events, len(events) // 10)  # some sent twice
    random.Random(7).shuffle(shuffled)
    url = f"sqlite:///{tmp_path / 'state.db'}"
    _prepare(url, platform)
    with connected(url) as db:
        processor = live.Processor(db, platform.rules, lines=lines, batch_size=BATCH)
        step = len(shuffled) // 4 + 1
        for start in range(0, len(shuffled), step):
            store_rows(db, shuffled[start : start + step])
            processor.process()
        processor.release()
        processor.close()
    state = state_of(url)
    assert (state["facts"], state["sessions"]) == (in_order[1]["facts"], in_order[1]["sessions"])
    # What was sent may differ on the way (a session surfaced on what was known then, then
    # found by a late end never to have been surfaced, is withdrawn), not in what it adds up to.
    surfaced = {sid for sid, row in state["sessions"].items() if row[5] is not None}
    assert applied(state["events"]) == applied(in_order[1]["events"]) == surfaced


def _replay(platform: Platform, url: str, crash_at: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVETIER_CRASH_AT": crash_at or ""}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "livetier",
            "live",
            "replay",
            "--data",
            str(platform.data),
            "--db",
            url,
            "--rules",
            str(platform.rules_path),
            "--batch",
            str(BATCH),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "point",
    ["live-computed@2", "live-results-written@1", "live-events-marked@3", "live-committed@2"],
)
def test_a_processor_killed_at_any_step_and_restarted_gives_the_same_result(
    platform: Platform, in_order: tuple[str, dict[str, Any]], tmp_path: Path, point: str
) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    _prepare(url, platform)
    killed = _replay(platform, url, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    again = _replay(platform, url, None)
    assert again.returncode == 0, again.stderr
    state, expected = state_of(url), in_order[1]
    assert (state["facts"], state["sessions"]) == (expected["facts"], expected["sessions"])
    # Each event exactly once (the batches fall differently after the restart, so the order
    # of the outbox may differ).
    assert sorted(state["events"]) == sorted(expected["events"])


def test_a_replay_s_events_count_in_later_batches_and_another_batch_size_changes_nothing(
    platform: Platform, in_order: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    """A replay stores its micro-batches as blocks, not inbox rows: a new processor's copy of
    the events holds them, so a later event of a replayed host recomputes that host from all
    its events; a replay in other micro-batches stores the same events again, counted once."""
    url, state = in_order
    copy = tmp_path / "state.db"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    copied = f"sqlite:///{copy}"
    events, lines, _ = files.replay_events(platform.data, platform.rules, duckdb_engine())
    again = [{**e, "event_id": f"again-{i}"} for i, e in enumerate(events) if e["kind"] == "paid"][
        :20
    ]  # payments already replayed, sent again under new ids: nothing changes
    with connected(copied) as db:
        assert store_rows(db, again) == len(again)
        processor = live.Processor(db, platform.rules, lines=lines, batch_size=BATCH)
        assert processor.process() == len(again)
        processor.release()
        processor.close()
    assert state_of(copied) == state
    with connected(copied) as db:
        report = files.replay(db, platform.rules, platform.data, batch_events=BATCH * 3)
    assert report.accepted >= BATCH * 3  # another first block (the last may be the same)
    assert state_of(copied) == state
