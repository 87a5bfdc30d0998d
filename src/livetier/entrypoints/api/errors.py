"""Refusals of the services as HTTP answers: status code, detail and a machine-readable reason;
invalid requests as 422 answers that repeat at most the start of what was sent."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from livetier.services import activities, overrides, state
from livetier.services.status import UnknownHost


def _unknown_host(_: Request, e: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(e)}, 404)


def _activity_refused(_: Request, e: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(e), "reason": "day_in_past"}, 409)


def _unknown_activity(_: Request, e: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(e), "reason": "unknown_activity"}, 404)


def _reused_key(_: Request, e: Exception) -> JSONResponse:
    detail = "this Idempotency-Key was used with a different request; use a new key"
    return JSONResponse({"detail": detail, "reason": "idempotency_key_reused"}, 409)


def _claim_refused(_: Request, e: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(e), "reason": "not_qualified"}, 409)


ECHO_CHARS = 200
"""How much of an invalid input a 422 repeats: enough to see what was sent, never all of it."""


def _echo(value: Any) -> Any:
    """``value``, or its start as text when it is long."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:  # orjson refuses integers beyond 64 bits; the standard library not
            text = json.dumps(value, default=str)
    if len(text) <= ECHO_CHARS:
        return value
    return f"{text[:ECHO_CHARS]}… ({len(text)} characters)"


def _invalid(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, RequestValidationError)
    errors = jsonable_encoder(e.errors())
    for error in errors:
        if "input" in error:
            error["input"] = _echo(error["input"])
    return JSONResponse({"detail": errors}, 422)


def _override_refused(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, overrides.OverrideRefused)
    return JSONResponse({"detail": e.say(str), "reason": "override_refused"}, 409)


def install(app: FastAPI) -> None:
    """Answer the services' refusals on ``app``."""
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(UnknownHost, _unknown_host)
    app.add_exception_handler(activities.ActivityRefused, _activity_refused)
    app.add_exception_handler(activities.UnknownActivity, _unknown_activity)
    app.add_exception_handler(activities.IdempotencyConflict, _reused_key)
    app.add_exception_handler(state.ClaimRefused, _claim_refused)
    app.add_exception_handler(overrides.OverrideRefused, _override_refused)
