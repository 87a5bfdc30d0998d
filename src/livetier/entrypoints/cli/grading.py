"""``evaluate`` and ``demo``: grade a data folder, and print or write the evaluation."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from livetier.domain.describe import criterion_text
from livetier.domain.metrics import ACTIVITY_METRICS
from livetier.entrypoints import render
from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DataUrlOpt,
    DateOpt,
    EngineName,
    EngineOpt,
    Format,
    FormatOpt,
    MemoryOpt,
    RulesOpt,
    SparkConfOpt,
    SparkMasterOpt,
    day,
    engine,
    err,
    memory,
    out,
    settings,
    user_errors,
    write_jsonl,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.pipeline import engine as pipeline_engine
    from livetier.services import demo as demo_service
    from livetier.services import evaluate as evaluation
    from livetier.services import export
    from livetier.services.evaluate import Evaluation, Summary
else:
    rulebooks = lazy("livetier.rulebooks")
    pipeline_engine = lazy("livetier.pipeline.engine")
    demo_service = lazy("livetier.services.demo")
    evaluation = lazy("livetier.services.evaluate")
    export = lazy("livetier.services.export")

OutOpt = Annotated[
    str | None,
    typer.Option(
        "--out",
        metavar="<path|url>",
        help="Also write one row per graded host as Parquet (host_id, line, tier, "
        "holds_days, the metrics, next_tier, day, rulebook_version) into this new "
        "folder: part files and _SUCCESS, as Spark writes them. A local path, or with "
        "--engine spark a URL. It must not exist; it appears only once complete.",
    ),
]


def evaluate_cmd(
    data: DataUrlOpt,
    day_text: DateOpt,
    rules: RulesOpt = None,
    fmt: FormatOpt = Format.table,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write the data-quality report here (.json or .csv)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Hosts listed by --format table.")] = 20,
    engine_name: EngineOpt = EngineName.duckdb,
    spark_master: SparkMasterOpt = "local[*]",
    spark_conf: SparkConfOpt = None,
    memory_limit: MemoryOpt = None,
    out_path: OutOpt = None,
) -> None:
    """Grade every host in a data folder on one day."""
    with user_errors():
        config = settings(rules=rules)
        _check_report_path(report)
        ram = memory(memory_limit, engine_name)
        spark = engine(engine_name, spark_master, spark_conf)
        compute = spark or pipeline_engine.duckdb_engine(memory_limit=ram)
        try:
            where = compute.location(data)
            target = compute.location(out_path, "--out") if out_path else None
            if target is not None:
                export.check_target(target)
            book = rulebooks.load(config.rules)
            result: Evaluation | Summary
            if fmt is Format.jsonl and target is None:  # streamed: nothing holds every host
                result = evaluation.evaluate_records(
                    where, day(day_text), book, compute, write_jsonl
                )
            else:
                result = evaluation.evaluate(where, day(day_text), book, compute)
            if target is not None:
                assert isinstance(result, evaluation.Evaluation)
                rows = export.write_hosts(result, compute, target)
                err.print(f"{rows} host row(s) written to {target} (Parquet)", highlight=False)
        finally:
            if spark is None:  # Spark's session stays: the process may reuse it (tests do)
                compute.close()
    _warn_if_idle(result)
    if isinstance(result, evaluation.Evaluation):
        _print_result(result, fmt, limit)
    if report:
        with user_errors():
            _write_report(result, report)
    print_summary(result, err if fmt is not Format.table else out)


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
    day_text: Annotated[
        str | None, typer.Option("--date", help="Evaluation day (default: today, platform time).")
    ] = None,
) -> None:
    """Build a realistic synthetic platform, grade it, and show three hosts' task lists."""
    with user_errors():
        when = day(day_text) if day_text else None
        with render.progress(err) as advance:
            result = demo_service.run(
                hosts=hosts, days=days, out=out_dir, seed=seed, day=when, progress=advance
            )
    evaluation = result.evaluation
    print_summary(evaluation, out)
    for host in result.samples:
        metrics = evaluation.metrics[host.host_id]
        out.print(render.task_list(host, metrics, evaluation.holds.get(host.host_id)))
    if out_dir:
        out.print(
            f"data kept in {out_dir}: livetier evaluate --data {out_dir} --date {evaluation.day}",
            highlight=False,
        )


def print_summary(result: Evaluation | Summary, console: Console) -> None:
    """The tier counts and the data-quality counts of an evaluation."""
    console.print(render.tier_summary(result.tier_counts()))
    console.print(render.problems_summary(result.problem_counts()))


def _warn_if_idle(result: Evaluation | Summary) -> None:
    """Warn when no host had any activity in the window: most likely --date lies past the data."""
    if isinstance(result, evaluation.Summary):
        idle = result.graded > 0 and not result.active
    else:
        idle = bool(result.hosts) and not any(
            result.metrics[h.host_id][m] for h in result.hosts for m in ACTIVITY_METRICS
        )
    if idle:
        err.print(
            f"warning: no host has any activity (sessions, views, orders) in the window before "
            f"{result.day}: is --date after the data's last day?",
            highlight=False,
            soft_wrap=True,
        )


def _print_result(result: Evaluation, fmt: Format, limit: int) -> None:
    if fmt is Format.jsonl:
        with evaluation.paused_gc():
            write_jsonl(
                evaluation.host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
                for h in result.hosts
            )
    elif fmt is Format.csv:
        _write_csv(result)
    else:
        out.print(render.hosts_table(result, limit))


def _write_csv(result: Evaluation) -> None:
    fields = ["host_id", "tier", "line", "holds_days", *evaluation.SHOWN_METRICS]
    fields += ["next_tier", "missing"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for h in result.hosts:
        rec = evaluation.host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
        writer.writerow(
            {
                **{k: rec[k] for k in ("host_id", "tier", "line", "holds_days", "next_tier")},
                **rec["metrics"],
                "missing": "; ".join(criterion_text(m) for m in rec["missing"]),
            }
        )


def _check_report_path(report: Path | None) -> None:
    """Refuse an unusable report path before the work, not after it."""
    if report is None:
        return
    if report.suffix not in (".json", ".csv"):
        raise ValueError(f"--report {report}: use a .json or .csv file name")
    if not report.parent.is_dir():
        raise ValueError(f"--report {report}: folder {report.parent} does not exist")


def _write_report(result: Evaluation | Summary, path: Path) -> None:
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
