"""Where day D's metrics come from for ``rules simulate`` and ``rules calibrate``: the
warehouse (opened read-only), a data folder (in memory) or a run's serving snapshot."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from livetier.domain.rulebook import Rulebook
from livetier.pipeline import contract, facts
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.storage import DataPath
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.daily.ingest import definitions_key
from livetier.services.errors import InvalidInput
from livetier.store.warehouse import open_warehouse

Keep = Callable[[ir.Table], ir.Table]


@dataclass(frozen=True)
class FromWarehouse:
    """The daily run's path: the warehouse's facts and profiles (opened read-only)."""

    path: Path
    memory_limit: str | None = None


@dataclass(frozen=True)
class FromData:
    """The evaluate path: a data folder (hosts, sessions, views, orders), in memory."""

    data: DataPath
    memory_limit: str | None = None


@dataclass(frozen=True)
class FromSnapshot:
    """A run's serving snapshot (its hosts table, from the state store): the HTTP service's
    path, which never opens the warehouse. It holds one day: the day of that run."""

    hosts: pa.Table
    day: date


Source = FromWarehouse | FromData | FromSnapshot


@contextmanager
def day_metrics(source: Source, day: date, rulebook: Rulebook) -> Iterator[tuple[ir.Table, Keep]]:
    """Every gradable host's profile and 30-day metrics for ``day`` (computed once, kept),
    and how to keep a further table for as long as these live."""
    if isinstance(source, FromWarehouse):
        with _warehouse_metrics(source, day, rulebook) as got:
            yield got
    elif isinstance(source, FromData):
        with _data_metrics(source, day, rulebook) as got:
            yield got
    else:
        with _snapshot_metrics(source, day) as got:
            yield got


@contextmanager
def _warehouse_metrics(
    source: FromWarehouse, day: date, rulebook: Rulebook
) -> Iterator[tuple[ir.Table, Keep]]:
    d = rulebook.definitions
    with open_warehouse(source.path, read_only=True, memory_limit=source.memory_limit) as wh:
        stored = wh.stored_days(definitions_key(d))
        lacking = [x for x in facts.window_days_of(day, d.window_days) if x not in stored]
        if lacking:
            raise InvalidInput(
                f"{source.path}: the warehouse lacks the facts of {len(lacking)} day(s) of "
                f"{day}'s window ({lacking[0]} .. {lacking[-1]}): run that day first "
                "(livetier run), or simulate from a data folder ($data)"
            )
        hosts, snapshots = wh.profiles()
        names = (f"_sim_{i}" for i in itertools.count())
        metrics = wh.temp_table(
            next(names), facts.metrics_for_day(hosts, snapshots, wh.facts(), day, d.window_days)
        )
        yield metrics, lambda t: wh.temp_table(next(names), t)


@contextmanager
def _data_metrics(
    source: FromData, day: date, rulebook: Rulebook
) -> Iterator[tuple[ir.Table, Keep]]:
    d = rulebook.definitions
    version = rulebook.version_for(day)
    engine = duckdb_engine(memory_limit=source.memory_limit)
    try:
        sources = {name: contract.load(engine, source.data, name) for name in contract.CONTRACT}
        with ExitStack() as stack:

            def keep(t: ir.Table) -> ir.Table:
                return stack.enter_context(t.cache())

            try:
                zone = PlatformZone.around(d.timezone, day)
                cleaned = clean(sources, zone, version.lines, keep=keep)
                window = facts.window_days_of(day, d.window_days)
                daily = keep(
                    facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, window)
                )
                metrics = keep(
                    facts.metrics_for_day(
                        cleaned.hosts, cleaned.snapshots, daily, day, d.window_days
                    )
                )
            except engine.errors as e:  # raised by whichever query first reads the bad part
                files = [
                    f
                    for name in contract.CONTRACT
                    for f in contract.locate(source.data, name).files()
                ]
                raise contract.unreadable(source.data, files, e) from None
            yield metrics, keep
    finally:
        engine.close()


@contextmanager
def _snapshot_metrics(source: FromSnapshot, day: date) -> Iterator[tuple[ir.Table, Keep]]:
    if day != source.day:
        raise InvalidInput(
            f"$date {day}: the service holds the latest run's day only ({source.day}); "
            "simulate other days with the command line (livetier rules simulate)"
        )
    con = ibis.duckdb.connect()
    try:
        names = (f"_sim_{i}" for i in itertools.count())
        metrics = con.create_table(next(names), source.hosts.drop_columns(["tier"]), temp=True)
        yield metrics, lambda t: con.create_table(next(names), t, temp=True)
    finally:
        con.disconnect()
