"""Live events as Arrow: the inbox's columns in one table, split into the pipeline's four
event tables, and a block of events stored whole (Parquet, ``live_blocks``)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from livetier.pipeline import live as expr
from livetier.store.models import LiveEvent

EVENT_COLUMNS = (
    LiveEvent.kind,
    LiveEvent.session_id,
    LiveEvent.host_id,
    LiveEvent.buyer_id,
    LiveEvent.order_id,
    LiveEvent.at,
    LiveEvent.deleted,
)
"""The inbox columns the processor computes from."""

SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("session_id", pa.string()),
        ("host_id", pa.string()),
        ("buyer_id", pa.string()),
        ("order_id", pa.string()),
        ("at", pa.timestamp("us")),  # naive UTC, as stored
        ("deleted", pa.bool_()),
    ]
)
"""Events of every kind in one table (``EVENT_COLUMNS``)."""

KINDS = {
    "session_started": ("started", expr.STARTED),
    "session_ended": ("ended", expr.ENDED),
    "viewed": ("viewed", expr.VIEWED),
    "paid": ("paid", expr.PAID),
}
"""Each kind's name among the pipeline's event tables, and its columns."""


def from_rows(rows: Sequence[Any]) -> pa.Table:
    """Stored event rows (``EVENT_COLUMNS`` first, by name) as one ``SCHEMA`` table."""
    if not rows:
        return SCHEMA.empty_table()
    fields = list(rows[0]._fields)
    columns = list(zip(*rows, strict=True))
    return pa.table(
        {f.name: pa.array(columns[fields.index(f.name)], f.type) for f in SCHEMA},
        schema=SCHEMA,
    )


def split(every: pa.Table) -> dict[str, pa.Table]:
    """One ``SCHEMA`` table as the pipeline's four event tables (instants zoned UTC)."""
    every = every.set_column(
        every.schema.get_field_index("at"), "at", every.column("at").cast(pa.timestamp("us", "UTC"))
    )
    out = {}
    for kind, (name, wanted) in KINDS.items():
        rows_of = every.filter(pc.equal(every.column("kind"), kind))
        out[name] = rows_of.select(list(wanted)).cast(
            pa.schema([(c, _arrow_type(t)) for c, t in wanted.items()])
        )
    return out


def _arrow_type(kind: Any) -> pa.DataType:
    if kind.is_timestamp():
        return pa.timestamp("us", tz="UTC")
    return pa.bool_() if kind.is_boolean() else pa.string()


def encode(block: pa.Table) -> tuple[bytes, str]:
    """A block of events as Parquet, and its digest (equal events in equal order, equal
    digest)."""
    sink = io.BytesIO()
    pq.write_table(block.cast(SCHEMA), sink, compression="zstd", row_group_size=1 << 20)
    data = sink.getvalue()
    return data, hashlib.blake2b(data, digest_size=32).hexdigest()


def decode(data: bytes) -> pa.Table:
    """A stored block's events (``SCHEMA``)."""
    return pq.read_table(io.BytesIO(data)).cast(SCHEMA)
