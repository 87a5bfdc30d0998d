"""``explain``: the records behind one host's two 30-day metrics, each counted or not, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DateOpt,
    DbOpt,
    ListFormat,
    ListFormatOpt,
    RulesOpt,
    day,
    out,
    print_records,
    settings,
    user_errors,
    write_jsonl,
)

if TYPE_CHECKING:
    from livetier import rulebooks
    from livetier.services import explain
    from livetier.store import schema
else:
    rulebooks = lazy("livetier.rulebooks")
    explain = lazy("livetier.services.explain")
    schema = lazy("livetier.store.schema")


def explain_cmd(
    host: Annotated[str, typer.Argument(help="Host id.")],
    day_text: DateOpt,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="The raw data folder (hosts, sessions, views, orders; flat or day partitions). "
            "Default: the folder the latest succeeded daily run recorded (state store --db).",
        ),
    ] = None,
    rules: RulesOpt = None,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """The records behind a host's 30-day metrics on day D: each counted or not, and why."""
    from pathlib import Path

    with user_errors():
        config = settings(db=db, rules=rules)
        wanted = day(day_text)
        if data is None:
            with schema.connected(config.db, migrate=False) as store:
                data = explain.recorded_data(store)
        result = explain.explain_host(Path(data), host, wanted, rulebooks.load(config.rules))
    if fmt is ListFormat.jsonl:
        write_jsonl(result.records())
        return
    first, last = result.window
    m = result.metrics
    out.print(
        f"[bold]{result.host_id}[/] on {result.day} (window {first} … {last}): "
        f"live_sessions_30d = {m['live_sessions_30d']}, "
        f"live_buyers_30d = {m['live_buyers_30d']}",
        highlight=False,
    )
    if not result.graded:
        out.print(
            f"not graded on {result.day}: no usable profile snapshot on or before {last}",
            highlight=False,
        )
    sessions = [
        {
            "session_id": r.session_id,
            "day": r.day,
            "start": _clock(r.started_at),
            "minutes": r.minutes,
            "counted": r.counted,
            "reason": r.reason,
        }
        for r in result.sessions
    ]
    buyers = [
        {
            "buyer_id": r.buyer_id,
            "day": r.day,
            "first_view": _clock(r.first_view_at),
            "first_paid": _clock(r.first_paid_at),
            "counted": r.counted,
            "reason": r.reason,
        }
        for r in result.buyers
    ]
    print_records(sessions, fmt, f"sessions ({m['live_sessions_30d']} counted)")
    print_records(buyers, fmt, f"live buyers ({m['live_buyers_30d']} counted)")
    out.print("times are platform local; --format jsonl gives them in full", style="dim")


def _clock(instant: str | None) -> str | None:
    """The time of day of a platform-local ISO instant (its day is the record's day)."""
    return None if instant is None else instant[11:19]
