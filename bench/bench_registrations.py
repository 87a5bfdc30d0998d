"""Registrations per second under contention on PostgreSQL (or SQLite), with wrk as the client.

tests/integration/test_registration_load.py proves the fatigue rule and idempotency under
concurrency, but its client is Python (httpx, asyncio) in the same 2 cores, and it, not the
server, bounds the rate it prints (a py-spy profile of the served workers found them mostly
idle). Here wrk (C) sends the requests, so the server is the bound:

  1. a platform of --hosts expert hosts (tests/builders.py), one day run into a fresh store,
     every host claimed, an operator key; --regular ordinary activities and --special events;
  2. livetier's app in a uvicorn process with --workers workers (tests/live_server.py);
  3. wrk (bench/api.lua "replay" mode, --connections in flight) for --duration seconds: POST a
     registration for a random (host, activity) entry, each entry with its own Idempotency-Key,
     so several connections ask for the same host at once: the first ask of an entry registers
     or is refused (fatigue, already registered), a later one replays a registration or is
     checked afresh (a refusal is not stored);
  4. the store is read: no host has two ordinary registrations within the fatigue window,
     fatigue rows are N per ordinary registration, every idempotency row is a registration.

Run: `python bench/bench_registrations.py --db postgresql+psycopg://USER:PW@HOST/postgres`
(a database named livetier_benchreg_<pid> is created there and dropped after), or
`--db sqlite`. Prints requests/s, latency and the store check as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
TESTS = HERE.parent / "tests"
sys.path[:0] = [str(TESTS)]
D = date(2026, 11, 26)


def _tree(port: str) -> list[int]:
    """The serving process (its command line ends in the port and workers) and its children."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if any(c.endswith(b"live_server.py") for c in cmd) and port.encode() in cmd:
                found.append(int(proc.name))
    children = subprocess.run(
        ["pgrep", "-P", ",".join(map(str, found))], capture_output=True, text=True
    ).stdout.split()
    return found + [int(c) for c in children]


def _cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes have used."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / tick


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default="sqlite", help="sqlite, or a PostgreSQL admin URL")
    ap.add_argument("--hosts", type=int, default=200)
    ap.add_argument("--regular", type=int, default=6)
    ap.add_argument("--special", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--duration", type=int, default=20)
    args = ap.parse_args()

    from sqlalchemy import create_engine, func, select, text
    from sqlalchemy.orm import Session

    from builders import Platform
    from live_server import serving_process, set_day
    from livetier import rulebooks
    from livetier.services import daily, keys, state
    from livetier.services.activities import PRIVILEGE
    from livetier.store.models import Activity, FatigueDay, IdempotentResponse, Registration
    from livetier.store.schema import open_engine

    book = rulebooks.load()
    fatigue = book.version_for(D).fatigue_days[PRIVILEGE]
    tmp = Path(tempfile.mkdtemp(prefix="benchreg-"))
    admin = None
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'state.db'}"
    else:
        name = f"livetier_benchreg_{os.getpid()}"
        admin = create_engine(args.db, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        url = args.db.rsplit("/", 1)[0] + "/" + name
    try:
        hosts = [f"h{i:05d}" for i in range(args.hosts)]
        p = Platform()
        for host in hosts:
            p.host(host, trade_medal="2", bsr_description="4.6", fans="0")
            p.sessions_for(host, 5, D - timedelta(days=10))
        db = open_engine(url)
        warehouse = tmp / "warehouse.duckdb"
        daily.run_day(p.write(tmp / "data"), D, book, db, warehouse)
        for host in hosts:
            state.claim(db, host)
        operator = keys.create(db, keys.Role.operator)[0]
        with Session(db) as s, s.begin():
            made = [
                Activity(
                    name=f"a{i}",
                    day=D + timedelta(days=5 + i),
                    special=i >= args.regular,
                    created_at=datetime(2026, 11, 26),
                )
                for i in range(args.regular + args.special)
            ]
            s.add_all(made)
            s.flush()
            ids = [a.id for a in made]
        entries = tmp / "entries.tsv"
        entries.write_text(
            "".join(f"{h}\t{a}\t{h}-{a}\n" for h in hosts for a in ids), encoding="utf-8"
        )
        clock = tmp / "today"
        set_day(clock, D)
        with serving_process(url, clock, args.workers) as base:
            servers = _tree(base.rsplit(":", 1)[1])
            cpu = _cpu(servers)
            wrk = subprocess.run(
                [
                    *("wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency"),
                    *("-s", str(HERE / "api.lua"), base, "--", "replay", str(entries), operator),
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            cpu = _cpu(servers) - cpu
        with Session(db) as s:
            ordinary = (
                select(Registration)
                .join(Activity, Activity.id == Registration.activity_id)
                .where(Activity.special.is_(False))
                .subquery()
            )
            per_host = s.execute(
                select(ordinary.c.host_id, func.count()).group_by(ordinary.c.host_id)
            ).all()
            n_ordinary = sum(n for _, n in per_host)
            n_all = s.scalar(select(func.count()).select_from(Registration))
            n_fatigue = s.scalar(select(func.count()).select_from(FatigueDay))
            n_kept = s.scalar(select(func.count()).select_from(IdempotentResponse))
        db.dispose()
        # All registrations are made on day D: a host may hold at most one ordinary one.
        check = {
            "registrations": n_all,
            "ordinary": n_ordinary,
            "hosts_twice_in_window": sum(n > 1 for _, n in per_host),
            "fatigue_rows_ok": n_fatigue == fatigue * n_ordinary,
            "idempotency_rows": n_kept,
        }
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk)[1])
        lat = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", wrk, re.M))
        codes = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
        total = int(re.search(r"(\d+) requests in", wrk)[1])
        out = {
            "store": url.split(":")[0],
            "workers": args.workers,
            "connections": args.connections,
            "seconds": args.duration,
            "requests": total,
            "requests_per_s": rps,
            "non_2xx": int(codes[1]) if codes else 0,
            "latency": lat,
            "server_cpu_ms_per_request": round(1000 * cpu / total, 2),
            "check": check,
            "ok": check["hosts_twice_in_window"] == 0 and check["fatigue_rows_ok"],
        }
        print(json.dumps(out))
        if not out["ok"]:
            sys.exit(1)
    finally:
        if admin is not None:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
