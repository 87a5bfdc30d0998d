"""Configuration, read in one place: each entry point builds one ``Settings`` and passes it down.

Command-line options win over ``LIVETIER_*`` environment variables, which win over the
defaults (a SQLite state store and a DuckDB warehouse in the working folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from livetier.store.defaults import DEFAULT_DB, DEFAULT_WAREHOUSE


class Settings(BaseSettings):
    """Where the state store, the warehouse and the rulebook are."""

    # An empty variable (LIVETIER_WAREHOUSE=) means "not set", as it did before Settings.
    model_config = SettingsConfigDict(
        env_prefix="LIVETIER_", env_ignore_empty=True, extra="forbid", frozen=True
    )

    db: str = DEFAULT_DB
    """The state store's SQLAlchemy URL (``LIVETIER_DB``, ``--db``)."""
    warehouse: Path = DEFAULT_WAREHOUSE
    """The DuckDB warehouse file (``LIVETIER_WAREHOUSE``, ``--warehouse``)."""
    rules: Path | None = None
    """A rulebook file; None is the shipped 1688 rulebook (``LIVETIER_RULES``, ``--rules``)."""

    def override(self, **options: Any) -> Settings:
        """These settings with the command-line options that were given (not None)."""
        given = {name: value for name, value in options.items() if value is not None}
        return self.model_validate({**self.model_dump(), **given}) if given else self

    def environment(self) -> dict[str, str]:
        """The ``LIVETIER_*`` variables from which ``Settings()`` rebuilds these settings."""
        return {
            f"LIVETIER_{name.upper()}": str(value)
            for name, value in self.model_dump().items()
            if value is not None
        }
