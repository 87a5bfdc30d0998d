"""Benchmark `livetier explain` (issue 13, part 5: at 1M hosts one host's explanation answers
within a few seconds from day-partitioned data).

Data is generated once and cached in bench/.data: N hosts with 32 days of events (the window,
the day before it and the day D-1... as a daily run reads them), Parquet, split into day
partitions with `livetier partition`. Timed, in one session and alternating, for a few hosts
spread over the id range:
  * livetier: `livetier explain HOST --date D --data PARTS --format jsonl` as a subprocess
    (interpreter start and imports included), output to /dev/null;
  * in-process: `services.explain.explain_host` in a warm process (no start-up);
  * baseline: hand-written DuckDB SQL reading the same partition files for one host: its
    sessions and orders by host_id, its views by session id (the irreducible scan).
Reports median wall times, the subprocess's peak RSS (/usr/bin/time -v) and the ratios.

Run: `python bench/explain.py --hosts 100000 --repeat 3` (add `--hosts 30000` runs to see how
it grows). Results: bench/.data/results_explain_<hosts>.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / ".data"
DAY = date(2026, 11, 26)  # explained day; events end the day before
LIVETIER = str(Path(sys.executable).with_name("livetier"))
DAYS = 32


def generate(hosts: int, views: float) -> Path:
    """Flat Parquet data, cached."""
    folder = DATA / f"{hosts}h-{DAYS}d-{views:g}v"
    if (folder / "summary.json").exists():
        return folder
    from livetier.tools import synthetic

    print(f"generating {folder.name} ...", flush=True)
    t = time.perf_counter()
    s = synthetic.generate(
        folder, hosts=hosts, days=DAYS, end_day=DAY, fmt="parquet", views_per_host_day=views
    )
    summary = {"hosts": s.hosts, "sessions": s.sessions, "views": s.views, "orders": s.orders}
    summary["seconds"] = round(time.perf_counter() - t, 1)
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


def count_rows(flat: Path) -> dict[str, int]:
    """Rows per table of a flat Parquet folder (from the files' metadata)."""
    import pyarrow.parquet as pq

    tables = ("hosts", "sessions", "views", "orders")
    return {t: pq.ParquetFile(flat / f"{t}.parquet").metadata.num_rows for t in tables}


def partitioned(flat: Path) -> Path:
    """`livetier partition` of a flat folder, cached."""
    out = flat.with_name(flat.name + "-parts")
    if (out / "partitioned.json").exists():
        return out
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    print(f"partitioning into {out.name} ...", flush=True)
    wall, rss, _ = timed([LIVETIER, "partition", "--data", str(flat), "--out", str(out)])
    (out / "partitioned.json").write_text(json.dumps({"seconds": round(wall, 1), "rss": rss}))
    return out


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, stdout) of a command, via /usr/bin/time -v."""
    t = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return wall, int(found[1]) / 1024 if found else 0.0, proc.stdout


def files(parts: Path, table: str) -> str:
    """The partition files explain reads for DAY: D-32 … D (those that exist)."""
    first = DAY - timedelta(days=32)
    found = [
        str(f)
        for i in range(33)
        for f in sorted((parts / table / f"day={first + timedelta(days=i)}").glob("*.parquet"))
    ]
    return "[" + ", ".join(f"'{f}'" for f in found) + "]"


def baseline(parts: Path, host: str) -> tuple[int, int, int]:
    """The host's raw rows from the same partition files, by hand: sessions and orders by
    host_id, then views by the session ids found (as explain narrows them)."""
    import duckdb

    con = duckdb.connect()
    sessions = con.execute(
        f"SELECT session_id FROM read_parquet({files(parts, 'sessions')}) WHERE host_id = ?",
        [host],
    ).fetchall()
    ids = [r[0] for r in sessions]
    orders = con.execute(
        f"SELECT count(*) FROM read_parquet({files(parts, 'orders')}) WHERE host_id = ?", [host]
    ).fetchall()[0][0]
    views = con.execute(
        f"SELECT count(*) FROM read_parquet({files(parts, 'views')}) "
        "WHERE list_contains(?, session_id)",
        [ids],
    ).fetchall()[0][0]
    con.close()
    return len(ids), int(orders), int(views)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", type=int, default=100_000)
    ap.add_argument("--views-per-host-day", type=float, default=12.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--probes", type=int, default=3, help="hosts explained, spread over ids")
    ap.add_argument(
        "--flat",
        type=Path,
        help="an already generated flat folder of --hosts hosts covering DAY's window (for "
        "example bench/simulate.py's bench/.data/sim-N/data) instead of generating one",
    )
    a = ap.parse_args()
    flat = a.flat or generate(a.hosts, a.views_per_host_day)
    if not (flat / "summary.json").exists():
        (flat / "summary.json").write_text(json.dumps(count_rows(flat)))
    parts = partitioned(flat)
    summary = json.loads((flat / "summary.json").read_text())
    step = max(1, a.hosts // a.probes)
    width = len(str(a.hosts))  # the generator's ids: h + the number, zero-padded to this
    hosts = [f"h{i:0{width}d}" for i in range(1, a.hosts + 1, step)][: a.probes]

    from livetier import rulebooks
    from livetier.services import explain

    book = rulebooks.load()
    cli, rss, warm, base = [], [], [], []
    records: dict[str, dict[str, int]] = {}
    for _ in range(a.repeat):
        for host in hosts:
            cmd = [LIVETIER, "explain", host, "--date", DAY.isoformat(), "--data", str(parts)]
            wall, peak, out = timed([*cmd, "--format", "jsonl"])
            cli.append(wall)
            rss.append(peak)
            t = time.perf_counter()
            found = explain.explain_host(parts, host, DAY, book)
            warm.append(time.perf_counter() - t)
            t = time.perf_counter()
            raw = baseline(parts, host)
            base.append(time.perf_counter() - t)
            records[host] = {
                "records": len(out.splitlines()),
                "sessions_read": raw[0],
                "orders_read": raw[1],
                "views_read": raw[2],
                **found.metrics,
            }
    result = {
        "hosts": a.hosts,
        "rows": summary,
        "probes": records,
        "cli_median_s": round(statistics.median(cli), 2),
        "cli_peak_rss_mib": round(max(rss)),
        "in_process_median_s": round(statistics.median(warm), 2),
        "baseline_median_s": round(statistics.median(base), 2),
        "ratio_in_process_to_baseline": round(statistics.median(warm) / statistics.median(base), 1),
    }
    (DATA / f"results_explain_{a.hosts}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
