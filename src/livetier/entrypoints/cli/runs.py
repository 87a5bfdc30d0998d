"""``run``, ``backfill`` and ``partition``: daily runs into the warehouse and the state store."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from livetier.domain.changes import AT_RISK_DAYS
from livetier.entrypoints import render
from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DataOpt,
    DataUrlOpt,
    DateOpt,
    DbOpt,
    EngineName,
    EngineOpt,
    MemoryOpt,
    RulesOpt,
    SparkConfOpt,
    SparkMasterOpt,
    WarehouseOpt,
    day,
    engine,
    err,
    memory,
    out,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.pipeline import storage
    from livetier.pipeline.engine import Engine as Compute
    from livetier.services import daily
    from livetier.store import schema
    from livetier.tools import partition
else:
    rulebooks = lazy("livetier.rulebooks")
    storage = lazy("livetier.pipeline.storage")
    daily = lazy("livetier.services.daily")
    schema = lazy("livetier.store.schema")
    partition = lazy("livetier.tools.partition")

LookbackOpt = Annotated[
    int,
    typer.Option(
        "--lookback", help="Recompute the facts of the last N days from raw data (late fixes)."
    ),
]
AtRiskOpt = Annotated[
    int,
    typer.Option(
        "--at-risk-days", help="Send an at-risk event when the tier holds this many days or fewer."
    ),
]


def run_cmd(
    data: DataUrlOpt,
    day_text: DateOpt,
    rules: RulesOpt = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    lookback: LookbackOpt = 1,
    at_risk_days: AtRiskOpt = AT_RISK_DAYS,
    engine_name: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
) -> None:
    """Add day D-1's facts to the warehouse, grade day D, and record tier changes against the
    previous day run in the state store."""
    config = settings(db, warehouse, rules)
    with user_errors(), schema.connected(config.db) as store:
        compute = engine(engine_name, spark_master, spark_conf)
        outcome = daily.run_day(
            _data(data, compute),
            day(day_text),
            rulebooks.load(config.rules),
            store,
            config.warehouse,
            _run_settings(lookback, at_risk_days, memory_limit),
            engine=compute,
        )
    if outcome.status == "unchanged":
        out.print(f"{outcome.day}: already run with the same input; nothing changed")
        return
    _print_outcome(outcome)


def backfill_cmd(
    data: DataUrlOpt,
    first: Annotated[str, typer.Option("--from", help="First day to run (YYYY-MM-DD).")],
    last: Annotated[str, typer.Option("--to", help="Last day to run (YYYY-MM-DD).")],
    rules: RulesOpt = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    lookback: LookbackOpt = 1,
    at_risk_days: AtRiskOpt = AT_RISK_DAYS,
    engine_name: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
    restate: Annotated[
        bool,
        typer.Option(
            "--restate",
            help="Corrected data: grade again from --from on, replace that history and send "
            "correction events.",
        ),
    ] = False,
) -> None:
    """Run every day from --from to --to in order, as daily runs would (days already run with
    the same input are left as they are)."""
    config = settings(db, warehouse, rules)
    compute = engine(engine_name, spark_master, spark_conf)
    with user_errors(), schema.connected(config.db) as store, render.progress(err) as advance:
        run = daily.restate if restate else daily.backfill
        done = run(
            _data(data, compute),
            day(first),
            day(last),
            rulebooks.load(config.rules),
            store,
            config.warehouse,
            _run_settings(lookback, at_risk_days, memory_limit),
            advance,
            compute,
        )
    if isinstance(done, daily.Restatement):
        changes = sum(o.changes for o in done.outcomes)
        out.print(
            f"{len(done.outcomes)} day(s) restated from {first}: {changes} tier change(s), "
            f"{done.corrections} correction event(s)",
            highlight=False,
        )
        return
    ran = [o for o in done if o.status != "unchanged"]
    if not ran:
        out.print(f"{first} .. {last}: already run with the same input; nothing changed")
        return
    changes = sum(o.changes for o in ran)
    skipped = (
        f"; {len(done) - len(ran)} day(s) already run with the same input"
        if len(ran) < len(done)
        else ""
    )
    out.print(f"{len(ran)} day(s) run: {changes} tier change(s){skipped}", highlight=False)


def partition_cmd(
    data: DataOpt,
    out_dir: Annotated[Path, typer.Option("--out", help="New folder for the partitioned copy.")],
    rules: RulesOpt = None,
) -> None:
    """Copy a flat data folder as day partitions (views/day=YYYY-MM-DD/...), by platform day."""
    with user_errors():
        book = rulebooks.load(settings(rules=rules).rules)
        done = partition.partition(data, out_dir, book.definitions.timezone, date.today())
    for name, rows in done.rows.items():
        out.print(f"{name}: {rows} row(s) in {done.days[name]} day partition(s)", highlight=False)


def _data(text: str, compute: Compute | None) -> Path:
    """--data as the run's engine reaches it; without one (the warehouse's DuckDB), a path."""
    where = compute.location(text) if compute else storage.location(text, None)
    # services/daily.py still annotates its data folder as a Path; it uses only what
    # storage.DataPath offers (locate, files, stat), so a URL on Spark works there too.
    return cast(Path, where)


def _run_settings(lookback: int, at_risk_days: int, memory_limit: str | None) -> daily.Settings:
    return daily.Settings(
        lookback=lookback, at_risk_days=at_risk_days, memory_limit=memory(memory_limit)
    )


def _print_outcome(outcome: daily.RunOutcome) -> None:
    days = outcome.computed_days
    computed = f"{days[0]}" if len(days) == 1 else f"{len(days)} days, {days[0]} .. {days[-1]}"
    out.print(
        f"{outcome.day}: run {outcome.run_id} graded {outcome.graded} hosts: "
        f"{outcome.changes} tier change(s), {outcome.replaced} replaced, "
        f"{outcome.events} event(s) ({outcome.at_risk} at risk)\n"
        f"  facts computed for {computed}; {outcome.facts_changed} stored fact(s) changed; "
        f"{outcome.problems} data-quality entries",
        highlight=False,
    )
