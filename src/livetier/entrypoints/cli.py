"""The ``livetier`` command line: each command parses, calls one service, and formats."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, cast

import orjson
import typer
from rich.console import Console
from rich.table import Table

from livetier import rulebooks
from livetier.domain.rulebook import RuleError, diff_versions
from livetier.entrypoints import render
from livetier.pipeline.contract import ContractError
from livetier.pipeline.engine import Engine as Compute
from livetier.pipeline.engine import duckdb_engine, spark_engine
from livetier.pipeline.storage import DataPath, location
from livetier.services import daily, delivery, export, keys, state, status
from livetier.services import demo as demo_service
from livetier.services.evaluate import (
    SHOWN_METRICS,
    Evaluation,
    criterion_text,
    evaluate,
    host_record,
    paused_gc,
)
from livetier.store import schema
from livetier.store.warehouse import WarehouseBusy, open_warehouse, warehouse_path
from livetier.tools.partition import partition

app = typer.Typer(
    help="livetier: grade live-commerce hosts (none, ordinary, expert, honor) from rules as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Check and print rulebook files.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


@contextmanager
def _user_errors() -> Iterator[None]:
    """Bad input ends the command with a clear message and exit code 2, never a traceback."""
    try:
        yield
    except (
        ContractError,
        rulebooks.RulebookFileError,
        RuleError,
        ValueError,
        OSError,
        WarehouseBusy,
        status.UnknownHost,
    ) as e:
        err.print(f"[bold red]error:[/] {e}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(2) from None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)") from None


DataOpt = Annotated[
    Path,
    typer.Option(
        "--data",
        help="Folder with hosts, sessions, views, orders (.csv, .parquet or day partitions).",
    ),
]
DataUrlOpt = Annotated[
    str,
    typer.Option(
        "--data",
        metavar="<path|url>",
        help="Folder with hosts, sessions, views, orders (.csv, .parquet or day partitions): "
        "a local path, or with --engine spark a URL Spark can read (hdfs://, s3a://, file://).",
    ),
]
DateOpt = Annotated[
    str, typer.Option("--date", help="Evaluation day D (YYYY-MM-DD); the window is D-30 .. D-1.")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="Rulebook YAML (default: the shipped 1688 rulebook).")
]


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


EngineOpt = Annotated[
    EngineName,
    typer.Option(
        "--engine", help="Where the metrics run: embedded DuckDB, or Apache Spark (PySpark)."
    ),
]
SparkMasterOpt = Annotated[
    str, typer.Option("--spark-master", help="Spark master URL (with --engine spark).")
]
MemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        help="DuckDB's memory limit, e.g. 2GB: past it DuckDB spills to a temporary folder "
        "(./.tmp, or beside the warehouse) instead of failing. Default: 80% of RAM.",
    ),
]
_MEMORY = re.compile(r"^\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*$", re.IGNORECASE)


def _memory(limit: str | None, engine: EngineName | None = None) -> str | None:
    """A checked --memory-limit (DuckDB's own message for a bad one is a parser error)."""
    if limit is None:
        return None
    if not _MEMORY.match(limit):
        raise typer.BadParameter(f"--memory-limit {limit!r}: expected a size such as 2GB or 512MB")
    if engine is EngineName.spark:
        raise typer.BadParameter(
            "--memory-limit is DuckDB's; on Spark use --spark-conf spark.driver.memory=..."
        )
    return limit.strip()


SparkConfOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--spark-conf",
        help="A Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=8g.",
    ),
]


def _engine(name: EngineName, master: str, conf: list[str] | None) -> Compute | None:
    """The engine for the metrics; None means the default (embedded DuckDB)."""
    if name is EngineName.duckdb:
        if conf:
            raise typer.BadParameter("--spark-conf needs --engine spark")
        return None
    settings = {}
    for item in conf or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"--spark-conf {item!r}: expected KEY=VALUE")
        settings[key.strip()] = value.strip()
    try:
        return spark_engine(master, settings)
    except ImportError:
        raise typer.BadParameter(
            "--engine spark needs PySpark: pip install 'livetier[spark]' (and Java 17)"
        ) from None


def _located(text: str, compute: Compute | None, option: str = "--data") -> DataPath:
    """A --data or --out value as the engine reaches it: a local path, or a URL on Spark."""
    return location(text, compute.open_url if compute else None, option)


def _data_for_runs(text: str, compute: Compute | None) -> Path:
    # services/daily.py still annotates its data folder as a Path; it uses only what
    # storage.DataPath offers (locate, files, stat), so a URL on Spark works there too.
    return cast(Path, _located(text, compute))


@app.command("evaluate")
def evaluate_cmd(
    data: DataUrlOpt,
    day: DateOpt,
    rules: RulesOpt = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write the data-quality report here (.json or .csv)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Hosts listed by --format table.")] = 20,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
    out_path: Annotated[
        str | None,
        typer.Option(
            "--out",
            metavar="<path|url>",
            help="Also write one row per graded host as Parquet (host_id, line, tier, "
            "holds_days, the metrics, next_tier, day, rulebook_version) into this new "
            "folder: part files and _SUCCESS, as Spark writes them. A local path, or with "
            "--engine spark a URL. It must not exist; it appears only once complete.",
        ),
    ] = None,
) -> None:
    """Grade every host in a data folder on one day."""
    with _user_errors():
        _check_report_path(report)
        ram = _memory(memory_limit, engine)
        compute = _engine(engine, spark_master, spark_conf) or duckdb_engine(memory_limit=ram)
        where = _located(data, compute)
        target = _located(out_path, compute, "--out") if out_path else None
        if target is not None:
            export.check_target(target)
        result = evaluate(where, _day(day), rulebooks.load(rules), compute)
        if target is not None:
            rows = export.write_hosts(result, compute, target)
            err.print(f"{rows} host row(s) written to {target} (Parquet)", highlight=False)
    _print_result(result, fmt, limit)
    if report:
        with _user_errors():
            _write_report(result, report)
    _print_summary(result, err if fmt is not Format.table else out)


def _print_result(result: Evaluation, fmt: Format, limit: int) -> None:
    if fmt is Format.jsonl:
        with paused_gc():
            _write_jsonl(
                host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
                for h in result.hosts
            )
    elif fmt is Format.csv:
        fields = ["host_id", "tier", "line", "holds_days", *SHOWN_METRICS, "next_tier", "missing"]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for h in result.hosts:
            rec = host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
            writer.writerow(
                {
                    **{k: rec[k] for k in ("host_id", "tier", "line", "holds_days", "next_tier")},
                    **rec["metrics"],
                    "missing": "; ".join(criterion_text(m) for m in rec["missing"]),
                }
            )
    else:
        out.print(render.hosts_table(result, limit))


def _write_jsonl(records: Iterable[dict[str, Any]]) -> None:
    """One JSON object per line on stdout, as UTF-8 bytes."""
    write = sys.stdout.buffer.write
    for record in records:
        write(orjson.dumps(record) + b"\n")
    sys.stdout.buffer.flush()


def _print_summary(result: Evaluation, console: Console) -> None:
    console.print(render.tier_summary(result.tier_counts()))
    console.print(render.problems_summary(result.problem_counts()))


def _check_report_path(report: Path | None) -> None:
    """Refuse an unusable report path before the work, not after it."""
    if report is None:
        return
    if report.suffix not in (".json", ".csv"):
        raise ValueError(f"--report {report}: use a .json or .csv file name")
    if not report.parent.is_dir():
        raise ValueError(f"--report {report}: folder {report.parent} does not exist")


def _write_report(result: Evaluation, path: Path) -> None:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(
                f,
                fieldnames=list(result.problems[0])
                if result.problems
                else ["table", "row_id", "reason", "detail", "counted"],
            )
            writer.writeheader()
            writer.writerows(result.problems)
        return
    counts = [
        {"table": t, "reason": r, "rows": n}
        for (t, r), n in sorted(result.problem_counts().items())
    ]
    doc = {
        "day": result.day.isoformat(),
        "rulebook_version": result.version.version,
        "counts": counts,
        "rows": result.problems,
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


@rules_app.command("validate")
def rules_validate(file: Annotated[Path, typer.Argument(help="Rulebook YAML to check.")]) -> None:
    """Check a rulebook file; errors name the file and the place in it."""
    with _user_errors():
        book = rulebooks.load(file)
    versions = ", ".join(f"{v.version} (from {v.effective_from})" for v in book.versions)
    out.print(f"{file}: OK: {book.name}, {len(book.versions)} version(s): {versions}")


@rules_app.command("show")
def rules_show(
    file: Annotated[Path | None, typer.Argument(help="Rulebook YAML (default: shipped).")] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Only the version in force on this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Print a rulebook as tables, like docs/rules.md's."""
    with _user_errors():
        book = rulebooks.load(file)
        versions = [book.version_for(_day(on))] if on else list(book.versions)
    d = book.definitions
    out.print(
        f"[bold]{book.name}[/]: time zone {d.timezone}; a valid session lasts more than "
        f"{d.valid_session_longer_than_minutes} min; window {d.window_days} days (D-"
        f"{d.window_days} .. D-1)",
        highlight=False,
        soft_wrap=True,
    )
    for version in versions:
        for table in render.rulebook_tables(version):
            out.print(table)


@app.command("demo")
def demo_cmd(
    hosts: Annotated[int, typer.Option(help="Number of hosts.")] = 10_000,
    days: Annotated[int, typer.Option(help="Days of events before the evaluation day.")] = 45,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Keep the generated data in this folder (default: a temporary one)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
    day: Annotated[
        str | None, typer.Option("--date", help="Evaluation day (default: today, platform time).")
    ] = None,
) -> None:
    """Build a realistic synthetic platform, grade it, and show three hosts' task lists."""
    with _user_errors():
        when = _day(day) if day else None
        with render.progress(err) as advance:
            result = demo_service.run(
                hosts=hosts, days=days, out=out_dir, seed=seed, day=when, progress=advance
            )
    _print_summary(result.evaluation, out)
    for host in result.samples:
        out.print(
            render.task_list(
                host,
                result.evaluation.metrics[host.host_id],
                result.evaluation.holds.get(host.host_id),
            )
        )
    if out_dir:
        out.print(
            f"data kept in {out_dir}: livetier evaluate --data {out_dir} --date "
            f"{result.evaluation.day}",
            highlight=False,
        )


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="State store URL (default: $LIVETIER_DB, else sqlite:///livetier.db)."
    ),
]


class ListFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


@rules_app.command("diff")
def rules_diff(
    file_a: Annotated[Path, typer.Argument(help="The earlier rulebook YAML.")],
    file_b: Annotated[Path, typer.Argument(help="The later rulebook YAML.")],
    on: Annotated[
        str | None,
        typer.Option(
            "--on", help="Compare the versions in force on this day (default: each file's latest)."
        ),
    ] = None,
) -> None:
    """Show which thresholds differ between two rulebooks."""
    with _user_errors():
        books = [rulebooks.load(f) for f in (file_a, file_b)]
        when = _day(on) if on else None
        a, b = (
            bk.version_for(when) if when else max(bk.versions, key=lambda v: v.effective_from)
            for bk in books
        )
    changes = diff_versions(a, b)
    table = Table(title=f"{a.version} ({file_a.name}) → {b.version} ({file_b.name})")
    for col in ("where", "criterion", "change", "before", "after"):
        table.add_column(col)
    for c in changes:
        table.add_row(
            c.scope,
            c.criterion,
            c.change,
            _target(c.before, c.change == "added"),
            _target(c.after, c.change == "removed"),
        )
    if not changes:
        table.add_row("—", "no threshold differs", "", "", "")
    out.print(table)


def _target(value: object, absent: bool) -> str:
    if absent:
        return "—"
    return (
        "(no value)" if value is None else str(list(value) if isinstance(value, tuple) else value)
    )


WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB file of daily facts (default: $LIVETIER_WAREHOUSE or ./livetier.duckdb).",
    ),
]
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


def _settings(lookback: int, at_risk_days: int, memory_limit: str | None) -> daily.Settings:
    return daily.Settings(
        lookback=lookback, at_risk_days=at_risk_days, memory_limit=_memory(memory_limit)
    )


@app.command("run")
def run_cmd(
    data: DataUrlOpt,
    day: DateOpt,
    rules: RulesOpt = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    lookback: LookbackOpt = 1,
    at_risk_days: AtRiskOpt = daily.AT_RISK_DAYS,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
) -> None:
    """Add day D-1's facts to the warehouse, grade day D, and record tier changes against the
    previous day run in the state store."""
    with _user_errors(), schema.connected(db) as store:
        compute = _engine(engine, spark_master, spark_conf)
        outcome = daily.run_day(
            _data_for_runs(data, compute),
            _day(day),
            rulebooks.load(rules),
            store,
            warehouse_path(warehouse),
            _settings(lookback, at_risk_days, memory_limit),
            engine=compute,
        )
    if outcome.status == "unchanged":
        out.print(f"{outcome.day}: already run with the same input; nothing changed")
        return
    _print_outcome(outcome)


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


def _print_records(records: list[dict[str, Any]], fmt: ListFormat, title: str) -> None:
    if fmt is ListFormat.jsonl:
        _write_jsonl(records)
        return
    table = Table(title=title)
    for key in records[0] if records else ["(none)"]:
        table.add_column(key)
    for record in records:
        table.add_row(*(", ".join(v) if isinstance(v, list) else str(v) for v in record.values()))
    out.print(table)


@app.command("tiers")
def tiers_cmd(
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
) -> None:
    """Every host's current tier, from the state store (--warehouse is not needed)."""
    with _user_errors(), schema.connected(db) as store:
        records = state.tiers(store)
    _print_records(records, fmt, "Current tiers 当前身份")


@app.command("history")
def history_cmd(
    host: Annotated[str | None, typer.Argument(help="Only this host.")] = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
) -> None:
    """Tier changes, oldest first, from the state store (--warehouse is not needed)."""
    with _user_errors(), schema.connected(db) as store:
        records = state.history(store, host)
    _print_records(records, fmt, "Tier changes 身份变更")


@app.command("backfill")
def backfill_cmd(
    data: DataUrlOpt,
    first: Annotated[str, typer.Option("--from", help="First day to run (YYYY-MM-DD).")],
    last: Annotated[str, typer.Option("--to", help="Last day to run (YYYY-MM-DD).")],
    rules: RulesOpt = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    lookback: LookbackOpt = 1,
    at_risk_days: AtRiskOpt = daily.AT_RISK_DAYS,
    engine: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
) -> None:
    """Run every day from --from to --to in order, as daily runs would."""
    compute = _engine(engine, spark_master, spark_conf)
    with _user_errors(), schema.connected(db) as store, render.progress(err) as advance:
        outcomes = daily.backfill(
            _data_for_runs(data, compute),
            _day(first),
            _day(last),
            rulebooks.load(rules),
            store,
            warehouse_path(warehouse),
            _settings(lookback, at_risk_days, memory_limit),
            advance,
            compute,
        )
    changes = sum(o.changes for o in outcomes)
    out.print(f"{len(outcomes)} day(s) run: {changes} tier change(s)", highlight=False)


@app.command("status")
def status_cmd(
    host: Annotated[str, typer.Argument(help="Host id.")],
    rules: RulesOpt = None,
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
) -> None:
    """A host's tier, privileges, how long the tier holds, and its task list (latest day run)."""
    with _user_errors(), schema.connected(db) as store:
        found = status.host_status(store, warehouse_path(warehouse), host, rulebooks.load(rules))
    if fmt is ListFormat.jsonl:
        _write_jsonl([status.status_record(found)])
        return
    out.print(render.status_panel(found))
    if found.evaluation is not None:
        out.print(render.task_list(found.evaluation, found.metrics, found.holds_days))
    else:
        out.print(f"no usable profile snapshot on or before {found.day}: not graded that day")


@app.command("quality")
def quality_cmd(
    day: Annotated[str, typer.Option("--date", help="The run day whose report to print.")],
    warehouse: WarehouseOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", help="Output format.")] = ListFormat.table,
) -> None:
    """The data-quality report a run stored: counts per table and reason, or every row."""
    with _user_errors(), open_warehouse(warehouse_path(warehouse), read_only=True) as wh:
        rows = wh.quality(_day(day))
    if fmt is ListFormat.jsonl:
        _write_jsonl(rows)
        return
    out.print(render.problems_summary(Counter((str(r["table"]), str(r["reason"])) for r in rows)))


@app.command("fact-changes")
def fact_changes_cmd(
    day: Annotated[
        str | None, typer.Option("--date", help="Only the changes logged by this day's run.")
    ] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Stored daily facts that a recomputation (--lookback) changed, as JSON lines."""
    with _user_errors(), open_warehouse(warehouse_path(warehouse), read_only=True) as wh:
        records = wh.fact_changes(_day(day) if day else None)
    _write_jsonl(
        {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in r.items()}
        for r in records
    )


@app.command("partition")
def partition_cmd(
    data: DataOpt,
    out_dir: Annotated[Path, typer.Option("--out", help="New folder for the partitioned copy.")],
    rules: RulesOpt = None,
) -> None:
    """Copy a flat data folder as day partitions (views/day=YYYY-MM-DD/...), by platform day."""
    with _user_errors():
        book = rulebooks.load(rules)
        done = partition(data, out_dir, book.definitions.timezone, date.today())
    for name, rows in done.rows.items():
        out.print(f"{name}: {rows} row(s) in {done.days[name]} day partition(s)", highlight=False)


@app.command("claim")
def claim_cmd(host: Annotated[str, typer.Argument(help="Host id.")], db: DbOpt = None) -> None:
    """Claim a host's identity (领取主播身份); it must qualify at least for ordinary."""
    with _user_errors(), schema.connected(db) as store:
        record = state.claim(store, host)
    out.print(
        f"{record['host_id']} claimed {record['tier']} at {record['claimed_at']} UTC",
        highlight=False,
    )


@app.command("events")
def events_cmd(
    after: Annotated[int, typer.Option("--after", help="Print events with a larger id.")] = 0,
    db: DbOpt = None,
) -> None:
    """Tier events from the outbox as JSON lines, oldest first."""
    with _user_errors(), schema.connected(db) as store:
        records = state.events_after(store, after)
    _print_records(records, ListFormat.jsonl, "")


@app.command("deliver")
def deliver_cmd(
    url: Annotated[str, typer.Option("--url", help="Webhook that receives each event (POST).")],
    db: DbOpt = None,
    consumer: Annotated[str | None, typer.Option(help="Cursor name (default: the URL).")] = None,
    max_attempts: Annotated[int, typer.Option(help="Tries per event before giving up.")] = 6,
    backoff: Annotated[
        float, typer.Option(help="First retry delay, doubling each time (s).")
    ] = 0.5,
) -> None:
    """Post new tier events to a webhook, at least once, resuming from the stored cursor."""
    with _user_errors(), schema.connected(db) as store:
        try:
            outcome = delivery.deliver(
                store, url, consumer=consumer, max_attempts=max_attempts, backoff=backoff
            )
        except delivery.DeliveryFailed as e:
            err.print(f"[bold red]error:[/] {e}", highlight=False)
            raise typer.Exit(1) from None
    out.print(
        f"delivered {outcome.delivered} event(s) ({outcome.retries} retries); cursor at "
        f"{outcome.cursor}",
        highlight=False,
    )


keys_app = typer.Typer(help="API keys of the HTTP service.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    role: Annotated[keys.Role, typer.Option("--role", help="host, operator or service.")],
    host: Annotated[
        str | None, typer.Option("--host", help="For a host key: the one host it acts for.")
    ] = None,
    label: Annotated[str, typer.Option(help="A note to tell keys apart.")] = "",
    db: DbOpt = None,
) -> None:
    """Create an API key and print it once (only its hash is stored)."""
    with _user_errors(), schema.connected(db) as store:
        key, key_id = keys.create(store, role, host, label)
    err.print(f"key {key_id} ({role.value}{' for ' + host if host else ''}); shown once:")
    print(key)


@keys_app.command("list")
def keys_list(db: DbOpt = None) -> None:
    """List API keys (id, role, host, prefix), never their secrets."""
    with _user_errors(), schema.connected(db) as store:
        records = keys.listing(store)
    _print_records(records, ListFormat.table, "API keys")


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[int, typer.Argument(help="The key's id (from keys list).")],
    db: DbOpt = None,
) -> None:
    """Revoke an API key; the service refuses it within seconds."""
    with _user_errors(), schema.connected(db) as store:
        keys.revoke(store, key_id)
    out.print(f"key {key_id} revoked")


@app.command("serve")
def serve_cmd(
    db: DbOpt = None,
    warehouse: WarehouseOpt = None,
    rules: RulesOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the HTTP API and web pages over the state store and the latest run's snapshot."""
    import os

    import uvicorn

    with _user_errors():
        rulebooks.load(rules)  # a bad rulebook fails here, not in a worker
        with schema.connected(db):  # migrates the state store once, before the workers start
            pass
    os.environ["LIVETIER_DB"] = schema.database_url(db)
    os.environ["LIVETIER_WAREHOUSE"] = str(warehouse_path(warehouse).resolve())
    if rules is not None:
        os.environ["LIVETIER_RULES"] = str(rules.resolve())
    err.print(f"livetier on http://{host}:{port}/ (API docs at /docs)", highlight=False)
    uvicorn.run(
        "livetier.entrypoints.api:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def main() -> None:
    """Console-script entry point."""
    app()
