"""The failpoint hook: registered names only, the n-th passage, and a trace of passages."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from livetier.store import failpoint

_TWICE = (
    "from livetier.store.failpoint import checkpoint\n"
    "checkpoint('run-begin'); print('first', flush=True)\n"
    "checkpoint('run-begin'); print('second', flush=True)\n"
)


def _run(crash_at: str, trace: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVETIER_CRASH_AT": crash_at, "LIVETIER_FAILPOINT_TRACE": str(trace)}
    return subprocess.run(
        [sys.executable, "-c", _TWICE], env=env, capture_output=True, text=True, check=False
    )


def test_a_point_kills_at_the_passage_named_and_the_trace_lists_passages(tmp_path: Path) -> None:
    second = _run("run-begin@2", tmp_path / "a")
    assert (second.returncode, second.stdout) == (-signal.SIGKILL, "first\n")
    assert (tmp_path / "a").read_text() == "run-begin\nrun-begin\n"  # written before the kill
    first = _run("run-begin", tmp_path / "b")
    assert (first.returncode, first.stdout) == (-signal.SIGKILL, "")
    other = _run("committed", tmp_path / "c")
    assert (other.returncode, other.stdout) == (0, "first\nsecond\n")


def test_an_unregistered_point_is_refused() -> None:
    with pytest.raises(KeyError, match="not registered"):
        failpoint.checkpoint("no-such-point")
    assert len(failpoint.POINTS) >= 50


def test_every_point_named_in_the_code_is_registered() -> None:
    src = Path(failpoint.__file__).parents[1]
    named = {
        m.group(1)
        for path in src.rglob("*.py")
        for m in re.finditer(r'checkpoint\("([^"]+)"\)', path.read_text(encoding="utf-8"))
    }
    assert len(named) >= 45  # the rest are formatted (snapshot-{kind}-...)
    assert named - set(failpoint.POINTS) == set()
