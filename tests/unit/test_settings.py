"""One Settings per entry point: options over LIVETIER_* variables over the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from livetier.entrypoints.settings import Settings
from livetier.store.defaults import DEFAULT_DB, DEFAULT_WAREHOUSE


@pytest.fixture(autouse=True)
def no_livetier_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LIVETIER_DB", "LIVETIER_WAREHOUSE", "LIVETIER_RULES"):
        monkeypatch.delenv(name, raising=False)


def test_options_win_over_the_environment_which_wins_over_the_defaults(monkeypatch):
    assert Settings() == Settings(db=DEFAULT_DB, warehouse=DEFAULT_WAREHOUSE, rules=None)
    monkeypatch.setenv("LIVETIER_DB", "sqlite:///env.db")
    monkeypatch.setenv("LIVETIER_RULES", "env.yaml")
    given = Settings().override(db=None, warehouse=Path("w.duckdb"), rules=None)
    assert given == Settings(db="sqlite:///env.db", warehouse=Path("w.duckdb"), rules="env.yaml")


def test_an_empty_variable_is_not_set(monkeypatch):
    monkeypatch.setenv("LIVETIER_WAREHOUSE", "")
    assert Settings().warehouse == DEFAULT_WAREHOUSE


def test_the_environment_of_settings_rebuilds_them(monkeypatch):
    chosen = Settings().override(db="postgresql+psycopg://x/y", rules=Path("r.yaml"))
    for name, value in chosen.environment().items():
        monkeypatch.setenv(name, value)
    assert Settings() == chosen


def test_an_unknown_setting_is_refused():
    with pytest.raises(ValueError, match="extra"):
        Settings().override(warehous=Path("typo.duckdb"))


def test_duckdb_memory_defaults_to_3_5_gb_or_80_percent_of_a_smaller_machine(monkeypatch):
    from livetier.entrypoints.cli import options

    assert options.memory(None, options.EngineName.spark) is None  # Spark has its own settings
    assert options.memory(" 1GB ") == "1GB"  # an explicit limit wins
    pages = {"SC_PHYS_PAGES": 1_000_000, "SC_PAGE_SIZE": 4096}  # 4.096 GB of RAM
    monkeypatch.setattr(options.os, "sysconf", pages.__getitem__)
    assert options.memory(None) == "3276MB"  # 80% of it: less than 3.5 GB
    pages["SC_PHYS_PAGES"] = 2_000_000  # 8.192 GB
    assert options.memory(None) == "3500MB"
