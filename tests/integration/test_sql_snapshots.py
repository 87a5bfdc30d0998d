"""The compiled SQL of each metric stays reviewable: a change to it shows up in review.

Set LIVETIER_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import ibis
import pytest

from builders import Platform
from livetier import rulebooks
from livetier.pipeline import contract, facts, grading
from livetier.pipeline.clean import clean
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.holds import line_holds
from livetier.pipeline.timestamps import PlatformZone

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
DAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def expressions(tmp_path_factory):
    folder = Platform().write(tmp_path_factory.mktemp("empty"))
    book = rulebooks.load()
    version = book.version_for(DAY)
    engine = duckdb_engine()
    sources = {n: contract.load(engine, folder, n) for n in contract.CONTRACT}
    cleaned = clean(sources, PlatformZone.around(book.definitions.timezone, DAY), version.lines)
    daily = facts.daily_facts(cleaned, 15, facts.window_days_of(DAY, 30))
    metrics = facts.metrics_for_day(cleaned.hosts, cleaned.snapshots, daily, DAY, 30)
    return {
        "daily_facts": daily,
        "metrics_for_day": metrics,
        "grade_consumer": grading.grade(version, metrics, "consumer"),
        "holds_consumer": line_holds(
            version, grading.grade(version, metrics, "consumer"), daily, DAY, 30, "consumer"
        ),
    }


def _normalise(sql: str) -> str:
    # Temporary table names differ per run; everything else is deterministic.
    return re.sub(r"ibis_read_(csv|parquet)_[a-z0-9]+", r"ibis_read_\1", sql).strip() + "\n"


@pytest.mark.parametrize(
    "name", ["daily_facts", "metrics_for_day", "grade_consumer", "holds_consumer"]
)
def test_compiled_sql_matches_its_snapshot(expressions, name):
    sql = _normalise(ibis.to_sql(expressions[name], dialect="duckdb"))
    path = SNAPSHOTS / f"{name}.sql"
    if os.environ.get("LIVETIER_UPDATE_SNAPSHOTS") == "1":
        path.write_bytes(sql.encode())  # bytes: the SQL holds a literal carriage return
    assert path.exists(), f"no snapshot yet: run with LIVETIER_UPDATE_SNAPSHOTS=1 ({path})"
    assert sql == path.read_bytes().decode()
