"""``override set``, ``override list``, ``override clear`` and ``override audit``: manual
floors and caps on one host's tier, with who, when and why kept for every change."""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DbOpt,
    ListFormat,
    ListFormatOpt,
    day,
    fail,
    out,
    print_records,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from livetier.services import overrides
    from livetier.store import schema
else:
    overrides = lazy("livetier.services.overrides")
    schema = lazy("livetier.store.schema")

override_app = typer.Typer(
    help="Manual floors and caps on a host's tier, with an audit trail.", no_args_is_help=True
)
HostArg = Annotated[str, typer.Argument(help="Host id.")]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")]
_TIERS = "none, ordinary, expert or honor"


def _user() -> str:
    """Who runs the command, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without one)
        return "unknown"


@override_app.command("set")
def override_set(
    host: HostArg,
    reason: ReasonOpt,
    floor: Annotated[
        str | None, typer.Option("--floor", help=f"At least this tier ({_TIERS}).")
    ] = None,
    cap: Annotated[str | None, typer.Option("--cap", help=f"At most this tier ({_TIERS}).")] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Its last day run, inclusive (YYYY-MM-DD; default: none)."),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Set a floor or a cap on a host's tier from the next day run (a host failing the basic
    requirements stays none whatever its floor)."""
    if (floor is None) == (cap is None):
        fail("give exactly one of --floor or --cap")
    kind, tier = ("floor", floor) if floor is not None else ("cap", cap)
    assert tier is not None
    with user_errors(), schema.connected(settings(db).db) as store:
        last = day(until) if until else None
        done = overrides.set_override(store, host, kind, tier, reason, last, _user())
    o = done.body
    until_text = (
        f"through the day run of {o['until']} (inclusive)" if o["until"] else "until cleared"
    )
    start = o["from"] if o["from"] and o["from"] != "0001-01-01" else "the first day run"
    out.print(
        f"override {o['id']}: {host} {kind} {tier} from {start}, {until_text}", highlight=False
    )


@override_app.command("clear")
def override_clear(host: HostArg, reason: ReasonOpt, db: DbOpt = None) -> None:
    """End a host's override from the next day run."""
    with user_errors(), schema.connected(settings(db).db) as store:
        done = overrides.clear_override(store, host, reason, _user())
    ids = ", ".join(str(i) for i in done.body["cleared"])
    out.print(f"override {ids} of {host} cleared from {done.body['from']}", highlight=False)


@override_app.command("list")
def override_list(db: DbOpt = None, fmt: ListFormatOpt = ListFormat.table) -> None:
    """Every override, newest first, with its state as of the next day run."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = overrides.listing(store)
    if fmt is ListFormat.table:  # the table keeps what fits a terminal; jsonl has every key
        records = [
            {
                "id": r["id"],
                "host": r["host_id"],
                "override": f"{r['kind']} {r['tier']}",
                "state": r["state"],
                "from": r["from"] or "first run",
                "until": r["until"],
                "by": r["set_by"],
                "reason": r["reason"],
            }
            for r in records
        ]
    print_records(records, fmt, "Overrides")


@override_app.command("audit")
def override_audit(
    host: Annotated[str | None, typer.Argument(help="Only this host.")] = None,
    db: DbOpt = None,
    fmt: ListFormatOpt = ListFormat.table,
) -> None:
    """Every set, clear and expiry of an override, oldest first: who, when, why."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = overrides.audit(store, host)
    print_records(records, fmt, "Override audit")
