"""`make bench`: the full 30-day evaluation at 10k, 100k and 1M hosts against three hand-written
baselines, the 1M evaluation under a 2 GB DuckDB memory limit, and the daily incremental run.

For each size (data generated once, cached in bench/.data, shared with bench_daily.py):
  * livetier: `livetier evaluate --format jsonl > /dev/null`;
  * sql:      bench/baseline_sql.py, one hand-written DuckDB query down to tier counts;
  * polars:   bench/baseline_polars.py, the same as one Polars lazy query;
  * pandas:   bench/baseline_pandas.py, the same in plain pandas; skipped where it cannot fit
              (the reason is printed and recorded);
alternating, each under /usr/bin/time -v (wall time, peak RSS), median of --repeat runs (one
at 1M). The baselines' tier counts must equal livetier's (check_baselines.py), else the run
fails. At 1M, bench/evaluate_limited.py runs the evaluation under a 2 GB DuckDB memory limit
and records whether it finished. Then bench_daily.py times the daily run at each size (12 views
per host and day, as at 1M), against hand-written SQL of the same day's facts and 30-day sums.

Results: bench/results/bench.json (plot: `python bench/plot.py`).
Run: `python bench/bench.py [--sizes 10000 100000 1000000] [--repeat 3] [--no-daily]`.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import check_baselines
from bench_daily import DATA, DAY, HERE, LIVETIER, generate

RESULTS = HERE / "results"
VIEWS = {10_000: 20.0, 100_000: 20.0, 1_000_000: 12.0}
"""Views per host and day: 1M hosts at 20 would be 600M views (5 GB of Parquet), so 12."""
PANDAS_MAX_HOSTS = 100_000
PANDAS_SKIP = (
    "not run: pandas holds every row in memory; at 100k hosts (59M views) its peak was "
    "13.7 GiB, and 1M hosts have 355M views, 6x as many: far beyond this machine's 24 GiB"
)
MEMORY_LIMIT = "2GB"


def timed(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """(wall s, peak RSS MiB, stdout, stderr, exit code) of a command under /usr/bin/time -v.

    Unlike bench_daily.timed, a failure is returned, not fatal: a failed run is a result."""
    t = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    rss = int(found[1]) / 1024 if found else float("nan")
    return wall, rss, proc.stdout, proc.stderr, proc.returncode


def commands(folder: Path) -> dict[str, list[str]]:
    day = DAY.isoformat()
    return {
        "livetier": [
            LIVETIER,
            "evaluate",
            "--data",
            str(folder),
            "--date",
            day,
            "--format",
            "jsonl",
        ],
        "sql": [sys.executable, str(HERE / "baseline_sql.py"), str(folder), day],
        "polars": [sys.executable, str(HERE / "baseline_polars.py"), str(folder), day],
        "pandas": [sys.executable, str(HERE / "baseline_pandas.py"), str(folder), day],
    }


def run_quiet(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """timed(), with livetier's jsonl sent to /dev/null rather than kept in memory."""
    if cmd[0] != LIVETIER:
        return timed(cmd)
    quoted = " ".join(f"'{c}'" for c in cmd)
    return timed(["sh", "-c", f"{quoted} > /dev/null"])


def summarise(samples: list[tuple[float, float, str, str, int]]) -> dict[str, Any]:
    walls = [s[0] for s in samples]
    return {
        "median_s": round(statistics.median(walls), 2),
        "peak_rss_mib": round(max(s[1] for s in samples)),
        "walls_s": [round(w, 2) for w in walls],
    }


PEERS = ("sql", "polars", "pandas")


def evaluation(hosts: int, repeat: int, peers: tuple[str, ...] = PEERS) -> dict[str, Any]:
    folder = generate(hosts, 30, VIEWS.get(hosts, 20.0))
    data = json.loads((folder / "summary.json").read_text()) | {"folder": folder.name}
    cmds = commands(folder)
    names = [p for p in ("sql", "polars") if p in peers] + ["livetier"]
    out: dict[str, Any] = {"data": data, "repeat": repeat}
    if "pandas" not in peers:
        out["pandas"] = {"skipped": "not run: left out with --peers"}
    elif hosts <= PANDAS_MAX_HOSTS:
        names.append("pandas")
    else:
        out["pandas"] = {"skipped": PANDAS_SKIP}
        print(f"{hosts} hosts: pandas {PANDAS_SKIP}", flush=True)
    runs: dict[str, list[tuple[float, float, str, str, int]]] = {n: [] for n in names}
    failed: dict[str, dict[str, Any]] = {}
    for i in range(repeat):  # alternate, so that all see the same machine noise
        for name in names:
            if name == "pandas" and i and runs["pandas"][0][0] > 60:
                continue  # over a minute: one run (time budget)
            if name in failed:
                continue
            sample = run_quiet(cmds[name])
            if sample[4] != 0:
                if name == "livetier":
                    sys.exit(f"failed: {cmds[name]}\n{sample[3][-3000:]}")
                # A peer that fails (out of memory at 1M hosts, say) is a result, not the end
                # of the bench: recorded with its wall time, peak memory and last words.
                failed[name] = {
                    "failed": f"exit {sample[4]}: {sample[3][-500:]}",
                    "wall_s": round(sample[0], 2),
                    "peak_rss_mib": round(sample[1]),
                }
                print(f"{hosts} hosts: {name} failed: {failed[name]}", flush=True)
                continue
            runs[name].append(sample)
            print(
                f"{hosts} hosts, run {i + 1}: {name} {sample[0]:.1f} s, {sample[1]:.0f} MiB",
                flush=True,
            )
    for name, samples in runs.items():
        out[name] = failed[name] if name in failed else summarise(samples)
    base = out["livetier"]["median_s"]
    for name in PEERS:
        if "median_s" in out.get(name, {}):
            out[f"livetier_vs_{name}"] = round(base / out[name]["median_s"], 2)

    counts = {n: json.loads(runs[n][0][2]) for n in names if n != "livetier" and runs[n]}
    if hosts <= PANDAS_MAX_HOSTS:  # livetier's own counts, in-process (not timed)
        counts["livetier"] = check_baselines.livetier_counts(folder, DAY)
    if hosts >= 1_000_000:
        out["memory_limited"], limited_counts = memory_limited(folder)
        counts.setdefault("livetier", limited_counts)
    same = {n: c == counts.get("livetier") for n, c in counts.items() if n != "livetier"}
    out["check"] = {"tier_counts": counts, "same": same}
    if not all(same.values()):
        sys.exit(f"{hosts} hosts: a baseline's tier counts differ from livetier's: {counts}")
    return out


def memory_limited(folder: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The evaluation under a DuckDB memory limit, spilling to bench/.data/spill."""
    spill = DATA / "spill"
    spill.mkdir(exist_ok=True)
    cmd = [
        *(sys.executable, str(HERE / "evaluate_limited.py"), str(folder), DAY.isoformat()),
        *("--memory-limit", MEMORY_LIMIT, "--temp-directory", str(spill)),
    ]
    quoted = " ".join(f"'{c}'" for c in cmd)
    wall, rss, _, err, code = timed(["sh", "-c", f"{quoted} > /dev/null"])
    last = [line for line in err.splitlines() if line.startswith("{")]
    status = json.loads(last[-1]) if last else {"ok": False, "error": err[-2000:]}
    ok = code == 0 and status["ok"]
    result = {
        "memory_limit": MEMORY_LIMIT,
        "finished": ok,
        "error": None if ok else status.get("error", f"exit {code}"),
        "wall_s": round(wall, 2),
        "peak_rss_mib": round(rss),
    }
    print(f"memory limit {MEMORY_LIMIT}: {result}", flush=True)
    return result, status.get("tier_counts")


def machine() -> dict[str, Any]:
    import duckdb
    import ibis
    import pandas
    import polars

    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in ln]
    return {
        "cores": len(cpu),
        "cpu": cpu[0].split(":", 1)[1].strip() if cpu else platform.processor(),
        "ram_gib": round(int(mem) / 2**20, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "ibis": ibis.__version__,
        "pandas": pandas.__version__,
        "polars": polars.__version__,
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="median of; 1 at 1M hosts")
    ap.add_argument("--no-daily", action="store_true", help="skip bench_daily.py")
    ap.add_argument(
        "--peers", nargs="+", choices=PEERS, default=list(PEERS), help="baselines to run"
    )
    args = ap.parse_args()
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "bench.json"
    result: dict[str, Any] = json.loads(target.read_text()) if target.exists() else {}
    result["machine"] = machine()
    result.setdefault("evaluate", {})
    for hosts in args.sizes:
        repeat = 1 if hosts >= 1_000_000 else args.repeat
        result["evaluate"][str(hosts)] = evaluation(hosts, repeat, tuple(args.peers))
        target.write_text(json.dumps(result, indent=1))  # keep what is done
    if not args.no_daily:
        if "livetier" in result.get("daily", {}):  # one size only, from before: keep it as 1M's
            result["daily"] = {"1000000": result["daily"]}
        result.setdefault("daily", {})
        for hosts in args.sizes:
            out = DATA / f"results_daily-{hosts}.json"
            cmd = [sys.executable, str(HERE / "bench_daily.py"), "--reuse-state", "--hosts"]
            cmd += [str(hosts), "--repeat", str(args.repeat), "--backfill-hosts", "0"]
            subprocess.run([*cmd, "--out", str(out)], check=True)
            result["daily"][str(hosts)] = json.loads(out.read_text())
            target.write_text(json.dumps(result, indent=1))
    target.write_text(json.dumps(result, indent=1))
    print(f"results: {target}")


if __name__ == "__main__":
    main()
