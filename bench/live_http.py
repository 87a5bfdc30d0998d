"""Load-test live ingest over HTTP (issue #12 target: >= 20,000 events/s sustained for 5 minutes
over HTTP, embedded engine, with p99 <= 1 s from receiving the crossing event to the `surfaced`
event in the outbox, on this 2-core machine).

Set-up (a fresh folder under bench/.data/live-http/): a synthetic platform of --hosts hosts
graded by one `livetier run` (their tiers and lines decide surfacing), a service key, then
`livetier serve --workers W` (the live processor runs in its own process, beside the workers)
over a SQLite state store, waited for on /healthz.

Load: --senders processes post batches of --batch events (JSON arrays) to
POST /api/v1/live/events, each paced to its share of --rate events/s (0: as fast as they can)
for --seconds. Each sender runs rooms of ordinary-or-better hosts: a session starts, distinct
buyers view it (about one in eight pays the host a second later), and after --viewers viewers
it ends and the host starts a new one; event times are the wall clock when the event is made,
so sessions are live now. A room crosses its line's surfacing thresholds part-way.

Measured:
  - ingest: events accepted per second (client side, answered 200), over the loaded seconds;
  - processing: events processed per second (the processor's counter in the state store), and
    how long the backlog took to drain after the load stopped;
  - surfacing lag: a watcher polls the outbox every --poll seconds and notes when each
    `surfaced` event first shows; the lag is that moment minus the server's `received_at` of
    the crossing event (the session's event at `surfaced_at`). Polling adds up to --poll.
The machine is shared: how busy its cores were meanwhile (all processes, this load included)
is printed with the figures.

Run: `.venv/bin/python bench/live_http.py --seconds 60` (short profile) or `--seconds 300`
(the issue's 5 minutes). Results: bench/results/live_http.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DATA = HERE / ".data" / "live-http"
RESULTS = HERE / "results"
BIN = Path(sys.executable).parent
TARGET_RATE, TARGET_P99 = 20_000, 1.0


def prepare(hosts: int) -> tuple[Path, list[str], str]:
    """A graded platform's state store and warehouse, the hosts that may surface, a key
    (made again for each run: the live tables must start empty)."""
    from livetier import rulebooks
    from livetier.services import daily, keys
    from livetier.store.schema import open_engine
    from livetier.tools import synthetic

    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    today = datetime.now(UTC).date()
    synthetic.generate(DATA / "data", hosts=hosts, days=35, end_day=today - timedelta(days=1))
    db = open_engine(f"sqlite:///{DATA / 'state.db'}")
    book = rulebooks.load()
    daily.run_day(DATA / "data", today, book, db, DATA / "livetier.duckdb")
    key = keys.create(db, keys.Role.service)[0]
    db.dispose()
    with sqlite3.connect(DATA / "state.db") as c:
        rows = c.execute("SELECT host_id FROM host_tiers WHERE tier != 'none'").fetchall()
    return DATA, sorted(r[0] for r in rows), key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LIVETIER_DB": f"sqlite:///{folder / 'state.db'}",
        "LIVETIER_WAREHOUSE": str(folder / "livetier.duckdb"),
    }
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "livetier"), "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    import httpx

    deadline = time.monotonic() + 600  # a loaded machine starts workers slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30).status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError((folder / "serve.log").read_text())


# the senders ---------------------------------------------------------------------------------


class Rooms:
    """A sender's live rooms: each event made is the next of a random room, timed now."""

    def __init__(self, sender: int, hosts: list[str], viewers: int, seed: int) -> None:
        import random

        self.rng = random.Random(seed)
        self.sender = sender
        self.hosts = hosts
        self.viewers = viewers
        self.rooms: list[dict[str, Any]] = []
        self.n = 0
        self.last = datetime.now(UTC)
        for host in hosts:
            self.rooms.append(self._open(host))

    def _now(self) -> str:
        at = max(datetime.now(UTC), self.last + timedelta(microseconds=1))  # unique, increasing
        self.last = at
        return at.isoformat()

    def _id(self) -> str:
        self.n += 1
        return f"{self.sender}-{self.n}"

    def _open(self, host: str) -> dict[str, Any]:
        return {"host": host, "session": None, "seen": 0, "pending": []}

    def next(self) -> dict[str, Any]:
        i = self.rng.randrange(len(self.rooms))
        room = self.rooms[i]
        if room["pending"]:
            return room["pending"].pop()
        if room["session"] is None:
            room["session"] = f"s{self._id()}"
            return {
                "event_id": self._id(),
                "kind": "session_started",
                "session_id": room["session"],
                "host_id": room["host"],
                "started_at": self._now(),
            }
        if room["seen"] >= self.viewers:
            ended = {
                "event_id": self._id(),
                "kind": "session_ended",
                "session_id": room["session"],
                "ended_at": self._now(),
            }
            self.rooms[i] = self._open(room["host"])
            return ended
        room["seen"] += 1
        buyer = f"b{self._id()}"
        viewed = {
            "event_id": self._id(),
            "kind": "viewed",
            "session_id": room["session"],
            "buyer_id": buyer,
            "viewed_at": self._now(),
        }
        if self.rng.random() < 0.125:
            room["pending"].append(
                {
                    "event_id": self._id(),
                    "kind": "paid",
                    "order_id": f"o{self._id()}",
                    "host_id": room["host"],
                    "buyer_id": buyer,
                    "paid_at": None,  # timed when sent
                }
            )
        return viewed

    def batch(self, size: int) -> list[dict[str, Any]]:
        out = []
        for _ in range(size):
            event = self.next()
            if event["kind"] == "paid" and event["paid_at"] is None:
                event["paid_at"] = self._now()
            out.append(event)
        return out


def sender(
    i: int,
    url: str,
    key: str,
    hosts: list[str],
    rate: float,
    batch: int,
    seconds: float,
    viewers: int,
    out: Any,
) -> None:
    """Post paced batches for ``seconds``; puts (accepted, duplicates, rejected, requests,
    errors, latencies) on ``out``."""
    import httpx
    import orjson

    rooms = Rooms(i, hosts, viewers, seed=i)
    accepted = duplicates = rejected = requests = errors = 0
    latencies: list[float] = []
    start = time.monotonic()
    sent = 0
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as client:
        while (now := time.monotonic()) - start < seconds:
            if rate:
                ahead = sent / rate - (now - start)
                if ahead > 0:
                    time.sleep(ahead)
            body = orjson.dumps(rooms.batch(batch))
            t0 = time.monotonic()
            try:
                r = client.post(
                    "/api/v1/live/events",
                    content=body,
                    headers={"content-type": "application/json"},
                )
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.monotonic() - t0)
            requests += 1
            sent += batch
            if r.status_code != 200:
                errors += 1
                continue
            report = r.json()
            accepted += report["accepted"]
            duplicates += report["duplicates"]
            rejected += len(report["rejected"])
    out.put((accepted, duplicates, rejected, requests, errors, latencies))


# the watcher ---------------------------------------------------------------------------------


class Watcher(threading.Thread):
    """Polls the outbox for `surfaced` events, noting when each is first seen."""

    def __init__(self, db: Path, poll: float) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.poll = poll
        self.seen: dict[str, tuple[float, str, str]] = {}  # session -> (seen, host, surfaced_at)
        self.stop = threading.Event()
        self.after = 0

    def run(self) -> None:
        c = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        while not self.stop.is_set():
            try:
                rows = c.execute(
                    "SELECT id, host_id, payload FROM outbox WHERE id > ? AND kind = 'surfaced'"
                    " ORDER BY id",
                    (self.after,),
                ).fetchall()
            except sqlite3.OperationalError:
                rows = []
            now = time.time()
            for row_id, host, payload in rows:
                p = json.loads(payload)
                self.seen.setdefault(p["session_id"], (now, host, p["surfaced_at"]))
                self.after = max(self.after, row_id)
            self.stop.wait(self.poll)
        c.close()


def processed(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as c:
        row = c.execute("SELECT COALESCE(SUM(processed), 0) FROM live_processor").fetchone()
    return int(row[0])


def pending(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as c:
        return int(c.execute("SELECT COUNT(*) FROM live_events WHERE NOT processed").fetchone()[0])


def lags(db: Path, seen: dict[str, tuple[float, str, str]]) -> list[float]:
    """Seconds from the server receiving each crossing event to its `surfaced` event showing.

    One read of the inbox (it has no index on session or host: the processor never looks
    events up by them), then a lookup per surfaced session."""
    received_by: dict[tuple[str, str], str] = {}  # (at, session or host) -> latest received_at
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as c:
        rows = c.execute(
            "SELECT at, kind, session_id, host_id, received_at FROM live_events"
        ).fetchall()
    for at, kind, session, host, received in rows:
        for key in ((at, session), (at, host) if kind == "paid" else None):
            if key is not None and key[1] is not None:
                received_by[key] = max(received_by.get(key, received), received)
    out = []
    for session, (at, host, surfaced_at) in seen.items():
        moment = datetime.fromisoformat(surfaced_at.replace("Z", "+00:00"))
        naive = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLite keeps it
        found = [received_by.get((naive, session)), received_by.get((naive, host))]
        latest = max((r for r in found if r), default=None)
        if latest:
            received = datetime.fromisoformat(latest).replace(tzinfo=UTC).timestamp()
            out.append(at - received)
    return out


def cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields)
    return (total - idle) / os.sysconf("SC_CLK_TCK"), total / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rate", type=float, default=TARGET_RATE, help="events/s in all; 0: max")
    ap.add_argument("--batch", type=int, default=2000)
    ap.add_argument("--senders", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--hosts", type=int, default=3000)
    ap.add_argument("--rooms", type=int, default=200, help="live rooms per sender")
    ap.add_argument("--viewers", type=int, default=60, help="viewers per session")
    ap.add_argument("--poll", type=float, default=0.05)
    ap.add_argument("--drain", type=float, default=120, help="max seconds to wait for backlog")
    args = ap.parse_args()

    t0 = time.monotonic()
    folder, hosts, key = prepare(args.hosts)
    print(f"prepared {len(hosts)} hosts that may surface in {time.monotonic() - t0:.0f} s")
    port = free_port()
    server = serve(folder, port, args.workers)
    url = f"http://127.0.0.1:{port}"
    db = folder / "state.db"
    watcher = Watcher(db, args.poll)
    watcher.start()
    out: Any = mp.get_context("spawn").Queue()
    shares = [hosts[i :: args.senders][: args.rooms] for i in range(args.senders)]
    procs = [
        mp.get_context("spawn").Process(
            target=sender,
            args=(
                i,
                url,
                key,
                shares[i],
                args.rate / args.senders,
                args.batch,
                args.seconds,
                args.viewers,
                out,
            ),
        )
        for i in range(args.senders)
    ]
    busy0, total0 = cpu_seconds()
    done0 = processed(db)
    started = time.monotonic()
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    loaded = time.monotonic() - started
    for p in procs:
        p.join()
    done_loaded = processed(db)
    busy1, total1 = cpu_seconds()
    drain_start = time.monotonic()
    while pending(db) and time.monotonic() - drain_start < args.drain:
        time.sleep(0.1)
    drained = time.monotonic() - drain_start
    left = pending(db)
    time.sleep(max(args.poll * 4, 0.5))
    watcher.stop.set()
    watcher.join()
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(60)

    accepted = sum(r[0] for r in results)
    latencies = [x for r in results for x in r[5]]
    lag = lags(db, watcher.seen)
    figures = {
        "day": date.today().isoformat(),
        "seconds": round(loaded, 1),
        "target_rate": args.rate,
        "batch": args.batch,
        "senders": args.senders,
        "workers": args.workers,
        "accepted": accepted,
        "duplicates": sum(r[1] for r in results),
        "rejected": sum(r[2] for r in results),
        "requests": sum(r[3] for r in results),
        "errors": sum(r[4] for r in results),
        "ingest_events_per_s": round(accepted / loaded),
        "processed_events_per_s_while_loaded": round((done_loaded - done0) / loaded),
        "drain_seconds": round(drained, 1),
        "left_unprocessed": left,
        "request_p50_ms": round(1000 * pct(latencies, 0.5), 1),
        "request_p99_ms": round(1000 * pct(latencies, 0.99), 1),
        "surfaced": len(watcher.seen),
        "lag_measured": len(lag),
        "lag_p50_s": round(statistics.median(lag), 3) if lag else None,
        "lag_p99_s": round(pct(lag, 0.99), 3) if lag else None,
        "lag_max_s": round(max(lag), 3) if lag else None,
        "machine_cpu_busy_share": round((busy1 - busy0) / (total1 - total0), 3),
        "cores": os.cpu_count(),
        "targets": {"events_per_s": TARGET_RATE, "lag_p99_s": TARGET_P99, "seconds": 300},
    }
    print(json.dumps(figures, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "live_http.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
