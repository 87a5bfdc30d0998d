"""Opening the state store: a SQLAlchemy engine whose schema Alembic brings up to date.

Commands that write open it with ``migrate=True`` (the default), which creates and upgrades
the schema; read commands open it with ``migrate=False``, which never creates a database or
changes its schema. Either way a store that cannot be opened is a ``StoreError`` whose one-line
message says why, with any password masked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, make_url

MIGRATIONS = Path(__file__).with_name("migrations")


POOL_SIZE, POOL_OVERFLOW = 20, 10
"""Connections a server process keeps open to a database server, and how many more it may
open for a burst. A request thread holds one at a time, and the API runs sync routes on 40
threads: with SQLAlchemy's default 5 kept, a burst of registrations opened and closed a
PostgreSQL connection (a server process each) for most requests. 2 workers: at most 60 of
PostgreSQL's default 100 connections."""


class StoreError(Exception):
    """The state store cannot be opened (bad URL, unreachable, missing, read-only)."""


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """Connect to the store at ``url``; migrate the schema to the latest revision, or with
    ``migrate=False`` check that a store of the latest revision is there."""
    shown = masked(url)
    engine = _create(url, shown, migrate)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        if migrate:
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        else:
            with engine.connect() as connection:
                found = MigrationContext.configure(connection).get_current_revision()
            _check_revision(shown, found, ScriptDirectory.from_config(config).get_current_head())
    except exc.DBAPIError as e:
        engine.dispose()
        raise StoreError(f"state store {shown}: {_cause(e, url)}") from None
    except StoreError:
        engine.dispose()
        raise
    return engine


@contextmanager
def connected(url: str, *, migrate: bool = True) -> Iterator[Engine]:
    """An opened store for the length of a command; its connections are closed after."""
    engine = open_engine(url, migrate=migrate)
    try:
        yield engine
    finally:
        engine.dispose()


def masked(url: str) -> str:
    """``url`` as it may be shown: the password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (exc.ArgumentError, ValueError):  # not a URL: still hide what looks like one
        return re.sub(r"(//[^/:@]*:)[^/@]*@", r"\1***@", url)


def _create(url: str, shown: str, migrate: bool) -> Engine:
    """The engine for ``url``; a URL that names no usable database is a StoreError."""
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError):
        raise StoreError(
            f"state store {shown!r} is not a database URL (expected, for example, "
            "sqlite:///livetier.db or postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database, shown, migrate)
    try:
        if parsed.get_backend_name() == "sqlite":
            return create_engine(parsed)
        return create_engine(parsed, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    except exc.NoSuchModuleError:
        raise StoreError(
            f"state store {shown}: unsupported database {parsed.drivername!r} "
            "(livetier stores its state in sqlite or postgresql)"
        ) from None
    except ImportError as e:
        raise StoreError(
            f"state store {shown}: the driver for {parsed.drivername!r} is not installed ({e})"
        ) from None


def _check_sqlite_file(database: str | None, shown: str, migrate: bool) -> None:
    """SQLite creates a missing file on connect: say what is wrong before it can."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.is_dir():
        raise StoreError(f"state store {shown}: {path} is a folder, not a database file")
    if not path.parent.is_dir():
        raise StoreError(f"state store {shown}: no such folder {path.parent}")
    if migrate and path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"state store {shown}: the file {path} is read-only, cannot write to it")
    if not migrate and not path.exists():
        raise StoreError(
            f"state store {shown}: no state store there (no file {path}; "
            "`livetier run` or `livetier serve` creates it)"
        )


def _check_revision(shown: str, found: str | None, head: str | None) -> None:
    if found is None:
        raise StoreError(
            f"state store {shown}: no state store there (no livetier tables; "
            "`livetier run` or `livetier serve` creates them)"
        )
    if found != head:
        raise StoreError(
            f"state store {shown}: its schema is at revision {found}, this livetier reads {head} "
            "(`livetier run` or `livetier serve` upgrades it)"
        )


def failed_store(error: exc.DBAPIError) -> StoreError:
    """A store error for a statement the store refused after it opened (a read-only file)."""
    return StoreError(f"the state store refused the command: {_cause(error, None)}")


def _cause(error: exc.DBAPIError, url: str | None) -> str:
    """The driver's first line, without the password should the driver have repeated it."""
    text = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if "readonly" in text.replace(" ", "").replace("-", "").lower():
        text = f"read-only, cannot write to it ({text})"
    password = make_url(url).password if url else None
    return text.replace(str(password), "***") if password else text


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
