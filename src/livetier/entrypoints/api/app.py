"""The app: one router per OpenAPI tag, the services' refusals as answers, and the web pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine
from starlette.routing import Route

from livetier.domain.rulebook import Rulebook
from livetier.entrypoints import web
from livetier.entrypoints.api import (
    activities,
    errors,
    hosts,
    links,
    live,
    operators,
    overrides,
    privileges,
    services,
)
from livetier.entrypoints.api.deps import AUTH_CACHE_SECONDS, Authenticator
from livetier.entrypoints.api.middleware import MAX_BODY_BYTES, EveryMethodAllowed, Gate
from livetier.entrypoints.web.routes import router as pages_router
from livetier.services import served


def create_app(
    db: Engine,
    rulebook: Rulebook,
    *,
    clock: Callable[[], datetime] | None = None,
    refresh_seconds: float = 5.0,
    auth_cache_seconds: float = AUTH_CACHE_SECONDS,
    max_body: int = MAX_BODY_BYTES,
    max_events_body: int = live.MAX_EVENTS_BODY,
) -> FastAPI:
    """The app over one state store (tiers, claims, the runs' serving snapshots, live
    sessions): nothing else, so any number of servers can share it. ``clock`` gives the time
    (tests move it); the run and key caches last ``refresh_seconds`` and
    ``auth_cache_seconds``; a request body may have ``max_body`` bytes, a batch of live events
    ``max_events_body``."""
    view = served.Served(db, rulebook, clock=clock, refresh_seconds=refresh_seconds)
    authenticate = Authenticator(db, auth_cache_seconds)
    app = FastAPIOffline(  # /docs and /redoc from assets in the package: no CDN
        title="livetier",
        swagger_ui_parameters={"validatorUrl": None},  # no call to an outside validator
        version="1",
        summary="Live-host tiers, privileges, task lists and channel activities.",
        description="Send an API key in the X-API-Key header. Roles: `host` (one host), "
        "`operator`, `service` (privilege checks, the events feed and live events in).",
    )
    app.state.served = view
    app.state.authenticate = authenticate
    errors.install(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    routers = [
        tag.router for tag in (hosts, privileges, activities, operators, overrides, services, live)
    ]
    for router in routers:
        app.include_router(router)
    web.mount(app, view, rulebook, authenticate)
    # The routes as the middleware matches them: the routers' own (included without a prefix).
    routes = [
        route
        for router in [app.router, *routers, pages_router]
        for route in router.routes
        if isinstance(route, Route)
    ]
    app.add_middleware(
        Gate,
        routes=routes,
        authenticate=authenticate,
        max_body=max_body,
        caps={live.EVENTS_PATH: max_events_body},
    )
    app.add_middleware(EveryMethodAllowed, routes=routes)
    live.install(app)
    links.install(app, routes)
    return app
