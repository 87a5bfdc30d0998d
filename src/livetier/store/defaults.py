"""Where the state store and the warehouse are when nothing says otherwise (a light module:
the CLI's settings read these without importing the store's libraries)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_DB = "sqlite:///livetier.db"
"""The state store: SQLite in the working folder."""

DEFAULT_WAREHOUSE = Path("livetier.duckdb")
"""The warehouse: a DuckDB file in the working folder."""
