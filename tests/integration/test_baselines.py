"""The benchmark's baselines (bench/baseline_sql.py, baseline_polars.py, baseline_pandas.py) give
livetier's tier counts per line on a small generated platform, bad rows included; and the check
notices when a baseline computes something else."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from livetier.tools import synthetic

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
import baseline_rules
import check_baselines

DAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("platform")
    s = synthetic.generate(folder, hosts=300, days=32, end_day=DAY, seed=11, fmt="parquet")
    a = s.anomalies  # rows livetier rejects or flags, which the baselines must treat alike
    assert a.end_before_start and a.unknown_session_views and a.conflicting_duplicate_orders
    assert a.unknown_category_line and a.cross_day_sessions
    return folder


def test_baselines_give_livetiers_tier_counts(platform: Path) -> None:
    result = check_baselines.check(platform, DAY)
    assert result["same"] == {"sql": True, "polars": True, "pandas": True}, result["counts"]
    counts = result["counts"]["livetier"]
    for line in baseline_rules.LINES:  # every tier occurs, so the thresholds are exercised
        assert set(counts[line]) == set(baseline_rules.TIERS), counts


def test_check_fails_when_a_baseline_grades_differently(
    platform: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every consumer host that passes the basic requirements would be an expert.
    monkeypatch.setitem(baseline_rules.THRESHOLDS["consumer"], "expert", ({}, (0, 0, "any")))
    result = check_baselines.check(platform, DAY)
    assert result["same"] == {"sql": False, "polars": False, "pandas": False}
    assert not result["ok"]
