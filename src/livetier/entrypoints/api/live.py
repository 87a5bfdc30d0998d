"""Routes tagged ``live``: live events in from platform services, the live channel and live
sessions out.

A batch of events is a JSON array or NDJSON (one event per line). Each event gets the strict
JSON-type check of its schema here (``schemas.LiveEventIn``: ids and times are strings,
``deleted`` a boolean), then ``services.live.accept_events`` checks its values and stores the
good ones durably before the answer: a bad event is answered with its index and reason while
the others are accepted, and an event already stored is acknowledged as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi import Path as PathParam
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import (
    AUTH_ERRORS,
    BODY_ERRORS,
    Anyone,
    ServiceOnly,
    View,
    json_response,
)
from livetier.entrypoints.api.errors import ECHO_CHARS
from livetier.entrypoints.bodies import channel_body, live_session_body
from livetier.services import keys, live
from livetier.services.served import Served

router = APIRouter(tags=["live"])

EVENTS_PATH = "/api/v1/live/events"
MAX_EVENTS_BODY = 4 * 1024 * 1024
"""The largest batch body: 4 MiB, about 25,000 events of 160 bytes; a sender splits larger
batches (a few thousand events per request is the intended size)."""
NDJSON = ("application/x-ndjson", "application/ndjson")
JSON = "application/json"

_EVENT: TypeAdapter[Any] = TypeAdapter(schemas.LiveEventIn)
_BATCH = TypeAdapter(list[schemas.LiveEventIn]).json_schema(
    ref_template="#/components/schemas/{model}"
)
_DEFINITIONS: dict[str, Any] = _BATCH.pop("$defs")
_KINDS = ", ".join(live.KINDS)

_BATCH_DOC = (
    "A batch of live events: a JSON array (`application/json`) or one event per line "
    f"(`{NDJSON[0]}`), at most {MAX_EVENTS_BODY // (1024 * 1024)} MiB."
)


def _short(text: str) -> str:
    return text if len(text) <= ECHO_CHARS else f"{text[:ECHO_CHARS]}…"


def _type_error(raw: Any) -> str | None:
    """Why ``raw`` is not an event of the schema (JSON types, required and unknown fields,
    lengths), or None."""
    if not isinstance(raw, dict):
        return "an event is a JSON object"
    if raw.get("kind") not in live.KINDS:
        return f"kind: must be one of {_KINDS}"
    try:
        _EVENT.validate_python(raw)
    except ValidationError as e:
        first = e.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "event"  # [0] is the kind
        return _short(f"{where}: {first['msg']}")
    return None


def _parse(body: bytes, media: str) -> tuple[list[Any], dict[int, str]]:
    """The batch's items, and the reason of each item that is not even JSON (NDJSON lines)."""
    if media in NDJSON:
        items: list[Any] = []
        broken: dict[int, str] = {}
        for line in body.splitlines():
            if not line.strip():
                continue
            try:
                items.append(orjson.loads(line))
            except orjson.JSONDecodeError as e:
                broken[len(items)] = _short(f"not valid JSON: {e}")
                items.append(None)
        return items, broken
    try:
        batch = orjson.loads(body)
    except orjson.JSONDecodeError as e:
        raise HTTPException(400, _short(f"the body is not valid JSON: {e}")) from None
    if not isinstance(batch, list):
        raise HTTPException(
            422, f"the body must be a JSON array of events (or NDJSON, as {NDJSON[0]})"
        )
    return batch, {}


def _accept(view: Served, body: bytes, media: str) -> dict[str, Any]:
    """Check and store a batch; the report with every rejected event's index."""
    items, rejected = _parse(body, media)
    good: list[Any] = []
    positions: list[int] = []
    for i, raw in enumerate(items):
        if i in rejected:
            continue
        why = _type_error(raw)
        if why is None:
            good.append(raw)
            positions.append(i)
        else:
            rejected[i] = why
    report = live.accept_events(view.db, good, timezone=view.rulebook.definitions.timezone)
    for i, reason in report.rejected:
        rejected[positions[i]] = _short(reason)
    return {
        "accepted": report.accepted,
        "duplicates": report.duplicates,
        "rejected": [{"index": i, "reason": rejected[i]} for i in sorted(rejected)],
    }


@router.post(
    EVENTS_PATH,
    response_model=schemas.IngestReport,
    responses={
        **AUTH_ERRORS,
        **BODY_ERRORS,
        415: {"model": schemas.Problem, "description": "Neither JSON nor NDJSON."},
        422: {"model": schemas.Problem, "description": "JSON, but not an array."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": _BATCH_DOC,
            "content": {JSON: {"schema": _BATCH}, NDJSON[0]: {"schema": _BATCH}},
        }
    },
)
async def live_events(request: Request, who: ServiceOnly, view: View) -> Any:
    """Send live events (service keys): a JSON array, or NDJSON with one event per line.

    Good events are stored durably before the answer, whatever the others are; each bad one
    is answered with its index (from 0; in NDJSON, among the non-blank lines) and the reason.
    An event whose `event_id` was already accepted is a duplicate: acknowledged, not counted
    again. The live processor of `livetier serve` computes the sessions from them."""
    media = request.headers.get("content-type", JSON).split(";")[0].strip().lower()
    if media not in (JSON, *NDJSON):
        raise HTTPException(415, f"send {JSON} or {NDJSON[0]}")
    body = await request.body()
    return json_response(await run_in_threadpool(_accept, view, body, media))


SessionId = Annotated[str, PathParam(pattern=schemas.HOST_ID, description="The live session's id.")]


@router.get("/api/v1/live/channel", response_model=schemas.LiveChannel, responses=AUTH_ERRORS)
def live_channel(who: Anyone, view: View) -> Any:
    """The live channel now: banner slots (hosts holding `channel_banner`) and the live,
    surfaced rooms in channel order (docs/rules.md, "The live channel")."""
    return channel_body(live.channel(view.db, view.rulebook, view.now()))


@router.get(
    "/api/v1/live/sessions/{session_id}",
    response_model=schemas.LiveSession,
    responses={
        **AUTH_ERRORS,
        404: {"model": schemas.Problem, "description": "No such session (or not this key's)."},
    },
)
def live_session(session_id: SessionId, who: Anyone, view: View) -> Any:
    """A live session: its viewers and buyers so far, and when it was surfaced. A host key
    sees only its own host's sessions."""
    found = live.session(view.db, session_id)
    if found is None or (who.role is keys.Role.host and found.host_id != who.host_id):
        raise HTTPException(404, f"{session_id}: no such live session")
    return live_session_body(found)


def install(app: FastAPI) -> None:
    """Add the live events' schemas to ``app``'s OpenAPI document (the batch refers to them)."""
    plain: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = plain()
            document.setdefault("components", {}).setdefault("schemas", {}).update(_DEFINITIONS)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
