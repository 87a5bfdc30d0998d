"""The baselines are only worth timing if they compute what livetier computes: this check
requires each of them (SQL, Polars, pandas) to give livetier's tier counts per line
(livetier.services.evaluate.evaluate).

Run: `python bench/check_baselines.py DATA_DIR 2026-11-26`; exits 1 on a mismatch.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import baseline_pandas
import baseline_polars
import baseline_sql

Counts = dict[str, dict[str, int]]


def livetier_counts(data: Path, day: date, memory_limit: str | None = None) -> Counts:
    """livetier's tier counts per line, from the evaluation service (in-process)."""
    from livetier import rulebooks
    from livetier.pipeline.engine import duckdb_engine
    from livetier.services.evaluate import evaluate

    engine = duckdb_engine(memory_limit=memory_limit)
    counts = evaluate(data, day, rulebooks.load(None), engine).tier_counts()
    return {line: {t.value: n for t, n in c.items()} for line, c in counts.items()}


def check(data: Path, day: date, pandas: bool = True) -> dict[str, object]:
    """Tier counts of livetier and the baselines, and whether each baseline agrees."""
    counts = {
        "livetier": livetier_counts(data, day),
        "sql": baseline_sql.tier_counts(data, day),
        "polars": baseline_polars.tier_counts(data, day),
    }
    if pandas:
        counts["pandas"] = baseline_pandas.tier_counts(data, day)
    same = {name: c == counts["livetier"] for name, c in counts.items() if name != "livetier"}
    return {"counts": counts, "same": same, "ok": all(same.values())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("day", type=date.fromisoformat)
    ap.add_argument("--no-pandas", action="store_true")
    args = ap.parse_args()
    result = check(args.data, args.day, pandas=not args.no_pandas)
    print(json.dumps(result, indent=1))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
