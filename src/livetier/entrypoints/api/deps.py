"""What every route shares: the key check and its roles, the served view, the error answers
the schema lists, and a fast JSON response."""

from __future__ import annotations

import time
from typing import Annotated, Any

import orjson
from fastapi import Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from fastapi.security import APIKeyHeader
from sqlalchemy import Engine

from livetier.entrypoints import schemas
from livetier.services import keys
from livetier.services.served import Served
from livetier.services.status import UnknownHost

KEY_HEADER = "X-API-Key"
AUTH_CACHE_SECONDS = 10.0  # a revoked key stops working within this long

api_key = APIKeyHeader(
    name=KEY_HEADER,
    auto_error=False,
    description="An API key from `livetier keys create`; its role decides what it may do.",
)

HostId = Annotated[str, PathParam(pattern=schemas.HOST_ID, description="The host's id.")]
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": schemas.Problem, "description": "No key, or an unknown or revoked key."},
    403: {"model": schemas.Problem, "description": "The key's role may not do this."},
}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": schemas.Problem, "description": "The body is not valid JSON."},
    413: {"model": schemas.Problem, "description": "The body is too large."},
}
HOST_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_ERRORS,
    404: {"model": schemas.Problem, "description": "No such host (or not this key's host)."},
}


class Authenticator:
    """Keys to principals, with a short cache: a key is hashed and looked up once per while."""

    def __init__(self, db: Engine, cache_seconds: float = AUTH_CACHE_SECONDS) -> None:
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


# The key and role check and the hot reads are coroutines: a cached key and a point lookup
# by primary key take microseconds, far less than a hop to the thread pool would.
class RoleCheck:
    """A dependency: the key's principal, if its role is one of ``allowed``. The gate
    (``middleware.py``) reads ``allowed`` to refuse a request before its body is read."""

    def __init__(self, *allowed: keys.Role) -> None:
        self.allowed = allowed

    def admit(self, who: keys.Principal) -> keys.Principal:
        """``who``, if its role may; else 403."""
        if who.role not in self.allowed:
            names = ", ".join(r.value for r in self.allowed)
            article = "an" if who.role.value[0] in "aeiou" else "a"
            raise HTTPException(
                403, f"{article} {who.role.value} key may not do this (needs {names})"
            )
        return who

    async def __call__(
        self, request: Request, key: Annotated[str | None, Depends(api_key)]
    ) -> keys.Principal:
        authenticate: Authenticator = request.app.state.authenticate
        return self.admit(authenticate(key))


def role(*allowed: keys.Role) -> RoleCheck:
    """A dependency: the key's principal, if its role is one of ``allowed``."""
    return RoleCheck(*allowed)


def own(who: keys.Principal, host_id: str) -> None:
    """A host key sees only its host: any other id is answered as unknown."""
    if who.role is keys.Role.host and who.host_id != host_id:
        raise UnknownHost(f"{host_id}: no such host")


async def _served(request: Request) -> Served:
    view: Served = request.app.state.served
    return view


View = Annotated[Served, Depends(_served)]
"""The stores of the run the app serves."""

Anyone = Annotated[
    keys.Principal, Depends(role(keys.Role.host, keys.Role.operator, keys.Role.service))
]
HostOrOperator = Annotated[keys.Principal, Depends(role(keys.Role.host, keys.Role.operator))]
Host = Annotated[keys.Principal, Depends(role(keys.Role.host))]
Operator = Annotated[keys.Principal, Depends(role(keys.Role.operator))]
Service = Annotated[keys.Principal, Depends(role(keys.Role.service, keys.Role.operator))]
ServiceOnly = Annotated[keys.Principal, Depends(role(keys.Role.service))]
"""Platform services alone: sending live events (an operator reads, it does not feed)."""


def json_response(body: dict[str, Any]) -> Response:
    """A JSON response without a second validation pass: the hot reads build their bodies
    from typed data, and the schema tests check them against the response models."""
    return Response(orjson.dumps(body), media_type="application/json")
