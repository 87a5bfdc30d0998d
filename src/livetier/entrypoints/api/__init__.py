"""The HTTP API (FastAPI): hosts, operators and platform services, over the stores of a run.

Every route is thin: check the key and its role, call a service, shape the answer. One module
per OpenAPI tag (hosts, privileges, activities, operators, services, live), what they share in
``deps.py``, the services' refusals as answers in ``errors.py``, the gate a body waits behind
(key, role, size) and complete 405s in ``middleware.py``, the OpenAPI links between operations
in ``links.py``; ``app.py`` puts them together with the web pages (entrypoints/web/).
"""

from __future__ import annotations

from fastapi import FastAPI

from livetier.entrypoints.api.app import create_app
from livetier.entrypoints.api.deps import KEY_HEADER
from livetier.entrypoints.settings import Settings
from livetier.entrypoints.web.routes import KEY_COOKIE

__all__ = ["KEY_COOKIE", "KEY_HEADER", "app_from_env", "create_app"]


def app_from_env(settings: Settings | None = None) -> FastAPI:
    """The app as ``livetier serve`` configures it: from ``settings``, else from the
    environment (LIVETIER_DB, LIVETIER_RULES), as uvicorn's workers do."""
    from livetier import rulebooks
    from livetier.store.schema import open_engine

    config = settings or Settings()
    return create_app(open_engine(config.db), rulebooks.load(config.rules))
