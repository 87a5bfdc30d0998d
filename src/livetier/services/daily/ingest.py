"""A run's first step: compute the facts of the days it needs from raw data and store them,
with the profiles and the day's data-quality report, in the warehouse."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import ibis
import ibis.expr.types as ir

from livetier.domain.rulebook import Definitions, Rulebook
from livetier.pipeline import contract, facts
from livetier.pipeline.clean import CheckedHosts, Cleaned, clean_events, clean_hosts
from livetier.pipeline.engine import Engine as Compute
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.daily.failpoint import checkpoint
from livetier.store.runs import now
from livetier.store.warehouse import Warehouse, storage_failure

_KEEP_AT_MOST_DAYS = 7
"""Checked events are materialised (one pass for facts and report) only for runs computing
this many days or fewer: a daily run's day costs about 1 GiB at 12M views, a 60-day backfill
pass would hold about 7 GiB (measured), where computing twice costs only time."""


_HOST_CHECKS = "checks=1"
"""Names the host checks (pipeline/clean.clean_hosts) in what the warehouse keeps of them: a
release that checks the hosts file differently changes it, and the file is checked again."""


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

    The hosts file is checked only when it is not the one the warehouse last checked
    (``Warehouse.checked_hosts``): its profiles, listed ids and report entries are then
    reused. On another engine than the warehouse's (Spark), the results cross to the
    warehouse as Arrow tables: a day's facts, the profiles and the report, never the raw
    events."""
    d = rulebook.definitions
    lines = list(lines)
    _check_partitions(layout, compute)
    checkpoint("partitions-checked")
    engine = compute_engine or wh.engine
    source = f"{files_key(layout['hosts'])}|lines={','.join(lines)}|{_HOST_CHECKS}"
    try:
        stored = wh.checked_hosts(source)  # the hosts file as the last run checked it
        sources = {  # profiles are read whole: the latest snapshot may be of any day
            name: contract.load(engine, data, name, None if name == "hosts" else compute)
            for name in contract.CONTRACT
            if name != "hosts" or stored is None
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

        hosts = stored or clean_hosts(sources["hosts"].table, lines, keep)
        known = hosts.known if stored is None or engine is wh.engine else _moved(hosts.known)
        events = clean_events(sources, zone, known, lookup, keep)
        checkpoint("events-cleaned")
        cleaned = Cleaned(
            hosts.clean,
            hosts.snapshots.distinct(),
            events.sessions,
            events.views,
            events.orders,
            events.problems,
        )
        daily = facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, compute)
        profile = facts.profile_as_of(cleaned.hosts, cleaned.snapshots, day)
        host_problems = ibis.union(hosts.problems, facts.not_graded(hosts.known, profile, day))
        event_problems = events.problems
        if engine is not wh.engine:  # to the warehouse: a day's facts and the report
            daily, event_problems = _moved(daily), _moved(event_problems)
            if stored is None:
                h = hosts
                hosts = CheckedHosts(
                    *(_moved(t) for t in (h.clean, h.snapshots, h.known, h.problems))
                )
                cleaned = replace(cleaned, hosts=hosts.clean, snapshots=hosts.snapshots.distinct())
                host_problems = _moved(host_problems)
        with wh.transaction():
            checkpoint("facts-transaction-begun")
            changed = wh.replace_days(compute, daily, definitions_key(d), day, now())
            checkpoint("facts-written")  # inside the warehouse transaction: rolled back
            if stored is None:
                wh.sync_profiles(cleaned.hosts, cleaned.snapshots, source)
                wh.save_host_checks(hosts, source)
            checkpoint("profiles-synced")
            count = wh.save_quality(day, ibis.union(event_problems, host_problems))
            checkpoint("quality-saved")
        checkpoint("facts-committed")
    except (*engine.errors, *wh.engine.errors) as e:  # raised lazily, by the first reader
        # A full disk fails the warehouse's writes: that is not the input's fault.
        files = [f for located in layout.values() for f in located.files(compute)]
        raise storage_failure(wh.path, e) or contract.unreadable(data, files, e) from None
    return Ingested(changed, count)


def _moved(t: ir.Table) -> ir.Table:
    """A table of another engine (Spark) as rows of the warehouse's."""
    return ibis.memtable(t.to_pyarrow())


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
