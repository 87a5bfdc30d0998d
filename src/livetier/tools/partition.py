"""Split a flat data folder into Hive-style day partitions (``views/day=2026-11-25/...``).

A tool, not part of the pipeline: it turns an existing flat export (or the synthetic data)
into the layout a daily run reads one day at a time. Each event goes to the partition of its
platform day, computed exactly as the pipeline computes it. Rows whose day is unknown (an
unpaid order, an unparseable timestamp) go to the first day's partition, where the run
treats them as it would in a flat file: unpaid orders never count, and unparseable rows are
reported. ``hosts`` is copied as it is.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import ibis

from livetier.pipeline import contract
from livetier.pipeline.engine import Engine, duckdb_engine
from livetier.pipeline.timestamps import PlatformZone, add_instant

EVENT_DAY = {"sessions": "started_at", "views": "viewed_at", "orders": "paid_at"}
"""The timestamp whose platform day decides an event's partition."""


@dataclass(frozen=True)
class Partitioned:
    days: dict[str, int]  # table -> number of day partitions written
    rows: dict[str, int]  # table -> rows written


def partition(src: Path, out: Path, timezone: str, around: date) -> Partitioned:
    """Write ``src``'s tables into ``out``, events partitioned by platform day.

    ``src`` is checked against the data contract first, as a run checks it. The copy is
    written into a temporary folder beside ``out`` and renamed to ``out`` once complete, so
    a failure leaves no half-written ``out`` to block the next try.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out}: not empty; partition into a new folder")
    engine = duckdb_engine()
    _check(engine, src)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        done = _write(engine, src, work, PlatformZone.around(timezone, around))
        work.rename(out)  # atomic on one file system; replaces an empty ``out``
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return done


def _check(engine: Engine, src: Path) -> None:
    """Stop at input that breaks the contract, with the message a run would give."""
    for name in contract.CONTRACT:
        try:
            contract.load(engine, src, name)
        except engine.errors as e:  # raised lazily, by the first query over a bad file
            raise contract.unreadable(src, contract.locate(src, name).files(), e) from None


def _write(engine: Engine, src: Path, out: Path, zone: PlatformZone) -> Partitioned:
    """Copy ``src`` into the empty folder ``out``, events partitioned by platform day."""
    hosts = contract.locate(src, "hosts")
    for path in hosts.files():
        shutil.copy2(str(path), out / path.name)
    days: dict[str, int] = {}
    rows: dict[str, int] = {}
    for name, column in EVENT_DAY.items():
        files = contract.locate(src, name).files()
        raw = engine.read(files)
        rows[name] = int(raw.count().to_pyarrow().as_py())
        if rows[name] == 0:  # no events at all: nothing to partition, keep the flat file
            for path in files:
                shutil.copy2(str(path), out / path.name)
            days[name] = 0
            continue
        parsed = raw.mutate(
            _ts=raw[column].strip() if raw[column].type().is_string() else raw[column]
        )
        dated = add_instant(parsed, "_ts", zone, "_utc", "_day")
        first = dated.aggregate(first=dated._day.min()).to_pyarrow()["first"][0].as_py()
        table = dated.select(*raw.columns, day=ibis.coalesce(dated._day, first).cast("string"))
        suffix = files[0].suffix.lstrip(".")
        options = "FORMAT parquet" if suffix == "parquet" else "FORMAT csv, HEADER true"
        sql = engine.con.compile(table)
        target = out / name
        naming = "PARTITION_BY (day), FILENAME_PATTERN 'part_{i}'"
        engine.con.raw_sql(f"COPY ({sql}) TO '{target}' ({options}, {naming})")
    # A day without events still gets its (empty) folder, so that a missing folder can only
    # mean data that has not arrived: a daily run refuses to count a missing day as zero.
    written = {
        name: contract.locate(out, name).partitions or {}
        for name in EVENT_DAY
        if (out / name).is_dir()
    }
    every = [d for parts in written.values() for d in parts]
    if every:
        first, last = min(every), max(every)
        span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        for name in written:
            for day in span:
                (out / name / f"day={day.isoformat()}").mkdir(exist_ok=True)
            days[name] = len(span)
    return Partitioned(days, rows)
