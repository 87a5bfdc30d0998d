"""Where the hosts stand before day D: the state store's tiers, grace counters and overrides
in force, as a day run of D starts from them (only read, never written)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from livetier.domain.tiers import Tier
from livetier.services.daily.record import run_tag
from livetier.services.rules_ops.sources import FromWarehouse, Source
from livetier.store import overrides as override_store
from livetier.store.models import GraceDay, HostTier, TierChange
from livetier.store.runs import latest_succeeded_run, previous_run_day
from livetier.store.warehouse import open_warehouse


@dataclass(frozen=True)
class Standing:
    """What a day run of D starts from, read from the state store: the tier each known host
    holds before D, its grace counter as of the previous day run, and the overrides in force
    on D. A host it does not know holds none (a new host)."""

    hosts: pa.Table  # host_id, cur, lower_before, o_kind, o_tier (hosts with any standing)
    overrides: dict[str, override_store.InForce]

    @property
    def empty(self) -> bool:
        return bool(self.hosts.num_rows == 0)


NO_STANDING_NOTE = (
    "grace and overrides are not applied: no current tiers (simulating from a data folder "
    "without a state store compares the grades only)"
)


def standing(
    db: Engine, day: date, *, tiers: bool = True, held: pa.Table | None = None
) -> Standing:
    """The hosts' standing before a run of ``day``: the tiers held after the latest run,
    taken back to before ``day`` through the changes recorded on ``day`` or later (each
    host's earliest one says what it held before), the grace counters of the day run before
    ``day`` and the overrides in force on ``day`` (as services/daily/record.py reads them).
    ``tiers=False``: the overrides only (without grace the tier held before does not matter,
    and reading every host's costs seconds at a million). ``held``: the tiers after the
    latest run (host_id, tier) when the caller has them already, as the warehouse's copy of
    the state current with the store (a scan, not a million rows through the driver)."""
    before: dict[str, str] = {}
    lower: dict[str, int] = {}
    with db.connect() as c:
        if tiers:
            if held is None:
                rows = c.execute(select(HostTier.host_id, HostTier.tier)).all()
                ids, names = (list(x) for x in zip(*rows, strict=True)) if rows else ([], [])
                held = pa.table(
                    {"host_id": pa.array(ids, pa.string()), "tier": pa.array(names, pa.string())}
                )
                del rows, ids, names
            later = (
                select(TierChange.host_id, TierChange.from_tier)
                .where(TierChange.day >= day)
                .order_by(TierChange.day.desc(), TierChange.id.desc())
            )
            for h, from_tier in c.execute(later):  # the earliest change is assigned last
                before[h] = from_tier
            previous = previous_run_day(c, day)
            if previous is not None:
                grace = select(GraceDay.host_id, GraceDay.lower_days).where(
                    GraceDay.day == previous
                )
                lower = {h: n for h, n in c.execute(grace)}
        in_force = {o.host_id: o for o in override_store.in_force(c, day)}
    table = _standing_table(held, before, lower, in_force)
    return Standing(table, in_force)


def _standing_table(
    held: pa.Table | None,
    before: dict[str, str],
    lower: dict[str, int],
    in_force: dict[str, override_store.InForce],
) -> pa.Table:
    """Every host with any standing (a held tier, a grace counter or an override), in
    columns: the few hosts of ``before``, ``lower`` and ``in_force`` are looked up by index
    (vectorised), the million of ``held`` never pass through Python one by one."""
    if held is None:
        held = pa.table({"host_id": pa.array([], pa.string()), "tier": pa.array([], pa.string())})
    ids = held.column("host_id").combine_chunks()
    extra = sorted(
        (before.keys() | lower.keys() | in_force.keys())
        - set(_present(ids, before, lower, in_force))
    )
    ids = pa.concat_arrays([ids, pa.array(extra, pa.string())])
    cur = pa.concat_arrays(
        [held.column("tier").combine_chunks(), pa.nulls(len(extra), pa.string())]
    )

    def by_host(values: dict[str, Any], kind: pa.DataType) -> pa.Array:
        keys = list(values)
        at = pc.index_in(ids, value_set=pa.array(keys, pa.string()))
        return pc.take(pa.array([values[k] for k in keys], kind), at)

    cur = pc.coalesce(by_host(before, pa.string()), cur, pa.scalar(Tier.NONE.value))
    return pa.table(
        {
            "host_id": ids,
            "cur": cur,
            "lower_before": pc.coalesce(by_host(lower, pa.int64()), pa.scalar(0, pa.int64())),
            "o_kind": by_host({h: x.kind for h, x in in_force.items()}, pa.string()),
            "o_tier": by_host({h: x.tier for h, x in in_force.items()}, pa.string()),
        }
    )


def _present(ids: pa.Array, *few: dict[str, Any]) -> list[str]:
    """Which hosts of the small dicts ``few`` are already among ``ids``."""
    keys = sorted(set().union(*few))
    if not keys:
        return []
    found = pc.is_in(pa.array(keys, pa.string()), value_set=ids)
    return [k for k, f in zip(keys, found.to_pylist(), strict=True) if f]


def warehouse_tiers(source: Source, db: Engine) -> pa.Table | None:
    """The tiers after the store's latest succeeded run, from the warehouse's copy of the
    state when ``source`` is the warehouse and that copy is current with ``db``."""
    if not isinstance(source, FromWarehouse) or not source.path.exists():
        return None
    with Session(db) as s:
        latest = latest_succeeded_run(s)
    if latest is None:
        return None
    with open_warehouse(source.path, read_only=True, memory_limit=source.memory_limit) as wh:
        if wh.state_of() != run_tag(latest.id, latest.started_at):
            return None
        return wh.state_tiers()
