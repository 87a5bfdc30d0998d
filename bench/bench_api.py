"""Load-test the HTTP API (issue #4 target: host status and privilege checks at >= 2,000
requests/s with p99 <= 50 ms, SQLite state store, on this machine).

Data (cached in bench/.data/api-<dataset>/prepared): bench_daily.py's N-host dataset and its
"before" snapshot (day X graded over 30 days of facts), then one `livetier run --date DAY` into a
copy, which writes the serving snapshot the API reads; a service and an operator key
(`livetier keys create`); a sample of host ids.

For each --workers value, on a fresh copy of that state:
  1. `livetier serve` in its own process group, waited for on /healthz, warmed up;
  2. wrk (--latency, a Lua script picking a random host id per request, bench/api.lua) on
     /healthz (no auth, no database: the baseline), host status and the privilege check
     `channel_activity_registration`, interleaved, --repeat times; medians reported;
  3. registration under contention: K claimed expert/honor hosts (host keys, claimed through
     the API), regular and special activities created by the operator key, then bursts of
     --burst concurrent registrations per host (--connections in flight, so several requests
     target each host at once) from a separate asyncio/httpx process; then the store is checked:
     no host has two regular registrations within the 2-day fatigue window, every 201 is a row;
  4. idempotent retries: each host's request with an Idempotency-Key once, then wrk replays
     them for --duration seconds.
Each wrk run also records the server's CPU time per request and the cores other processes used
meanwhile (a shared machine: the CPU per request is the figure that does not depend on them).
With --profile, py-spy samples the thread holding the GIL (--gil) while wrk loads status and
privilege checks at the first --workers value; the shares of the main frames are printed.

Run: `.venv/bin/python bench/bench_api.py --hosts 1000000 --duration 20 --connections 64
--workers 1 2 --profile`.
Results: bench/results/api.json (and api-profile-*.txt with --profile).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bench_daily  # bench/ is on sys.path when this file runs as a script

HERE = Path(__file__).parent
DATA = HERE / ".data"
RESULTS = HERE / "results"
LUA = HERE / "api.lua"
DAY = bench_daily.DAY
BIN = Path(sys.executable).parent
LIVETIER = str(BIN / "livetier")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
PRIVILEGE = "channel_activity_registration"
READS = {
    "healthz": "/healthz",
    "status": "/api/v1/hosts/%s/status",
    "privilege": f"/api/v1/hosts/%s/privileges/{PRIVILEGE}",
}
ZONE = ZoneInfo("Asia/Shanghai")  # the rulebook's platform time zone
TARGET_RPS, TARGET_P99_MS = 2000, 50.0


# the data ------------------------------------------------------------------------------------


def prepare(hosts: int, views: float, sample: int) -> tuple[Path, dict[str, Any]]:
    """The cached state store + warehouse + serving snapshot of a day run over N hosts."""
    flat = bench_daily.generate(hosts, 2, views)
    parts = bench_daily.partitioned(flat)
    prep = DATA / f"api-{flat.name}" / "prepared"
    info = prep / "prepared.json"
    if info.exists():
        return prep, json.loads(info.read_text())
    before = DATA / f"daily-{flat.name}" / "before"
    bench_daily.prepare(parts, before.parent, reuse=True)
    shutil.rmtree(prep, ignore_errors=True)
    prep.mkdir(parents=True)
    for f in bench_daily.state_files(before):
        shutil.copy2(f, prep / f.name)
    print(f"preparing: `livetier run --date {DAY}` (writes the serving snapshot) ...", flush=True)
    wall, rss, out = bench_daily.timed(bench_daily.daily_cmd(parts, DAY, prep))
    db = f"sqlite:///{prep / 'state.db'}"
    made = {}
    for role in ("service", "operator"):
        cmd = [LIVETIER, "keys", "create", "--role", role, "--label", "bench", "--db", db]
        made[role] = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    with contextlib.closing(sqlite3.connect(prep / "state.db")) as con:
        ids = [r[0] for r in con.execute("SELECT host_id FROM host_tiers ORDER BY host_id")]
    chosen = random.Random(4).sample(ids, min(sample, len(ids)))
    (prep / "ids.txt").write_text("\n".join(chosen) + "\n")
    prepared = {
        "data": json.loads((flat / "summary.json").read_text()) | {"folder": parts.name},
        "run": {"wall_s": round(wall, 1), "rss_mib": round(rss), "out": out.strip()},
        "keys": made,
        "sampled_ids": len(chosen),
    }
    info.write_text(json.dumps(prepared, indent=1))
    return prep, prepared


def restore(prep: Path, live: Path) -> None:
    """A fresh copy of the prepared state (claims and registrations are per measurement)."""
    shutil.rmtree(live, ignore_errors=True)
    live.mkdir(parents=True)
    for f in prep.iterdir():
        if f.is_dir():
            shutil.copytree(f, live / f.name)
        else:
            shutil.copy2(f, live / f.name)


def store_info(live: Path) -> dict[str, Any]:
    with contextlib.closing(sqlite3.connect(live / "state.db")) as con:
        tiers = dict(con.execute("SELECT tier, count(*) FROM host_tiers GROUP BY tier").fetchall())
        run = con.execute("SELECT id, day FROM runs WHERE status = 'succeeded' ORDER BY id DESC")
        run_id, day = run.fetchone()
    return {"host_tiers": tiers, "latest_run": run_id, "latest_day": day}


# the server ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`livetier serve` in its own process group (stopped by that group's id)."""

    def __init__(self, live: Path, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = live / f"serve-{workers}w.log"
        cmd = [
            *(LIVETIER, "serve", "--db", f"sqlite:///{live / 'state.db'}"),
            *("--port", str(self.port)),
            *("--workers", str(workers)),
        ]
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 180.0) -> float:
        import httpx

        t = time.perf_counter()
        while time.perf_counter() - t < timeout:
            if self.proc.poll() is not None:
                sys.exit(f"livetier serve exited:\n{self.log.read_text()[-4000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return time.perf_counter() - t
            time.sleep(0.2)
        self.stop()
        sys.exit(f"livetier serve not ready after {timeout} s")

    def pids(self) -> list[int]:
        """The server's process and its descendants (uvicorn's workers)."""
        found, todo = [], [self.proc.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                todo += [int(c) for c in task.read_text().split()]
        return found

    def rss_mib(self) -> float:
        total = 0
        for pid in self.pids():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])  # type: ignore[index]
        return round(total / 1024)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# wrk -------------------------------------------------------------------------------------------

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / hz, sum(ticks) / hz


def _cpu_of(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (threads included)."""
    hz, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / hz


def metered(server: Server, cmd: list[str]) -> tuple[str, dict[str, float]]:
    """Run a load generator; its stdout, and the CPU cores the server, the load generator and
    every other process of the machine used meanwhile (this machine is shared)."""
    pids = server.pids()
    before = (_cpu_of(pids), resource.getrusage(resource.RUSAGE_CHILDREN), _machine_cpu())
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - t
    after = (_cpu_of(pids), resource.getrusage(resource.RUSAGE_CHILDREN), _machine_cpu())
    served = after[0] - before[0]
    load = (after[1].ru_utime + after[1].ru_stime) - (before[1].ru_utime + before[1].ru_stime)
    busy = after[2][0] - before[2][0]
    return out, {
        "cores_server": round(served / wall, 2),
        "cores_loadgen": round(load / wall, 2),
        "cores_other": round(max(0.0, busy - served - load) / wall, 2),
        "server_cpu_s": served,
    }


def wrk(server: Server, lua_args: list[str], args: argparse.Namespace, duration: float) -> dict:
    """One wrk run: req/s, latency percentiles, errors, and the CPU used meanwhile."""
    cmd = [
        *(WRK, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{duration:g}s"),
        *("--latency", "--timeout", "10s", "-s", str(LUA), server.url, "--", *lua_args),
    ]
    out, cpu = metered(server, cmd)
    pct = {
        f"p{m[1]}_ms": round(float(m[2]) * _UNIT_MS[m[3]], 2)
        for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    }
    done = re.search(r"(\d+) requests in ([\d.]+)(\w+),", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rps is None or done is None or "p99_ms" not in pct:
        sys.exit(f"cannot read wrk's output:\n{out}")
    return {
        "rps": round(float(rps[1]), 1),
        **pct,
        "requests": int(done[1]),
        "non_2xx": int(non2xx[1]) if non2xx else 0,
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "server_cpu_ms_per_request": round(
            1000 * cpu.pop("server_cpu_s") / max(1, int(done[1])), 3
        ),
        **cpu,
    }


def median_of(runs: list[dict]) -> dict[str, Any]:
    keys = ("rps", "p50_ms", "p90_ms", "p99_ms", "server_cpu_ms_per_request", "cores_other")
    return {k: round(statistics.median(r[k] for r in runs), 2) for k in keys} | {
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "socket_errors": sum(r["socket_errors"] for r in runs),
        "runs": runs,
    }


def read_benchmark(server: Server, ids: Path, key: str, args: argparse.Namespace) -> dict:
    """wrk on /healthz, status and privilege checks, interleaved, --repeat times."""
    runs: dict[str, list[dict]] = {name: [] for name in READS}
    for name in ("status", "privilege"):  # warm-up: snapshot loaded in every worker, page cache
        wrk(server, ["get", str(ids), key, READS[name]], args, args.warmup)
    for i in range(args.repeat):
        for name, path in READS.items():
            lua = ["get", str(ids), "-" if name == "healthz" else key, path]
            runs[name].append(wrk(server, lua, args, args.duration))
        print(
            f"  repeat {i + 1}: "
            + ", ".join(
                f"{n} {r[-1]['rps']:.0f}/s p99 {r[-1]['p99_ms']}ms"
                f" ({r[-1]['server_cpu_ms_per_request']} ms CPU/req, others {r[-1]['cores_other']}"
                " cores)"
                for n, r in runs.items()
            ),
            flush=True,
        )
    return {name: median_of(r) for name, r in runs.items()}


# registration under contention -------------------------------------------------------------


def pick_hosts(live: Path, k: int, seed: int) -> list[str]:
    with contextlib.closing(sqlite3.connect(live / "state.db")) as con:
        rows = con.execute(
            "SELECT host_id FROM host_tiers WHERE tier IN ('expert', 'honor') ORDER BY host_id"
        ).fetchall()
    return random.Random(seed).sample([r[0] for r in rows], min(k, len(rows)))


def host_keys(live: Path, hosts: list[str]) -> dict[str, str]:
    """A host key per host, made with the service layer `livetier keys create` calls."""
    from livetier.services import keys
    from livetier.store.schema import connected

    with connected(f"sqlite:///{live / 'state.db'}") as db:
        return {h: keys.create(db, keys.Role.host, h, "bench")[0] for h in hosts}


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    v = sorted(values)

    def at(q: float) -> float:
        return round(v[min(len(v) - 1, int(q * len(v)))] * 1000, 2)

    return {"p50_ms": at(0.5), "p90_ms": at(0.9), "p99_ms": at(0.99), "max_ms": at(1.0)}


async def _send(url: str, plan: list[dict[str, Any]], connections: int) -> dict[str, Any]:
    """Send the plan's requests in order, at most ``connections`` in flight."""
    import httpx

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    statuses: Counter[str] = Counter()
    latencies: dict[str, list[float]] = {"all": [], "201": [], "refused": []}
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:
        gate = asyncio.Semaphore(connections)

        async def one(p: dict[str, Any]) -> None:
            headers = {"X-API-Key": p["key"]}
            if p.get("idempotency_key"):
                headers["Idempotency-Key"] = p["idempotency_key"]
            async with gate:
                t = time.perf_counter()
                try:
                    if p["method"] == "POST":
                        r = await client.post(p["path"], json=p.get("json"), headers=headers)
                    else:
                        r = await client.get(p["path"], headers=headers)
                except httpx.HTTPError as e:
                    statuses[f"error {type(e).__name__}"] += 1
                    return
                took = time.perf_counter() - t
            latencies["all"].append(took)
            latencies["201" if r.status_code == 201 else "refused"].append(took)
            reason = ""
            if r.status_code >= 400:
                with contextlib.suppress(ValueError, AttributeError):
                    reason = " " + str(r.json().get("reason", ""))
            replay = " replayed" if r.headers.get("Idempotent-Replayed") else ""
            statuses[f"{r.status_code}{reason}{replay}".strip()] += 1

        t = time.perf_counter()
        await asyncio.gather(*(one(p) for p in plan))
        wall = time.perf_counter() - t
    n = len(latencies["all"])
    return {
        "requests": len(plan),
        "wall_s": round(wall, 2),
        "rps": round(n / wall, 1),
        "outcomes": dict(statuses.most_common()),
        **percentiles(latencies["all"]),
        "latency_201": percentiles(latencies["201"]),
        "latency_refused": percentiles(latencies["refused"]),
    }


def load(server: Server, plan: list[dict[str, Any]], connections: int) -> dict[str, Any]:
    """Run ``plan`` from a separate load-generator process (this script's --send mode)."""
    plan_file = server.log.with_name("plan.json")
    plan_file.write_text(json.dumps({"url": server.url, "plan": plan, "connections": connections}))
    out, cpu = metered(server, [sys.executable, __file__, "--send", str(plan_file)])
    result = json.loads(out)
    served = cpu.pop("server_cpu_s")
    return result | {"server_cpu_ms_per_request": round(1000 * served / len(plan), 3), **cpu}


def platform_today() -> date:
    return datetime.now(UTC).astimezone(ZONE).date()


def registrations(
    server: Server, live: Path, keys_: dict[str, str], args: argparse.Namespace, seed: int
) -> dict[str, Any]:
    operator = keys_["operator"]
    hosts = pick_hosts(live, args.reg_hosts, seed)
    by_host = host_keys(live, hosts)
    claim = [
        {"method": "POST", "path": f"/api/v1/hosts/{h}/claim", "key": by_host[h]} for h in hosts
    ]
    claims = load(server, claim, args.connections)
    retried = load(server, claim, 1)  # claims lost to a concurrent claim: again, alone
    day = (platform_today() + timedelta(days=1)).isoformat()  # tomorrow: never "over" mid-bench
    specs = [(f"bench regular {i}", False) for i in range(args.regular)]
    specs += [(f"bench special {i}", True) for i in range(args.special)]
    made = load(
        server,
        [
            {
                "method": "POST",
                "path": "/api/v1/activities",
                "key": operator,
                "json": {"name": n, "day": day, "special": s},
            }
            for n, s in specs
        ],
        1,
    )
    if made["outcomes"] != {"201": len(specs)}:
        sys.exit(f"creating activities failed: {made}")
    with contextlib.closing(sqlite3.connect(live / "state.db")) as con:
        acts = con.execute(
            "SELECT id, special FROM activities WHERE name LIKE 'bench %' ORDER BY id"
        ).fetchall()
        claimed = con.execute(
            f"SELECT count(*) FROM claims WHERE host_id IN ({','.join('?' * len(hosts))})", hosts
        ).fetchone()[0]
    activity_ids = [a for a, _ in acts]
    regular = [a for a, s in acts if not s]
    specials = len(acts) - len(regular)
    rng = random.Random(seed)
    order = hosts[:]
    rng.shuffle(order)
    plan = []
    for h in order:  # a burst per host: --burst requests for it in flight at once
        start = rng.randrange(len(activity_ids))
        for j in range(args.burst):
            a = activity_ids[(start + j) % len(activity_ids)]
            plan.append(
                {
                    "method": "POST",
                    "path": f"/api/v1/hosts/{h}/registrations",
                    "key": operator,
                    "json": {"activity_id": a},
                }
            )
    print(f"  registrations: {len(plan)} requests, {len(hosts)} hosts ...", flush=True)
    contended = load(server, plan, args.connections)
    check = check_registrations(live, hosts, specials)
    check["responses_201"] = contended["outcomes"].get("201", 0)
    check["rows_equal_201s"] = check["responses_201"] == check["rows"]
    check["ok"] = check["ok"] and check["rows_equal_201s"]
    # idempotent retries: each host's request once with a key, then replayed by wrk
    tag = f"bench-{int(time.time())}"
    entries = [(h, rng.choice(regular), f"{tag}-{h}") for h in hosts]
    first = load(
        server,
        [
            {
                "method": "POST",
                "path": f"/api/v1/hosts/{h}/registrations",
                "key": operator,
                "json": {"activity_id": a},
                "idempotency_key": k,
            }
            for h, a, k in entries
        ],
        args.connections,
    )
    replay_file = live / "replays.txt"
    replay_file.write_text("".join(f"{h}\t{a}\t{k}\n" for h, a, k in entries))
    replays = wrk(server, ["replay", str(replay_file), operator], args, args.duration)
    return {
        "hosts": len(hosts),
        "activities": {"regular": len(regular), "special": specials, "day": day},
        "claims": claims,
        "claims_retried_one_at_a_time": retried["outcomes"],
        "claimed_hosts": claimed,
        "contended": contended,
        "check": check,
        "idempotent_first": first,
        "idempotent_replays": replays,
    }


def check_registrations(live: Path, hosts: list[str], specials: int) -> dict[str, Any]:
    """The fatigue rule as the store holds it: no two regular registrations of a host whose
    days are less than the rulebook's 2 days apart."""
    marks = ",".join("?" * len(hosts))
    with contextlib.closing(sqlite3.connect(live / "state.db")) as con:

        def one(sql: str) -> Any:
            return con.execute(sql, hosts).fetchone()[0]

        regular = f"""SELECT r.id, r.host_id, r.registered_day FROM registrations r
            JOIN activities a ON a.id = r.activity_id
            WHERE NOT a.special AND a.name LIKE 'bench %' AND r.host_id IN ({marks})"""
        pairs = con.execute(
            f"""WITH g AS ({regular}) SELECT count(*) FROM g a JOIN g b
                ON a.host_id = b.host_id AND a.id < b.id
                AND abs(julianday(a.registered_day) - julianday(b.registered_day)) < 2""",
            hosts,
        ).fetchone()[0]
        per_host = Counter(
            n
            for (n,) in con.execute(
                f"WITH g AS ({regular}) SELECT count(*) FROM g GROUP BY host_id", hosts
            )
        )
        rows = one(
            f"""SELECT count(*) FROM registrations r JOIN activities a ON a.id = r.activity_id
                WHERE a.name LIKE 'bench %' AND r.host_id IN ({marks})"""
        )
        special = one(
            f"""SELECT count(*) FROM registrations r JOIN activities a ON a.id = r.activity_id
                WHERE a.special AND a.name LIKE 'bench %' AND r.host_id IN ({marks})"""
        )
        fatigue = one(f"SELECT count(*) FROM fatigue_days WHERE host_id IN ({marks})")
    with_one = per_host.get(1, 0)
    return {
        "rows": rows,
        "regular_per_host": {str(k): v for k, v in sorted(per_host.items())},
        "hosts_with_one_regular": with_one,
        "hosts_without_regular": len(hosts) - sum(per_host.values()),
        "pairs_within_fatigue_window": pairs,
        "special_rows": special,
        "special_expected": specials * len(hosts),
        "fatigue_day_rows": fatigue,
        "ok": pairs == 0 and with_one == len(hosts) and special == specials * len(hosts),
    }


# profile ---------------------------------------------------------------------------------------

_FRAME = re.compile(r"^(?P<fn>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _frame(raw: str) -> tuple[str, str]:
    m = _FRAME.match(raw.strip())
    if not m:
        return raw.strip(), ""
    file = m["file"]
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    return m["fn"], file


def _package(file: str) -> str:
    if not file:
        return "(native/other)"
    parts = file.removesuffix(".py").split("/")
    if parts[0] == "livetier" and len(parts) > 2:
        return ".".join(parts[:3])
    if re.match(r"\.?\d+/", file) or parts[0].startswith("."):
        return "stdlib " + parts[-1]
    return parts[0] if len(parts) > 1 else "stdlib " + parts[0]


# Frames worth a line of their own in the report (inclusive share of samples).
WATCHED = {
    "HTTP parsing, event loop, ASGI": ("RequestResponseCycle.run_asgi",),
    "thread-pool hop (anyio.to_thread) of sync endpoints": ("WorkerThread.run",),
    "FastAPI solve_dependencies (key, params)": ("solve_dependencies",),
    "  Authenticator (key cache)": ("Authenticator.__call__",),
    "FastAPI serialize_response (response_model validation)": ("serialize_response",),
    "  jsonable_encoder": ("jsonable_encoder",),
    "JSON rendering (JSONResponse.render)": ("JSONResponse.render", "ORJSONResponse.render"),
    "endpoint host_status": ("create_app.<locals>.host_status",),
    "endpoint privilege_check": ("create_app.<locals>.privilege_check",),
    "Served.host": ("Served.host",),
    "  SQL: host tier + claim (SQLAlchemy Core)": ("Served.host>Connection.execute",),
    "  Snapshot.host (pyarrow slice().to_pylist())": ("Snapshot.host",),
    "  evaluate_host (rules, per request)": ("evaluate_host",),
    "  Served.latest (run check)": ("Served.latest",),
    "Served.last_use (SQL, fatigue)": ("Served.last_use",),
    "decide": ("decide",),
    "SQLAlchemy Connection.execute, all": ("Connection.execute",),
    "  BEGIN per connection use (schema._sqlite_begin)": ("_sqlite_begin",),
    "  statement compile / cache key": ("ClauseElement._compile_w_cache",),
    "  sqlite3 cursor.execute (incl. SQLite itself)": ("DefaultDialect.do_execute",),
    "  result rows (CursorResult)": ("CursorResult.first", "Result.first", "Result.scalar"),
    "connection checkout/return (pool, ROLLBACK)": (
        "Engine.connect",
        "Connection.close",
        "_ConnectionFairy._checkout",
    ),
}


def summarize_profile(raw: Path, top: int = 30) -> dict[str, Any]:
    """py-spy's collapsed stacks: the share of samples under each watched frame (inclusive),
    the top functions by inclusive and by self time, and self time by package."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    watched: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_frame(f) for f in stack.split(";") if f.strip()]
        frames = [f for f in frames if not f[0].startswith(("process ", "thread "))]
        names = [fn for fn, _ in frames]
        for fn, file in set(frames):
            inclusive[f"{fn} ({file})"] += n
        if frames:
            own[_package(frames[-1][1])] += n
            leaves[f"{frames[-1][0]} ({frames[-1][1]})"] += n
        for label, patterns in WATCHED.items():
            for pattern in patterns:
                outer, _, inner = pattern.rpartition(">")
                if inner in names and (not outer or outer in names[: names.index(inner)]):
                    watched[label] += n
                    break

    def pct(c: Counter[str], k: int) -> list[tuple[str, float]]:
        return [(name, round(100 * v / total, 1)) for name, v in c.most_common(k)]

    return {
        "samples": total,
        "watched_pct": [(k, round(100 * watched[k] / total, 1)) for k in WATCHED if watched[k]],
        "inclusive_pct": [x for x in pct(inclusive, top + 40) if x[1] < 99][:top],
        "self_functions_pct": pct(leaves, 20),
        "self_packages_pct": pct(own, 15),
    }


def print_profile(name: str, found: dict[str, Any]) -> None:
    print(f"\nprofile of {name}: {found['samples']} samples of the thread holding the GIL")
    for label, v in found["watched_pct"]:
        print(f"  {v:5.1f}%  {label}")
    own = ", ".join(f"{p} {v}%" for p, v in found["self_packages_pct"][:10])
    print(f"  self time by package: {own}")
    print(
        "  self time by function: "
        + ", ".join(f"{p} {v}%" for p, v in found["self_functions_pct"][:8])
    )


def profile(server: Server, ids: Path, key: str, args: argparse.Namespace) -> dict[str, Any]:
    spy = BIN / "py-spy"
    if not spy.exists():
        print("  (no py-spy in the venv: `pip install py-spy`; skipping the profile)")
        return {}
    found: dict[str, Any] = {}
    for name in ("status", "privilege"):
        raw = RESULTS / f"api-profile-{name}.txt"
        seconds = max(5, int(args.duration))
        cmd = [
            *(str(spy), "record", "--pid", str(server.proc.pid), "--subprocesses", "--gil"),
            *("--duration", str(seconds), "--rate", "250", "--format", "raw", "--nonblocking"),
            *("--output", str(raw)),
        ]
        spied: list[subprocess.CompletedProcess[str]] = []

        def record(cmd: list[str] = cmd, spied: list = spied) -> None:  # type: ignore[type-arg]
            time.sleep(1)  # inside the wrk run
            spied.append(subprocess.run(cmd, capture_output=True, text=True, check=False))

        spy_thread = threading.Thread(target=record)
        spy_thread.start()
        under = wrk(server, ["get", str(ids), key, READS[name]], args, seconds + 2)
        spy_thread.join()
        if spied[0].returncode != 0 or not raw.exists():
            print(f"  py-spy failed: {spied[0].stderr[-1000:]}")
            return found
        found[name] = {"under_profiler": under, **summarize_profile(raw)}
        print_profile(name, found[name])
    return found


# main ------------------------------------------------------------------------------------------


def measure(workers: int, prep: Path, prepared: dict, args: argparse.Namespace) -> dict[str, Any]:
    live = prep.parent / "live"
    restore(prep, live)
    server = Server(live, workers)
    try:
        ready = server.wait_ready()
        print(f"workers={workers}: serving {server.url} (ready in {ready:.1f} s)", flush=True)
        ids = prep / "ids.txt"
        result: dict[str, Any] = {"ready_s": round(ready, 1)}
        result["reads"] = read_benchmark(server, ids, prepared["keys"]["service"], args)
        result["server_rss_mib"] = server.rss_mib()
        base = result["reads"]["healthz"]["rps"]
        for name in ("status", "privilege"):
            r = result["reads"][name]
            r["ratio_to_healthz"] = round(r["rps"] / base, 3) if base else None
            r["meets_target"] = r["rps"] >= TARGET_RPS and r["p99_ms"] <= TARGET_P99_MS
        if args.reg_hosts:
            result["registration"] = registrations(server, live, prepared["keys"], args, workers)
        if args.profile and workers == args.workers[0]:
            result["profile"] = profile(server, ids, prepared["keys"]["service"], args)
        return result
    finally:
        server.stop()


def code_state() -> dict[str, Any]:
    """The commit, and the files of src/ that differ from it (the tree measured)."""

    def git(*a: str) -> str:
        run = subprocess.run(["git", *a], cwd=HERE, capture_output=True, text=True, check=False)
        return run.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "src_changed": git("status", "--short", "../src")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--hosts", type=int, default=1_000_000)
    ap.add_argument("--views-per-host-day", type=float, default=12.0)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per wrk run")
    ap.add_argument("--warmup", type=float, default=10.0, help="seconds of wrk before measuring")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1, help="wrk threads (2 cores: keep 1)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="e.g. --workers 1 2")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sample-ids", type=int, default=100_000, help="host ids wrk picks from")
    ap.add_argument("--reg-hosts", type=int, default=256, help="K hosts; 0: no registrations")
    ap.add_argument("--burst", type=int, default=16, help="concurrent registrations per host")
    ap.add_argument("--regular", type=int, default=8, help="regular activities")
    ap.add_argument("--special", type=int, default=2, help="special activities")
    ap.add_argument("--profile", action="store_true", help="py-spy the first --workers value")
    ap.add_argument("--send", type=Path, help=argparse.SUPPRESS)  # the load-generator process
    args = ap.parse_args()
    if args.send:
        spec = json.loads(args.send.read_text())
        print(json.dumps(asyncio.run(_send(spec["url"], spec["plan"], spec["connections"]))))
        return

    RESULTS.mkdir(exist_ok=True)
    prep, prepared = prepare(args.hosts, args.views_per_host_day, args.sample_ids)
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "wrk_threads": args.threads},
        "code": code_state(),
        "params": {k: v for k, v in vars(args).items() if k != "send"},
        "prepared": prepared,
        "store": store_info(prep),
        "target": {"rps": TARGET_RPS, "p99_ms": TARGET_P99_MS},
        "workers": {},
    }
    for workers in args.workers:
        result["workers"][str(workers)] = measure(workers, prep, prepared, args)
        (RESULTS / "api.json").write_text(json.dumps(result, indent=1, default=str))
    report(result)


def report(r: dict[str, Any]) -> None:
    p = r["params"]
    print(
        f"\nAPI at {r['prepared']['data']['hosts']} host rows (SQLite store), wrk -t{p['threads']}"
        f" -c{p['connections']} -d{p['duration']:g}s, median of {p['repeat']},"
        f" {r['machine']['cpus']} CPUs shared by server and load generator; CPU ms/req: the"
        f" server's CPU time per request; others: cores busy with other processes meanwhile"
    )
    print(
        f"{'workers':>7} {'endpoint':10} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7}"
        f" {'x healthz':>9} {'errors':>6} {'CPU ms/req':>10} {'others':>6}"
        f"  target >= {TARGET_RPS}/s, p99 <= {TARGET_P99_MS:g} ms"
    )
    for w, res in r["workers"].items():
        for name, x in res["reads"].items():
            ratio = f"{x['ratio_to_healthz']:.3f}" if "ratio_to_healthz" in x else ""
            meets = {True: "met", False: "MISSED"}.get(x.get("meets_target"), "")  # type: ignore[call-overload]
            print(
                f"{w:>7} {name:10} {x['rps']:8.0f} {x['p50_ms']:7.2f} {x['p90_ms']:7.2f}"
                f" {x['p99_ms']:7.2f} {ratio:>9} {x['non_2xx'] + x['socket_errors']:6d}"
                f" {x['server_cpu_ms_per_request']:10.3f} {x['cores_other']:6.2f}  {meets}"
            )
    for w, res in r["workers"].items():
        reg = res.get("registration")
        if not reg:
            continue
        c, chk, rep = reg["contended"], reg["check"], reg["idempotent_replays"]
        print(
            f"\nworkers={w}: registration, {reg['hosts']} claimed expert/honor hosts,"
            f" {p['burst']} concurrent requests per host, {p['connections']} in flight:"
        )
        print(
            f"  {c['requests']} requests in {c['wall_s']} s: {c['rps']:.0f}/s, p50 {c['p50_ms']}"
            f" ms, p99 {c['p99_ms']} ms, max {c['max_ms']} ms; 201s p99"
            f" {c['latency_201'].get('p99_ms')} ms; server {c['cores_server']} cores,"
            f" {c['server_cpu_ms_per_request']} ms CPU/req"
        )
        print(f"  outcomes: {c['outcomes']}")
        print(
            f"  check: {chk['pairs_within_fatigue_window']} pairs of regular registrations within"
            f" 2 days; regular registrations per host {chk['regular_per_host']};"
            f" special {chk['special_rows']}/{chk['special_expected']};"
            f" rows = 201s: {chk['rows_equal_201s']} -> {'OK' if chk['ok'] else 'FAILED'}"
        )
        cl = reg["claims"]
        print(
            f"  claims via the API ({p['connections']} in flight): {cl['rps']:.0f}/s,"
            f" outcomes {cl['outcomes']}; claimed {reg['claimed_hosts']}/{reg['hosts']}"
        )
        f = reg["idempotent_first"]
        print(
            f"  idempotent: first requests {f['rps']:.0f}/s {f['outcomes']}; wrk replays"
            f" {rep['rps']:.0f}/s, p50 {rep['p50_ms']} ms, p99 {rep['p99_ms']} ms,"
            f" non-2xx {rep['non_2xx']} (replays answer the stored 409)"
        )
    print(f"\nresults: {RESULTS / 'api.json'}")


if __name__ == "__main__":
    main()
