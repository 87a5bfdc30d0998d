"""The Alembic migrations build exactly the schema the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
