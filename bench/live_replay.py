"""Replay of one day through the live processor against the batch daily facts of that day,
measured in the same run on the same data (issue 12's replay target: within 3x).

A synthetic platform of --hosts hosts with one day of events (Parquet) is generated once
(cached in bench/.data/live-<hosts>). Then, --repeat times, alternating:
  * batch:  read the folder with the data contract, clean, daily_facts of the day (DuckDB),
            the rows fetched: what a daily run computes for a new day;
  * replay: `services.live.files.replay` into a fresh SQLite state store (the folder read
            as Arrow, the processor's micro-batches of --batch events handed over whole and
            stored as blocks, sessions, facts and outbox).
Prints and writes bench/results/live_replay.json: medians and the ratio replay / batch, and
checks that the replayed facts equal the batch's.

Run: `python bench/live_replay.py [--hosts 100000] [--repeat 3] [--batch 2000000]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from livetier import rulebooks
from livetier.pipeline.clean import clean
from livetier.pipeline.contract import load
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.facts import daily_facts
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.live import files
from livetier.store.models import LiveFact
from livetier.store.schema import connected
from livetier.tools.synthetic import generate

HERE = Path(__file__).parent
END = date(2026, 11, 26)
DAY = date(2026, 11, 25)


def batch_facts(data: Path) -> tuple[float, dict[tuple[str, date], tuple[int, int]]]:
    book = rulebooks.load()
    started = time.perf_counter()
    engine = duckdb_engine()
    sources = {n: load(engine, data, n) for n in ("hosts", "sessions", "views", "orders")}
    zone = PlatformZone.around(book.definitions.timezone, END)
    cleaned = clean(sources, zone, list(book.versions[0].lines))
    rows = engine.con.to_pyarrow(daily_facts(cleaned, 15, [DAY])).to_pylist()
    seconds = time.perf_counter() - started
    engine.close()
    return seconds, {
        (r["host_id"], r["day"]): (r["valid_sessions"], r["live_buyers"]) for r in rows
    }


def replayed(data: Path, batch: int) -> tuple[float, int, dict[tuple[str, date], tuple[int, int]]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'state.db'}"
        started = time.perf_counter()
        with connected(url) as db:
            report = files.replay(db, rulebooks.load(), data, batch_events=batch)
            seconds = time.perf_counter() - started
            with Session(db) as s:
                facts = {
                    (f.host_id, f.day): (f.valid_sessions, f.live_buyers)
                    for f in s.scalars(select(LiveFact).where(LiveFact.day == DAY))
                }
    return seconds, report.events, facts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=files.REPLAY_BATCH)
    args = parser.parse_args()
    data = HERE / ".data" / f"live-{args.hosts}"
    if not (data / "views.parquet").exists():
        generate(data, hosts=args.hosts, days=1, end_day=END, fmt="parquet", anomalies=False)
    batch_times, replay_times, events = [], [], 0
    for _ in range(args.repeat):
        seconds, expected = batch_facts(data)
        batch_times.append(seconds)
        seconds, events, got = replayed(data, args.batch)
        replay_times.append(seconds)
        assert got == expected, "the replayed facts differ from the batch's"
    result = {
        "hosts": args.hosts,
        "day": DAY.isoformat(),
        "events": events,
        "batch_events": args.batch,
        "batch_daily_facts_s": statistics.median(batch_times),
        "replay_s": statistics.median(replay_times),
        "ratio": statistics.median(replay_times) / statistics.median(batch_times),
        "events_per_s": events / statistics.median(replay_times),
        "repeat": args.repeat,
    }
    print(json.dumps(result, indent=2))
    out = HERE / "results" / "live_replay.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
