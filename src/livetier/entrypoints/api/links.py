"""OpenAPI links: what one operation's answer gives the next request (a new activity's id to a
registration, a registration's host to its lists), for clients and for stateful API testers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

LINKS: dict[tuple[str, str], dict[str, tuple[str, dict[str, Any]]]] = {
    ("create_activity", "201"): {
        "RegisterForTheActivity": (
            "register",
            {"requestBody": {"activity_id": "$response.body#/id"}},
        ),
        "CheckTheRegistrationPrivilege": (
            "privilege_check",
            {"parameters": {"query.activity_id": "$response.body#/id"}},
        ),
    },
    ("register", "201"): {
        "ListTheHostsRegistrations": (
            "host_registrations",
            {"parameters": {"path.host_id": "$response.body#/host_id"}},
        ),
    },
    ("set_override", "201"): {
        "ClearTheOverride": (
            "clear_override",
            {"parameters": {"path.host_id": "$response.body#/host_id"}},
        ),
    },
    ("host_claim", "200"): {
        "TheHostsStatus": (
            "host_status",
            {"parameters": {"path.host_id": "$response.body#/host_id"}},
        ),
    },
}
"""(route name, status) → link name → (target route name, what the link fills in)."""


def install(app: FastAPI, routes: Sequence[BaseRoute]) -> None:
    """Add ``LINKS`` to ``app``'s OpenAPI document, between the operations of ``routes``."""
    plain = app.openapi
    ids = {route.name: route.unique_id for route in routes if isinstance(route, APIRoute)}

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _link(plain(), ids)  # plain() keeps its document in app.openapi_schema
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _link(document: dict[str, Any], ids: dict[str, str]) -> None:
    operations = {
        op["operationId"]: op
        for item in document["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for (source, status), links in LINKS.items():
        operations[ids[source]]["responses"][status]["links"] = {
            name: {"operationId": ids[target], **fills} for name, (target, fills) in links.items()
        }
