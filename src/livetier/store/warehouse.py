"""The warehouse of daily facts: a DuckDB file (``./livetier.duckdb`` by default).

It holds what a daily run needs so that it reads only the raw events of the days it adds:

- ``daily_facts``: per host and platform day, the additive activity facts (pipeline/facts.py);
  a window's metrics are sums of them.
- ``fact_days``: which days are stored, and under which definitions (zone, session minimum).
  A day computed under other definitions is computed again.
- ``fact_changes``: every fact that a recomputation changed (late corrections), with old and
  new values.
- ``profiles``: the host profile snapshots, mirrored from the input (rejected rows kept as
  unusable, so the latest snapshot still decides, as in pipeline/facts.profile_as_of).
- ``quality``: each run day's data-quality report: every finding of every run of that day,
  each once (a recomputation adds to the report, never erases it); ``quality_days`` names
  the days a report was stored for, so a clean day tells apart from a day never run.
- ``host_checks`` and ``listed_hosts``: what checking the hosts file found (its report
  entries, and every listed host id), named in ``meta`` by the file's name, size and
  modification time and the rules' lines. A run whose hosts file is the one named there
  reuses them (and ``profiles``) instead of reading and checking a million host rows again;
  any other file is checked afresh.
- ``host_state``: a copy of the state store's host tiers as of its last succeeded run (named
  in ``meta``), so that a run compares a million grades with the state in one join instead
  of reading a million rows out of the state store. The state store stays the truth: a copy
  that does not name the store's latest run is not used (the run reads the store instead).

The statements of a day run over the graded day (serving snapshot, state copy, the hosts to
write) are in store/day_run.py, mixed into ``Warehouse``. Every write of a run happens in one
DuckDB transaction: a killed run leaves the previous contents. DuckDB allows one writing
process per file (docs/design.md, "Engine pitfalls"), so the batch job owns it;
``open_warehouse(read_only=True)`` serves the read commands.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from livetier.domain.metrics import METRICS, PROFILE_METRICS, Kind
from livetier.pipeline.clean import REPORT_COLUMNS, CheckedHosts
from livetier.pipeline.engine import Engine, configure_duckdb
from livetier.pipeline.facts import FACT_COLUMNS
from livetier.store.day_run import DayRunStatements

FACTS = FACT_COLUMNS[2:]  # the additive counts, after host_id and day
_SQL_TYPE = {Kind.BOOL: "BOOLEAN", Kind.INT: "BIGINT", Kind.FLOAT: "DOUBLE", Kind.STR: "VARCHAR"}
_IBIS_TYPE = {Kind.BOOL: "boolean", Kind.INT: "int64", Kind.FLOAT: "float64", Kind.STR: "string"}
PROFILE_COLUMNS = ("host_id", "snapshot_date", "usable", "category_line", *PROFILE_METRICS)

_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS daily_facts (host_id VARCHAR NOT NULL, day DATE NOT NULL, "
    + ", ".join(f"{f} BIGINT NOT NULL" for f in FACTS)
    + ")",
    "CREATE TABLE IF NOT EXISTS fact_days "
    "(day DATE PRIMARY KEY, definitions VARCHAR NOT NULL, computed_at TIMESTAMP NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fact_changes (logged_at TIMESTAMP NOT NULL, run_day DATE NOT NULL,"
    " day DATE NOT NULL, host_id VARCHAR NOT NULL, fact VARCHAR NOT NULL,"
    " old BIGINT NOT NULL, new BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS profiles (host_id VARCHAR NOT NULL, snapshot_date DATE NOT NULL, "
    "usable BOOLEAN NOT NULL, category_line VARCHAR, "
    + ", ".join(f"{m} {_SQL_TYPE[METRICS[m].kind]}" for m in PROFILE_METRICS)
    + ")",
    'CREATE TABLE IF NOT EXISTS quality (day DATE NOT NULL, "table" VARCHAR, row_id VARCHAR, '
    "reason VARCHAR, detail VARCHAR, counted BOOLEAN)",
    "CREATE TABLE IF NOT EXISTS quality_days (day DATE PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    'CREATE TABLE IF NOT EXISTS host_checks ("table" VARCHAR, row_id VARCHAR, reason VARCHAR, '
    "detail VARCHAR, counted BOOLEAN)",
    "CREATE TABLE IF NOT EXISTS listed_hosts (host_id VARCHAR NOT NULL)",
    "CREATE TABLE IF NOT EXISTS host_state (host_id VARCHAR NOT NULL, tier VARCHAR NOT NULL, "
    "first_seen DATE NOT NULL, at_risk BOOLEAN NOT NULL)",
]


class WarehouseError(RuntimeError):
    """The warehouse file cannot be opened or written; the message names the real cause."""


class WarehouseBusy(WarehouseError):
    """Another process holds the warehouse file (DuckDB allows one writer)."""


# The operating system's words for a write that cannot happen, as DuckDB repeats them.
_STORAGE_FAILURES = (
    "No space left on device",
    "File too large",
    "Disk quota exceeded",
    "Read-only file system",
    "Permission denied",
)


def storage_failure(path: Path, error: Exception) -> WarehouseError | None:
    """The warehouse error an engine error is, when the cause is the warehouse's storage
    (a full disk, a file over its size limit, a read-only file system); None otherwise."""
    text = str(error)
    cause = next((c for c in _STORAGE_FAILURES if c.lower() in text.lower()), None)
    if cause is None:
        return None
    return WarehouseError(f"{path}: cannot write the warehouse: {cause} ({_first_line(text)})")


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


class Warehouse(DayRunStatements):
    """An open warehouse: its tables as Ibis expressions, and the run's writes."""

    def __init__(self, engine: Engine, raw: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.engine = engine
        self.path = path
        self._raw = raw

    @property
    def raw(self) -> duckdb.DuckDBPyConnection:
        """The DuckDB connection itself, for tests that look into the tables; the project's
        own statements are methods (here and in store/day_run.py)."""
        return self._raw

    # reads ------------------------------------------------------------------------------

    def facts(self) -> ir.Table:
        return self.engine.con.table("daily_facts")

    def profiles(self) -> tuple[ir.Table, ir.Table]:
        """(usable profile rows, every snapshot's (host_id, snapshot_date))."""
        p = self.engine.con.table("profiles")
        hosts = p.filter(p.usable).select(
            "host_id", "snapshot_date", "category_line", *PROFILE_METRICS
        )
        return hosts, p.select("host_id", "snapshot_date")

    def checked_hosts(self, source: str) -> CheckedHosts | None:
        """What checking the hosts file ``source`` found, when it is the file last checked
        (None: it is not, and must be checked)."""
        last = self._raw.execute("SELECT value FROM meta WHERE key = 'host_checks'").fetchall()
        if not last or last[0][0] != source:
            return None
        hosts, snapshots = self.profiles()
        con = self.engine.con
        return CheckedHosts(hosts, snapshots, con.table("listed_hosts"), con.table("host_checks"))

    def stored_days(self, definitions: str) -> set[date]:
        """The days whose facts are stored under these definitions."""
        rows = self._raw.execute(
            "SELECT day FROM fact_days WHERE definitions = ?", [definitions]
        ).fetchall()
        return {r[0] for r in rows}

    def quality(self, day: date) -> list[dict[str, object]] | None:
        """The data-quality report stored by the runs of ``day`` (None: no run stored one)."""
        reported = (
            self._raw.execute(
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'quality_days'"
            ).fetchall()[0][0]
            and self._raw.execute(
                "SELECT count(*) FROM quality_days WHERE day = ?", [day]
            ).fetchall()[0][0]
        )
        cursor = self._raw.execute(
            'SELECT "table", row_id, reason, detail, counted FROM quality WHERE day = ? '
            'ORDER BY "table", reason, row_id',
            [day],
        )
        rows = [dict(zip(REPORT_COLUMNS, r, strict=True)) for r in cursor.fetchall()]
        return rows if rows or reported else None  # a warehouse older than quality_days: rows

    def fact_changes(self, run_day: date | None = None) -> list[dict[str, object]]:
        """The facts recomputations changed (all, or those logged by the run of one day)."""
        where, params = ("WHERE run_day = ?", [run_day]) if run_day else ("", [])
        cursor = self._raw.execute(
            "SELECT logged_at, run_day, day, host_id, fact, old, new FROM fact_changes "
            f"{where} ORDER BY logged_at, day, host_id, fact",
            params,
        )
        names = [d[0] for d in cursor.description or []]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def state_of(self) -> str | None:
        """Which state-store run the ``host_state`` copy reflects (None: none yet)."""
        rows = self._raw.execute("SELECT value FROM meta WHERE key = 'host_state'").fetchall()
        return str(rows[0][0]) if rows else None

    def state_tiers(self) -> pa.Table:
        """The ``host_state`` copy's host_id and tier (read it only when ``state_of`` names
        the store's latest succeeded run)."""
        return self._raw.sql("SELECT host_id, tier FROM host_state").to_arrow_table()

    # writes -----------------------------------------------------------------------------

    def _materialise(self, name: str, expr: ir.Table) -> None:
        """Compute ``expr`` once into a temporary table of this connection."""
        self.temp_table(name, expr)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of a run's writes, or none of them."""
        self._raw.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._raw.execute("ROLLBACK")
            raise
        self._raw.execute("COMMIT")

    def replace_days(
        self,
        days: Iterable[date],
        facts: ir.Table,
        definitions: str,
        run_day: date,
        now: datetime,
    ) -> int:
        """Store ``facts`` as the whole facts of ``days``; log what differs from before.

        A host missing on one side counts as all zeros, and days not stored before are new,
        not changed. Returns how many (host, day, fact) values changed.
        """
        day_list = sorted(set(days))
        if not day_list:
            return 0
        self._raw.execute("CREATE OR REPLACE TEMP TABLE _days (day DATE)")
        self._raw.executemany("INSERT INTO _days VALUES (?)", [[d] for d in day_list])
        self._materialise("_new_facts", facts.select(*FACT_COLUMNS))
        changed = 0
        for fact in FACTS:
            count = self._raw.execute(
                f"""
                INSERT INTO fact_changes
                SELECT ?, ?, day, host_id, ?, old, new FROM (
                    SELECT coalesce(o.day, n.day) AS day, coalesce(o.host_id, n.host_id) AS host_id,
                           coalesce(o.{fact}, 0) AS old, coalesce(n.{fact}, 0) AS new
                    FROM (SELECT * FROM daily_facts WHERE day IN (SELECT day FROM _days)) o
                    FULL JOIN _new_facts n ON o.host_id = n.host_id AND o.day = n.day
                ) WHERE old <> new AND day IN (SELECT day FROM fact_days)
                """,
                [now, run_day, fact],
            ).fetchall()
            changed += int(count[0][0]) if count else 0
        self._raw.execute("DELETE FROM daily_facts WHERE day IN (SELECT day FROM _days)")
        self._raw.execute(
            f"INSERT INTO daily_facts SELECT {', '.join(FACT_COLUMNS)} FROM _new_facts"
        )
        self._raw.execute("DELETE FROM fact_days WHERE day IN (SELECT day FROM _days)")
        self._raw.execute("INSERT INTO fact_days SELECT day, ?, ? FROM _days", [definitions, now])
        self._raw.execute("DROP TABLE _new_facts")
        return changed

    def sync_profiles(self, hosts: ir.Table, snapshots: ir.Table, source: str) -> int:
        """Mirror the input's profile snapshots, writing only rows that differ.

        ``hosts`` are the clean profile rows; ``snapshots`` every dated row's key, rejected
        ones included (stored as unusable). ``source`` identifies the input files (and the
        rules' lines): when it is the one last mirrored, nothing is compared. Returns how
        many rows were written or removed.
        """
        last = self._raw.execute("SELECT value FROM meta WHERE key = 'profiles'").fetchall()
        if last and last[0][0] == source:
            return 0
        self._raw.execute("INSERT OR REPLACE INTO meta VALUES ('profiles', ?)", [source])
        keys = ["host_id", "snapshot_date"]
        unusable = snapshots.anti_join(hosts, keys).select(
            *keys,
            usable=ibis.literal(False),
            category_line=ibis.null("string"),
            **{m: ibis.null(_IBIS_TYPE[METRICS[m].kind]) for m in PROFILE_METRICS},
        )
        usable = hosts.select(*keys, "category_line", *PROFILE_METRICS, usable=ibis.literal(True))
        self._materialise(
            "_new_profiles",
            ibis.union(usable.select(*PROFILE_COLUMNS), unusable.select(*PROFILE_COLUMNS)),
        )
        columns = ", ".join(PROFILE_COLUMNS)
        self._raw.execute(
            "CREATE OR REPLACE TEMP TABLE _gone AS "
            f"SELECT {columns} FROM profiles EXCEPT SELECT {columns} FROM _new_profiles"
        )
        self._raw.execute(
            "CREATE OR REPLACE TEMP TABLE _added AS "
            f"SELECT {columns} FROM _new_profiles EXCEPT SELECT {columns} FROM profiles"
        )
        self._raw.execute(
            "DELETE FROM profiles USING _gone g "
            "WHERE profiles.host_id = g.host_id AND profiles.snapshot_date = g.snapshot_date"
        )
        self._raw.execute(f"INSERT INTO profiles SELECT {columns} FROM _added")
        written = self._raw.execute(
            "SELECT (SELECT count(*) FROM _gone) + (SELECT count(*) FROM _added)"
        ).fetchall()[0][0]
        for table in ("_gone", "_added", "_new_profiles"):
            self._raw.execute(f"DROP TABLE {table}")
        return int(written)

    def save_host_checks(self, hosts: CheckedHosts, source: str) -> None:
        """Keep what checking the hosts file ``source`` found, for the next run (the
        profiles themselves are mirrored by ``sync_profiles``)."""
        self._raw.execute("DELETE FROM meta WHERE key = 'host_checks'")
        self._raw.execute("DELETE FROM host_checks")
        self._raw.execute("DELETE FROM listed_hosts")
        self._insert("host_checks", hosts.problems.select(*REPORT_COLUMNS))
        self._insert("listed_hosts", hosts.known.select("host_id"))
        self._raw.execute("INSERT INTO meta VALUES ('host_checks', ?)", [source])

    def _insert(self, table: str, rows: ir.Table) -> None:
        """Add the rows of ``rows`` (an expression on this warehouse) to ``table``."""
        self.engine.con.insert(table, rows)

    def save_quality(self, day: date, problems: ir.Table) -> int:
        """Add this run's findings to the data-quality report of ``day`` (those already in it
        are kept once: a recomputation over fewer days must not erase earlier findings);
        returns the number of this run's entries."""
        self._materialise("_quality", problems.select(*REPORT_COLUMNS))
        self._raw.execute(
            'INSERT INTO quality SELECT DISTINCT ?, "table", row_id, reason, detail, counted '
            "FROM _quality EXCEPT SELECT * FROM quality WHERE day = ?",
            [day, day],
        )
        self._raw.execute("INSERT OR IGNORE INTO quality_days VALUES (?)", [day])
        count = self._raw.execute("SELECT count(*) FROM _quality").fetchall()[0][0]
        self._raw.execute("DROP TABLE _quality")
        return int(count)


@contextmanager
def open_warehouse(
    path: Path, *, read_only: bool = False, memory_limit: str | None = None
) -> Iterator[Warehouse]:
    """Open (and, for writing, create) the warehouse file."""
    con = _connect(path, read_only)
    try:
        raw = con.con
        engine = configure_duckdb(con, memory_limit=memory_limit)
        if not read_only:
            for statement in _SCHEMA:
                raw.execute(statement)
        yield Warehouse(engine, raw, path)
    finally:
        con.disconnect()


def _connect(path: Path, read_only: bool) -> ibis.BaseBackend:
    """DuckDB's connection to ``path``, or a WarehouseError that says why there is none."""
    if path.is_dir():
        raise WarehouseError(f"{path}: is a folder, not a warehouse file")
    if not path.parent.is_dir():
        raise WarehouseError(f"{path}: no such folder {path.parent}")
    if read_only and not path.exists():
        raise WarehouseError(f"{path}: no warehouse here (run `livetier run` first)")
    try:
        return ibis.duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as e:
        text = _first_line(str(e))
        if "lock" in text.lower():  # DuckDB: "Could not set lock on file ... (PID n)"
            raise WarehouseBusy(
                f"{path}: the warehouse is in use by another process ({text})"
            ) from None
        raise storage_failure(path, e) or WarehouseError(
            f"{path}: cannot open the warehouse ({text})"
        ) from None
