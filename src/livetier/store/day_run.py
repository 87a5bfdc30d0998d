"""The warehouse's statements of a day run: the graded day's tables, the state compared with
them, and what a run writes out of them (serving snapshot, state copy)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import Engine as SqlEngine

from livetier.domain.tiers import Tier
from livetier.pipeline.engine import Engine
from livetier.store import serving
from livetier.store.failpoint import checkpoint

STATE_COLUMNS = ("host_id", "tier", "first_seen", "at_risk")
_STATE_TYPES = (pa.string(), pa.string(), pa.date32(), pa.bool_())


def at_risk_sql(tier: str, holds_days: str, at_risk_days: str) -> str:
    """domain/changes.at_risk as a SQL boolean (never NULL) over the named columns and
    parameter, for a million hosts in one statement; a test holds the two equal."""
    return f"coalesce({tier} <> '{Tier.NONE.value}' AND {holds_days} <= {at_risk_days}, false)"


@dataclass(frozen=True)
class GradedDay:
    """The graded day, kept in the warehouse for the run: every graded host's metrics, and its
    tier and holds_days (temporary tables, made by ``Warehouse.temp_table``)."""

    metrics: ir.Table
    grades: ir.Table


@dataclass(frozen=True)
class StateBefore:
    """The hosts' state before a run, as a relation of the warehouse connection."""

    name: str
    read_from_store: bool  # False: the warehouse's own copy, current with the store


def state_table(rows: list[tuple[str, str, date, bool]]) -> pa.Table:
    """Rows of (host_id, tier, first_seen, at_risk) as an Arrow table of the STATE_COLUMNS."""
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [[], [], [], []]
    return pa.table(
        {
            name: pa.array(values, kind)
            for name, values, kind in zip(STATE_COLUMNS, columns, _STATE_TYPES, strict=True)
        }
    )


# The hosts a day may write: new ones, those whose tier or at-risk state differs from the
# state store, and those with a change already recorded that day (a re-run). On a quiet day
# that is a few thousand of a million, found by one join instead of a Python loop.
_TO_WRITE = f"""
WITH g AS (
  SELECT *, {at_risk_sql("tier", "holds_days", "$days")} AS at_risk_now
  FROM {{grades}}
)
SELECT g.host_id, g.tier, g.holds_days, g.at_risk_now, s.tier AS old_tier,
       s.first_seen < $day AS seen_before, s.at_risk, coalesce(s.first_seen, $day) AS first_seen
FROM g LEFT JOIN {{state}} s ON g.host_id = s.host_id
WHERE s.host_id IS NULL OR s.tier <> g.tier OR g.host_id IN (SELECT host_id FROM _recorded)
   OR s.at_risk <> g.at_risk_now
"""


class DayRunStatements:
    """The statements of a day run (mixed into ``Warehouse``)."""

    engine: Engine
    _raw: duckdb.DuckDBPyConnection
    transaction: Callable[[], AbstractContextManager[None]]  # Warehouse.transaction

    def temp_table(self, name: str, expr: ir.Table) -> ir.Table:
        """Compute ``expr`` once into temporary table ``name``; returns that table."""
        return self.engine.con.create_table(name, expr, temp=True, overwrite=True)

    def tier_distribution(self, graded: GradedDay) -> dict[str, dict[str, int]]:
        """How many hosts each tier has, per category line, on the graded day."""
        rows = self._raw.execute(
            f"SELECT m.category_line, g.tier, count(*) FROM {graded.metrics.get_name()} m "
            f"JOIN {graded.grades.get_name()} g USING (host_id) GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for line, tier, n in rows:
            out.setdefault(line, {})[tier] = int(n)
        return out

    def write_serving_snapshot(
        self, db: SqlEngine, run_id: int, day: date, graded: GradedDay, at_risk_days: int
    ) -> None:
        """Write run ``run_id``'s serving snapshot into the state store ``db``
        (store/serving.py): every graded host's
        metrics, tier, holds_days and at-risk flag as this run decides it, and the day's
        data-quality report."""
        hosts = (
            f"SELECT m.*, g.tier, g.holds_days, "
            f"{at_risk_sql('g.tier', 'g.holds_days', str(int(at_risk_days)))} AS at_risk "
            f"FROM {graded.metrics.get_name()} m JOIN {graded.grades.get_name()} g "
            "USING (host_id)"
        )
        serving.write(self._raw, db, run_id, hosts, day)

    def state_copy(self) -> StateBefore:
        """The warehouse's copy of the state (``host_state``) as the state before a run."""
        self._raw.execute("CREATE OR REPLACE TEMP VIEW _state AS SELECT * FROM host_state")
        return StateBefore("_state", read_from_store=False)

    def state_given(self, table: pa.Table) -> StateBefore:
        """``table`` (the STATE_COLUMNS, read from the state store) as the state before a run."""
        self._raw.register("_state", table)
        return StateBefore("_state", read_from_store=True)

    def hosts_to_write(
        self,
        graded: GradedDay,
        state: StateBefore,
        rerun_hosts: list[str],
        at_risk_days: int,
        day: date,
    ) -> list[tuple[Any, ...]]:
        """The graded hosts whose state a run of ``day`` may change: new, moved, entering or
        leaving the at-risk state, or with a change already recorded that day
        (``rerun_hosts``). Rows of (host_id, tier, holds_days, at_risk_now, old_tier,
        seen_before, old at_risk, first_seen)."""
        self._raw.register("_recorded", pa.table({"host_id": pa.array(rerun_hosts, pa.string())}))
        sql = _TO_WRITE.format(grades=graded.grades.get_name(), state=state.name)
        return self._raw.execute(sql, {"days": at_risk_days, "day": day}).fetchall()

    def save_state(self, run: str, changed: pa.Table, whole: StateBefore | None = None) -> None:
        """Make ``host_state`` the state after ``run``: ``whole`` (if given) replaces it, then
        the rows of ``changed`` (the STATE_COLUMNS) replace those of their hosts."""
        columns = ", ".join(STATE_COLUMNS)
        self._raw.register("_written", changed)
        with self.transaction():
            checkpoint("state-copy-transaction-begun")
            if whole is not None:
                self._raw.execute("DELETE FROM host_state")
                self._raw.execute(f"INSERT INTO host_state SELECT {columns} FROM {whole.name}")
                checkpoint("state-copy-replaced")
            self._raw.execute(
                "DELETE FROM host_state WHERE host_id IN (SELECT host_id FROM _written)"
            )
            checkpoint("state-copy-rows-deleted")
            self._raw.execute(f"INSERT INTO host_state SELECT {columns} FROM _written")
            checkpoint("state-copy-rows-inserted")
            self._raw.execute("INSERT OR REPLACE INTO meta VALUES ('host_state', ?)", [run])
            checkpoint("state-copy-tagged")

    def forget_state(self) -> None:
        """The copy no longer matches any run (the next run reads the state store)."""
        self._raw.execute("DELETE FROM meta WHERE key = 'host_state'")
