"""Benchmark `rules simulate` against one daily grading, both from the warehouse (issue 13,
part 1: "in a time comparable to one daily grading").

Data is generated once and cached in bench/.data/sim-N (N hosts, 31 days of events before
DAY), and one `livetier run --date DAY` fills that folder's warehouse with the whole window.
Timed in one session, alternating, each from a fresh read-only open of the warehouse:

  * grading: `services.daily.grade_day` (the daily run's grading step: every host's tier and
    how long it holds, into the warehouse's temporary tables and back as Arrow);
  * simulate: `services.rules_ops.simulate(..., reasons=False)`, what the table output needs
    (both versions' tiers, the matrix, privileges, the hosts nearest each moved threshold);
  * simulate+reasons: the same with every changed host's deciding criteria (`--format jsonl`);
  * simulate+store+grace: the table output of a draft that also sets `downgrade_grace_days: 2`,
    with the state store of that run (the tiers held before the day and the grace counters:
    read from the warehouse's copy of the state, current with the store).

The draft moves the consumer expert and honor thresholds (5 -> 4 sessions, 300 -> 250
buyers), so a few percent of hosts change tier.

Run: `python bench/simulate.py --hosts 100000 --repeat 3`.
Results: bench/.data/results_simulate.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from contextlib import nullcontext
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / ".data"
DAY = date(2026, 11, 26)


def prepare(hosts: int) -> tuple[Path, Path, Path]:
    """The platform folder, its warehouse after one day run, and the draft rulebook."""
    from livetier.rulebooks import DEFAULT_RULEBOOK
    from livetier.tools.synthetic import generate

    root = DATA / f"sim-{hosts}"
    data, wh, db = root / "data", root / "livetier.duckdb", root / "state.db"
    if not (root / "ready").exists():
        root.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        generate(data, hosts=hosts, days=31, end_day=DAY - timedelta(days=1), seed=5)
        print(f"generated {hosts} hosts in {time.monotonic() - t0:.0f} s", flush=True)
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "livetier", "run", "--data", str(data), "--date", str(DAY),
             "--db", f"sqlite:///{db}", "--warehouse", str(wh)],
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"day run (whole window) in {time.monotonic() - t0:.0f} s", flush=True)
        (root / "ready").touch()
    text = DEFAULT_RULEBOOK.read_text()
    version = text[text.index("  - version:") :]
    version = (
        version.replace('"2026.1"', '"2026.4"')
        .replace("effective_from: 2026-01-01", "effective_from: 2026-10-01")
        .replace('live_sessions_30d, op: ">=", value: 5}', 'live_sessions_30d, op: ">=", value: 4}')
        .replace('live_buyers_30d, op: ">=", value: 300}', 'live_buyers_30d, op: ">=", value: 250}')
    )
    draft = root / "draft.yaml"
    draft.write_text(text + "\n" + version)
    grace = version.replace(
        "effective_from: 2026-10-01", "effective_from: 2026-10-01\n    downgrade_grace_days: 2"
    )
    (root / "draft-grace.yaml").write_text(text + "\n" + grace)
    return data, wh, draft


def time_grading(wh: Path) -> float:
    from livetier import rulebooks
    from livetier.services.daily import grade_day
    from livetier.store.warehouse import open_warehouse

    book = rulebooks.load()
    t0 = time.perf_counter()
    with open_warehouse(wh, read_only=True) as w:
        graded = grade_day(w, book.version_for(DAY), DAY, book.definitions.window_days)
        assert graded.count > 0
    return time.perf_counter() - t0


def time_simulate(
    wh: Path, draft: Path, reasons: bool, store: Path | None = None
) -> tuple[float, int]:
    from livetier import rulebooks
    from livetier.services import rules_ops
    from livetier.store.schema import connected

    t0 = time.perf_counter()
    with connected(f"sqlite:///{store}", migrate=False) if store else nullcontext() as db:
        sim = rules_ops.simulate(
            rules_ops.FromWarehouse(wh),
            DAY,
            rulebooks.load(),
            rulebooks.load(draft),
            db=db,
            reasons=reasons,
        )
    if reasons:
        sum(1 for _ in sim.records())
    elapsed = time.perf_counter() - t0
    return elapsed, sum(line.changed for line in sim.lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    _data, wh, draft = prepare(args.hosts)
    store, grace = wh.with_name("state.db"), draft.with_name("draft-grace.yaml")
    times: dict[str, list[float]] = {
        "grading": [],
        "simulate": [],
        "simulate+reasons": [],
        "simulate+store+grace": [],
    }
    changed = 0
    for i in range(args.repeat):
        times["grading"].append(time_grading(wh))
        t, changed = time_simulate(wh, draft, reasons=False)
        times["simulate"].append(t)
        times["simulate+reasons"].append(time_simulate(wh, draft, reasons=True)[0])
        times["simulate+store+grace"].append(time_simulate(wh, grace, False, store)[0])
        print(f"round {i + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()))
    medians = {k: statistics.median(v) for k, v in times.items()}
    result = {
        "hosts": args.hosts,
        "changed": changed,
        "runs": times,
        "median_s": medians,
        "ratio_to_grading": {k: v / medians["grading"] for k, v in medians.items()},
        "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(result, indent=1))
    (DATA / "results_simulate.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
