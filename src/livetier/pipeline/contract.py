"""The input data contract: which tables and columns a data folder holds, and their types.

These column names are public. Extra columns are ignored. A folder that breaks the contract (a
missing file or column, a value of the wrong type) stops the run with a ContractError that
names the file, the column and the row; row-level problems inside good data are not errors
here: they go to the data-quality report (pipeline/clean.py).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pyarrow.parquet as pq
from ibis import _

from livetier.domain.metrics import METRICS, PROFILE_METRICS, Kind
from livetier.pipeline.csv_errors import csv_problem
from livetier.pipeline.engine import Engine
from livetier.pipeline.storage import DataPath


class Col(StrEnum):
    """How a contract column is read."""

    STR = "a string"
    BOOL = "a boolean (true/false or 1/0)"
    INT = "an integer"
    FLOAT = "a decimal number"
    DATE = "a date (YYYY-MM-DD)"
    TIMESTAMP = "an ISO 8601 timestamp"


_KIND_TO_COL = {Kind.BOOL: Col.BOOL, Kind.INT: Col.INT, Kind.FLOAT: Col.FLOAT, Kind.STR: Col.STR}


@dataclass(frozen=True)
class TableContract:
    """A table's columns; ``optional`` columns may be absent from the file."""

    name: str
    columns: dict[str, Col]
    optional: frozenset[str] = frozenset()


CONTRACT: dict[str, TableContract] = {
    "hosts": TableContract(
        "hosts",
        {
            "host_id": Col.STR,
            "snapshot_date": Col.DATE,
            "category_line": Col.STR,
            **{m: _KIND_TO_COL[METRICS[m].kind] for m in PROFILE_METRICS},
        },
        optional=frozenset({"snapshot_date"}),
    ),
    "sessions": TableContract(
        "sessions",
        {
            "session_id": Col.STR,
            "host_id": Col.STR,
            "started_at": Col.TIMESTAMP,
            "ended_at": Col.TIMESTAMP,
            "deleted": Col.BOOL,
        },
    ),
    "views": TableContract(
        "views", {"session_id": Col.STR, "buyer_id": Col.STR, "viewed_at": Col.TIMESTAMP}
    ),
    "orders": TableContract(
        "orders",
        {"order_id": Col.STR, "host_id": Col.STR, "buyer_id": Col.STR, "paid_at": Col.TIMESTAMP},
    ),
}

SUFFIXES = (".csv", ".parquet")


class ContractError(Exception):
    """Input that breaks the data contract; the message names the file, column and row."""


@dataclass(frozen=True)
class Source:
    """One input table: where it came from and its columns parsed to contract types.

    Timestamp columns are left as they came (text or an engine timestamp): turning them into
    instants and platform days is pipeline/timestamps.py's job, and an unparseable one is a
    row-level problem, not a contract error. A table read from day partitions has a ``_part``
    column, the day of the partition each row came from.
    """

    name: str
    path: DataPath
    table: ibis.Table


@dataclass(frozen=True)
class Located:
    """Where a table's rows are: one flat file, or a folder of Hive-style day partitions
    (``views/day=2026-11-25/*.parquet``), each holding the events of that platform day.

    Paths are local (``pathlib.Path``) or URLs on Spark (storage.HadoopPath); either way
    ``stat()`` gives each file's size and modification time."""

    name: str
    path: DataPath  # the flat file, or the table's folder
    partitions: dict[date, tuple[DataPath, ...]] | None = None  # None for a flat file

    def files(self, days: Iterable[date] | None = None) -> tuple[DataPath, ...]:
        """The files to read for ``days`` (every file when None)."""
        if self.partitions is None:
            return (self.path,)
        wanted = self.partitions.keys() if days is None else set(days) & self.partitions.keys()
        return tuple(f for d in sorted(wanted) for f in self.partitions[d])

    def first_day(self) -> date | None:
        """The first partition's day: the table's data starts there."""
        return min(self.partitions) if self.partitions else None


_PARTITION = re.compile(r"^day=(\d{4}-\d{2}-\d{2})$")


def locate(folder: DataPath, name: str) -> Located:
    """Find table ``name`` in ``folder``: ``name.csv``, ``name.parquet`` or a ``name/`` folder
    of ``day=YYYY-MM-DD`` partitions with .csv or .parquet files (one kind per table).
    ``folder`` is a local path or a URL on Spark (pipeline/storage.py): the same checks."""
    if not folder.is_dir():
        raise ContractError(f"{folder}: no such data folder")
    found = [folder / f"{name}{s}" for s in SUFFIXES if (folder / f"{name}{s}").is_file()]
    if (folder / name).is_dir():
        found.append(folder / name)
    if not found:
        raise ContractError(
            f"{folder}: missing table {name!r} (expected {name}.csv, {name}.parquet "
            f"or a {name}/ folder of day=YYYY-MM-DD partitions)"
        )
    if len(found) > 1:
        raise ContractError(
            f"{folder}: table {name!r} is in both {found[0].name} and {found[1].name}; keep one"
        )
    if found[0].is_file():
        return Located(name, found[0])
    return Located(name, found[0], _partitions(found[0]))


def _partitions(table_dir: DataPath) -> dict[date, tuple[DataPath, ...]]:
    partitions: dict[date, tuple[DataPath, ...]] = {}
    suffixes: set[str] = set()
    for part in sorted(table_dir.iterdir()):
        if part.name.startswith((".", "_")):  # hidden and marker files (_SUCCESS) are not data
            continue
        match = _PARTITION.match(part.name)
        day = None
        if match and part.is_dir():
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                day = None
        if day is None:
            raise ContractError(
                f"{part}: not a day partition (expected a folder named day=YYYY-MM-DD)"
            )
        files = tuple(f for f in sorted(part.iterdir()) if f.is_file() and f.suffix in SUFFIXES)
        suffixes.update(f.suffix for f in files)
        partitions[day] = files
    if len(suffixes) > 1:
        raise ContractError(f"{table_dir}: partitions mix .csv and .parquet files; keep one kind")
    return partitions


# Whole-string shapes: the engine's casts are lenient (1.5 -> 2, 0x1F4 -> 500), so a value is
# only cast once it has the plain form the contract promises.
_INTEGER = r"^[+-]?[0-9]+$"
_DECIMAL = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
_TARGET = {Col.BOOL: dt.boolean, Col.INT: dt.int64, Col.FLOAT: dt.float64, Col.DATE: dt.date}
# Codes compared with the rulebook's lower-case values: " E_cigarette" must not slip past.
CASE_INSENSITIVE = frozenset({"category", "category_line"})


def _text(value: ibis.Value) -> ibis.Value:
    """Text with surrounding blanks removed; an empty or blank value is NULL (unknown)."""
    return value.cast("string").strip().nullif("")


def _present(value: ibis.Value) -> ibis.BooleanValue:
    """Whether a raw value holds anything (blank text counts as empty)."""
    return _text(value).notnull() if value.type().is_string() else value.notnull()


def _parse(value: ibis.Value, col: Col, name: str = "") -> ibis.Value:
    """The typed value of a column; NULL where it is empty or does not parse."""
    if value.type().is_null():  # an all-empty Parquet column: every value is unknown
        return ibis.null(dt.string if col in (Col.STR, Col.TIMESTAMP) else _TARGET[col])
    if col is Col.STR:
        # Ids are taken as they are: trimming tens of millions of view ids doubled the run time.
        return _text(value).lower() if name in CASE_INSENSITIVE else value.cast("string")
    if col is Col.TIMESTAMP:
        return _text(value) if value.type().is_string() else value
    if value.type().is_string():
        text = _text(value).lower()
        if col is Col.BOOL:
            return ibis.cases(
                (text.isin(["true", "1"]), True), (text.isin(["false", "0"]), False), else_=None
            ).cast("boolean")
        if col is Col.INT:
            return ibis.ifelse(text.re_search(_INTEGER), text.try_cast("int64"), None)
        if col is Col.FLOAT:
            number = ibis.ifelse(text.re_search(_DECIMAL), text.try_cast("float64"), None)
            return _finite(number)
        return text.try_cast("date")
    kind = value.type()
    if col is Col.BOOL and kind.is_integer():  # 1/0 as numbers; 2 is not a boolean
        return ibis.cases((value == 1, True), (value == 0, False), else_=None).cast("boolean")
    if col is Col.INT and kind.is_floating():  # 2.0 is an integer; 1.5 is not
        return ibis.ifelse(value.floor() == value, value.try_cast("int64"), None)
    if col is Col.FLOAT and kind.is_floating():
        return _finite(value.cast("float64"))
    return value.try_cast(_TARGET[col])


def _finite(number: ibis.FloatingValue) -> ibis.FloatingValue:
    """NaN and infinities are not ratings: engines order NaN above every threshold."""
    return ibis.ifelse(number.isnan() | number.isinf(), None, number)


def _timestamp_ok(value: ibis.Value) -> bool:
    """Timestamps may arrive as text or as engine timestamps; nothing else is a timestamp."""
    kind = value.type()
    return bool(kind.is_string() or kind.is_timestamp() or kind.is_null())


def load(engine: Engine, folder: DataPath, name: str, days: Iterable[date] | None = None) -> Source:
    """Open table ``name`` from ``folder`` and check it against the contract.

    For a partitioned table only the partitions of ``days`` are read (all when None), and
    each row carries its partition's day as ``_part``; a flat file is read whole.
    """
    return check(name, *read_raw(engine, folder, name, days))


def read_raw(
    engine: Engine, folder: DataPath, name: str, days: Iterable[date] | None = None
) -> tuple[Located, ibis.Table]:
    """Table ``name`` as it is stored, unchecked (``load`` without ``check``): for a reader
    that narrows it first and checks only the rows it keeps (``check`` of those)."""
    located = locate(folder, name)
    if located.partitions is None:
        return located, _read(engine, (located.path,))
    wanted = None if days is None else set(days)
    parts = {
        day: files
        for day, files in sorted(located.partitions.items())
        if (wanted is None or day in wanted) and files
    }
    if not parts:
        return located, _empty(name)
    every = tuple(f for files in parts.values() for f in files)
    return located, _read(engine, every, lambda: engine.read_days(parts))


def _read(
    engine: Engine,
    files: tuple[DataPath, ...],
    read: Callable[[], ibis.Table] | None = None,
) -> ibis.Table:
    try:
        return read() if read is not None else engine.read(files)
    except engine.errors as e:  # the engine's reader names the problem; we add the file
        where = files[0] if len(files) == 1 else f"{files[0].parent.parent} ({len(files)} files)"
        raise unreadable(where, files, e) from None


def _empty(name: str) -> ibis.Table:
    """A table with no rows: the days asked for have empty (or no) partitions."""
    columns = {c: pa.array([], pa.string()) for c in CONTRACT[name].columns}
    return ibis.memtable(pa.table({**columns, "_part": pa.array([], pa.date32())}))


def check(name: str, located: Located, raw: ibis.Table, *, values: bool = True) -> Source:
    """Check raw rows against the contract and parse them to contract types. ``values=False``
    checks the columns only (no scan): for a reader that checks the rows it keeps later."""
    contract = CONTRACT[name]
    path = located.path
    # An all-empty Parquet column has no type of its own: read it as empty text.
    untyped = [c for c in raw.columns if raw[c].type().is_null() or raw[c].type().is_unknown()]
    if untyped:
        raw = raw.mutate(**{c: ibis.null(dt.string) for c in untyped})
    missing = [c for c in contract.columns if c not in raw.columns and c not in contract.optional]
    if missing:
        raise ContractError(
            f"{path}: missing column(s) {', '.join(missing)} (has: {', '.join(raw.columns)})"
        )
    present = {c: k for c, k in contract.columns.items() if c in raw.columns}
    for column, col in present.items():
        if col is Col.TIMESTAMP and not _timestamp_ok(raw[column]):
            raise ContractError(
                f"{path}: column {column}: expected {col.value}, found {raw[column].type()} (row 1)"
            )
    if values:
        _check_types(raw, located, present)
    extra = {"_part": raw["_part"]} if "_part" in raw.columns else {}
    return Source(
        name, path, raw.select(**{c: _parse(raw[c], k, c) for c, k in present.items()}, **extra)
    )


def _check_types(raw: ibis.Table, located: Located, cols: dict[str, Col]) -> None:
    """Stop at the first column with a value that is present but not of the contract's type."""
    typed = [c for c, k in cols.items() if k not in (Col.STR, Col.TIMESTAMP)]
    if not typed:
        return
    both = raw.select(
        **{f"raw_{c}": raw[c] for c in typed}, **{c: _parse(raw[c], cols[c]) for c in typed}
    )
    bad = {c: (_present(both[f"raw_{c}"]) & both[c].isnull()).cast("int64").sum() for c in typed}
    counts = both.aggregate(**{c: e for c, e in bad.items()}).to_pyarrow().to_pylist()[0]
    for column in typed:
        if counts[column]:
            value = (
                both.filter(_present(both[f"raw_{column}"]) & both[column].isnull())
                .select(v=_[f"raw_{column}"].cast("string"))
                .limit(1)
                .to_pyarrow()
                .column("v")[0]
                .as_py()
            )
            path, row = _first_row_with(located.files(), column, value)
            raise ContractError(
                f"{path}: row {row}, column {column}: {value!r} is not {cols[column].value} "
                f"({counts[column]} such row(s))"
            )


def unreadable(where: DataPath | str, files: Iterable[DataPath], error: Exception) -> ContractError:
    """Why input files could not be read (error path only): the first CSV problem found,
    else the engine's first line, naming the file it names."""
    files = tuple(files)
    for path in files:
        if why := csv_problem(path):
            return ContractError(why)
    message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
    text = str(error)
    # The file the engine names first is the one it failed on (a schema mismatch also names
    # the file whose schema it compared with, after it).
    named = sorted((p for p in files if str(p) in text), key=lambda p: text.find(str(p)))
    named = named or [p for p in files if p.name in text]  # an engine that names files only
    return ContractError(f"{named[0] if named else where}: input cannot be read: {message}")


def _first_row_with(
    files: tuple[DataPath, ...], column: str, value: str
) -> tuple[DataPath, int | str]:
    """The file and 1-based data row (and CSV line) of the first ``value`` in ``column``
    (error path only)."""
    for path in files:
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8", errors="replace") as f:
                reader = csv.DictReader(f)
                for i, record in enumerate(reader, start=1):
                    if (record.get(column) or "").strip().lower() == value.strip().lower():
                        return path, f"{i} (line {reader.line_num})"
            continue
        with path.open("rb") as f:
            values = pq.read_table(f, columns=[column]).column(column).to_pylist()
        for i, v in enumerate(values, start=1):
            if v is not None and str(v) == value:
                return path, i
    return files[0], "?"
