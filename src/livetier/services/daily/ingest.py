"""A run's first step: compute the facts of the days it needs from raw data and store them,
with the profiles and the day's data-quality report, in the warehouse."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir

from livetier.domain.rulebook import Definitions, Rulebook
from livetier.pipeline import contract, facts
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import Engine as Compute
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.daily.failpoint import checkpoint
from livetier.store.runs import now
from livetier.store.warehouse import Warehouse, storage_failure

_KEEP_AT_MOST_DAYS = 7
"""Checked events are materialised (one pass for facts and report) only for runs computing
this many days or fewer: a daily run's day costs about 1 GiB at 12M views, a 60-day backfill
pass would hold about 7 GiB (measured), where computing twice costs only time."""


@dataclass(frozen=True)
class Ingested:
    """What storing the new facts did."""

    facts_changed: int
    problems: int


def definitions_key(d: Definitions) -> str:
    """What stored facts depend on: recomputed when any of it changes."""
    return f"{d.timezone}|{d.valid_session_longer_than_minutes}"


def files_key(located: contract.Located, days: Iterable[date] | None = None) -> str:
    """Names, sizes and modification times of a table's files (of ``days``' partitions):
    unchanged files, same key."""
    return "|".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in located.files(days))


def ingest(
    wh: Warehouse,
    data: Path,
    layout: dict[str, contract.Located],
    compute: list[date],
    day: date,
    rulebook: Rulebook,
    lines: Iterable[str],
    compute_engine: Compute | None = None,
) -> Ingested:
    """Compute the facts of ``compute`` from raw data and store them, with the profiles and
    the day's data-quality report, in one warehouse transaction.

    On another engine than the warehouse's (Spark), the results cross to the warehouse as
    Arrow tables: a day's facts, the profiles and the report, never the raw events."""
    d = rulebook.definitions
    lines = list(lines)
    _check_partitions(layout, compute)
    checkpoint("partitions-checked")
    engine = compute_engine or wh.engine
    try:
        sources = {  # profiles are read whole: the latest snapshot may be of any day
            name: contract.load(engine, data, name, None if name == "hosts" else compute)
            for name in contract.CONTRACT
        }
        checkpoint("sources-loaded")
        # A view just after midnight may belong to a session of the evening before.
        lookup_days = sorted({x - timedelta(days=1) for x in compute} - set(compute))
        sessions = layout["sessions"]
        lookup = (
            contract.load(engine, data, "sessions", lookup_days)
            if sessions.partitions is not None and set(lookup_days) & sessions.partitions.keys()
            else None
        )
        zone = PlatformZone.around(d.timezone, day)
        stages = itertools.count()

        def keep(t: ir.Table) -> ir.Table:  # checked once; facts and report both read it
            if len(compute) > _KEEP_AT_MOST_DAYS:
                return t  # a backfill or first run: recomputing beats holding 60M rows
            return engine.con.create_table(f"_checked_{next(stages)}", t, temp=True, overwrite=True)

        cleaned = clean(sources, zone, lines, lookup, keep)
        checkpoint("events-cleaned")
        daily = facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, compute)
        profile = facts.profile_as_of(cleaned.hosts, cleaned.snapshots, day)
        problems = ibis.union(
            cleaned.problems, facts.not_graded(sources["hosts"].table, profile, day)
        )
        hosts, snapshots = cleaned.hosts, cleaned.snapshots
        if engine is not wh.engine:
            daily, hosts, snapshots, problems = (
                ibis.memtable(t.to_pyarrow()) for t in (daily, hosts, snapshots, problems)
            )
        with wh.transaction():
            checkpoint("facts-transaction-begun")
            changed = wh.replace_days(compute, daily, definitions_key(d), day, now())
            checkpoint("facts-written")  # inside the warehouse transaction: rolled back
            source = f"{files_key(layout['hosts'])}|lines={','.join(lines)}"
            wh.sync_profiles(hosts, snapshots, source)
            checkpoint("profiles-synced")
            count = wh.save_quality(day, problems)
            checkpoint("quality-saved")
        checkpoint("facts-committed")
    except (*engine.errors, *wh.engine.errors) as e:  # raised lazily, by the first reader
        # A full disk fails the warehouse's writes: that is not the input's fault.
        files = [f for located in layout.values() for f in located.files(compute)]
        raise storage_failure(wh.path, e) or contract.unreadable(data, files, e) from None
    return Ingested(changed, count)


def _check_partitions(layout: dict[str, contract.Located], compute: list[date]) -> None:
    """Every day to compute needs its partition, unless the table's data starts later."""
    for located in layout.values():
        if located.partitions is None or located.name == "hosts":
            continue
        start = located.first_day()
        missing = [
            x for x in compute if x not in located.partitions and (start is None or x >= start)
        ]
        if missing:
            raise contract.ContractError(
                f"{located.path}: no partition day={missing[-1]} "
                f"({len(missing)} day(s) missing, first day={missing[0]}); the run needs the "
                "events of every day it computes. An empty folder stands for a day without events."
            )
