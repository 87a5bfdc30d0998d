"""How much memory `evaluate --format jsonl`'s output holds (issue 15, target 3): the process's
resident memory when the first record is written and its peak while the rest are written,
sampled every 1,000 records, for one data folder. Streamed, the second is not higher than the
first by more than a constant, whatever the number of hosts.

Run: `python bench/stream_memory.py DATA_DIR 2026-11-26` (prints one JSON line).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from livetier import rulebooks
from livetier.services import evaluate


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(data: str, day: str) -> None:
    seen: dict[str, Any] = {"records": 0, "bytes": 0}

    def write(records: Iterator[dict[str, Any]]) -> None:
        for record in records:
            seen["bytes"] += len(orjson.dumps(record)) + 1
            seen["records"] += 1
            if seen["records"] == 1:
                seen["rss_first_record_mib"] = round(rss_mib(), 1)
                seen["peak_mib"] = seen["rss_first_record_mib"]
            elif seen["records"] % 1000 == 0:
                seen["peak_mib"] = max(seen["peak_mib"], round(rss_mib(), 1))

    t = time.perf_counter()
    evaluate.evaluate_records(Path(data), date.fromisoformat(day), rulebooks.load(), None, write)
    seen["rss_end_mib"] = round(rss_mib(), 1)
    seen["seconds"] = round(time.perf_counter() - t, 1)
    print(json.dumps({"data": Path(data).name, **seen}))


if __name__ == "__main__":
    main(*sys.argv[1:])
