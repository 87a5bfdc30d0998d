"""Benchmark `livetier evaluate` on a generated platform (issue #2's target: 100k hosts, 60 s).

Generates data once (cached in bench/.data), then runs, in one session and alternating:
  * livetier:  `livetier evaluate --format jsonl` as a subprocess, output to /dev/null;
  * baseline:  hand-written DuckDB SQL for the two activity metrics over the same files.
Reports the median wall time, the peak RSS of each, and the ratio. Run: `make bench`, or
`python bench/bench_evaluate.py --hosts 100000 --repeat 3`.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
DAY = date(2026, 11, 26)

BASELINE_SQL = """
SET TimeZone = 'UTC';
WITH s AS (
  SELECT session_id, host_id, started_at::TIMESTAMP AS st, ended_at::TIMESTAMP AS en
  FROM read_parquet('{d}/sessions.parquet')),
v AS (
  SELECT s.host_id, v.buyer_id, v.viewed_at::TIMESTAMP AS t,
         CAST(v.viewed_at::TIMESTAMP + INTERVAL 8 HOUR AS DATE) AS day
  FROM read_parquet('{d}/views.parquet') v JOIN s USING (session_id)),
o AS (
  SELECT host_id, buyer_id, paid_at::TIMESTAMP AS t,
         CAST(paid_at::TIMESTAMP + INTERVAL 8 HOUR AS DATE) AS day
  FROM read_parquet('{d}/orders.parquet') WHERE paid_at IS NOT NULL),
fv AS (SELECT host_id, buyer_id, day, min(t) AS t FROM v
       WHERE day BETWEEN DATE '{first}' AND DATE '{last}' GROUP BY ALL),
lp AS (SELECT host_id, buyer_id, day, max(t) AS t FROM o
       WHERE day BETWEEN DATE '{first}' AND DATE '{last}' GROUP BY ALL),
buyers AS (SELECT host_id, count(*) AS n FROM fv JOIN lp USING (host_id, buyer_id, day)
           WHERE lp.t >= fv.t GROUP BY ALL),
sessions AS (SELECT host_id, count(*) AS n FROM s
             WHERE en > st + INTERVAL 15 MINUTE
               AND CAST(st + INTERVAL 8 HOUR AS DATE) BETWEEN DATE '{first}' AND DATE '{last}'
             GROUP BY ALL)
SELECT count(*), sum(b.n), sum(s.n) FROM buyers b FULL JOIN sessions s USING (host_id);
"""


def generate(hosts: int, days: int, views: float) -> Path:
    folder = HERE / ".data" / f"{hosts}h-{days}d-{views:g}v"
    if (folder / "summary.json").exists():
        return folder
    from livetier.tools import synthetic

    t = time.perf_counter()
    s = synthetic.generate(
        folder, hosts=hosts, days=days, end_day=DAY, fmt="parquet", views_per_host_day=views
    )
    (folder / "summary.json").write_text(
        json.dumps(
            {
                "hosts": s.hosts,
                "sessions": s.sessions,
                "views": s.views,
                "orders": s.orders,
                "seconds": round(time.perf_counter() - t, 1),
            }
        )
    )
    return folder


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MiB) of a command, via /usr/bin/time -v."""
    t = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    return wall, rss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--views-per-host-day", type=float, default=20.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    folder = generate(args.hosts, args.days, args.views_per_host_day)
    summary = json.loads((folder / "summary.json").read_text())
    first, last = date.fromordinal(DAY.toordinal() - 30), date.fromordinal(DAY.toordinal() - 1)
    sql = BASELINE_SQL.format(d=folder, first=first, last=last)
    livetier = [
        str(Path(sys.executable).with_name("livetier")),
        "evaluate",
        "--data",
        str(folder),
        "--date",
        DAY.isoformat(),
        "--format",
        "jsonl",
    ]
    baseline = [sys.executable, "-c", f"import duckdb; print(duckdb.sql({sql!r}).fetchall())"]

    runs: dict[str, list[tuple[float, float]]] = {"livetier": [], "baseline": []}
    for _ in range(args.repeat):  # alternate, so both see the same machine noise
        runs["baseline"].append(timed(baseline))
        runs["livetier"].append(timed(livetier))
    result = {"data": summary, "repeat": args.repeat}
    for name, samples in runs.items():
        result[name] = {
            "median_s": round(statistics.median(w for w, _ in samples), 2),
            "peak_rss_mib": round(max(r for _, r in samples)),
            "walls_s": [round(w, 2) for w, _ in samples],
        }
    result["ratio_livetier_to_baseline"] = round(
        result["livetier"]["median_s"] / result["baseline"]["median_s"], 2
    )
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
