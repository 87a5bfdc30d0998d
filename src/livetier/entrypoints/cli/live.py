"""``livetier live``: the live processor over event files (``follow``) or a replayed data
folder (``replay``), and what it computed (``sessions``, ``facts``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli import live_spark
from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DataOpt,
    DbOpt,
    EngineName,
    EngineOpt,
    ListFormat,
    ListFormatOpt,
    RulesOpt,
    SparkConfOpt,
    SparkMasterOpt,
    day,
    err,
    fail,
    print_records,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.services import live
    from livetier.services.live import files
    from livetier.store import schema
else:
    rulebooks = lazy("livetier.rulebooks")
    live = lazy("livetier.services.live")
    files = lazy("livetier.services.live.files")
    schema = lazy("livetier.store.schema")

live_app = typer.Typer(
    help="While hosts are live: real-time session metrics, surfacing and today so far.",
    no_args_is_help=True,
)
BatchOpt = Annotated[
    int, typer.Option("--batch", min=1, help="Events per micro-batch of the processor.")
]


@live_app.command("replay")
def replay_cmd(
    data: DataOpt,
    db: DbOpt = None,
    rules: RulesOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    batch: BatchOpt = 2_000_000,
) -> None:
    """Replay a data folder (hosts, sessions, views, orders) as one time-ordered event
    stream through the live processor. Replaying again changes nothing."""
    config = settings(db, rules=rules)
    with user_errors():
        book = rulebooks.load(config.rules)
        with schema.connected(config.db) as store:
            try:
                report = files.replay(
                    store,
                    book,
                    data,
                    engine=engine.value,
                    batch_events=batch,
                )
            except live.ProcessorBusy as e:
                fail(str(e))
    for reason, n in sorted(report.rejected.items()):
        err.print(f"skipped {n} row(s): {reason}", highlight=False)
    err.print(
        f"replayed {report.events} event(s) in {report.batches} batch(es): {report.accepted} "
        f"new, {report.duplicates} already stored; {report.processed} processed in "
        f"{report.seconds:.1f} s",
        highlight=False,
    )


@live_app.command("follow")
def follow_cmd(
    source: Annotated[
        str,
        typer.Option(
            "--source",
            metavar="<dir|url>",
            help="Folder of event files (.ndjson, .jsonl, .parquet); write each under a "
            "hidden name (.x or _x) and rename it when complete. With --engine spark also a "
            "URL Spark reads, or kafka://BROKER[,BROKER]/TOPIC (needs spark-sql-kafka).",
        ),
    ],
    once: Annotated[
        bool, typer.Option("--once", help="Process the files there now, then exit.")
    ] = False,
    poll: Annotated[float, typer.Option("--poll", min=0.05, help="Seconds between looks.")] = 1.0,
    db: DbOpt = None,
    rules: RulesOpt = None,
    engine: EngineOpt = EngineName.duckdb,
    batch: BatchOpt = 50_000,
    trigger_seconds: live_spark.TriggerOpt = 1.0,
    checkpoint: live_spark.CheckpointOpt = None,
    source_option: live_spark.SourceOptionOpt = None,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
) -> None:
    """Process event files as they land in a folder (each file once, its events with it).
    With --engine spark: a Spark Structured Streaming query (file or Kafka source)."""
    if engine is EngineName.spark:
        live_spark.follow_spark(
            source,
            once=once,
            trigger_seconds=trigger_seconds,
            checkpoint=checkpoint,
            source_options=source_option,
            spark_master=spark_master,
            spark_conf=spark_conf,
            db=db,
            rules=rules,
            batch=batch,
        )
        return
    if checkpoint or source_option or spark_conf:
        fail("--checkpoint, --source-option and --spark-conf need --engine spark")
    config = settings(db, rules=rules)
    with user_errors():
        book = rulebooks.load(config.rules)
        with schema.connected(config.db) as store:
            processor = live.Processor(store, book, engine=engine.value, batch_size=batch)
            try:
                report = files.follow(
                    store, book, Path(source), processor, once=once, poll_seconds=poll
                )
            except live.ProcessorBusy as e:
                fail(str(e))
            except KeyboardInterrupt:
                raise typer.Exit(0) from None
            finally:
                processor.release()
                processor.close()
    for name, index, reason in report.rejected:
        err.print(f"{name}: event {index}: {reason}", highlight=False, soft_wrap=True)
    err.print(
        f"{report.files} file(s): {report.accepted} event(s) accepted, {report.duplicates} "
        f"duplicate(s), {len(report.rejected)} rejected; {report.processed} processed",
        highlight=False,
    )


@live_app.command("sessions")
def sessions_cmd(
    live_only: Annotated[
        bool, typer.Option("--live-only", help="Only sessions not ended.")
    ] = False,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Live sessions as the processor last computed them (times in UTC)."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = [live.session_record(v) for v in live.sessions(store, live_only=live_only)]
    print_records(records, fmt, "Live sessions 直播场次")


@live_app.command("facts")
def facts_cmd(
    on: Annotated[str, typer.Option("--day", help="Platform day (YYYY-MM-DD).")],
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Today so far (provisional) per host: valid sessions and live buyers of a day."""
    wanted = day(on)
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = live.facts(store, wanted)
    print_records(records, fmt, f"Today so far 今日实时 {wanted} (provisional)")
