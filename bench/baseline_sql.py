"""Baseline: livetier's full evaluation as one hand-written DuckDB SQL query, down to tiers.

Same definitions as livetier (docs/rules.md) on the Parquet layout the bench generates: valid
session > 15 min on its platform start day (Asia/Shanghai), live buyers once per (host, buyer,
day) when a view comes at or before a same-day payment to that host, summed over D-30 .. D-1,
the latest profile snapshot on or before D-1, basic requirements fail closed, restricted
categories, per-line thresholds (baseline_rules.py). Rows livetier rejects are rejected here
too (only the checks that can fire on typed Parquet input): exact duplicates count once;
ids whose rows disagree (conflicting duplicates) are dropped; missing ids or timestamps;
sessions ending before they start; events of hosts not in the hosts file; views of unknown or
rejected sessions; profile rows with an unknown category line; a host whose latest snapshot is
rejected is not graded. NaN and infinite ratings are missing.

Run: `python bench/baseline_sql.py DATA_DIR 2026-11-26 [--memory-limit 2GB]`: prints the tier
counts per line as JSON.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import duckdb
from baseline_rules import (
    LINES,
    MUST_BE_FALSE,
    MUST_BE_TRUE,
    OFFSET_HOURS,
    RESTRICTED,
    THRESHOLDS,
    VALID_SESSION_MINUTES,
    window,
)

QUERY = """
WITH
hosts_raw AS (
  SELECT DISTINCT host_id, snapshot_date,
         lower(nullif(trim(category_line), '')) AS category_line,
         lower(nullif(trim(category), '')) AS category,
         {flags}, trade_medal,
         CASE WHEN isfinite(bsr_description) THEN bsr_description END AS bsr_description,
         CASE WHEN isfinite(bsr_shipping) THEN bsr_shipping END AS bsr_shipping, fans
  FROM read_parquet('{d}/hosts.parquet')),
known AS (SELECT DISTINCT host_id FROM read_parquet('{d}/hosts.parquet')),
latest AS (
  SELECT host_id, max(snapshot_date) AS snapshot_date FROM hosts_raw
  WHERE host_id IS NOT NULL AND snapshot_date <= DATE '{last}' GROUP BY host_id),
profile AS (
  SELECT h.* FROM hosts_raw h JOIN latest USING (host_id, snapshot_date)
  ANTI JOIN (SELECT host_id, snapshot_date FROM hosts_raw GROUP BY ALL HAVING count(*) > 1)
    USING (host_id, snapshot_date)
  WHERE h.category_line IN {lines}),
sessions_raw AS (
  SELECT DISTINCT session_id, host_id, started_at, ended_at, deleted
  FROM read_parquet('{d}/sessions.parquet')),
sessions AS (
  SELECT session_id, host_id, started_at::TIMESTAMP AS st, ended_at::TIMESTAMP AS en
  FROM sessions_raw
  ANTI JOIN (SELECT session_id FROM sessions_raw GROUP BY 1 HAVING count(*) > 1) USING (session_id)
  WHERE session_id IS NOT NULL AND host_id IS NOT NULL AND ended_at >= started_at
    AND host_id IN (SELECT host_id FROM known)),
session_counts AS (
  SELECT host_id, count(*) AS live_sessions FROM sessions
  WHERE en > st + INTERVAL {minutes} MINUTE
    AND CAST(st + INTERVAL {offset} HOUR AS DATE) BETWEEN DATE '{first}' AND DATE '{last}'
  GROUP BY host_id),
orders_raw AS (
  SELECT DISTINCT order_id, host_id, buyer_id, paid_at FROM read_parquet('{d}/orders.parquet')),
last_paid AS (
  SELECT host_id, buyer_id, CAST(paid_at::TIMESTAMP + INTERVAL {offset} HOUR AS DATE) AS day,
         max(paid_at::TIMESTAMP) AS t
  FROM orders_raw
  ANTI JOIN (SELECT order_id FROM orders_raw GROUP BY 1 HAVING count(*) > 1) USING (order_id)
  WHERE order_id IS NOT NULL AND host_id IS NOT NULL AND buyer_id IS NOT NULL
    AND paid_at IS NOT NULL AND host_id IN (SELECT host_id FROM known)
    AND CAST(paid_at::TIMESTAMP + INTERVAL {offset} HOUR AS DATE)
        BETWEEN DATE '{first}' AND DATE '{last}'
  GROUP BY ALL),
first_view AS (
  SELECT s.host_id, v.buyer_id,
         CAST(v.viewed_at::TIMESTAMP + INTERVAL {offset} HOUR AS DATE) AS day,
         min(v.viewed_at::TIMESTAMP) AS t
  FROM read_parquet('{d}/views.parquet') v JOIN sessions s USING (session_id)
  WHERE v.buyer_id IS NOT NULL AND v.viewed_at IS NOT NULL
  GROUP BY ALL),
buyer_counts AS (
  SELECT host_id, count(*) AS live_buyers
  FROM first_view f JOIN last_paid p USING (host_id, buyer_id, day)
  WHERE f.t <= p.t GROUP BY host_id),
metrics AS (
  SELECT p.*, coalesce(s.live_sessions, 0) AS live_sessions,
         coalesce(b.live_buyers, 0) AS live_buyers
  FROM profile p LEFT JOIN session_counts s USING (host_id)
  LEFT JOIN buyer_counts b USING (host_id)),
graded AS (
  SELECT host_id, category_line,
    CASE WHEN NOT ({basic}) THEN 'none'
         {tiers}
         ELSE 'ordinary' END AS tier
  FROM metrics)
SELECT category_line, tier, count(*) AS hosts FROM graded GROUP BY ALL ORDER BY ALL
"""


def _met(condition: str) -> str:
    return f"coalesce({condition}, false)"  # a missing value fails the criterion


def _tier_cases() -> str:
    cases = []
    for line, tiers in THRESHOLDS.items():
        for tier in ("honor", "expert"):
            minimums, (sessions, buyers, mode) = tiers[tier]
            joiner = " OR " if mode == "any" else " AND "
            activity = f"(live_sessions >= {sessions}{joiner}live_buyers >= {buyers})"
            parts = [_met(f"{m} >= {v}") for m, v in minimums.items()] + [activity]
            cases.append(f"WHEN category_line = '{line}' AND {' AND '.join(parts)} THEN '{tier}'")
    return "\n         ".join(cases)


def sql(data: Path, day: date) -> str:
    first, last = window(day)
    basic = [_met(f) for f in MUST_BE_TRUE] + [_met(f"NOT {f}") for f in MUST_BE_FALSE]
    basic.append(_met(f"category NOT IN {RESTRICTED!r}"))
    return QUERY.format(
        d=data,
        first=first,
        last=last,
        lines=repr(LINES),
        flags=", ".join((*MUST_BE_TRUE, *MUST_BE_FALSE)),
        minutes=VALID_SESSION_MINUTES,
        offset=OFFSET_HOURS,
        basic=" AND ".join(basic),
        tiers=_tier_cases(),
    )


def tier_counts(
    data: Path, day: date, memory_limit: str | None = None
) -> dict[str, dict[str, int]]:
    """Hosts per line and tier, e.g. {"consumer": {"expert": 12, ...}, ...}."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")  # timestamps become naive UTC instants
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    out: dict[str, dict[str, int]] = {}
    for line, tier, n in con.execute(sql(data, day)).fetchall():
        out.setdefault(line, {})[tier] = n
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("day", type=date.fromisoformat)
    ap.add_argument("--memory-limit")
    args = ap.parse_args()
    print(json.dumps(tier_counts(args.data, args.day, args.memory_limit)))


if __name__ == "__main__":
    main()
