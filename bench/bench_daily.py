"""Benchmark the daily incremental `livetier run` (issue target: 1M hosts, one day of events,
under 30 s and 4 GiB peak, SQLite state store), and a 30-day `livetier backfill`.

Data is generated once and cached in bench/.data: N hosts with 2 days of events (the last two
days before DAY), split into day partitions with `livetier partition`. The state is prepared
once per invocation (or reused with --reuse-state):
  1. `livetier run` for X = DAY-1 into a scratch state: it computes X's whole window, where
     only the first data day has events;
  2. that warehouse's facts of the first data day are copied into the 29 earlier days of the
     window (SQL on the warehouse), so that every window holds 30 days of facts;
  3. X is run again with that warehouse and a fresh SQLite state db: it recomputes only the
     first data day and records ~N hosts graded over 30 days of facts, so that the timed run
     sees a day's ordinary churn rather than every host's first grade. (Re-running X on the
     same state db instead would take the re-run path, which is far too slow at this size.)
  4. the state db and the warehouse are saved as the "before" snapshot.
Timed, in one session and alternating:
  * livetier: restore the snapshot, `livetier run --date DAY` (computes day X from its
    partitions, grades DAY over 30 days of facts, records the changes);
  * baseline: hand-written DuckDB SQL for day X's facts from the same partition files, plus
    the 30-day per-host sums over the snapshot's facts: the irreducible engine work.
Reports median wall time, peak RSS (/usr/bin/time -v) and the ratio, then times one
`livetier backfill` of 30 days at --backfill-hosts (flat files, fresh state). With --phases,
also runs the daily run in-process once with the time of each phase.

Run: `python bench/bench_daily.py --hosts 1000000 --repeat 3`.
Results: bench/.data/results_daily.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / ".data"
DAY = date(2026, 11, 26)  # the timed run's day; generated events end the day before
X = DAY - timedelta(days=1)  # the day the timed run computes (and the prepared run's day)
FIRST = DAY - timedelta(days=2)  # the first data day
WINDOW = 30
LIVETIER = str(Path(sys.executable).with_name("livetier"))

BASELINE_SQL = """
SET TimeZone = 'UTC';
SET enable_progress_bar = false;
ATTACH '{wh}' AS wh (READ_ONLY);
WITH hosts AS (SELECT DISTINCT host_id FROM read_parquet({hosts})),
s_raw AS (
  SELECT DISTINCT session_id, host_id, started_at, ended_at, deleted FROM read_parquet({sessions})),
s AS (
  SELECT session_id, host_id, started_at::TIMESTAMP AS st, ended_at::TIMESTAMP AS en
  FROM s_raw ANTI JOIN (SELECT session_id FROM s_raw GROUP BY 1 HAVING count(*) > 1)
    USING (session_id)
  WHERE ended_at >= started_at AND host_id IN (SELECT host_id FROM hosts)),
v AS (
  SELECT s.host_id, v.buyer_id, v.viewed_at::TIMESTAMP AS t
  FROM read_parquet({views}) v JOIN s USING (session_id)
  WHERE CAST(v.viewed_at::TIMESTAMP + INTERVAL 8 HOUR AS DATE) = DATE '{x}'),
o_raw AS (
  SELECT DISTINCT order_id, host_id, buyer_id, paid_at FROM read_parquet({orders})
  WHERE CAST(paid_at::TIMESTAMP + INTERVAL 8 HOUR AS DATE) = DATE '{x}'),
o AS (
  SELECT host_id, buyer_id, max(paid_at::TIMESTAMP) AS t
  FROM o_raw ANTI JOIN (SELECT order_id FROM o_raw GROUP BY 1 HAVING count(*) > 1)
    USING (order_id)
  WHERE host_id IN (SELECT host_id FROM hosts) AND buyer_id IS NOT NULL
  GROUP BY ALL),
buyers AS (
  SELECT host_id, count(DISTINCT buyer_id) AS live_buyers
  FROM v JOIN o USING (host_id, buyer_id) WHERE v.t <= o.t GROUP BY ALL),
sess AS (
  SELECT host_id,
         count(*) FILTER (WHERE en > st + INTERVAL 15 MINUTE) AS valid_sessions,
         count(*) FILTER (WHERE CAST(st + INTERVAL 8 HOUR AS DATE)
                                <> CAST(en + INTERVAL 8 HOUR AS DATE)) AS cross_day_sessions
  FROM s WHERE CAST(st + INTERVAL 8 HOUR AS DATE) = DATE '{x}' GROUP BY ALL),
new AS (
  SELECT host_id, coalesce(valid_sessions, 0) AS valid_sessions,
         coalesce(live_buyers, 0) AS live_buyers,
         coalesce(cross_day_sessions, 0) AS cross_day_sessions
  FROM sess FULL JOIN buyers USING (host_id)),
total AS (
  SELECT host_id, sum(valid_sessions) AS vs, sum(live_buyers) AS lb, sum(cross_day_sessions) AS cd
  FROM (SELECT host_id, valid_sessions, live_buyers, cross_day_sessions FROM wh.daily_facts
        WHERE day BETWEEN DATE '{first}' AND DATE '{before}'
        UNION ALL SELECT * FROM new)
  GROUP BY host_id)
SELECT (SELECT [count(*), sum(valid_sessions), sum(live_buyers), sum(cross_day_sessions)]
        FROM new),
       (SELECT [count(*), sum(vs), sum(lb), sum(cd)] FROM total);
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB, stdout) of a command, via /usr/bin/time -v."""
    t = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)[1])
    return wall, rss / 1024, proc.stdout


def generate(hosts: int, days: int, views: float) -> Path:
    """Flat data, cached (same layout and names as bench_evaluate.py)."""
    folder = DATA / f"{hosts}h-{days}d-{views:g}v"
    if (folder / "summary.json").exists():
        return folder
    from livetier.tools import synthetic

    print(f"generating {folder.name} ...", flush=True)
    t = time.perf_counter()
    s = synthetic.generate(
        folder, hosts=hosts, days=days, end_day=DAY, fmt="parquet", views_per_host_day=views
    )
    summary = {"hosts": s.hosts, "sessions": s.sessions, "views": s.views, "orders": s.orders}
    summary["seconds"] = round(time.perf_counter() - t, 1)
    (folder / "summary.json").write_text(json.dumps(summary))
    return folder


def partitioned(flat: Path) -> Path:
    """`livetier partition` of a flat folder, cached."""
    out = flat.with_name(flat.name + "-parts")
    if (out / "partitioned.json").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    print(f"partitioning into {out.name} ...", flush=True)
    wall, rss, _ = timed([LIVETIER, "partition", "--data", str(flat), "--out", str(out)])
    (out / "partitioned.json").write_text(json.dumps({"seconds": round(wall, 1), "rss": rss}))
    return out


def parts(folder: Path, table: str, *days: date) -> str:
    files = [str(f) for d in days for f in sorted((folder / table / f"day={d}").glob("*.parquet"))]
    return "[" + ", ".join(f"'{f}'" for f in files) + "]"


def day_counts(folder: Path) -> dict[str, int]:
    """Rows of day X's partitions (the timed run's new day), and host rows."""
    import duckdb

    def one(sql: str) -> int:
        return int(duckdb.sql(sql).fetchall()[0][0])

    q = "SELECT count(*) FROM read_parquet({})"
    counts = {t: one(q.format(parts(folder, t, X))) for t in ("sessions", "views", "orders")}
    counts["paid_orders"] = one(q.format(parts(folder, "orders", X)) + " WHERE paid_at NOTNULL")
    hosts = f"'{folder / 'hosts.parquet'}'"
    counts["host_rows"] = one(q.format(hosts))
    counts["hosts"] = one(f"SELECT count(DISTINCT host_id) FROM {hosts}")
    return counts


def state_files(folder: Path) -> list[Path]:
    return [folder / "state.db", folder / "warehouse.duckdb"]


def restore(src: Path, dst: Path) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)


def daily_cmd(data: Path, day: date, folder: Path, *extra: str) -> list[str]:
    db, wh = state_files(folder)
    return [
        LIVETIER,
        "run",
        "--data",
        str(data),
        "--date",
        day.isoformat(),
        "--db",
        f"sqlite:///{db}",
        "--warehouse",
        str(wh),
        *extra,
    ]


def fill_window(warehouse: Path) -> int:
    """Copy the first data day's stored facts into the 29 days before it."""
    import duckdb

    con = duckdb.connect(str(warehouse))
    try:
        definitions = con.execute("SELECT any_value(definitions) FROM fact_days").fetchone()[0]
        con.execute("BEGIN")
        first = FIRST - timedelta(days=WINDOW - 1)
        con.execute(
            "DELETE FROM daily_facts WHERE day BETWEEN ? AND ?",
            [first, FIRST - timedelta(days=1)],
        )
        con.execute(
            "INSERT INTO daily_facts SELECT host_id, day - CAST(k AS INTEGER), valid_sessions,"
            " live_buyers, cross_day_sessions FROM daily_facts, range(1, ?) r(k) WHERE day = ?",
            [WINDOW, FIRST],
        )
        con.execute(
            "INSERT INTO fact_days SELECT ?::DATE - CAST(k AS INTEGER), ?, now()::TIMESTAMP"
            " FROM range(1, ?) r(k) WHERE ?::DATE - CAST(k AS INTEGER) NOT IN"
            " (SELECT day FROM fact_days)",
            [FIRST, definitions, WINDOW, FIRST],
        )
        con.execute("COMMIT")
        return con.execute("SELECT count(*) FROM daily_facts").fetchone()[0]
    finally:
        con.close()


def prepare(data: Path, work: Path, reuse: bool) -> dict[str, object]:
    """The "before" snapshot: a state db holding day X's grades over 30 days of facts."""
    before = work / "before"
    info = work / "prepared.json"
    if reuse and info.exists() and all(f.exists() for f in state_files(before)):
        return json.loads(info.read_text())
    shutil.rmtree(work, ignore_errors=True)
    scratch, prep = work / "scratch", work / "prep"
    scratch.mkdir(parents=True)
    print(f"preparing: run {X} into a scratch state (computes its whole window) ...", flush=True)
    first = timed(daily_cmd(data, X, scratch))
    shutil.copytree(scratch, prep, ignore=shutil.ignore_patterns("state.db*"))
    shutil.rmtree(scratch)
    rows = fill_window(state_files(prep)[1])
    print(f"preparing: run {X} over 30 days of facts into a fresh state db ...", flush=True)
    second = timed(daily_cmd(data, X, prep))
    prep.rename(before)
    prepared = {
        "scratch_run": {"wall_s": round(first[0], 1), "rss_mib": round(first[1]), "out": first[2]},
        "fact_rows": rows,
        "state_run": {"wall_s": round(second[0], 1), "rss_mib": round(second[1]), "out": second[2]},
    }
    info.write_text(json.dumps(prepared))
    return prepared


def day_facts(warehouse: Path) -> list[int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            "SELECT count(*), sum(valid_sessions), sum(live_buyers), sum(cross_day_sessions)"
            " FROM daily_facts WHERE day = ?",
            [X],
        ).fetchone()
        return [int(v or 0) for v in row]
    finally:
        con.close()


def phases(data: Path, before: Path, live: Path) -> dict[str, float]:
    """The timed run once in-process, with the wall time of each phase of daily.run_day."""
    from livetier import rulebooks
    from livetier.services import daily
    from livetier.services.daily import record, run
    from livetier.store import schema

    times: dict[str, float] = {}

    def clock(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapped(*a, **k):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t

        return wrapped

    restore(before, live)
    db, wh = state_files(live)
    run._ingest = clock("ingest", run._ingest)
    run.grade_day = clock("grade_day", run.grade_day)
    record.record_day = clock("record", record.record_day)
    daily.DayGrades.explain = clock("record.explain", daily.DayGrades.explain)
    t = time.perf_counter()
    book = rulebooks.load(None)
    with schema.connected(f"sqlite:///{db}") as store:
        times["open_store"] = time.perf_counter() - t
        daily.run_day(data, DAY, book, store, wh, daily.Settings())
    times["total"] = time.perf_counter() - t
    return {k: round(v, 2) for k, v in times.items()}


def backfill(hosts: int, views: float, work: Path) -> dict[str, object]:
    """One `livetier backfill` of the 30 days ending DAY, fresh state, flat files."""
    folder = generate(hosts, WINDOW, views)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db, wh = state_files(work)
    first = DAY - timedelta(days=WINDOW - 1)
    print(f"backfill {first} .. {DAY} at {hosts} hosts ...", flush=True)
    start = datetime.now(UTC).replace(tzinfo=None)
    wall, rss, out = timed(
        [
            *(LIVETIER, "backfill", "--data", str(folder), "--from", first.isoformat()),
            *("--to", DAY.isoformat(), "--db", f"sqlite:///{db}", "--warehouse", str(wh)),
        ]
    )
    with sqlite3.connect(db) as con:  # each day's run ends when the next day's work starts
        ends = [
            datetime.fromisoformat(r[0])
            for r in con.execute("SELECT ended_at FROM runs WHERE status = 'succeeded' ORDER BY id")
        ]
    per_day = [(b - a).total_seconds() for a, b in zip([start, *ends], ends, strict=False)]
    return {
        "data": json.loads((folder / "summary.json").read_text()) | {"folder": folder.name},
        "days": len(ends),
        "total_s": round(wall, 1),
        "peak_rss_mib": round(rss),
        "per_day_median_s": round(statistics.median(per_day), 2),
        "per_day_first_s": round(per_day[0], 2),
        "per_day_max_s": round(max(per_day), 2),
        "per_day_s": [round(x, 1) for x in per_day],
        "out": out.strip(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--hosts", type=int, default=1_000_000)
    ap.add_argument("--views-per-host-day", type=float, default=12.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reuse-state", action="store_true", help="keep a prepared snapshot")
    ap.add_argument("--phases", action="store_true", help="also time the phases in-process")
    ap.add_argument("--backfill-hosts", type=int, default=100_000, help="0: no backfill")
    ap.add_argument("--backfill-views-per-host-day", type=float, default=20.0)
    ap.add_argument("--out", type=Path, default=DATA / "results_daily.json", help="results file")
    args = ap.parse_args()

    flat = generate(args.hosts, 2, args.views_per_host_day)
    data = partitioned(flat)
    work = DATA / f"daily-{flat.name}"
    before, live = work / "before", work / "live"
    prepared = prepare(data, work, args.reuse_state)
    sql = BASELINE_SQL.format(
        wh=state_files(before)[1],
        hosts=f"'{data / 'hosts.parquet'}'",
        sessions=parts(data, "sessions", X - timedelta(days=1), X),
        views=parts(data, "views", X),
        orders=parts(data, "orders", X),
        x=X,
        first=DAY - timedelta(days=WINDOW),
        before=X - timedelta(days=1),
    )
    baseline = [sys.executable, "-c", f"import duckdb; print(duckdb.sql({sql!r}).fetchall())"]
    livetier = daily_cmd(data, DAY, live)

    runs: dict[str, list[tuple[float, float, str]]] = {"livetier": [], "baseline": []}
    for i in range(args.repeat):  # alternate, so both see the same machine noise
        runs["baseline"].append(timed(baseline))
        restore(before, live)
        runs["livetier"].append(timed(livetier))
        print(
            f"repeat {i + 1}: baseline {runs['baseline'][-1][0]:.1f} s, "
            f"livetier {runs['livetier'][-1][0]:.1f} s",
            flush=True,
        )
    stored = day_facts(state_files(live)[1])
    checked = re.search(r"\[\(\[(.*?)\], \[(.*?)\]\)\]", runs["baseline"][0][2])
    base_new = [int(v) for v in checked[1].split(", ")]
    result: dict[str, object] = {
        "data": json.loads((flat / "summary.json").read_text())
        | {"folder": data.name, "day": X.isoformat(), "day_rows": day_counts(data)},
        "prepared": prepared,
        "repeat": args.repeat,
    }
    for name, samples in runs.items():
        result[name] = {
            "median_s": round(statistics.median(w for w, _, _ in samples), 2),
            "peak_rss_mib": round(max(r for _, r, _ in samples)),
            "walls_s": [round(w, 2) for w, _, _ in samples],
            "out": samples[-1][2].strip(),
        }
    result["ratio_livetier_to_baseline"] = round(
        result["livetier"]["median_s"] / result["baseline"]["median_s"], 2
    )
    result["facts_of_day"] = {"livetier": stored, "baseline": base_new, "same": stored == base_new}
    if args.phases:
        result["phases_s"] = phases(data, before, live)
    if args.backfill_hosts:
        result["backfill"] = backfill(
            args.backfill_hosts, args.backfill_views_per_host_day, DATA / "backfill-work"
        )
    args.out.write_text(json.dumps(result, indent=1))
    report(result, args.out)


def report(r: dict, out: Path) -> None:  # type: ignore[type-arg]
    lt, bl, rows = r["livetier"], r["baseline"], r["data"]["day_rows"]
    print(
        f"\ndaily run {DAY} at {rows['hosts']} hosts; day {X}: {rows['views']} views, "
        f"{rows['orders']} orders ({rows['paid_orders']} paid), {rows['sessions']} sessions"
    )
    print(f"{'':10} {'median s':>9} {'peak MiB':>9}  walls")
    for name, x in (("livetier", lt), ("baseline", bl)):
        print(f"{name:10} {x['median_s']:9.2f} {x['peak_rss_mib']:9d}  {x['walls_s']}")
    ratio = r["ratio_livetier_to_baseline"]
    print(f"ratio livetier/baseline: {ratio}  (target: livetier < 30 s, < 4096 MiB)")
    print(f"facts of {X}: {r['facts_of_day']}")
    if "phases_s" in r:
        print(f"phases (in-process, s): {r['phases_s']}")
    if "backfill" in r:
        b = r["backfill"]
        print(
            f"backfill {b['days']} days at {b['data']['hosts']} host rows: {b['total_s']} s, "
            f"per day median {b['per_day_median_s']} s (first {b['per_day_first_s']} s, "
            f"max {b['per_day_max_s']} s), peak {b['peak_rss_mib']} MiB"
        )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
