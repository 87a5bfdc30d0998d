"""Suite-wide fixtures and rules: markers from what a test costs; with CI=true a skip fails."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

# A server role allowed to create databases; .ci/run sets one up. Each test gets its own
# database, dropped afterwards.
PG_ADMIN_URL = os.environ.get(
    "LIVETIER_TEST_PG", "postgresql+psycopg://livetier:livetier@127.0.0.1:5432/postgres"
)

# Every Spark test of a run shares one JVM (PySpark starts it once per process), and the heap
# it keeps between sessions grows over the suite: Spark's default driver heap (1 GB) ran out
# in a late test (java.lang.OutOfMemoryError in collectToPython), now and then. The JVM is
# started with this unless the environment says otherwise.
os.environ.setdefault("SPARK_DRIVER_MEMORY", "2g")


@pytest.fixture(autouse=True)
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own warehouse file; commands without --warehouse use it too."""
    path = tmp_path / "livetier.duckdb"
    monkeypatch.setenv("LIVETIER_WAREHOUSE", str(path))
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty state-store URL: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            name = f"livetier_test_{uuid4().hex[:12]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as e:
        admin.dispose()
        reason = str(e.orig).strip().splitlines()[0] if e.orig else str(e)
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL} ({reason})")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """A local Spark engine shared by a module's tests (builders.local_spark); skipped without
    Java 17 or PySpark. A module needing other settings defines its own ``spark`` fixture."""
    from builders import local_spark  # not at import: builders loads Ibis and PyArrow

    with local_spark() as engine:
        yield engine


# Tests over ~5 s on their own, beyond the modules marked slow in their own file: measured with
# `pytest --durations=40 -m "not spark"` on 2026-12-02 (a shared 2-core machine, so about 3x
# the time alone: all of these took 12-30 s there). A name no longer found in its file is an error.
SLOW = {
    "e2e/test_cli.py": {"test_a_memory_limit_gives_the_same_result_and_a_bad_one_exits_2"},
    "e2e/test_live_cli.py": {
        "test_a_follow_killed_while_storing_a_file_stores_it_once_when_restarted"
    },
    "integration/test_daily_runs.py": {
        "test_a_copy_of_another_store_is_not_used",
        "test_a_corrected_day_can_move_a_host_to_another_tier_than_first_recorded",
        "test_a_failure_while_recording_leaves_the_previous_state_and_the_next_run_completes",
        "test_outbox_ids_strictly_increase",
        "test_rerunning_a_day_with_the_same_input_adds_nothing",
        "test_rerunning_the_latest_day_after_a_correction_replaces_its_changes",
        "test_runs_compare_with_the_warehouse_copy_of_the_state_only_while_it_is_current",
        "test_the_next_day_records_only_what_changed",
    },
    "integration/test_live.py": {
        "test_surfacing_follows_the_tier_the_thresholds_and_the_session_end"
    },
    "integration/test_explain.py": {
        "test_counted_records_equal_the_metrics_of_every_host_on_a_generated_platform",
        "test_partitioned_input_explains_the_same",
        "test_the_api_and_the_details_page_show_a_host_only_its_own_records_masked",
        "test_cli_lists_records_as_jsonl_and_needs_a_data_folder",
    },
    "integration/test_state_commands.py": {
        "test_backfill_gives_the_history_of_daily_runs_and_events_follow_a_cursor"
    },
    "integration/test_warehouse.py": {
        "test_holds_follow_rules_where_less_activity_can_raise_a_tier",
        "test_how_long_a_tier_holds_and_at_risk_events",
        "test_lookback_recomputes_late_corrections_and_logs_the_changed_facts",
        "test_partitioned_input_grades_as_the_flat_files_and_a_daily_run_reads_one_new_day",
        "test_status_shows_tier_privileges_how_long_it_holds_and_the_task_list",
    },
}
TESTS = Path(__file__).parent


def _mark_slow(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests named in SLOW; refuse a name that its (fully collected) file lacks."""
    found: dict[str, set[str]] = {}
    for item in items:
        file = item.path.relative_to(TESTS).as_posix() if item.path.is_relative_to(TESTS) else ""
        name = getattr(item, "originalname", item.name)
        if name in SLOW.get(file, ()):
            item.add_marker(pytest.mark.slow)
            found.setdefault(file, set()).add(name)
    # Only a whole file shows a stale name: a run of chosen tests (file::test) leaves some out.
    if any("::" in arg for arg in config.args):
        return
    collected = {
        i.path.relative_to(TESTS).as_posix() for i in items if i.path.is_relative_to(TESTS)
    }
    stale = sorted(
        f"{file}::{name}"
        for file, names in SLOW.items()
        if file in collected
        for name in names - found.get(file, set())
    )
    if stale:
        raise pytest.UsageError(f"tests/conftest.py SLOW names tests that do not exist: {stale}")


def _uses_postgresql(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("db_url") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what a test costs from what it uses, so `-m` can leave out servers, JVMs, browsers."""
    # A module with one test on the Spark session is a Spark module: its other tests start
    # Spark through the CLI or ask for the session at run time.
    spark_modules = {item.path for item in items if "spark" in getattr(item, "fixturenames", ())}
    browser_tests = TESTS / "browser"
    _mark_slow(config, items)
    for item in items:
        if _uses_postgresql(item):
            item.add_marker(pytest.mark.postgres)
        if item.path in spark_modules:
            item.add_marker(pytest.mark.spark)
        if item.path.is_relative_to(browser_tests):
            item.add_marker(pytest.mark.browser)


def _skipped(config: pytest.Config) -> int:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return len(reporter.stats.get("skipped", [])) if reporter else 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and _skipped(session.config):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    skipped = _skipped(config)
    if os.environ.get("CI") == "true" and skipped:
        terminalreporter.write_line(
            f"CI=true: {skipped} skipped test(s) count as failures", red=True, bold=True
        )
