"""Surfacing lag of the Spark live stream (docs/benchmarks.md, "Live on Spark").

A writer lands NDJSON event files in a folder at ``--rate`` events/s (a file every
``--file-seconds``, written under a hidden name and renamed), for ``--seconds``. Sessions of
honor hosts (consumer line: the shipped rulebook's surfacing requirements) get views and
payments until they cross. ``livetier``'s Spark stream (``--trigger-seconds``, default 1) runs
over the folder. The lag of a session is from the moment the file holding its crossing event
landed (renamed into the folder) to the moment its ``surfaced`` event is seen in the outbox
(polled every 50 ms). Printed: events/s written, micro-batches, lag p50 / p99 / max, and the
sessions that never surfaced before the end (their lag is at least the time left).

    PYTHONPATH=src python bench/live_spark.py [--rate 5000] [--seconds 60] [--drain 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from livetier import rulebooks
from livetier.pipeline.engine import spark_engine
from livetier.services.live.spark_stream import SparkStream, StreamReport, StreamSource
from livetier.store.models import HostTier, OutboxEvent
from livetier.store.schema import connected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=int, default=5000, help="events per second written")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long events are written")
    ap.add_argument("--drain", type=float, default=60.0, help="seconds allowed after, to finish")
    ap.add_argument("--file-seconds", type=float, default=0.2, help="a file every so often")
    ap.add_argument("--trigger-seconds", type=float, default=1.0)
    ap.add_argument("--hosts", type=int, default=500)
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args()

    root = Path(tempfile.mkdtemp(prefix="livetier-bench-spark-"))
    source, url = root / "in", f"sqlite:///{root / 'state.db'}"
    source.mkdir()
    book = rulebooks.load()
    hosts = [f"h{i:05d}" for i in range(args.hosts)]
    with connected(url) as db:
        with Session(db) as s, s.begin():
            today = date.today()
            for h in hosts:
                s.add(
                    HostTier(
                        host_id=h, tier="honor", since=today, first_seen=today, rulebook_version="x"
                    )
                )
        started = time.perf_counter()
        spark = spark_engine(
            args.master,
            {
                "spark.ui.showConsoleProgress": "false",
                "spark.sql.shuffle.partitions": "2",
                "spark.driver.memory": "3g",
            },
        )
        spark.con._session.sparkContext.setLogLevel("ERROR")
        print(f"Spark session: {time.perf_counter() - started:.1f} s", flush=True)
        batches: list[tuple[float, int]] = []

        def on_batch(batch_id: int, report: StreamReport) -> None:
            batches.append((time.time(), report.processed))
            print(f"  batch {batch_id}: {report.processed} events processed so far", flush=True)

        stream = SparkStream(
            db,
            book,
            StreamSource.parse(str(source)),
            root / "checkpoint",
            spark,
            trigger_seconds=args.trigger_seconds,
            lines={h: "consumer" for h in hosts},
            on_batch=on_batch,
        )
        failed: list[BaseException] = []

        def run() -> None:
            try:
                stream.run()
            except BaseException as e:  # reported below
                failed.append(e)

        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        time.sleep(5)  # the query starts

        landed: dict[str, float] = {}  # session -> when its crossing event's file landed
        seen: dict[str, float] = {}
        stop = threading.Event()

        def watch() -> None:
            last = 0
            while not stop.is_set():
                with Session(db) as s:
                    for row in s.scalars(
                        select(OutboxEvent).where(OutboxEvent.id > last).order_by(OutboxEvent.id)
                    ):
                        last = row.id
                        if row.kind == "surfaced":
                            seen.setdefault(row.payload["session_id"], time.time())
                time.sleep(0.05)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        written = write(source, hosts, args, landed)
        deadline = time.time() + args.drain
        while time.time() < deadline and not set(landed) <= set(seen) and not failed:
            time.sleep(0.2)
        stop.set()
        stream.stop()
        runner.join(120)
        watcher.join(5)
        spark.close()
    if failed:
        raise SystemExit(f"the stream failed: {failed[0]}")
    lags = sorted(seen[s] - landed[s] for s in landed if s in seen)
    missing = len(landed) - len(lags)
    print(f"written: {written} events in {args.seconds:.0f} s ({written / args.seconds:.0f}/s)")
    print(f"micro-batches: {len(batches)}; crossings: {len(landed)}, surfaced: {len(lags)}")
    if lags:
        p99 = lags[min(len(lags) - 1, int(0.99 * len(lags)))]
        print(
            f"surfacing lag: p50 {statistics.median(lags):.2f} s, p99 {p99:.2f} s, "
            f"max {lags[-1]:.2f} s"
        )
    if missing:
        print(f"{missing} crossing(s) not surfaced within {args.drain:.0f} s after the end")


def write(
    source: Path, hosts: list[str], args: argparse.Namespace, landed: dict[str, float]
) -> int:
    """Write event files for ``args.seconds``; note when each crossing event's file landed."""
    rng = random.Random(1)
    per_file = max(1, int(args.rate * args.file_seconds))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # session -> viewers, buyers
    live: list[tuple[str, str]] = []  # (session, host)
    n = written = files = 0
    begin = time.time()
    while time.time() - begin < args.seconds:
        now = datetime.now(UTC)
        events, crossing = [], []
        for _ in range(per_file):
            n += 1
            if len(live) < 50 or rng.random() < 0.01:
                host, sid = rng.choice(hosts), f"s{n}"
                live.append((sid, host))
                events.append(
                    _event(
                        f"e{n}",
                        "session_started",
                        now - timedelta(seconds=1),
                        session_id=sid,
                        host_id=host,
                    )
                )
                continue
            sid, host = rng.choice(live)
            c = counts[sid]
            if c[0] >= 30 and c[1] < c[0] and rng.random() < 0.5:  # a viewer pays, later
                viewer = f"{sid}-v{c[1]}"
                events.append(
                    _event(f"e{n}", "paid", now, order_id=f"o{n}", host_id=host, buyer_id=viewer)
                )
                c[1] += 1
            else:
                events.append(
                    _event(
                        f"e{n}",
                        "viewed",
                        now - timedelta(milliseconds=1),
                        session_id=sid,
                        buyer_id=f"{sid}-v{c[0]}",
                    )
                )
                c[0] += 1
            if c[0] >= 30 and c[1] >= 3 and sid not in landed:
                crossing.append(sid)
                landed[sid] = -1.0
            if c[0] >= 40 and c[1] >= 5 and sid in landed and sid not in crossing:
                # Ends after its crossing's file landed (an end at the crossing's own instant
                # would rightly never surface).
                live.remove((sid, host))
                events.append(_event(f"e{n}x", "session_ended", now, session_id=sid))
        hidden = source / f".{files:06d}.ndjson"
        hidden.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
        os.replace(hidden, source / f"{files:06d}.ndjson")
        t = time.time()
        for sid in crossing:
            landed[sid] = t
        files += 1
        written += len(events)
        time.sleep(max(0.0, begin + files * args.file_seconds - time.time()))
    return written


def _event(event_id: str, kind: str, at: datetime, **fields: str) -> dict[str, str]:
    name = {
        "session_started": "started_at",
        "session_ended": "ended_at",
        "viewed": "viewed_at",
        "paid": "paid_at",
    }[kind]
    return {"event_id": event_id, "kind": kind, **fields, name: at.isoformat()}


if __name__ == "__main__":
    main()
