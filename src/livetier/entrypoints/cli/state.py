"""What the runs recorded: ``status``, ``tiers``, ``history``, ``claim``, ``quality`` and
``fact-changes``."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints import render
from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DbOpt,
    ListFormat,
    ListFormatOpt,
    RulesOpt,
    WarehouseOpt,
    day,
    err,
    out,
    print_records,
    settings,
    user_errors,
    write_jsonl,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.services import state, status
    from livetier.store import schema
    from livetier.store import warehouse as facts_store
else:
    rulebooks = lazy("livetier.rulebooks")
    state = lazy("livetier.services.state")
    status = lazy("livetier.services.status")
    schema = lazy("livetier.store.schema")
    facts_store = lazy("livetier.store.warehouse")

HostArg = Annotated[str, typer.Argument(help="Host id.")]


def tiers_cmd(db: DbOpt = None, fmt: ListFormatOpt = ListFormat.table) -> None:
    """Every host's current tier, from the state store (--warehouse is not needed)."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = state.tiers(store)
    print_records(records, fmt, "Current tiers 当前身份")


def history_cmd(
    host: Annotated[str | None, typer.Argument(help="Only this host.")] = None,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Tier changes, oldest first, from the state store (--warehouse is not needed)."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = state.history(store, host)
    print_records(records, fmt, "Tier changes 身份变更")


def status_cmd(
    host: HostArg,
    rules: RulesOpt = None,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """A host's tier, privileges, how long the tier holds, and its task list (latest day run)."""
    config = settings(db, rules=rules)
    with user_errors(), schema.connected(config.db, migrate=False) as store:
        found = status.host_status(store, host, rulebooks.load(config.rules))
    if fmt is ListFormat.jsonl:
        write_jsonl([status.status_record(found)])
        return
    out.print(render.status_panel(found))
    if found.evaluation is not None:
        out.print(render.task_list(found.evaluation, found.metrics, found.holds_days))
    else:
        out.print(f"no usable profile snapshot on or before {found.day}: not graded that day")


def quality_cmd(
    day_text: Annotated[str, typer.Option("--date", help="The run day whose report to print.")],
    warehouse: WarehouseOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """The data-quality report a run stored: counts per table and reason, or every row."""
    path, wanted = settings(warehouse=warehouse).warehouse, day(day_text)
    with user_errors(), facts_store.open_warehouse(path, read_only=True) as wh:
        rows = wh.quality(wanted)
        if rows is None:  # a day never run is not a clean day: exit 2, as for other bad input
            raise ValueError(f"no data-quality report for {wanted}: no run of that day stored one")
    if fmt is ListFormat.jsonl:
        write_jsonl(rows)
        return
    out.print(render.problems_summary(Counter((str(r["table"]), str(r["reason"])) for r in rows)))


def fact_changes_cmd(
    day_text: Annotated[
        str | None, typer.Option("--date", help="Only the changes logged by this day's run.")
    ] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Stored daily facts that a recomputation (--lookback) changed, as JSON lines."""
    path = settings(warehouse=warehouse).warehouse
    with user_errors(), facts_store.open_warehouse(path, read_only=True) as wh:
        records = wh.fact_changes(day(day_text) if day_text else None)
    if not records:  # on stderr: stdout stays JSON lines (none)
        err.print(f"no fact changes{' for ' + day_text if day_text else ''}", highlight=False)
        return
    write_jsonl(
        {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in r.items()}
        for r in records
    )


def claim_cmd(host: HostArg, db: DbOpt = None) -> None:
    """Claim a host's identity (领取主播身份); it must qualify at least for ordinary."""
    with user_errors(), schema.connected(settings(db).db) as store:
        record = state.claim(store, host)
    out.print(
        f"{record['host_id']} claimed {record['tier']} at {record['claimed_at']} UTC",
        highlight=False,
    )
