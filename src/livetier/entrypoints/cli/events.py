"""The outbox of tier events: ``events`` prints them, ``deliver`` posts them to a webhook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from livetier.entrypoints.cli.lazy import lazy
from livetier.entrypoints.cli.options import (
    DbOpt,
    ListFormat,
    err,
    out,
    print_records,
    settings,
    user_errors,
)

if TYPE_CHECKING:
    from livetier.services import delivery, state
    from livetier.store import schema
else:
    delivery = lazy("livetier.services.delivery")
    state = lazy("livetier.services.state")
    schema = lazy("livetier.store.schema")


def events_cmd(
    after: Annotated[int, typer.Option("--after", help="Print events with a larger id.")] = 0,
    db: DbOpt = None,
) -> None:
    """Tier events from the outbox as JSON lines, oldest first."""
    with user_errors(), schema.connected(settings(db).db, migrate=False) as store:
        records = state.events_after(store, after)
    print_records(records, ListFormat.jsonl, "")


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
    with user_errors(), schema.connected(settings(db).db) as store:
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
