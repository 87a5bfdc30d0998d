"""What the commands share: options, their checks, settings, error handling and output."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, cast

import orjson
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from livetier.domain.rulebook import RuleError
from livetier.entrypoints.cli.lazy import loaded
from livetier.services.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

    from livetier.entrypoints.settings import Settings
    from livetier.pipeline.engine import Engine as Compute

out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


# Errors of modules that import Ibis, DuckDB, SQLAlchemy or pydantic: named, not imported, so
# that --help starts fast (cli/lazy.py); a module that has not run cannot have raised one.
_LAZY_ERRORS = (
    ("livetier.rulebooks", "RulebookFileError"),
    ("livetier.pipeline.contract", "ContractError"),
    ("livetier.store.warehouse", "WarehouseError"),
    ("livetier.store.schema", "StoreError"),
    ("livetier.services.status", "UnknownHost"),
)
_STORE_WRITE_ERRORS = (("sqlalchemy.exc", "DBAPIError"),)
"""A store that opened but refused a write (a read-only file): said in one line too."""


def _raised(names: tuple[tuple[str, str], ...]) -> tuple[type[Exception], ...]:
    return tuple(getattr(m, name) for module, name in names if (m := loaded(module)))


def _user_error_types() -> tuple[type[Exception], ...]:
    return (RuleError, ValueError, OSError, *_raised(_LAZY_ERRORS))


@contextmanager
def user_errors() -> Iterator[None]:
    """Bad input ends the command with a clear message and exit code 2, never a traceback."""
    try:
        yield
    except _user_error_types() as e:
        fail(e.say(flag) if isinstance(e, InvalidInput) else str(e))
    except _raised(_STORE_WRITE_ERRORS) as e:
        from livetier.store.schema import failed_store

        fail(str(failed_store(cast("DBAPIError", e))))


def fail(message: str) -> NoReturn:
    """End the command with one line on stderr (the message as it is, not markup) and exit 2."""
    text = f"[bold red]error:[/] {escape(message)}"
    err.print(text, highlight=False, emoji=False, soft_wrap=True)
    raise typer.Exit(2) from None


def flag(name: str) -> str:
    """A service's input name as this command line's option: ``at_risk_days`` is
    ``--at-risk-days``."""
    return "--" + name.replace("_", "-")


def settings(
    db: str | None = None, warehouse: Path | None = None, rules: Path | None = None
) -> Settings:
    """This invocation's settings: the environment's, with the options that were given."""
    from livetier.entrypoints.settings import Settings  # imports the stores' libraries

    with user_errors():
        return Settings().override(db=db, warehouse=warehouse, rules=rules)


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day(text: str) -> date:
    """A day written YYYY-MM-DD, as the help says (not ISO's other forms, such as 20261126)."""
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None


DataOpt = Annotated[
    Path,
    typer.Option(
        "--data",
        help="Folder with hosts, sessions, views, orders (.csv, .parquet or day partitions).",
    ),
]
DataUrlOpt = Annotated[
    str,
    typer.Option(
        "--data",
        metavar="<path|url>",
        help="Folder with hosts, sessions, views, orders (.csv, .parquet or day partitions): "
        "a local path, or with --engine spark a URL Spark can read (hdfs://, s3a://, file://).",
    ),
]
DateOpt = Annotated[
    str, typer.Option("--date", help="Evaluation day D (YYYY-MM-DD); the window is D-30 .. D-1.")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="Rulebook YAML (default: the shipped 1688 rulebook).")
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="State store URL (default: $LIVETIER_DB, else sqlite:///livetier.db)."
    ),
]
WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB file of daily facts (default: $LIVETIER_WAREHOUSE or ./livetier.duckdb).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
ListFormatOpt = Annotated[ListFormat, typer.Option("--format", help="Output format.")]
EngineOpt = Annotated[
    EngineName,
    typer.Option(
        "--engine", help="Where the metrics run: embedded DuckDB, or Apache Spark (PySpark)."
    ),
]
SparkMasterOpt = Annotated[
    str, typer.Option("--spark-master", help="Spark master URL (with --engine spark).")
]
SparkConfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--spark-conf",
        help="A Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=8g.",
    ),
]
MemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        help="DuckDB's memory limit, e.g. 2GB: past it DuckDB spills to a temporary folder "
        "(./.tmp, or beside the warehouse) instead of failing. Default: 3.5GB, or 80% of RAM "
        "when that is less.",
    ),
]
_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", re.IGNORECASE)


DEFAULT_MEMORY_BYTES = 3_500_000_000
"""DuckDB's working memory when --memory-limit is not given: enough for a whole evaluation of
1M hosts without spilling on the benchmark machine (docs/benchmarks.md), and bounded, where
DuckDB's own default is 80% of RAM whatever the job."""


def default_memory() -> str:
    """``DEFAULT_MEMORY_BYTES``, or DuckDB's own default (80% of RAM) when that is less."""
    ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return f"{min(DEFAULT_MEMORY_BYTES, int(ram * 0.8)) // 1_000_000}MB"


def memory(limit: str | None, engine: EngineName | None = None) -> str | None:
    """A checked --memory-limit (DuckDB's own message for a bad one is a parser error), or the
    default for DuckDB (None on Spark)."""
    if limit is None:
        return None if engine is EngineName.spark else default_memory()
    if not _MEMORY.match(limit):
        raise typer.BadParameter(f"--memory-limit {limit!r}: expected a size such as 2GB or 512MB")
    if engine is EngineName.spark:
        raise typer.BadParameter(
            "--memory-limit is DuckDB's; on Spark use --spark-conf spark.driver.memory=..."
        )
    return limit.strip()


def engine(name: EngineName, master: str, conf: list[str] | None) -> Compute | None:
    """The engine for the metrics; None means the default (embedded DuckDB)."""
    if name is EngineName.duckdb:
        if conf:
            raise typer.BadParameter("--spark-conf needs --engine spark")
        return None
    spark_settings = {}
    for item in conf or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--spark-conf {item!r}: expected KEY=VALUE")
        spark_settings[key.strip()] = value.strip()
    from livetier.pipeline.engine import spark_engine

    try:
        return spark_engine(master, spark_settings)
    except ImportError:
        raise typer.BadParameter(
            "--engine spark needs PySpark: pip install 'livetier[spark]' (and Java 17)"
        ) from None


def write_jsonl(records: Iterable[dict[str, Any]]) -> None:
    """One JSON object per line on stdout, as UTF-8 bytes."""
    write = sys.stdout.buffer.write
    for record in records:
        write(orjson.dumps(record) + b"\n")
    sys.stdout.buffer.flush()


def print_records(records: list[dict[str, Any]], fmt: ListFormat, title: str) -> None:
    """Records as JSON lines, or as a table with one column per key."""
    if fmt is ListFormat.jsonl:
        write_jsonl(records)
        return
    table = Table(title=title)
    rows = [[_cell(v) for v in record.values()] for record in records]
    for i, key in enumerate(records[0] if records else ["(none)"]):
        # A day or an instant is read whole or not at all: its column never wraps or cuts.
        width = max((len(r[i]) for r in rows if _DAY.match(r[i])), default=0)
        table.add_column(key, no_wrap=width > 0, min_width=width or None)
    for row in rows:
        table.add_row(*row)
    out.print(table)


def _cell(value: Any) -> str:
    """A table cell: a missing value as "—", not "None"; a list joined."""
    if value is None:
        return "—"
    return ", ".join(value) if isinstance(value, list) else str(value)
