"""The architecture is checked on full module names: import-linter's contracts and a pure domain."""

from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_import_contracts_in_pyproject_are_kept(capsys: pytest.CaptureFixture[str]):
    configuration.configure()  # what the lint-imports command does first
    kept = lint_imports(config_filename=str(PYPROJECT), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, report
    assert "2 kept, 0 broken" in report, report


def test_the_domain_imports_only_the_standard_library_and_itself():
    graph = grimp.build_graph("livetier", include_external_packages=True, cache_dir=None)
    domain = {
        m for m in graph.modules if m == "livetier.domain" or m.startswith("livetier.domain.")
    }
    assert "livetier.domain.rulebook" in domain  # the graph really holds the domain
    outside = {
        (module, imported)
        for module in domain
        for imported in graph.find_modules_directly_imported_by(module)
        if imported not in domain and imported.split(".")[0] not in sys.stdlib_module_names
    }
    assert not outside
