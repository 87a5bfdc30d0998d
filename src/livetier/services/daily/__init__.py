"""Daily runs with history (one module per step: ingest, grade, record, events; run.py ties
them together). This package exports what entry points and tests use."""

from __future__ import annotations

from livetier.services.daily.grade import DayGrades, grade_day, reasons
from livetier.services.daily.ingest import definitions_key
from livetier.services.daily.restate import Restatement, restate
from livetier.services.daily.run import (
    RunOutcome,
    RunRefused,
    Settings,
    backfill,
    fingerprint,
    run_day,
)

__all__ = [
    "DayGrades",
    "Restatement",
    "RunOutcome",
    "RunRefused",
    "Settings",
    "backfill",
    "definitions_key",
    "fingerprint",
    "grade_day",
    "reasons",
    "restate",
    "run_day",
]
