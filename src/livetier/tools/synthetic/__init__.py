"""Synthetic live-commerce platform data (hosts, sessions, views, orders) in the public contract."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

import numpy as np

from livetier.tools.synthetic.columns import PLATFORM_TZ, Clock, Writer
from livetier.tools.synthetic.events import IdSpace, anomaly_scale, write_events
from livetier.tools.synthetic.hosts import (
    CONSUMER_CATEGORIES,
    INDUSTRIAL_CATEGORIES,
    RESTRICTED_CATEGORIES,
    host_model,
    snapshot_rows,
)

__all__ = [
    "CONSUMER_CATEGORIES",
    "INDUSTRIAL_CATEGORIES",
    "PLATFORM_TZ",
    "RESTRICTED_CATEGORIES",
    "TABLES",
    "Anomalies",
    "Summary",
    "generate",
]

TABLES = ("hosts", "sessions", "views", "orders")


@dataclass(frozen=True)
class Anomalies:
    """Counts of deliberately injected problems, so tests can check the data-quality report."""

    bad_timestamps: int  # sessions whose started_at is unparseable (CSV only, 0 for parquet)
    end_before_start: int  # sessions whose ended_at < started_at
    unknown_session_views: int  # views whose session_id exists in no session
    conflicting_duplicate_orders: int  # order_ids that appear twice with different content
    unknown_category_line: int  # host rows whose category_line is e.g. "services"
    cross_day_sessions: int  # valid sessions that start before platform midnight, end after


@dataclass(frozen=True)
class Summary:
    """Rows written per table (so snapshots and injected rows count), days covered, anomalies."""

    hosts: int
    sessions: int
    views: int
    orders: int
    first_day: date
    last_day: date
    anomalies: Anomalies


def generate(
    out_dir: Path,
    *,
    hosts: int = 10_000,
    days: int = 45,
    end_day: date | None = None,
    fmt: Literal["csv", "parquet"] = "parquet",
    seed: int = 7,
    views_per_host_day: float = 4.0,
    anomalies: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> Summary:
    """Write hosts/sessions/views/orders.<fmt> into out_dir and summarise what was written."""
    if hosts < 1 or days < 1 or views_per_host_day < 0:
        raise ValueError("hosts and days must be >= 1 and views_per_host_day >= 0")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    end_day = end_day or datetime.now(PLATFORM_TZ).date()
    clock = Clock(end_day - timedelta(days=days), days)
    report = progress or (lambda stage, done, total: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    other = "csv" if fmt == "parquet" else "parquet"
    for name in TABLES:  # a stale table in the other format would make the folder ambiguous
        (out / f"{name}.{other}").unlink(missing_ok=True)

    report("hosts", 0, hosts)
    model = host_model(np.random.default_rng([seed, 0]), hosts, days, views_per_host_day)
    scale = anomaly_scale(hosts) if anomalies else 0
    # Odd category lines stay rare even in tiny runs: at most one host row in twenty.
    odd_lines = min(-(-scale // 2), hosts // 20)
    host_table, unknown_lines = snapshot_rows(
        np.random.default_rng([seed, 1]), model, clock, odd_lines
    )
    with Writer(out / f"hosts.{fmt}", host_table.schema, fmt) as writer:
        writer.write(host_table.columns)
    report("hosts", hosts, hosts)

    ids = IdSpace(model, days)
    tally = write_events(out, fmt, seed, model, clock, ids, scale, report)

    if tally["sessions"] >= ids.unknown_sessions_from:  # never expected: 1.8x the mean count
        raise RuntimeError("session ids overflowed into the range kept for unknown sessions")
    return Summary(
        hosts=host_table.num_rows,
        sessions=tally["sessions"],
        views=tally["views"],
        orders=tally["orders"],
        first_day=clock.first_day,
        last_day=clock.first_day + timedelta(days=days - 1),
        anomalies=Anomalies(
            bad_timestamps=tally["bad"],
            end_before_start=tally["swap"],
            unknown_session_views=tally["unknown"],
            conflicting_duplicate_orders=tally["dup"],
            unknown_category_line=unknown_lines,
            cross_day_sessions=tally["cross"],
        ),
    )
