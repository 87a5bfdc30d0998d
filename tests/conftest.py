"""Suite-wide fixtures and rules: with CI=true a skipped test fails the run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

# A server role allowed to create databases; .ci/run sets one up. Each test gets its own
# database, dropped afterwards.
PG_ADMIN_URL = os.environ.get(
    "LIVETIER_TEST_PG", "postgresql+psycopg://livetier:livetier@127.0.0.1:5432/postgres"
)


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


def _uses_postgresql(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    return callspec is not None and callspec.params.get("db_url") == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark what a test costs from what it uses, so `-m` can leave out servers, JVMs, browsers."""
    # A module with one test on the Spark session is a Spark module: its other tests start
    # Spark through the CLI or ask for the session at run time.
    spark_modules = {item.path for item in items if "spark" in getattr(item, "fixturenames", ())}
    browser_tests = Path(__file__).parent / "browser"
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
