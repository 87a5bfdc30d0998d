"""ASGI middleware around the routes: the gate a request's body waits behind, and 405 answers
that name every method of the path.

FastAPI reads and validates a body before any dependency runs, so the key check of ``deps.py``
comes too late to spare the server a large body sent without a key. The gate runs first: for a
route whose dependencies check a role, it asks the same ``Authenticator`` and ``RoleCheck``
before a byte of the body is read, and it counts the body as it streams in, answering 413 at
the cap (at once when Content-Length already says more). The cap is ``max_body`` unless
``caps`` names the route's path with its own (the live events batch).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from fastapi import HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import BaseRoute, Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from livetier.entrypoints.api.deps import KEY_HEADER, Authenticator, RoleCheck

MAX_BODY_BYTES = 64 * 1024  # the largest body a route takes: a draft rulebook (a few KB)


class BodyTooLarge(HTTPException):
    """A request body over the cap; an HTTPException, so FastAPI answers it as it is."""

    def __init__(self, cap: int) -> None:
        super().__init__(413, f"request body too large: at most {cap} bytes")


def _checks(dependant: Dependant) -> Iterator[RoleCheck]:
    for sub in dependant.dependencies:
        if isinstance(sub.call, RoleCheck):
            yield sub.call
        yield from _checks(sub)


def _answer(e: HTTPException) -> JSONResponse:
    return JSONResponse({"detail": e.detail}, e.status_code, headers=e.headers)


class Gate:
    """Before a body is read: a valid key with a role the route allows, and a size under the
    cap; while it is read: the cap again, counting the bytes as they come."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Sequence[BaseRoute],
        authenticate: Authenticator,
        max_body: int = MAX_BODY_BYTES,
        caps: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.routes = routes
        self.authenticate = authenticate
        self.max_body = max_body
        self.caps = dict(caps or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cap = self.max_body
        if headers.get("transfer-encoding") or headers.get("content-length", "0") != "0":
            # without a body, the routes check as usual
            route = self._route(scope)
            if isinstance(route, Route):
                cap = self.caps.get(route.path, cap)
            refused = self._refusal(route, headers, cap)
            if refused is not None:
                await _answer(refused)(scope, receive, send)
                return
        try:
            await self.app(scope, self._counted(receive, cap), send)
        except BodyTooLarge as e:  # read outside FastAPI's handler, which answers it itself
            await _answer(e)(scope, receive, send)

    def _refusal(self, route: BaseRoute | None, headers: Headers, cap: int) -> HTTPException | None:
        """Why the request is refused before its body is read, if it is."""
        try:
            if isinstance(route, APIRoute):  # none: a public route
                for check in _checks(route.dependant):
                    check.admit(self.authenticate(headers.get(KEY_HEADER)))
        except HTTPException as e:
            return e
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            return BodyTooLarge(cap)
        return None

    def _route(self, scope: Scope) -> BaseRoute | None:
        """The route that will answer ``scope``, if one will."""
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route
        return None

    def _counted(self, receive: Receive, cap: int) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise BodyTooLarge(cap)
            return message

        return counted


class EveryMethodAllowed:
    """A 405 names, in ``Allow``, the methods of every route of the path, not of one."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                MutableHeaders(scope=message)["Allow"] = ", ".join(self._methods(scope))
            await send(message)

        await self.app(scope, receive, send_allow)

    def _methods(self, scope: Scope) -> list[str]:
        methods: set[str] = set()
        for route in self.routes:
            if isinstance(route, Route) and route.methods:
                match, _ = route.matches(scope)
                if match is not Match.NONE:
                    methods |= route.methods
        return sorted(methods)
