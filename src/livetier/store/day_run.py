"""The warehouse's statements of a day run: the graded day's tables, the state compared with
them, and what a run writes out of them (serving snapshot, state copy)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
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
class DayPolicy:
    """What a day run needs besides the grades to decide the tier each host holds: the
    version's grace, the changes already recorded that day (a re-run: host, from_tier), the
    grace counters of the previous day run, the overrides in force on the day (host,
    override_id, kind, tier) and the hosts whose tier an override set at the last run."""

    grace_days: int = 0
    recorded: list[tuple[str, str]] = field(default_factory=list)
    grace: list[tuple[str, int]] = field(default_factory=list)
    overrides: list[tuple[str, int, str, str]] = field(default_factory=list)
    watched: list[str] = field(default_factory=list)

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """The lists as the relations ``decide_sql``'s caller joins."""
        s = pa.string()
        con.register("_recorded", _columns(self.recorded, ("host_id", "from_tier"), (s, s)))
        con.register("_grace", _columns(self.grace, ("host_id", "lower_days"), (s, pa.int64())))
        con.register(
            "_overrides",
            _columns(
                self.overrides, ("host_id", "override_id", "kind", "tier"), (s, pa.int64(), s, s)
            ),
        )
        con.register("_watched", _columns([(h,) for h in self.watched], ("host_id",), (s,)))


def _columns(rows: list[tuple[Any, ...]], names: tuple[str, ...], kinds: tuple[Any, ...]) -> Any:
    values: list[Any] = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(v, k) for n, v, k in zip(names, values, kinds, strict=True)})


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


_TIER_NAMES = "[" + ", ".join(f"'{t.value}'" for t in sorted(Tier, key=lambda t: t.rank)) + "]"


def _rank(tier: str) -> str:
    return f"(list_position({_TIER_NAMES}, {tier}) - 1)"


def decide_sql(source: str, grace_days: str) -> str:
    """domain/policy.decide for every row of ``source`` in one statement. ``source`` has the
    columns cur (tier held before), graded, lower_before, basic_met, o_kind (floor, cap or
    NULL) and o_tier; adds kept (the tier held after), lower_after and decided_by. A test
    holds the two equal at every combination."""
    return f"""
WITH p0 AS (
  SELECT *, {_rank("cur")} AS cur_r, {_rank("graded")} AS grd_r, {_rank("o_tier")} AS o_r
  FROM {source}
), p1 AS (
  SELECT *, coalesce(basic_met AND grd_r < cur_r AND lower_before + 1 <= {grace_days}, false)
            AS graced
  FROM p0
), p2 AS (
  SELECT *, CASE WHEN graced THEN cur_r ELSE grd_r END AS kept_r FROM p1
), p3 AS (
  SELECT *, CASE WHEN o_kind = 'floor' AND basic_met AND kept_r < o_r THEN o_r
                 ELSE kept_r END AS floored_r
  FROM p2
), p4 AS (
  SELECT *, CASE WHEN o_kind = 'cap' AND floored_r > o_r THEN o_r ELSE floored_r END AS eff_r
  FROM p3
)
SELECT * EXCLUDE (cur_r, grd_r, o_r, graded, kept_r, floored_r, eff_r),
       {_TIER_NAMES}[eff_r + 1] AS kept,
       CASE WHEN eff_r = kept_r AND graced THEN lower_before + 1 ELSE 0 END AS lower_after,
       CASE WHEN eff_r <> kept_r THEN 'override' WHEN graced THEN 'grace' ELSE 'grade' END
         AS decided_by,
       graded
FROM p4
"""


# The hosts a day may write: new ones, those whose held tier or at-risk state differs from the
# state store, those in grace after this day run or the one before, with an override in force
# (or one that set the tier at the last run: ``_watched``), and those with a change already
# recorded that day (a re-run). On a quiet day that is a few thousand of a million, found by
# one join instead of a Python loop.
_SOURCE = """
  SELECT g.host_id, g.tier AS graded, g.holds_days, g.basic_met, s.tier AS old_tier,
         s.first_seen < $day AS seen_before, s.at_risk, coalesce(s.first_seen, $day) AS first_seen,
         CASE WHEN r.host_id IS NOT NULL THEN r.from_tier
              WHEN s.first_seen < $day THEN s.tier ELSE '{none}' END AS cur,
         coalesce(gr.lower_days, 0) AS lower_before,
         o.override_id, o.kind AS o_kind, o.tier AS o_tier,
         r.host_id IS NOT NULL OR gr.host_id IS NOT NULL OR o.host_id IS NOT NULL
           OR w.host_id IS NOT NULL AS always
  FROM {grades} g LEFT JOIN {state} s ON g.host_id = s.host_id
  LEFT JOIN _recorded r ON g.host_id = r.host_id
  LEFT JOIN _grace gr ON g.host_id = gr.host_id
  LEFT JOIN _overrides o ON g.host_id = o.host_id
  LEFT JOIN _watched w ON g.host_id = w.host_id
"""

_TO_WRITE = """
WITH d AS ({decided}),
e AS (
  SELECT *, lower_after > 0
            OR (decided_by = 'grade' AND {at_risk}) AS at_risk_now
  FROM d
)
SELECT host_id, kept, holds_days, at_risk_now, old_tier, seen_before, at_risk, first_seen,
       graded, lower_before, lower_after, decided_by, override_id
FROM e
WHERE old_tier IS NULL OR old_tier <> kept OR always OR at_risk <> at_risk_now
   OR lower_after > 0
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
        policy: DayPolicy,
        at_risk_days: int,
        day: date,
    ) -> list[tuple[Any, ...]]:
        """The graded hosts whose state a run of ``day`` may change, with the tier each holds
        after grace and overrides (``decide_sql``): new, moved, entering or leaving the
        at-risk state, in grace or under an override, or with a change already recorded that
        day. Rows of (host_id, kept tier, holds_days, at_risk_now, old_tier, seen_before,
        old at_risk, first_seen, graded tier, lower_before, lower_after, decided_by,
        override_id)."""
        policy.register(self._raw)
        source = _SOURCE.format(grades=graded.grades.get_name(), state=state.name, none="none")
        sql = _TO_WRITE.format(
            decided=decide_sql(f"({source})", "$grace"),
            at_risk=at_risk_sql("graded", "holds_days", "$days"),
        )
        params = {"days": at_risk_days, "day": day, "grace": policy.grace_days}
        return self._raw.execute(sql, params).fetchall()

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
