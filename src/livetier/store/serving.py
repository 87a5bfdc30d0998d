"""The serving snapshot: what the HTTP service reads of a day run, without the warehouse.

DuckDB allows one writing process per file, and the batch run holds the warehouse while it
runs (docs/design.md, "Engine pitfalls"), so the service never opens it. Instead each run
writes, before it commits, its snapshot into the state store (table ``serving_parts``), where
every API server on every machine can read it:

- ``hosts``: every graded host's profile, 30-day metrics, tier, holds_days and at-risk flag
  (as the run decided it, with its own ``--at-risk-days``);
- ``quality``: that day's data-quality report.

Each is a Parquet file, stored as the rows (run id, kind, part) of consecutive pieces of at most
``PART_BYTES`` (a database value stays small however many hosts there are). All pieces are
written in one state-store transaction before the run's own, so a reader never sees half a
snapshot, and no succeeded run names a snapshot before it is complete. The service reads the
snapshot of the latest succeeded run. A run killed before its commit leaves a snapshot no
succeeded run names; the next run removes it, with those of runs older than the last ``KEEP``.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy import Connection, Engine, delete, insert, select

from livetier.store.failpoint import checkpoint
from livetier.store.models import ServingPart

KEEP = 3  # snapshots of the latest succeeded runs kept (a service may still read one)
PART_BYTES = 8 << 20  # the largest piece of a snapshot file stored in one row
KINDS = ("hosts", "quality")


def write(
    con: duckdb.DuckDBPyConnection, db: Engine, run_id: int, hosts_sql: str, day: date
) -> None:
    """Write run ``run_id``'s snapshot into the state store ``db``: the rows of ``hosts_sql``
    (a query of the warehouse connection ``con``), and ``day``'s quality report."""
    quality_sql = (
        'SELECT "table", row_id, reason, detail, counted FROM quality '
        f"WHERE day = DATE '{day.isoformat()}' ORDER BY \"table\", reason, row_id"
    )
    with tempfile.TemporaryDirectory(prefix="livetier-snapshot-") as tmp:
        files = {kind: Path(tmp) / f"{kind}.parquet" for kind in KINDS}
        for kind, sql in zip(KINDS, (hosts_sql, quality_sql), strict=True):
            target = str(files[kind]).replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet)")
            checkpoint(f"snapshot-{kind}-copied")
        with db.begin() as c:
            # Run ids are never reused: no rows of this run exist (a killed write committed none).
            for kind in KINDS:
                with files[kind].open("rb") as f:
                    part = 0
                    while piece := f.read(PART_BYTES):
                        c.execute(
                            insert(ServingPart),
                            {"run_id": run_id, "kind": kind, "part": part, "data": piece},
                        )
                        part += 1
                checkpoint(f"snapshot-{kind}-stored")


def prune(db: Engine, keep: set[int]) -> None:
    """Remove the snapshots of runs not in ``keep`` (killed runs, and old ones)."""
    with db.begin() as c:
        c.execute(delete(ServingPart).where(ServingPart.run_id.not_in(keep)))
        checkpoint("snapshot-rows-deleted")


def stored_runs(c: Connection) -> list[int]:
    """The runs with a snapshot in the store, oldest first."""
    return list(c.scalars(select(ServingPart.run_id).distinct().order_by(ServingPart.run_id)))


def _read(c: Connection, run_id: int, kind: str) -> pa.Table | None:
    pieces = c.scalars(
        select(ServingPart.data)
        .where(ServingPart.run_id == run_id, ServingPart.kind == kind)
        .order_by(ServingPart.part)
    ).all()
    if not pieces:
        return None
    return pq.read_table(io.BytesIO(b"".join(pieces)))


def read(db: Engine, run_id: int) -> tuple[pa.Table, pa.Table] | None:
    """Run ``run_id``'s hosts and quality tables, or None when it has no snapshot."""
    with db.connect() as c:
        hosts = _read(c, run_id, "hosts")
        quality = _read(c, run_id, "quality")
    if hosts is None or quality is None:
        return None
    return hosts, quality


@dataclass
class Snapshot:
    """One run's snapshot, loaded for point reads by host id."""

    run_id: int
    hosts: pa.Table
    quality: pa.Table
    _index: dict[str, int] = field(repr=False, default_factory=dict)
    _holds: list[int | None] = field(repr=False, default_factory=list)
    _at_risk: list[bool] = field(repr=False, default_factory=list)

    @classmethod
    def load(cls, db: Engine, run_id: int) -> Snapshot | None:
        """The snapshot of ``run_id``, or None when the store has none."""
        tables = read(db, run_id)
        return None if tables is None else cls.of(run_id, *tables)

    @classmethod
    def of(cls, run_id: int, hosts: pa.Table, quality: pa.Table) -> Snapshot:
        """Run ``run_id``'s snapshot from its tables, indexed by host id."""
        ids = hosts.column("host_id").to_pylist()
        holds = hosts.column("holds_days").to_pylist()  # the status needs only these columns
        risk = [bool(x) for x in hosts.column("at_risk").to_pylist()]
        return cls(run_id, hosts, quality, {h: i for i, h in enumerate(ids)}, holds, risk)

    def holds(self, host_id: str) -> int | None:
        """How many more days the host's tier holds (None: not graded, or it does not drop)."""
        i = self._index.get(host_id)
        return None if i is None else self._holds[i]

    def at_risk(self, host_id: str) -> bool:
        """Whether the run found the host's tier at risk (False: not graded)."""
        i = self._index.get(host_id)
        return False if i is None else self._at_risk[i]

    def host(self, host_id: str) -> dict[str, Any] | None:
        """One host's row (profile, metrics, tier, holds_days), or None if not graded."""
        i = self._index.get(host_id)
        if i is None:
            return None
        row: dict[str, Any] = self.hosts.slice(i, 1).to_pylist()[0]
        return row


def host_row(db: Engine, run_id: int, host_id: str) -> dict[str, Any] | None:
    """One host's row of run ``run_id``'s snapshot, read alone (a command, not the service),
    or None when the host is not graded or the snapshot is missing."""
    with db.connect() as c:
        hosts = _read(c, run_id, "hosts")
    if hosts is None:
        return None
    rows = hosts.filter(pc.equal(hosts["host_id"], host_id)).to_pylist()
    return rows[0] if rows else None
