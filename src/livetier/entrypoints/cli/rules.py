"""``rules validate``, ``show``, ``diff``, ``simulate`` and ``calibrate``: check and print rulebook
files, grade a draft beside the version in force, and calibrate thresholds to tier shares."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from livetier.domain.rulebook import Rulebook, Version, diff_versions
from livetier.entrypoints import render
from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DateOpt,
    DbOpt,
    ListFormat,
    ListFormatOpt,
    MemoryOpt,
    RulesOpt,
    WarehouseOpt,
    day,
    err,
    memory,
    out,
    settings,
    user_errors,
    write_jsonl,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.services import calibrate, rules_ops
    from livetier.store import schema
else:
    schema = lazy("livetier.store.schema")
    calibrate = lazy("livetier.services.calibrate")
    rulebooks = lazy("livetier.rulebooks")  # pydantic: not for --help
    rules_ops = lazy("livetier.services.rules_ops")

rules_app = typer.Typer(
    help="Check, print, simulate and calibrate rulebook files.", no_args_is_help=True
)


@rules_app.command("validate")
def rules_validate(file: Annotated[Path, typer.Argument(help="Rulebook YAML to check.")]) -> None:
    """Check a rulebook file; errors name the file and the place in it."""
    with user_errors():
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
    with user_errors():
        book = rulebooks.load(file)
        versions = [book.version_for(day(on))] if on else list(book.versions)
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
    with user_errors():
        books = [rulebooks.load(f) for f in (file_a, file_b)]
        when = day(on) if on else None
        a, b = (_version(book, when) for book in books)
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


def _version(book: Rulebook, when: date | None) -> Version:
    """The version in force on ``when``, or the book's latest."""
    if when is None:
        return max(book.versions, key=lambda v: v.effective_from)
    return book.version_for(when)


def _target(value: object, absent: bool) -> str:
    if absent:
        return "—"
    return (
        "(no value)" if value is None else str(list(value) if isinstance(value, tuple) else value)
    )


@rules_app.command("simulate")
def rules_simulate(
    draft_file: Annotated[Path, typer.Argument(help="The draft rulebook YAML.")],
    day_text: DateOpt,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="Grade from this data folder (as evaluate does) instead of the warehouse.",
        ),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option("--version", help="The draft's version to simulate (default: its latest)."),
    ] = None,
    rules: RulesOpt = None,
    warehouse: WarehouseOpt = None,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
    memory_limit: MemoryOpt = None,
) -> None:
    """Grade day D with a draft rule version beside the version in force: what each host would
    hold (from the warehouse: its grade through grace and the overrides in force, from the
    state store), who moves, which privileges they gain or lose, and which draft criteria,
    grace or override decide it. Changes no state."""
    with user_errors():
        config = settings(db=db, warehouse=warehouse, rules=rules)
        when = day(day_text)
        ram = memory(memory_limit)
        draft = rulebooks.load(draft_file)
        book = rulebooks.load(config.rules)
        with ExitStack() as stack:
            store = None
            source: rules_ops.Source
            if data is not None:
                source = rules_ops.FromData(data, ram)
            else:
                source = rules_ops.FromWarehouse(config.warehouse, ram)
                store = stack.enter_context(schema.connected(config.db, migrate=False))
            sim = rules_ops.simulate(
                source, when, book, draft, version, db=store, reasons=fmt is ListFormat.jsonl
            )
    if fmt is ListFormat.jsonl:
        if not sim.policy_applied:
            err.print(f"note: {rules_ops.NO_STANDING_NOTE}", highlight=False, soft_wrap=True)
        write_jsonl(sim.records())
        return
    if not sim.policy_applied:
        out.print(f"note: {rules_ops.NO_STANDING_NOTE}", highlight=False, soft_wrap=True)
    for table in render.simulation_tables(rules_ops.summary(sim)):
        out.print(table)


@rules_app.command("calibrate")
def rules_calibrate(
    day_text: DateOpt,
    targets: Annotated[
        list[str],
        typer.Option(
            "--target",
            metavar="LINE.TIER=SHARE",
            help="A tier's wanted share of its line's graded hosts, e.g. consumer.expert=0.20 "
            "(repeatable).",
        ),
    ],
    out_file: Annotated[
        Path, typer.Option("--out", help="Write the rulebook with the new version here.")
    ],
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Measure from this data folder instead of the warehouse."),
    ] = None,
    metrics: Annotated[
        list[str] | None,
        typer.Option(
            "--metric",
            help="A metric whose thresholds move (repeatable; default: live_sessions_30d and "
            "live_buyers_30d).",
        ),
    ] = None,
    effective_from: Annotated[
        str | None,
        typer.Option(
            "--effective-from",
            help="The new version's first day (default: the first day of the next quarter).",
        ),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            help="Share a rounder threshold may cost against the best achievable (0.005: half "
            "a percentage point).",
        ),
    ] = 0.005,
    rules: RulesOpt = None,
    warehouse: WarehouseOpt = None,
    memory_limit: MemoryOpt = None,
) -> None:
    """Write a new rule version whose activity thresholds give each tier the share of its
    line's graded hosts you ask for, as closely as day D's data allow."""
    with user_errors():
        config = settings(warehouse=warehouse, rules=rules)
        when = day(day_text)
        start = day(effective_from) if effective_from else None
        ram = memory(memory_limit)
        wanted = [calibrate.parse_target(t) for t in targets]
        book = rulebooks.load(config.rules)
        source: rules_ops.Source = (
            rules_ops.FromData(data, ram)
            if data is not None
            else rules_ops.FromWarehouse(config.warehouse, ram)
        )
        result = calibrate.calibrate(
            source,
            when,
            book,
            wanted,
            metrics=metrics or calibrate.ACTIVITY_METRICS,
            effective_from=start,
            tolerance=tolerance,
        )
        origin = config.rules or "the shipped rulebook"
        header = (
            f"Written by `livetier rules calibrate --date {when}` from {origin}: version "
            f"{result.version.version} (effective {result.version.effective_from}) appended.\n"
            "The source file's comments are not kept."
        )
        out_file.write_text(rulebooks.dump(result.rulebook, header), encoding="utf-8")
    table = Table(
        title=f"{result.base.version} → {result.version.version} (effective "
        f"{result.version.effective_from}), measured on {when}"
    )
    for col in ("target", "share reached", "thresholds", "why not exact"):
        table.add_column(col)
    for o in result.outcomes:
        moved = "\n".join(
            f"{name} {_num(o.before[name])} → {_num(value)}" for name, value in o.thresholds.items()
        )
        table.add_row(
            f"{o.target.line}.{o.target.tier} = {o.target.share:.1%}",
            f"{o.share:.1%} ({o.reached} of {o.hosts})",
            moved,
            "\n".join(o.why) or "—",
        )
    out.print(table)
    out.print(f"wrote {out_file}: {result.version.version} from {result.version.effective_from}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
