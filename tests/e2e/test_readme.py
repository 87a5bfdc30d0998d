"""The README's embedded CLI help is the real help; the commands it shows exist."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from livetier.entrypoints.cli import app

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"<!-- help: livetier (.*?) -->\n```text\n(.*?)\n```", re.S)


def _help(args: list[str]) -> str:
    out = CliRunner().invoke(app, args, prog_name="livetier", terminal_width=100).output
    return "\n".join(line.rstrip() for line in out.strip("\n").splitlines())


def test_the_readme_opens_with_the_two_commands():
    text = README.read_text()
    assert text.index("make demo") < text.index("## Usage")
    assert text.index("make test") < text.index("## Usage")


@pytest.mark.parametrize("block", BLOCK.findall(README.read_text()), ids=lambda b: b[0])
def test_embedded_help_matches_the_cli(block):
    args, text = block
    fresh = _help(args.split())
    if os.environ.get("LIVETIER_UPDATE_SNAPSHOTS") == "1":
        marker = f"<!-- help: livetier {args} -->\n```text\n"
        README.write_text(README.read_text().replace(marker + text, marker + fresh))
        text = fresh
    assert fresh == text, "README help is stale: LIVETIER_UPDATE_SNAPSHOTS=1 regenerates it"


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """Every command the CLI registers, as typed after ``livetier`` (groups walked through)."""
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield " ".join(path)
        return
    for name, sub in subcommands.items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_commands_are_read_from_the_cli_groups_included():
    assert {"evaluate", "rules diff", "keys revoke", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_its_help_in_the_readme_or_is_listed_there(command):
    assert f"livetier {command}" in README.read_text(), f"README never names livetier {command}"


DEMO = re.compile(r"hosts' task lists \(abridged\):\n\n```text\n(.*?)\n```", re.S)


def test_the_demo_output_in_the_readme_is_real(tmp_path):
    [shown] = DEMO.findall(README.read_text())
    result = CliRunner().invoke(
        app, ["demo", "--date", "2026-11-26", "--out", str(tmp_path)], terminal_width=100
    )
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.stdout.splitlines()]
    start = printed.index(shown.splitlines()[0].rstrip())
    assert printed[start : start + len(shown.splitlines())] == shown.splitlines()
