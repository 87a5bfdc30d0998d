"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from livetier.entrypoints.settings import Settings
from livetier.store.models import Base
from livetier.store.schema import open_engine


def test_migrations_match_the_models(db_url):
    engine = open_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_opening_twice_is_harmless(db_url):
    open_engine(db_url).dispose()
    open_engine(db_url).dispose()


def test_the_database_url_comes_from_the_flag_then_the_environment(monkeypatch):
    monkeypatch.delenv("LIVETIER_DB", raising=False)
    assert Settings().override(db=None).db == "sqlite:///livetier.db"
    monkeypatch.setenv("LIVETIER_DB", "postgresql+psycopg://x/y")
    assert Settings().override(db=None).db == "postgresql+psycopg://x/y"
    assert Settings().override(db="sqlite:///a.db").db == "sqlite:///a.db"
