"""``livetier live follow --engine spark``: the Spark Structured Streaming driver
(services/live/spark_stream.py); ``live follow`` hands over to it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import EngineName, engine, err, fail, settings, user_errors

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.services import live
    from livetier.services.live import spark_stream
    from livetier.store import schema
else:
    rulebooks = lazy("livetier.rulebooks")
    live = lazy("livetier.services.live")
    spark_stream = lazy("livetier.services.live.spark_stream")
    schema = lazy("livetier.store.schema")

TriggerOpt = Annotated[
    float,
    typer.Option(
        "--trigger-seconds", min=0.1, help="With --engine spark: seconds between micro-batches."
    ),
]
CheckpointOpt = Annotated[
    str | None,
    typer.Option(
        "--checkpoint",
        metavar="<path|url>",
        help="With --engine spark: Spark's checkpoint folder (default: beside the state, "
        "<state file>.spark-checkpoint).",
    ),
]
SourceOptionOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source-option",
        help="With --engine spark: a Spark source option KEY=VALUE (repeatable), e.g. "
        "kafka.security.protocol=SSL for --source kafka://BROKER/TOPIC.",
    ),
]


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    found = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{flag} {item!r}: expected KEY=VALUE")
        found[key.strip()] = value.strip()
    return found


def follow_spark(
    source: str,
    *,
    once: bool,
    trigger_seconds: float,
    checkpoint: str | None,
    source_options: list[str] | None,
    spark_master: str,
    spark_conf: list[str] | None,
    db: str | None,
    rules: Path | None,
    batch: int,
) -> None:
    """Run the stream until interrupted (or, with ``once``, over what is there)."""
    options = _pairs(source_options, "--source-option")
    config = settings(db, rules=rules)
    with user_errors():
        book = rulebooks.load(config.rules)
        where = spark_stream.StreamSource.parse(source, options)
        compute = engine(EngineName.spark, spark_master, spark_conf)
        assert compute is not None
        with schema.connected(config.db) as store:
            stream = spark_stream.SparkStream(
                store,
                book,
                where,
                checkpoint or spark_stream.default_checkpoint(config.db),
                compute,
                trigger_seconds=trigger_seconds,
                once=once,
                batch_size=batch,
            )
            try:
                report = stream.run()
            except live.ProcessorBusy as e:
                fail(str(e))
            except KeyboardInterrupt:
                stream.stop()
                raise typer.Exit(0) from None
            finally:
                compute.close()
    for where_, reason in report.rejected:
        err.print(f"{where_}: {reason}", highlight=False, soft_wrap=True)
    err.print(
        f"{report.batches} Spark batch(es) ({report.replayed} replayed, skipped): "
        f"{report.accepted} event(s) accepted, {report.duplicates} duplicate(s), "
        f"{len(report.rejected)} rejected; {report.processed} processed",
        highlight=False,
    )
