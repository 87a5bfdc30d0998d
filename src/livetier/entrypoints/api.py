"""The HTTP API (FastAPI): hosts, operators and platform services, over the stores of a run.

Every route is thin: check the key and its role, call a service, shape the answer. The web
pages (entrypoints/web.py) are served by the same app.
"""

import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from livetier.domain.rulebook import Rulebook
from livetier.entrypoints import schemas, web
from livetier.entrypoints.bodies import privilege_body, progress_body, status_body
from livetier.entrypoints.settings import Settings
from livetier.services import activities, keys, served, state
from livetier.services.status import UnknownHost

KEY_HEADER = "X-API-Key"
KEY_COOKIE = "livetier_key"
_AUTH_CACHE_SECONDS = 10.0  # a revoked key stops working within this long

api_key = APIKeyHeader(
    name=KEY_HEADER,
    auto_error=False,
    description="An API key from `livetier keys create`; its role decides what it may do.",
)

HostId = Annotated[str, PathParam(pattern=schemas.HOST_ID, description="The host's id.")]
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.Problem, "description": "No key, or an unknown or revoked key."},
    403: {"model": schemas.Problem, "description": "The key's role may not do this."},
}
_BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.Problem, "description": "The body is not valid JSON."},
}
_HOST_ERRORS: dict[int | str, dict[str, Any]] = {
    **_AUTH_ERRORS,
    404: {"model": schemas.Problem, "description": "No such host (or not this key's host)."},
}


class Authenticator:
    """Keys to principals, with a short cache: a key is hashed and looked up once per while."""

    def __init__(self, db: Engine, cache_seconds: float = _AUTH_CACHE_SECONDS) -> None:
        self.db = db
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[keys.Principal | None, float]] = {}

    def __call__(self, key: str | None) -> keys.Principal:
        if not key:
            raise HTTPException(401, f"missing API key: send it in the {KEY_HEADER} header")
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is None or hit[1] < now:
            if len(self._cache) > 10_000:
                self._cache.clear()
            hit = (keys.authenticate(self.db, key), now + self.cache_seconds)
            self._cache[key] = hit
        if hit[0] is None:
            raise HTTPException(401, "unknown or revoked API key")
        return hit[0]


def _json(body: dict[str, Any]) -> Response:
    """A JSON response without a second validation pass: the hot reads build their bodies
    from typed data, and the schema tests check them against the response models."""
    return Response(orjson.dumps(body), media_type="application/json")


def create_app(
    db: Engine,
    warehouse: Path,
    rulebook: Rulebook,
    *,
    clock: Callable[[], datetime] | None = None,
    refresh_seconds: float = 5.0,
    auth_cache_seconds: float = _AUTH_CACHE_SECONDS,
) -> FastAPI:
    """The app over one state store and the snapshots of one warehouse. ``clock`` gives the
    time (tests move it); the run and key caches last ``refresh_seconds`` and
    ``auth_cache_seconds``."""
    view = served.Served(db, warehouse, rulebook, clock=clock, refresh_seconds=refresh_seconds)
    authenticate = Authenticator(db, auth_cache_seconds)
    app = FastAPIOffline(  # /docs and /redoc from assets in the package: no CDN
        title="livetier",
        swagger_ui_parameters={"validatorUrl": None},  # no call to an outside validator
        version="1",
        summary="Live-host tiers, privileges, task lists and channel activities.",
        description="Send an API key in the X-API-Key header. Roles: `host` (one host), "
        "`operator`, `service` (privilege checks and the events feed).",
    )
    app.state.served = view
    app.state.authenticate = authenticate

    # The key and role check and the hot reads are coroutines: a cached key and a point lookup
    # by primary key take microseconds, far less than a hop to the thread pool would.
    def role(*allowed: keys.Role) -> Callable[..., Any]:
        names = ", ".join(r.value for r in allowed)

        async def check(key: Annotated[str | None, Depends(api_key)]) -> keys.Principal:
            who = authenticate(key)
            if who.role not in allowed:
                raise HTTPException(403, f"a {who.role.value} key may not do this (needs {names})")
            return who

        return check

    def own(who: keys.Principal, host_id: str) -> None:
        """A host key sees only its host: any other id is answered as unknown."""
        if who.role is keys.Role.host and who.host_id != host_id:
            raise UnknownHost(f"{host_id}: no such host")

    anyone = role(keys.Role.host, keys.Role.operator, keys.Role.service)
    hosts_and_operators = role(keys.Role.host, keys.Role.operator)
    operators = role(keys.Role.operator)
    services = role(keys.Role.service, keys.Role.operator)

    @app.exception_handler(UnknownHost)
    def _unknown_host(_: Request, e: UnknownHost) -> JSONResponse:
        return JSONResponse({"detail": str(e)}, 404)

    @app.exception_handler(activities.ActivityRefused)
    def _activity_refused(_: Request, e: activities.ActivityRefused) -> JSONResponse:
        return JSONResponse({"detail": str(e), "reason": "day_in_past"}, 409)

    @app.exception_handler(activities.UnknownActivity)
    def _unknown_activity(_: Request, e: activities.UnknownActivity) -> JSONResponse:
        return JSONResponse({"detail": str(e), "reason": "unknown_activity"}, 404)

    @app.exception_handler(activities.IdempotencyConflict)
    def _reused_key(_: Request, e: activities.IdempotencyConflict) -> JSONResponse:
        return JSONResponse({"detail": str(e), "reason": "idempotency_key_reused"}, 409)

    @app.exception_handler(state.ClaimRefused)
    def _claim_refused(_: Request, e: state.ClaimRefused) -> JSONResponse:
        return JSONResponse({"detail": str(e), "reason": "not_qualified"}, 409)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    # hosts ---------------------------------------------------------------------------------

    @app.get(
        "/api/v1/hosts/{host_id}/status",
        response_model=schemas.HostStatus,
        responses=_HOST_ERRORS,
        tags=["hosts"],
    )
    async def host_status(host_id: HostId, who: Annotated[keys.Principal, Depends(anyone)]) -> Any:
        """Tier, since, claim, privileges and how long the tier holds."""
        own(who, host_id)
        return _json(status_body(view.host(host_id, evaluate=False)))

    @app.get(
        "/api/v1/hosts/{host_id}/progress",
        response_model=schemas.Progress,
        responses=_HOST_ERRORS,
        tags=["hosts"],
    )
    def host_progress(
        host_id: HostId, who: Annotated[keys.Principal, Depends(hosts_and_operators)]
    ) -> Any:
        """The task list: each criterion of the current and next tier, value, target, met."""
        own(who, host_id)
        return progress_body(view.host(host_id))

    @app.get(
        "/api/v1/hosts/{host_id}/history",
        response_model=list[schemas.Change],
        responses=_HOST_ERRORS,
        tags=["hosts"],
    )
    def host_history(
        host_id: HostId,
        who: Annotated[keys.Principal, Depends(hosts_and_operators)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Any:
        """The host's tier changes, newest first."""
        own(who, host_id)
        view.host(host_id, evaluate=False)  # 404 for an unknown host
        return view.changes(host_id, limit)

    @app.post(
        "/api/v1/hosts/{host_id}/claim",
        response_model=schemas.Claimed,
        responses={
            **_HOST_ERRORS,
            409: {"model": schemas.Problem, "description": "The host qualifies for no tier."},
        },
        tags=["hosts"],
    )
    def host_claim(
        host_id: HostId, who: Annotated[keys.Principal, Depends(role(keys.Role.host))]
    ) -> Any:
        """Claim the host identity (领取主播身份); claiming again keeps the first claim."""
        own(who, host_id)
        return state.claim(view.db, host_id)

    @app.get(
        "/api/v1/hosts/{host_id}/privileges/{privilege}",
        response_model=schemas.PrivilegeCheck,
        responses={**_HOST_ERRORS},
        tags=["privileges"],
    )
    async def privilege_check(
        host_id: HostId,
        privilege: Annotated[str, PathParam(max_length=64, pattern=r"^[a-z_]+$")],
        who: Annotated[keys.Principal, Depends(anyone)],
        activity_id: Annotated[
            int | None,
            Query(
                ge=1,
                le=schemas.MAX_ID,
                description="For a registration: the activity "
                "(a special one is exempt from the fatigue rule).",
            ),
        ] = None,
    ) -> Any:
        """May the host use this privilege now? The answer, and the reason."""
        own(who, host_id)
        if privilege not in view.version_today().privileges:
            raise HTTPException(404, f"no privilege {privilege!r} in the rulebook")
        exempt = bool(activity_id and activities.is_special(view, activity_id))
        return _json(privilege_body(host_id, view.privilege(host_id, privilege, exempt=exempt)))

    # channel activities --------------------------------------------------------------------

    @app.get(
        "/api/v1/activities",
        response_model=list[schemas.Activity],
        responses=_AUTH_ERRORS,
        tags=["activities"],
    )
    def list_activities(
        who: Annotated[keys.Principal, Depends(anyone)],
        since: Annotated[date | None, Query(description="Default: today.")] = None,
    ) -> Any:
        """Channel activities on or after a day."""
        return activities.activities(view, since)

    @app.post(
        "/api/v1/activities",
        response_model=schemas.Activity,
        status_code=201,
        responses={
            **_AUTH_ERRORS,
            **_BODY_ERRORS,
            409: {"model": schemas.Problem, "description": "The day is in the past."},
        },
        tags=["activities"],
    )
    def create_activity(
        body: schemas.ActivityIn, who: Annotated[keys.Principal, Depends(operators)]
    ) -> Any:
        """Create a channel activity (operators)."""
        return activities.create_activity(view, body.name, body.day, body.special)

    @app.post(
        "/api/v1/hosts/{host_id}/registrations",
        response_model=schemas.Registration,
        status_code=201,
        responses={
            **_HOST_ERRORS,
            **_BODY_ERRORS,
            409: {
                "model": schemas.Problem,
                "description": "Refused (tier too low, not claimed, fatigue, already "
                "registered, activity over), or the Idempotency-Key was used with another body.",
            },
        },
        tags=["activities"],
    )
    def register(
        host_id: HostId,
        body: schemas.RegistrationIn,
        who: Annotated[keys.Principal, Depends(hosts_and_operators)],
        idempotency_key: Annotated[
            str | None,
            Header(
                pattern=r"^[\x21-\x7e]{1,200}$",
                description="Retries with the same key and body get the first response.",
            ),
        ] = None,
    ) -> Any:
        """Register the host for a channel activity (the 2-day fatigue rule applies).

        A retry with the same Idempotency-Key and body gets the first response again, with the
        header ``Idempotent-Replayed: true``."""
        own(who, host_id)
        outcome = activities.register(
            view, host_id, body.activity_id, api_key_id=who.key_id, idempotency_key=idempotency_key
        )
        return JSONResponse(
            outcome.body,
            outcome.status,
            headers={"Idempotent-Replayed": "true"} if outcome.replayed else None,
        )

    @app.get(
        "/api/v1/hosts/{host_id}/registrations",
        response_model=list[schemas.Registration],
        responses=_HOST_ERRORS,
        tags=["activities"],
    )
    def host_registrations(
        host_id: HostId, who: Annotated[keys.Principal, Depends(hosts_and_operators)]
    ) -> Any:
        """The host's registrations, newest first."""
        own(who, host_id)
        view.host(host_id, evaluate=False)  # 404 for an unknown host
        return activities.registrations(view, host_id)

    # operators -----------------------------------------------------------------------------

    @app.get(
        "/api/v1/operator/distribution",
        response_model=list[schemas.DistributionDay],
        responses=_AUTH_ERRORS,
        tags=["operators"],
    )
    def distribution(
        who: Annotated[keys.Principal, Depends(operators)],
        days: Annotated[int, Query(ge=1, le=366)] = 30,
    ) -> Any:
        """Hosts per line and tier on each of the last run days, oldest first."""
        return view.distribution(days)

    @app.get(
        "/api/v1/operator/changes",
        response_model=list[schemas.Change],
        responses=_AUTH_ERRORS,
        tags=["operators"],
    )
    def recent_changes(
        who: Annotated[keys.Principal, Depends(operators)],
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> Any:
        """Recent upgrades and downgrades, newest first."""
        return view.changes(None, limit)

    @app.get(
        "/api/v1/operator/quality",
        response_model=schemas.Quality,
        responses=_AUTH_ERRORS,
        tags=["operators"],
    )
    def quality(
        who: Annotated[keys.Principal, Depends(operators)],
        limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
    ) -> Any:
        """The latest run's data-quality report."""
        return view.quality(limit)

    @app.get(
        "/api/v1/rulebook",
        response_model=schemas.Rulebook,
        responses=_AUTH_ERRORS,
        tags=["operators"],
    )
    def rulebook_versions(who: Annotated[keys.Principal, Depends(operators)]) -> Any:
        """Every rule version with its thresholds."""
        return served.rulebook_record(rulebook)

    # platform services ---------------------------------------------------------------------

    @app.get(
        "/api/v1/events",
        response_model=list[schemas.Event],
        responses=_AUTH_ERRORS,
        tags=["services"],
    )
    def events(
        who: Annotated[keys.Principal, Depends(services)],
        after: Annotated[int, Query(ge=0, le=2**62, description="The last id you read.")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Any:
        """Tier events with an id above ``after``, oldest first."""
        return state.events_after(view.db, after, limit)

    web.mount(app, view, rulebook, authenticate)
    return app


def app_from_env(settings: Settings | None = None) -> FastAPI:
    """The app as ``livetier serve`` configures it: from ``settings``, else from the
    environment (LIVETIER_DB, LIVETIER_WAREHOUSE, LIVETIER_RULES), as uvicorn's workers do."""
    from livetier import rulebooks
    from livetier.store.schema import open_engine

    config = settings or Settings()
    return create_app(open_engine(config.db), config.warehouse, rulebooks.load(config.rules))
