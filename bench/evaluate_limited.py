"""`livetier evaluate --format jsonl` with a DuckDB memory limit, which the CLI has no option for.

Does what the CLI does (the evaluation service, then one JSON record per host on stdout) on a
DuckDB engine made with ``duckdb_engine(memory_limit=..., temp_directory=...)``, so that DuckDB
spills to disk instead of holding everything in memory. The last line on stderr is a JSON
object: {"ok": true, "tier_counts": ...} or {"ok": false, "error": "..."} (an out-of-memory
error is reported, not raised, so that the bench records it).

Run: `python bench/evaluate_limited.py DATA_DIR 2026-11-26 --memory-limit 2GB > /dev/null`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import duckdb
import orjson

from livetier import rulebooks
from livetier.pipeline.engine import duckdb_engine
from livetier.services.evaluate import evaluate, host_record, paused_gc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("day", type=date.fromisoformat)
    ap.add_argument("--memory-limit", default="2GB")
    ap.add_argument("--temp-directory", type=Path, help="where DuckDB spills (default: its own)")
    args = ap.parse_args()
    engine = duckdb_engine(memory_limit=args.memory_limit, temp_directory=args.temp_directory)
    try:
        result = evaluate(args.data, args.day, rulebooks.load(None), engine)
    except duckdb.OutOfMemoryException as e:
        print(json.dumps({"ok": False, "error": str(e).splitlines()[0]}), file=sys.stderr)
        return
    write = sys.stdout.buffer.write
    with paused_gc():
        for h in result.hosts:
            record = host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
            write(orjson.dumps(record) + b"\n")
    sys.stdout.buffer.flush()
    counts = {line: {t.value: n for t, n in c.items()} for line, c in result.tier_counts().items()}
    print(json.dumps({"ok": True, "tier_counts": counts}), file=sys.stderr)


if __name__ == "__main__":
    main()
