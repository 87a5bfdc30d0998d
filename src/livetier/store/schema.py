"""Opening the state store: a SQLAlchemy engine whose schema Alembic brings up to date."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

DEFAULT_DB = "sqlite:///livetier.db"
"""The state store when none is configured: ./livetier.db (SQLite)."""
MIGRATIONS = Path(__file__).with_name("migrations")


def open_engine(url: str) -> Engine:
    """Connect to the store at ``url``, and migrate the schema to the latest revision."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


@contextmanager
def connected(url: str) -> Iterator[Engine]:
    """An opened store for the length of a command; its connections are closed after."""
    engine = open_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers (the API, later) work while a run writes; foreign keys are off by default.
    # SQLAlchemy, not the driver, starts transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}
"""Execution options for a transaction that will write after reading: on SQLite it takes the
write lock at BEGIN, so two such transactions queue (busy_timeout) instead of one failing when
it upgrades its read lock. Other databases ignore it."""


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".rstrip())
