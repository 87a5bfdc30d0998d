"""Point reads for the HTTP service: a SELECT compiled once, run on a pooled DBAPI connection.

A host status is one primary-key lookup; at thousands of requests a second, SQLAlchemy's
per-call work (cache key, compile lookup, result objects) costs more than the database does.
The statement is still written in SQLAlchemy and compiled for the engine's dialect, so the
same code serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.sql import Select


class PointQuery:
    """``stmt`` with named bind parameters, compiled for ``engine``."""

    def __init__(self, engine: Engine, stmt: Select[*tuple[Any, ...]]) -> None:
        compiled = stmt.compile(dialect=engine.dialect)
        self.engine = engine
        self.sql = str(compiled)
        self.order = list(compiled.positiontup or []) if compiled.positional else None

    def first(self, **params: Any) -> tuple[Any, ...] | None:
        """The first row, as a plain tuple, or None."""
        args: Any = [params[n] for n in self.order] if self.order is not None else params
        connection = self.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(self.sql, args)
            row = cursor.fetchone()
            cursor.close()
        finally:
            connection.close()  # back to the pool, rolled back
        return tuple(row) if row is not None else None


def as_date(value: Any) -> date | None:
    """A DATE column as read by the driver: SQLite gives ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value
