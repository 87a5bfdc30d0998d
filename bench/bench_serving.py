"""What the serving snapshot in the state store costs against the Parquet files beside the
warehouse it replaced (issue 15, target 6), over a state store a daily run has written.

  1. write: the latest run's snapshot written again, alternating, --repeat times: as Parquet
     files beside the warehouse, as store/serving.py did before (COPY to a temporary name,
     then rename), and into the state store (serving.write) given by --db, and into a fresh
     SQLite store;
  2. load: what each API server does once a new run succeeded: read the files (pyarrow) or
     read the rows from the store (serving.Snapshot.load: the same plus the host index);
  3. status: `livetier serve --db URL` (one worker); --clients concurrent Python clients ask
     random hosts' status for --duration seconds: requests/s and latency percentiles, and how
     long the first status took after start (the snapshot loaded from the store).

Run (after a `livetier run` into the store): `python bench/bench_serving.py --db URL
--warehouse W.duckdb`. Results: bench/results/serving.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import delete

from livetier.services import keys
from livetier.store import runs, serving
from livetier.store.models import ServingPart
from livetier.store.schema import connected

HERE = Path(__file__).parent
RESULTS = HERE / "results"


def parquet_write(con: duckdb.DuckDBPyConnection, folder: Path, run_id: int) -> None:
    """The former store/serving.write: two files, each under a temporary name, renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, sql in (("hosts", "SELECT * FROM h"), ("quality", QUALITY)):
        target = folder / f"run-{run_id}.{kind}.parquet"
        partial = target.with_name(target.name + ".partial")
        con.execute(f"COPY ({sql}) TO '{partial}' (FORMAT parquet)")
        os.replace(partial, target)


def from_files(files: list[Path], run_id: int) -> serving.Snapshot:
    """What a server did with the files: read them, index the hosts."""
    return serving.Snapshot.of(run_id, *map(pq.read_table, files))


QUALITY = 'SELECT "table", row_id, reason, detail, counted FROM quality'


def timed(fn: Any) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def summary(xs: list[float]) -> dict[str, float]:
    return {"median_s": round(statistics.median(xs), 3), "runs": [round(x, 3) for x in xs]}


def measure_writes(db_url: str, repeat: int) -> dict[str, Any]:
    out: dict[str, list[float]] = {"parquet": [], "store": [], "sqlite": []}
    load: dict[str, list[float]] = {"parquet": [], "store": [], "sqlite": []}
    with (
        connected(db_url) as db,
        tempfile.TemporaryDirectory() as tmp,
        connected(f"sqlite:///{tmp}/s.db") as lite,
    ):
        with db.connect() as c:
            latest = runs.latest_succeeded_run(c)
        assert latest is not None, "no succeeded run in the store"
        tables = serving.read(db, latest.id)
        assert tables is not None, f"run {latest.id} has no snapshot in the store"
        hosts, quality = tables
        con = duckdb.connect()
        con.register("h_arrow", hosts)
        con.execute("CREATE TABLE h AS SELECT * FROM h_arrow")
        con.register("q_arrow", quality.append_column("day", pa.array([latest.day] * len(quality))))
        con.execute("CREATE TABLE quality AS SELECT * FROM q_arrow")
        folder = Path(tmp) / "w.duckdb.serving"
        fake = 10**9
        for i in range(repeat):
            rid = fake + i
            files = [folder / f"run-{rid}.{k}.parquet" for k in ("hosts", "quality")]
            out["parquet"].append(timed(partial(parquet_write, con, folder, rid)))
            hosts_sql, day = "SELECT * FROM h", latest.day
            out["store"].append(timed(partial(serving.write, con, db, rid, hosts_sql, day)))
            out["sqlite"].append(timed(partial(serving.write, con, lite, rid, hosts_sql, day)))
            load["parquet"].append(timed(partial(from_files, files, rid)))
            load["store"].append(timed(partial(serving.Snapshot.load, db, rid)))
            load["sqlite"].append(timed(partial(serving.Snapshot.load, lite, rid)))
        for engine in (db, lite):
            with engine.begin() as c:
                c.execute(delete(ServingPart).where(ServingPart.run_id >= fake))
        size = sum(f.stat().st_size for f in folder.glob(f"run-{fake}.*.parquet"))
    return {
        "run_id": latest.id,
        "hosts": hosts.num_rows,
        "quality_rows": quality.num_rows,
        "snapshot_bytes": size,
        "write": {k: summary(v) for k, v in out.items()},
        "load": {k: summary(v) for k, v in load.items()},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load_status(url: str, key: str, ids: list[str], clients: int, seconds: float) -> Any:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    rng = random.Random(3)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.monotonic() < stop:
            t = time.perf_counter()
            r = await http.get(f"/api/v1/hosts/{rng.choice(ids)}/status")
            latencies.append(time.perf_counter() - t)
            errors += r.status_code != 200

    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": key}, limits=limits, timeout=60
    ) as http:
        t = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - t
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "clients": clients,
        "seconds": round(wall, 1),
    }


def measure_status(db_url: str, clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    with connected(db_url) as db:
        key = keys.create(db, keys.Role.service, label="bench")[0]
        with db.connect() as c:
            latest = runs.latest_succeeded_run(c)
        assert latest is not None
        hosts, _ = serving.read(db, latest.id) or (None, None)
        assert hosts is not None
        ids = random.Random(4).sample(hosts.column("host_id").to_pylist(), 2000)
        in_process = status_in_process(db, ids)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as cwd, open(Path(cwd) / "serve.log", "w") as log:
        cmd = [sys.executable, "-m", "livetier", "serve", "--db", db_url, "--port", str(port)]
        server = subprocess.Popen(cmd, cwd=cwd, stderr=log, stdout=log)
        try:
            started = time.perf_counter()
            while True:
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            up = time.perf_counter() - started
            rss_up = rss_mib(server.pid)
            t = time.perf_counter()
            first = httpx.get(
                f"{url}/api/v1/hosts/{ids[0]}/status", headers={"X-API-Key": key}, timeout=120
            )
            assert first.status_code == 200, first.text
            first_s = time.perf_counter() - t
            rss_loaded = rss_mib(server.pid)
            cpu = cpu_s(server.pid)
            result = asyncio.run(load_status(url, key, ids, clients, seconds))
            result["server_cpu_ms_per_request"] = round(
                1000 * (cpu_s(server.pid) - cpu) / result["requests"], 3
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "in_process": in_process,
        "server_up_s": round(up, 2),
        "first_status_s": round(first_s, 2),
        "server_rss_mib_up": rss_up,
        "server_rss_mib_snapshot_loaded": rss_loaded,
        **result,
    }


def status_in_process(db: Any, ids: list[str]) -> dict[str, Any]:
    """A status as the service computes it (services/served), without HTTP: the snapshot
    loaded from the store once, then one point read of the state store per request."""
    from livetier import rulebooks
    from livetier.services.served import Served

    view = Served(db, rulebooks.load())
    t = time.perf_counter()
    view.latest()
    load = time.perf_counter() - t
    times = []
    for host in ids:
        t = time.perf_counter()
        view.host(host, evaluate=False)
        times.append(time.perf_counter() - t)
    q = statistics.quantiles(times, n=100)
    return {
        "snapshot_load_s": round(load, 3),
        "requests": len(times),
        "p50_ms": round(q[49] * 1000, 3),
        "p99_ms": round(q[98] * 1000, 3),
    }


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def cpu_s(pid: int) -> float:
    """The process's user + system CPU seconds so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="state store URL with a day run's snapshot")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--duration", type=float, default=20.0)
    args = ap.parse_args()
    result = {"db": args.db.split("@")[-1], "snapshot": measure_writes(args.db, args.repeat)}
    print(json.dumps(result["snapshot"], indent=1), flush=True)
    result["status"] = measure_status(args.db, args.clients, args.duration)
    print(json.dumps(result["status"], indent=1), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "serving.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
