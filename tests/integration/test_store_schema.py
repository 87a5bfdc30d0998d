"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from livetier.store.models import Base
from livetier.store.schema import database_url, open_engine


def test_migrations_match_the_models(tmp_path):
    engine = open_engine(f"sqlite:///{tmp_path / 's.db'}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_opening_twice_is_harmless(tmp_path):
    url = f"sqlite:///{tmp_path / 's.db'}"
    open_engine(url)
    open_engine(url)


def test_the_database_url_comes_from_the_flag_then_the_environment(monkeypatch):
    monkeypatch.delenv("LIVETIER_DB", raising=False)
    assert database_url(None) == "sqlite:///livetier.db"
    monkeypatch.setenv("LIVETIER_DB", "postgresql+psycopg://x/y")
    assert database_url(None) == "postgresql+psycopg://x/y"
    assert database_url("sqlite:///a.db") == "sqlite:///a.db"
