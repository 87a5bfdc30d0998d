"""Live events through Spark Structured Streaming (docs/design.md, "The live stream").

The embedded processor's work, as a Spark streaming query's ``foreachBatch``:

- the **source** is a folder where NDJSON and Parquet event files land (Spark's ``binaryFile``
  file source: Spark finds the new files and remembers them in its checkpoint), or a Kafka
  topic by configuration (``kafka://broker[,broker]/topic``: Spark's ``kafka`` format; needs
  the spark-sql-kafka package, which livetier does not ship or test);
- each **micro-batch** (``foreachBatch(df, batch_id)``): its events are checked exactly as
  ``accept_events`` checks them (``ingest.check``) and the good ones stored in the
  ``live_events`` inbox (once per event_id); then a ``Processor`` whose pipeline engine is
  this Spark session drains the inbox: the affected sessions and host-days are recomputed with
  the same Ibis expressions as the embedded engine (pipeline/live: the batch's clean +
  daily_facts, the session metrics) and written with the outbox events;
- **exactly once**: the Spark batch id is recorded in the state store in the same transaction
  as the batch's results (a ``live_processor`` row per streaming query, named by the query's
  id, holding the last committed batch id). Spark replays a batch whose commit it did not
  record (a crash between our commit and its own); the replay finds its id recorded and does
  nothing. Without the mark the replay would still change nothing (the inbox keeps each
  event_id once and the results are recomputed from stored events); the mark makes it cheap
  and explicit.

Bad events (unreadable JSON, a field missing or mistyped) are not stored: each is reported
with its file and line (or Kafka topic, partition and offset) in the ``StreamReport`` and,
when the checkpoint is a local folder, in ``<checkpoint>/rejected/batch-<id>.jsonl``.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from livetier.domain.rulebook import Rulebook
from livetier.pipeline.engine import Engine as PipelineEngine
from livetier.services.errors import InvalidInput
from livetier.services.live.ingest import check, store_rows
from livetier.services.live.processor import Processor
from livetier.store.models import LiveProcessor
from livetier.store.schema import IMMEDIATE

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.streaming.query import StreamingQuery

EVENT_FILES = "*.{ndjson,jsonl,json,parquet}"
"""The files the folder source reads (Spark skips names starting with ``_`` or ``.``: write
an event file under such a name and rename it when complete)."""
MARK_PREFIX = "spark:"
MAX_FILES_PER_TRIGGER = 1000


@dataclass(frozen=True)
class StreamSource:
    """Where the events come from: a folder (``path``) or Kafka (``format`` "kafka")."""

    format: str  # "binaryFile" (a folder of event files) or "kafka"
    path: str | None
    options: dict[str, str]

    @classmethod
    def parse(cls, source: str, options: Mapping[str, str] | None = None) -> StreamSource:
        """``DIR`` (or a URL Spark reads: file://, hdfs://, s3a://) or
        ``kafka://BROKER[,BROKER...]/TOPIC``; ``options`` are the source's Spark options
        (for Kafka e.g. ``kafka.security.protocol``, ``startingOffsets``)."""
        extra = dict(options or {})
        if source.startswith("kafka://"):
            parts = urlsplit(source)
            topic = parts.path.strip("/")
            if not parts.netloc or not topic or "/" in topic:
                raise InvalidInput(f"$source {source!r}: expected kafka://BROKER[,BROKER]/TOPIC")
            return cls(
                "kafka",
                None,
                {
                    "kafka.bootstrap.servers": parts.netloc,
                    "subscribe": topic,
                    "startingOffsets": "earliest",
                    "failOnDataLoss": "true",
                    **extra,
                },
            )
        if "://" not in source:
            folder = Path(source)
            if not folder.is_dir():
                raise InvalidInput(f"$source {source}: no such folder")
            source = str(folder.resolve())
        return cls(
            "binaryFile",
            source,
            {
                "pathGlobFilter": EVENT_FILES,
                "maxFilesPerTrigger": str(MAX_FILES_PER_TRIGGER),
                **extra,
            },
        )


def default_checkpoint(db_url: str) -> Path:
    """Beside the state: ``<state file>.spark-checkpoint`` for a SQLite file, else
    ``./livetier.spark-checkpoint``."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        state = Path(str(url.database))
        return state.with_name(state.name + ".spark-checkpoint")
    return Path("livetier.spark-checkpoint")


@dataclass
class StreamReport:
    """What a stream did: micro-batches run and replays skipped, events stored, duplicates
    acknowledged, events processed, and each rejected event as (where, reason)."""

    batches: int = 0
    replayed: int = 0
    accepted: int = 0
    duplicates: int = 0
    processed: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)


def events_of_file(name: str, content: bytes) -> list[tuple[str, Any]]:
    """The raw events of one file, each with where it is (``name:line`` or ``name row N``).

    NDJSON: one JSON object a line (blank lines skipped); a line that is not JSON is kept as
    its reason, so ``check`` reports it. Parquet: one event a row; a null column is a field
    the event does not have (a file may hold every kind of event).
    """
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        rows = pq.read_table(io.BytesIO(content)).to_pylist()
        return [
            (f"{name} row {i + 1}", {k: v for k, v in row.items() if v is not None})
            for i, row in enumerate(rows)
        ]
    found: list[tuple[str, Any]] = []
    for i, line in enumerate(content.decode("utf-8", errors="replace").splitlines()):
        if line.strip():
            found.append((f"{name}:{i + 1}", _json(line)))
    return found


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as e:
        return _Unreadable(f"not JSON: {e}")


@dataclass(frozen=True)
class _Unreadable:
    reason: str


class SparkStream:
    """One Structured Streaming query over ``source`` into the state store ``db``.

    ``run()`` starts it and returns when it stops: with ``once`` after processing what is
    there (trigger availableNow), else on ``stop()`` (or when it fails: the error is raised).
    ``spark`` is the pipeline's Spark engine (pipeline/engine.spark_engine); the stream runs on
    its session and its processor computes with it. ``on_batch(batch_id, report)`` is called
    after each micro-batch.
    """

    def __init__(
        self,
        db: Engine,
        rulebook: Rulebook,
        source: StreamSource,
        checkpoint: str | Path,
        spark: PipelineEngine,
        *,
        trigger_seconds: float = 1.0,
        once: bool = False,
        lines: Mapping[str, str] | None = None,
        batch_size: int = 200_000,
        on_batch: Callable[[int, StreamReport], None] | None = None,
    ) -> None:
        if spark.name != "pyspark":
            raise InvalidInput("the Spark stream needs the Spark engine ($engine spark)")
        if trigger_seconds <= 0:
            raise InvalidInput(f"$trigger_seconds must be above 0, not {trigger_seconds}")
        self.db = db
        self.source = source
        self.checkpoint = str(checkpoint)
        self.trigger_seconds = trigger_seconds
        self.once = once
        self.on_batch = on_batch
        self.zone = ZoneInfo(rulebook.definitions.timezone)
        self.processor = Processor(
            db,
            rulebook,
            engine="spark",
            batch_size=batch_size,
            lines=lines,
            pipeline=spark,
        )
        self.report = StreamReport()
        self._query: StreamingQuery | None = None
        self._query_id = ""
        self._started = threading.Event()
        self._stopping = threading.Event()
        self._busy = threading.Lock()  # held by a micro-batch; the lease is renewed between
        self._error: BaseException | None = None

    # running ----------------------------------------------------------------------------

    def _session(self) -> SparkSession:
        from pyspark.sql import SparkSession

        return SparkSession.builder.getOrCreate()

    def _reader(self, spark: SparkSession) -> DataFrame:
        reader = spark.readStream.format(self.source.format).options(**self.source.options)
        if self.source.format == "kafka":
            return reader.load().selectExpr(
                "topic", "partition", "offset", "CAST(value AS BINARY) AS content"
            )
        # A streaming file source takes its schema given: binaryFile's own.
        schema = "path STRING, modificationTime TIMESTAMP, length BIGINT, content BINARY"
        return reader.schema(schema).load(self.source.path).select("path", "content")

    def run(self) -> StreamReport:
        """Process events until stopped (or, with ``once``, until what is there is done)."""
        self.processor.acquire()  # refuse at once when another processor holds the lease
        # Events a crashed stream stored but had not processed yet (its batch may be one Spark
        # does not replay: the id was recorded with the first of several processor batches).
        self.report.processed += self.processor.process()
        from pyspark.errors import StreamingQueryException

        spark = self._session()
        writer = (
            self._reader(spark)
            .writeStream.foreachBatch(self._foreach)
            .option("checkpointLocation", self.checkpoint)
            .queryName(f"livetier-live-{int(time.time() * 1000)}")
        )
        if self.once:
            writer = writer.trigger(availableNow=True)
        else:
            writer = writer.trigger(processingTime=f"{self.trigger_seconds} seconds")
        query = writer.start()
        self._query = query
        self._query_id = str(query.id)
        self._started.set()
        try:
            while not self._stopping.is_set():
                try:
                    if query.awaitTermination(5 if not self.once else 1):
                        break
                except StreamingQueryException:
                    break  # said below: the batch's own error if it was ours
                if self._busy.acquire(blocking=False):
                    try:
                        self.processor.acquire()  # keep the lease while idle
                    finally:
                        self._busy.release()
        finally:
            if query.isActive:
                query.stop()
            self._query = None
            try:
                self.processor.release()
            except Exception:
                if self._error is None:
                    raise  # else the batch's error is the one to report
        if self._error is not None:
            raise self._error
        error = query.exception()
        if error is not None:
            raise RuntimeError(f"the Spark stream failed: {error}")
        return self.report

    def stop(self) -> None:
        """Stop after the current micro-batch (from another thread)."""
        self._stopping.set()
        query = self._query
        if query is not None:
            query.stop()

    # one micro-batch --------------------------------------------------------------------

    def _mark_name(self) -> str:
        return (MARK_PREFIX + self._query_id.replace("-", ""))[:32]

    def _last_batch(self) -> int:
        with Session(self.db) as s:
            row = s.get(LiveProcessor, self._mark_name())
            return -1 if row is None else row.processed

    def _record(self, s: Session, batch_id: int) -> None:
        """Record ``batch_id`` as done, in the caller's transaction."""
        now = datetime.now(UTC).replace(tzinfo=None)
        name = self._mark_name()
        done = s.execute(
            update(LiveProcessor)
            .where(LiveProcessor.name == name)
            .values(processed=batch_id, updated_at=now)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            s.add(LiveProcessor(name=name, processed=batch_id, updated_at=now))

    def _foreach(self, df: DataFrame, batch_id: int) -> None:
        self._started.wait()
        with self._busy:
            try:
                self._batch(df, batch_id)
            except BaseException as e:
                # Kept whole for run() to raise; Spark gets a short message (it fails the
                # query, and the next start replays this batch).
                self._error = e
                first = (str(e).strip().splitlines() or [""])[0][:300]
                raise RuntimeError(
                    f"livetier batch {batch_id} failed: {type(e).__name__}: {first}"
                ) from None

    def _batch(self, df: DataFrame, batch_id: int) -> None:
        if batch_id <= self._last_batch():
            self.report.replayed += 1  # committed before a crash: Spark replays, we skip
            return
        raw = self._events(df)
        rows: dict[str, dict[str, Any]] = {}
        rejected: list[tuple[str, str]] = []
        repeated = 0
        for where, event in raw:
            row = event.reason if isinstance(event, _Unreadable) else check(event, self.zone)
            if isinstance(row, str):
                rejected.append((where, row))
            elif row["event_id"] in rows:
                repeated += 1
            else:
                rows[row["event_id"]] = row
        stored = store_rows(self.db, list(rows.values())) if rows else 0
        self._write_rejected(batch_id, rejected)
        self.processor.in_transaction = lambda s: self._record(s, batch_id)
        try:
            processed = self.processor.process()
        finally:
            self.processor.in_transaction = None
        if processed == 0:  # nothing to compute: the mark alone
            with Session(self.db.execution_options(**IMMEDIATE)) as s, s.begin():
                self._record(s, batch_id)
        self.report.batches += 1
        self.report.accepted += stored
        self.report.duplicates += repeated + len(rows) - stored
        self.report.processed += processed
        self.report.rejected += rejected
        if self.on_batch is not None:
            self.on_batch(batch_id, self.report)

    def _events(self, df: DataFrame) -> list[tuple[str, Any]]:
        found: list[tuple[str, Any]] = []
        if self.source.format == "kafka":
            for r in df.collect():
                where = f"{r['topic']}/{r['partition']}@{r['offset']}"
                for i, (_, event) in enumerate(events_of_file("", bytes(r["content"]))):
                    found.append((where if i == 0 else f"{where} line {i + 1}", event))
            return found
        for r in sorted(df.collect(), key=lambda r: str(r["path"])):
            found += events_of_file(_name(str(r["path"])), bytes(r["content"]))
        return found

    def _write_rejected(self, batch_id: int, rejected: list[tuple[str, str]]) -> None:
        if not rejected or "://" in self.checkpoint:
            return
        folder = Path(self.checkpoint) / "rejected"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps({"where": w, "reason": r}, ensure_ascii=False) for w, r in rejected]
        (folder / f"batch-{batch_id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _name(path: str) -> str:
    """A file's path as Spark gives it (file:/..., hdfs://...), as a user would write it."""
    return path.removeprefix("file:") if path.startswith("file:/") else path
