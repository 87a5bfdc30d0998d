"""``livetier evaluate --out``: one row per graded host, as Parquet written by the engine.

The output is a folder (a Parquet dataset, as Spark writes one): part files and a
``_SUCCESS`` marker, the same shape on both engines (one part file on DuckDB; on Spark,
Spark's own writer, so the folder may be on HDFS or S3). Spark, DuckDB
(``read_parquet('out/*.parquet')``), pandas and pyarrow read it as one table.

It is never seen half-written: the engine writes a hidden sibling folder
(``.NAME.<random>.tmp``, which Spark, Hive and pyarrow skip as hidden), and only a complete
write is renamed to the name asked for; ``_SUCCESS`` is written after the rename. On a
failure the temporary folder is deleted; a killed process can leave it behind, still hidden.
The rename is one atomic step on a local disk and on HDFS. On S3 it is a copy of each file
(S3 has no rename), so there readers should wait for ``_SUCCESS``, which comes last. (Spark's
own committer alone would not do: a failed job can leave the folder behind, and on S3 its
commit is not atomic either.) An existing path is refused before the work: results are never
merged into or written over earlier ones.
"""

from __future__ import annotations

from uuid import uuid4

import pyarrow as pa

from livetier.domain.metrics import METRICS, Kind
from livetier.pipeline.engine import Engine
from livetier.pipeline.storage import (
    DataPath,
    make_dirs,
    remove_file,
    remove_tree,
    rename,
    touch,
)
from livetier.services.errors import InvalidInput
from livetier.services.evaluate import SHOWN_METRICS, Evaluation

_ARROW = {
    Kind.BOOL: pa.bool_(),
    Kind.INT: pa.int64(),
    Kind.FLOAT: pa.float64(),
    Kind.STR: pa.string(),
}


def _metric_type(name: str) -> pa.DataType:
    """A shown metric's column type: the metric's kind; the others shown are counts."""
    return _ARROW[METRICS[name].kind] if name in METRICS else pa.int64()


def schema() -> pa.Schema:
    """The columns of the output, in order."""
    return pa.schema(
        [
            ("host_id", pa.string()),
            ("line", pa.string()),
            ("tier", pa.string()),
            ("holds_days", pa.int64()),
            *((m, _metric_type(m)) for m in SHOWN_METRICS),
            ("next_tier", pa.string()),
            ("day", pa.date32()),
            ("rulebook_version", pa.string()),
        ]
    )


def hosts_table(result: Evaluation) -> pa.Table:
    """One row per graded host, sorted by host_id: what ``--format jsonl`` shows, flat
    (without the criteria), with the evaluation day and the rulebook version."""
    hosts = result.hosts
    values = [result.metrics[h.host_id] for h in hosts]
    columns = {
        "host_id": [h.host_id for h in hosts],
        "line": [h.line for h in hosts],
        "tier": [h.tier.value for h in hosts],
        "holds_days": [result.holds.get(h.host_id) for h in hosts],
        **{m: [v[m] for v in values] for m in SHOWN_METRICS},
        "next_tier": [h.next_tier.value if h.next_tier else None for h in hosts],
        "day": [result.day] * len(hosts),
        "rulebook_version": [result.version.version] * len(hosts),
    }
    return pa.table(columns, schema=schema())


def check_target(target: DataPath) -> None:
    """Refuse an unusable output path before the work, not after it."""
    if not target.name:
        raise InvalidInput(f"$out {target}: name a new folder, not a file system's root")
    if target.exists():
        raise InvalidInput(f"$out {target}: already exists; remove it or choose a new path")


def write_hosts(result: Evaluation, engine: Engine, target: DataPath) -> int:
    """Write ``result``'s hosts to the new folder ``target`` through ``engine``, all or
    nothing (see the module's description); returns the number of rows."""
    if engine.write_parquet is None:
        raise InvalidInput(f"$out: the {engine.name} engine cannot write Parquet")
    check_target(target)
    table = hosts_table(result)
    make_dirs(target.parent)
    temporary = target.parent / f".{target.name}.{uuid4().hex[:12]}.tmp"
    try:
        engine.write_parquet(table, temporary)
        remove_file(temporary / "_SUCCESS")  # Spark's; written again once all is in place
        if target.exists():  # appeared while we worked: never write over it
            raise InvalidInput(f"$out {target}: appeared during the run; not replaced")
        rename(temporary, target)
    except BaseException:
        remove_tree(temporary)
        raise
    touch(target / "_SUCCESS")
    return int(table.num_rows)
