"""Modules the commands import on first use, so that ``--help`` starts without them.

Ibis, DuckDB, PyArrow, SQLAlchemy and FastAPI take over a second to import; ``livetier
--help``, ``--version`` and the ``rules`` commands need none of them (tests/e2e/test_startup.py).
A command module binds such a module with ``lazy()`` and imports it under ``TYPE_CHECKING`` for
the type checker; the module runs when a command first reads one of its names.

Code outside a lazy package imports the package's names from the package, not from its
submodules: importing a submodule runs the not-yet-run package while the import system looks
for that submodule, and a submodule the package imports would then run twice (two copies of
its classes, so ``isinstance`` fails).
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType

_SPECS: dict[str, ModuleSpec] = {}
"""The specs of the modules ``lazy`` bound, so that a lazy package's submodule is found
without running the package (reading anything of a lazy module runs it)."""


def lazy(name: str) -> ModuleType:
    """The module ``name``, executed on first attribute access (at once if already imported)."""
    if name in sys.modules:
        return sys.modules[name]
    parent, _, child = name.rpartition(".")
    if parent in _SPECS:  # a submodule of a lazy package: found in its folder, not run
        spec = PathFinder.find_spec(name, _SPECS[parent].submodule_search_locations)
    else:
        spec = importlib.util.find_spec(name)  # imports the parent packages, which are light
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    _SPECS[name] = spec
    loader.exec_module(module)
    if parent and parent not in _SPECS:
        # as an import would: ``package.module`` then finds it (mock.patch walks so); a lazy
        # parent is left alone: setting a name on it would run it
        setattr(sys.modules[parent], child, module)
    return module


def loaded(name: str) -> ModuleType | None:
    """The module ``name`` if it has run, else None; never runs it."""
    module = sys.modules.get(name)
    # A lazy module is of LazyLoader's module class until its first use, a plain one after.
    return module if type(module) is ModuleType else None
