"""The serving snapshot: what the HTTP service reads of a day run, without the warehouse.

DuckDB allows one writing process per file, and the batch run holds the warehouse while it
runs (docs/design.md, "Engine pitfalls"), so the service never opens it. Instead each run
writes, before it commits, two Parquet files named by its run id beside the warehouse
(``livetier.duckdb.serving/``):

- ``run-N.hosts.parquet``: every graded host's profile, 30-day metrics, tier, holds_days and
  at-risk flag (as the run decided it, with its own ``--at-risk-days``);
- ``run-N.quality.parquet``: that day's data-quality report.

The service reads the files of the latest succeeded run. A run killed before its commit leaves
files no succeeded run names; the next run removes them. Each file is written under a temporary
name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from livetier.store.failpoint import checkpoint

KEEP = 3  # snapshots of the latest succeeded runs kept on disk (a service may still read one)
_NAME = re.compile(r"run-(\d+)\.(hosts|quality)\.parquet$")


def serving_dir(warehouse: Path) -> Path:
    """The snapshot folder of a warehouse file."""
    return warehouse.with_name(warehouse.name + ".serving")


def hosts_file(folder: Path, run_id: int) -> Path:
    return folder / f"run-{run_id}.hosts.parquet"


def quality_file(folder: Path, run_id: int) -> Path:
    return folder / f"run-{run_id}.quality.parquet"


def write(
    con: duckdb.DuckDBPyConnection, folder: Path, run_id: int, hosts_sql: str, day: date
) -> None:
    """Write run ``run_id``'s snapshot: the rows of ``hosts_sql``, and ``day``'s quality."""
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint("snapshot-folder-ready")
    quality_sql = (
        'SELECT "table", row_id, reason, detail, counted FROM quality '
        f"WHERE day = DATE '{day.isoformat()}' ORDER BY \"table\", reason, row_id"
    )
    for kind, sql, target in (
        ("hosts", hosts_sql, hosts_file(folder, run_id)),
        ("quality", quality_sql, quality_file(folder, run_id)),
    ):
        partial = target.with_name(target.name + ".partial")
        con.execute(f"COPY ({sql}) TO '{_quoted(partial)}' (FORMAT parquet)")
        checkpoint(f"snapshot-{kind}-copied")
        os.replace(partial, target)
        checkpoint(f"snapshot-{kind}-renamed")


def prune(folder: Path, keep: set[int]) -> None:
    """Remove the snapshots of runs not in ``keep`` (killed runs, and old ones)."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if (match and int(match.group(1)) not in keep) or path.name.endswith(".partial"):
            path.unlink(missing_ok=True)
            checkpoint("snapshot-file-removed")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


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
    def load(cls, folder: Path, run_id: int) -> Snapshot | None:
        """The snapshot of ``run_id``, or None when its files are missing."""
        try:
            hosts = pq.read_table(hosts_file(folder, run_id))
            quality = pq.read_table(quality_file(folder, run_id))
        except FileNotFoundError:
            return None
        ids = hosts.column("host_id").to_pylist()
        holds = hosts.column("holds_days").to_pylist()  # the status needs only these columns
        risk = _at_risk_flags(hosts)
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


def host_row(folder: Path, run_id: int, host_id: str) -> dict[str, Any] | None:
    """One host's row of run ``run_id``'s snapshot, read alone (a command, not the service),
    or None when the host is not graded or the snapshot is missing."""
    try:
        rows = pq.read_table(
            hosts_file(folder, run_id), filters=[("host_id", "=", host_id)]
        ).to_pylist()
    except FileNotFoundError:
        return None
    if not rows:
        return None
    row: dict[str, Any] = rows[0]
    row.setdefault("at_risk", False)
    return row


def _at_risk_flags(hosts: pa.Table) -> list[bool]:
    """The snapshot's at-risk flags (all False in a snapshot written before they were kept)."""
    if "at_risk" not in hosts.column_names:
        return [False] * hosts.num_rows
    return [bool(x) for x in hosts.column("at_risk").to_pylist()]
