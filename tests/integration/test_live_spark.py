"""The live stream on Spark Structured Streaming (services/live/spark_stream.py).

A generated platform (cross-midnight sessions, payments before views, conflicting duplicates,
bad rows) is replayed as event files (NDJSON and Parquet, shuffled: late events; some events
repeated in a later file; one bad line) into a folder. One Spark run (``--once``: trigger
availableNow) must give: the batch daily facts for every day (end of day: all events are in),
and the same sessions, surfacing and outbox events as the embedded processor (DuckDB) on the
same files. Running the stream again changes nothing, and so does a batch Spark replays after a
crash between our commit and its own (its id is recorded with the results).

Spark is slow to start and each micro-batch runs several Spark jobs: one module, one session,
one stream run that the tests share.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from builders import local_spark
from livetier import rulebooks
from livetier.pipeline.clean import clean
from livetier.pipeline.contract import load as load_table
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.facts import daily_facts
from livetier.pipeline.timestamps import PlatformZone
from livetier.services import live
from livetier.services.live import files
from livetier.services.live.spark_stream import SparkStream, StreamReport, StreamSource
from livetier.store.models import HostTier, LiveFact, LiveSession, OutboxEvent
from livetier.store.schema import connected
from livetier.tools.synthetic import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

END = date(2026, 11, 26)
_TIME = {
    "session_started": "started_at",
    "session_ended": "ended_at",
    "viewed": "viewed_at",
    "paid": "paid_at",
}


@pytest.fixture(scope="module")
def spark():
    """The shared local Spark engine with 2 shuffle partitions (small micro-batches)."""
    with local_spark(2) as engine:
        yield engine


def _rules_file(folder: Path) -> Path:
    """The shipped rulebook with surfacing low enough for a small platform to reach."""
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


def _raw(event: dict[str, Any]) -> dict[str, Any]:
    """A stored-form event (``at``, naive UTC) as a file carries it."""
    raw = {k: v for k, v in event.items() if k != "at" and v is not None}
    raw[_TIME[event["kind"]]] = event["at"].replace(tzinfo=UTC).isoformat()
    return raw


class Platform:
    def __init__(self, root: Path) -> None:
        data = root / "data"
        generate(data, hosts=120, days=3, end_day=END, fmt="csv", seed=11)
        self.rules = rulebooks.load(_rules_file(root))
        engine = duckdb_engine()
        try:
            sources = {
                n: load_table(engine, data, n) for n in ("hosts", "sessions", "views", "orders")
            }
            zone = PlatformZone.around(self.rules.definitions.timezone, END)
            cleaned = clean(sources, zone, list(self.rules.versions[0].lines))
            rows = engine.con.to_pyarrow(daily_facts(cleaned, 15)).to_pylist()
            events, self.lines, _ = files.replay_events(data, self.rules, engine)
        finally:
            engine.close()
        self.batch_facts = {
            (r["host_id"], r["day"]): (r["valid_sessions"], r["live_buyers"]) for r in rows
        }
        hosts = sorted({e["host_id"] for e in events if e.get("host_id") is not None})
        self.tiers = {h: ("honor" if i % 2 else "none") for i, h in enumerate(hosts)}
        # Late and out of order: shuffled; repeated: a tenth again in the last file.
        rng = random.Random(3)
        shuffled = [_raw(e) for e in events]
        rng.shuffle(shuffled)
        self.source = root / "events"
        self.source.mkdir()
        parts = [shuffled[i::4] for i in range(4)]
        for i, part in enumerate(parts[:2]):
            (self.source / f"{i}.ndjson").write_text(
                "".join(json.dumps(e) + "\n" for e in part), encoding="utf-8"
            )
        for i, part in enumerate(parts[2:], start=2):
            pq.write_table(_parquet(part), self.source / f"{i}.parquet")
        again = rng.sample(shuffled, len(shuffled) // 10)
        (self.source / "9.ndjson").write_text(
            "".join(json.dumps(e) + "\n" for e in again) + '{"kind": "viewed"}\n',
            encoding="utf-8",
        )
        self.events = len({e["event_id"] for e in events})
        self.duplicates = len(shuffled) + len(again) - self.events


def _parquet(events: list[dict[str, Any]]) -> pa.Table:
    columns = sorted({k for e in events for k in e})
    table = {c: [e.get(c) for e in events] for c in columns}
    types = {c: pa.bool_() if c == "deleted" else pa.string() for c in columns}
    return pa.table({c: pa.array(v, types[c]) for c, v in table.items()})


def _prepare(url: str, platform: Platform) -> None:
    with connected(url) as db, Session(db) as s, s.begin():
        for host, tier in platform.tiers.items():
            s.add(
                HostTier(host_id=host, tier=tier, since=END, first_seen=END, rulebook_version="x")
            )


def state_of(url: str) -> dict[str, Any]:
    with connected(url, migrate=False) as db, Session(db) as s:
        return {
            "facts": {
                (f.host_id, f.day): (f.valid_sessions, f.live_buyers)
                for f in s.scalars(select(LiveFact))
            },
            "sessions": {
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
            },
            "outbox": sorted(
                (o.kind, o.host_id, json.dumps(o.payload, sort_keys=True))
                for o in s.scalars(select(OutboxEvent))
            ),
        }


class Run:
    def __init__(self, root: Path, platform: Platform, spark) -> None:
        self.url = f"sqlite:///{root / 'spark.db'}"
        self.checkpoint = root / "checkpoint"
        _prepare(self.url, platform)
        self.platform, self.spark = platform, spark
        self.first = self.stream()
        self.state = state_of(self.url)

    def stream(self) -> StreamReport:
        with connected(self.url) as db:
            return SparkStream(
                db,
                self.platform.rules,
                StreamSource.parse(str(self.platform.source)),
                self.checkpoint,
                self.spark,
                once=True,
                lines=self.platform.lines,
            ).run()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, spark) -> Run:
    root = tmp_path_factory.mktemp("live_spark")
    return Run(root, Platform(root), spark)


def test_spark_streamed_facts_equal_the_batch_daily_facts_at_the_end_of_the_day(run: Run) -> None:
    report = run.first
    assert report.batches >= 1 and report.replayed == 0
    assert report.accepted == run.platform.events  # every event once
    assert report.duplicates == run.platform.duplicates
    assert [r for _, r in report.rejected] == ["event_id: Field required"]
    facts = run.state["facts"]
    assert facts == run.platform.batch_facts
    assert any(v[0] for v in facts.values()) and any(v[1] for v in facts.values())


def test_spark_gives_the_sessions_and_surfacing_of_the_embedded_engine(
    run: Run, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    _prepare(url, run.platform)
    with connected(url) as db:
        processor = live.Processor(db, run.platform.rules, lines=run.platform.lines)
        try:
            files.follow(db, run.platform.rules, run.platform.source, processor, once=True)
        finally:
            processor.release()
            processor.close()
    embedded = state_of(url)
    assert run.state == embedded
    surfaced = [x for x in embedded["sessions"].values() if x[5] is not None]
    assert surfaced and any(x[5] is None for x in embedded["sessions"].values())
    assert all(run.platform.tiers[x[0]] == "honor" for x in surfaced)


def test_running_the_stream_again_or_replaying_a_committed_batch_changes_nothing(
    run: Run,
) -> None:
    again = run.stream()  # the checkpoint knows every file
    assert (again.batches, again.replayed, again.accepted) == (0, 0, 0)
    assert state_of(run.url) == run.state
    # A crash after our commit, before Spark's: Spark replays the last batch, which we skip.
    commits = sorted((run.checkpoint / "commits").glob("[0-9]*"), key=lambda p: int(p.name))
    commits[-1].unlink()
    commits[-1].with_name(f".{commits[-1].name}.crc").unlink(missing_ok=True)  # Hadoop's sum
    replayed = run.stream()
    assert (replayed.batches, replayed.replayed, replayed.accepted) == (0, 1, 0)
    assert state_of(run.url) == run.state
