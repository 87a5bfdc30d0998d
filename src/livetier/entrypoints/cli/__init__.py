"""The ``livetier`` command line: each command parses, calls one service, and formats.

The commands live in modules by what they work on; they are registered here, in the order
``livetier --help`` lists them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from livetier import __version__
from livetier.entrypoints.cli import events, explain, grading, runs, serve, state
from livetier.entrypoints.cli.keys import keys_app
from livetier.entrypoints.cli.live import live_app
from livetier.entrypoints.cli.override import override_app
from livetier.entrypoints.cli.rules import rules_app

app = typer.Typer(
    help="livetier: grade live-commerce hosts (none, ordinary, expert, honor) from rules as data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for name, command in (
    ("evaluate", grading.evaluate_cmd),
    ("demo", grading.demo_cmd),
    ("run", runs.run_cmd),
    ("tiers", state.tiers_cmd),
    ("history", state.history_cmd),
    ("backfill", runs.backfill_cmd),
    ("status", state.status_cmd),
    ("explain", explain.explain_cmd),
    ("quality", state.quality_cmd),
    ("fact-changes", state.fact_changes_cmd),
    ("partition", runs.partition_cmd),
    ("claim", state.claim_cmd),
    ("events", events.events_cmd),
    ("deliver", events.deliver_cmd),
    ("serve", serve.serve_cmd),
):
    app.command(name)(command)


def _print_version(given: bool) -> None:
    if given:
        print(f"livetier {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """livetier's own options (before the command)."""


app.add_typer(rules_app, name="rules")
app.add_typer(keys_app, name="keys")
app.add_typer(live_app, name="live")
app.add_typer(override_app, name="override")


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
