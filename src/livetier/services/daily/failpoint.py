"""The crash tests' failpoint: a run killed for real at a named step."""

from __future__ import annotations

import os
import signal


def checkpoint(name: str) -> None:
    """Crash here for real (SIGKILL) when LIVETIER_CRASH_AT names this point: the crash tests
    kill a run at each step and check that the state store is intact."""
    if os.environ.get("LIVETIER_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
