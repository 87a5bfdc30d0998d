"""The one place that knows which engine runs the pipeline and how to set it up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import ibis
from ibis.backends import BaseBackend

# Engine differences are data, not branches in the pipeline (see style.md, the Ibis lesson).
# CSVs are read as text so the pipeline, not the engine's sniffer, decides what a value means.
# The dialect is pinned, not sniffed: a sniffer sees only the first rows, and a quoted field or
# a ragged row further down must be read as RFC 4180 says or fail, never be guessed around.
READ_CSV_OPTIONS: dict[str, dict[str, Any]] = {
    "duckdb": {
        "all_varchar": True,
        "header": True,
        "skip": 0,
        "delim": ",",
        "quote": '"',
        "escape": '"',
    },
}


@dataclass
class Engine:
    """An Ibis backend plus the few engine-specific settings the pipeline needs."""

    con: BaseBackend
    name: str
    errors: tuple[type[Exception], ...] = field(default=())
    """What the engine raises for input it cannot read (a ragged CSV row, a broken file)."""

    def read(self, files: tuple[Path, ...]) -> ibis.Table:
        """Open CSV or Parquet files (all of one kind, with the same columns) as one table."""
        paths = [str(f) for f in files]
        if files[0].suffix == ".csv":
            return self.con.read_csv(paths, **READ_CSV_OPTIONS[self.name])
        return self.con.read_parquet(paths)


def duckdb_engine(
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: Path | None = None,
) -> Engine:
    """An in-process DuckDB engine.

    The session zone is pinned to UTC: every timestamp inside the pipeline is a naive UTC
    instant, and the platform zone is applied explicitly (pipeline/timestamps.py), because
    engines disagree on what a session zone does to casts (pitfalls.md).
    """
    return configure_duckdb(
        ibis.duckdb.connect(),
        memory_limit=memory_limit,
        threads=threads,
        temp_directory=temp_directory,
    )


def configure_duckdb(
    con: Any,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: Path | None = None,
) -> Engine:
    """The pipeline's settings on a DuckDB connection (in memory, or the warehouse file)."""
    settings = {"TimeZone": "UTC", "preserve_insertion_order": "false"}
    if memory_limit:
        settings["memory_limit"] = memory_limit
    if threads:
        settings["threads"] = str(threads)
    if temp_directory:
        settings["temp_directory"] = str(temp_directory)
    for key, value in settings.items():
        con.raw_sql(f"SET {key} = '{value}'")
    return Engine(con, "duckdb", errors=(duckdb.Error,))
