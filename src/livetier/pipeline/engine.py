"""The one place that knows which engine runs the pipeline and how to set it up."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from livetier.pipeline.storage import DataPath, HadoopFiles, location

# Engine differences are data, not branches in the pipeline (docs/design.md).
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
    "pyspark": {
        "header": True,
        "inferSchema": False,  # every column as text
        "sep": ",",
        "quote": '"',
        "escape": '"',
        "multiLine": True,  # a quoted field may hold a newline, as RFC 4180 allows
        "mode": "FAILFAST",  # a ragged row fails the read instead of being patched up
    },
}

SPARK_DEFAULTS = {
    # Every instant in the pipeline is naive UTC; the platform zone is applied explicitly.
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "8",
}
"""Settings a Spark engine starts with; --spark-conf KEY=VALUE overrides or adds to them."""


@dataclass
class Engine:
    """An Ibis backend plus the few engine-specific settings the pipeline needs."""

    con: BaseBackend
    name: str
    errors: tuple[type[Exception], ...] = field(default=())
    """What the engine raises for input it cannot read (a ragged CSV row, a broken file)."""
    reads_many: bool = True
    """Whether the backend's read_csv/read_parquet take a list of paths (else: one each)."""
    reads_partitions: bool = False
    """Whether those readers find each file's Hive partition (``day=YYYY-MM-DD``) in its path,
    so that many days of a table are one read (else: one read a day, unioned)."""
    absolute: Callable[[DataPath], set[str]] | None = None
    """The timestamp columns of a Parquet file that hold absolute instants, where the
    backend's Ibis types do not say so (Ibis maps Spark's zoned TIMESTAMP and its
    TIMESTAMP_NTZ to one naive type); they are marked UTC, as DuckDB's come."""
    open_url: Callable[[str], DataPath] | None = None
    """How the engine reaches a location given by URL (hdfs://, s3a://, file://, ...);
    None: it reads local paths only."""
    write_parquet: Callable[[pa.Table, DataPath], None] | None = None
    """Write rows as a new folder of Parquet part files (services/export.py)."""
    stream: Callable[[ir.Table, int], Iterator[pa.RecordBatch]] | None = None
    """How the engine streams a table's rows (None: Ibis's ``to_pyarrow_batches``)."""

    def batches(self, table: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        """``table``'s rows in order, at most ``rows`` at a time, as the engine makes them
        (nothing holds them all in Python)."""
        if self.stream is not None:
            return self.stream(table, rows)
        return iter(table.to_pyarrow_batches(chunk_size=rows))

    def read_days(self, parts: Mapping[date, tuple[DataPath, ...]]) -> ibis.Table:
        """Day partitions' files (``.../day=YYYY-MM-DD/file``, a day at least, each with
        files) as one table, each row with its partition's day as ``_part``."""
        if not self.reads_partitions:
            return ibis.union(
                *(self.read(files).mutate(_part=ibis.literal(day)) for day, files in parts.items())
            )
        every = tuple(f for files in parts.values() for f in files)
        table = self.read(every, hive_partitioning=True).rename(_part="day")
        return table.mutate(_part=table._part.cast("date"))

    hold: Callable[[ibis.Table, str], ibis.Table] | None = None
    """How the backend holds a computed table under a name, where Ibis's temporary tables do
    not exist (its PySpark backend): see ``keep``."""

    def keep(self, table: ibis.Table, name: str) -> ibis.Table:
        """``table`` computed once and held as the temporary table ``name`` for this
        connection (replacing one of that name)."""
        if self.hold is not None:
            return self.hold(table, name)
        return self.con.create_table(name, table, temp=True, overwrite=True)

    def location(self, where: str | Path, option: str = "--data") -> DataPath:
        """The input or output location ``where`` names: a local path, or a URL this engine
        can reach (a URL on an engine without ``open_url`` is a ValueError)."""
        return location(where, self.open_url, option)

    def close(self) -> None:
        """Close the backend's connection (a Spark session: stopped)."""
        self.con.disconnect()

    def read(self, files: tuple[DataPath, ...], **options: Any) -> ibis.Table:
        """Open CSV or Parquet files (all of one kind, with the same columns) as one table."""
        if len(files) > 1 and not self.reads_many:
            return ibis.union(*(self.read((f,)) for f in files))
        paths: Any = [str(f) for f in files] if self.reads_many else str(files[0])
        if files[0].suffix == ".csv":
            return self.con.read_csv(paths, **READ_CSV_OPTIONS[self.name], **options)
        table = self.con.read_parquet(paths, **options)
        if self.absolute is None:
            return table
        zoned = self.absolute(files[0])
        return table.mutate(**{c: table[c].cast(dt.Timestamp(timezone="UTC")) for c in zoned})


def duckdb_engine(
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    temp_directory: Path | None = None,
) -> Engine:
    """An in-process DuckDB engine.

    The session zone is pinned to UTC: every timestamp inside the pipeline is a naive UTC
    instant, and the platform zone is applied explicitly (pipeline/timestamps.py), because
    engines disagree on what a session zone does to casts (docs/design.md, "Engine pitfalls").
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
    _fast_utc_wall()  # exact only in UTC, which every livetier DuckDB session is in
    settings = {"TimeZone": "UTC", "preserve_insertion_order": "false"}
    if memory_limit:
        settings["memory_limit"] = memory_limit
    if threads:
        settings["threads"] = str(threads)
    if temp_directory:
        settings["temp_directory"] = str(temp_directory)
    for key, value in settings.items():
        con.raw_sql(f"SET {key} = '{value}'")

    def write_parquet(table: pa.Table, folder: DataPath) -> None:
        # COPY ... TO writes one file (Ibis's DuckDB to_parquet): a folder of one part here,
        # the shape Spark's writer gives.
        target = Path(str(folder))
        target.mkdir()
        con.to_parquet(ibis.memtable(table), target / "part-00000.parquet")

    def stream(table: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        # Ibis 12's DuckDB to_pyarrow_batches calls fetch_record_batch, which DuckDB 2.0
        # removed. A relation's Arrow reader streams the compiled query in order; a DB-API
        # result's (raw_sql) copies every row first and, without insertion order, can hand
        # out an ORDER BY's batches out of order.
        yield from con.con.sql(str(con.compile(table))).to_arrow_reader(rows)

    return Engine(
        con,
        "duckdb",
        errors=(duckdb.Error,),
        reads_partitions=True,
        write_parquet=write_parquet,
        stream=stream,
    )


def spark_engine(master: str = "local[*]", conf: dict[str, str] | None = None) -> Engine:
    """Apache Spark through Ibis's PySpark backend (``master``: local[*], spark://, yarn, ...).

    The session is created, or reused when one is already running in this process.
    """
    _fix_pyspark_strip()
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession
    from pyspark.sql.types import TimestampType

    builder = SparkSession.builder.master(master).appName("livetier")
    for key, value in {**SPARK_DEFAULTS, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()

    def absolute(path: DataPath) -> set[str]:
        schema = session.read.parquet(str(path)).schema  # the footer only
        return {f.name for f in schema.fields if isinstance(f.dataType, TimestampType)}

    def write_parquet(table: pa.Table, folder: DataPath) -> None:
        # Straight from Arrow, not through an Ibis memtable: Ibis's PySpark backend builds
        # memtables via pandas with verifySchema=False, and a nullable integer column (1,
        # None, 3) came out all NULL. One part file: the rows come from the driver anyway.
        # A plain path is a local one, as the output step renames it: say so to Spark,
        # whose default file system may be HDFS.
        where = folder.absolute().as_uri() if isinstance(folder, Path) else str(folder)
        session.createDataFrame(table).coalesce(1).write.parquet(where)

    con = ibis.pyspark.connect(session)
    held: dict[str, Any] = {}

    def hold(table: ibis.Table, name: str) -> ibis.Table:
        # Computed now and cut from its lineage (localCheckpoint), so each query reading it
        # plans and runs only what follows; the previous table of the name is let go.
        con._run_pre_execute_hooks(table)  # registers its memtables, as execute() does
        frame = session.sql(con.compile(table)).localCheckpoint(eager=True)
        old = held.pop(name, None)
        if old is not None:
            old.unpersist()
        frame.createOrReplaceTempView(name)
        held[name] = frame
        return con.table(name)

    return Engine(
        con,
        "pyspark",
        errors=(PySparkException,),
        reads_many=False,
        absolute=absolute,
        open_url=HadoopFiles(session).path,
        write_parquet=write_parquet,
        hold=hold,
    )


def _fix_pyspark_strip() -> None:
    """Make ``strip()`` on Spark remove blanks only.

    Ibis compiles it to ``TRIM(' \\t\\n\\r\\v\\f' FROM x)``, but Spark SQL knows no ``\\v``
    or ``\\f`` escape and reads them as the letters v and f: "food" became "ood" and
    "false" became "alse" (found by the engine parity test). A regular expression on ``\\s``
    means the same on both engines.
    """
    import sqlglot.expressions as sge
    from ibis.backends.sql.compilers.pyspark import PySparkCompiler

    def visit_strip(self: PySparkCompiler, op: object, *, arg: sge.Expression) -> sge.Expression:
        blanks: sge.Expression = self.f.regexp_replace(
            arg, sge.convert(r"^\s+|\s+$"), sge.convert("")
        )
        return blanks

    PySparkCompiler.visit_Strip = visit_strip


def _fast_utc_wall() -> None:
    """Cast DuckDB's zoned timestamps to their UTC wall time without ICU's calendar.

    DuckDB casts TIMESTAMPTZ to TIMESTAMP through ICU, about 100 ns a value: the largest
    single cost of reading tens of millions of views (20M values: 3.0 s, against 0.13 s for
    the form below). With the session zone pinned to UTC (configure_duckdb) that cast gives
    the UTC wall time, which ``make_timestamp(epoch_us(x))`` computes exactly (microseconds
    and NULL included) from the stored instant.
    """
    import sqlglot.expressions as sge
    from ibis.backends.sql.compilers.duckdb import DuckDBCompiler

    if getattr(DuckDBCompiler, "_livetier_utc_wall", False):
        return
    cast = DuckDBCompiler.visit_Cast

    def visit_cast(
        self: DuckDBCompiler, op: Any, *, arg: sge.Expression, to: dt.DataType
    ) -> sge.Expression:
        source = op.arg.dtype
        if source.is_timestamp() and source.timezone and to.is_timestamp() and not to.timezone:
            wall: sge.Expression = self.f.make_timestamp(self.f.epoch_us(arg))
            return wall
        other: sge.Expression = cast(self, op, arg=arg, to=to)
        return other

    DuckDBCompiler.visit_Cast = visit_cast
    DuckDBCompiler._livetier_utc_wall = True
