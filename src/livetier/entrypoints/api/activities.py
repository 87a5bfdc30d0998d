"""Routes tagged ``activities``: channel activities and hosts' registrations for them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import (
    AUTH_ERRORS,
    BODY_ERRORS,
    HOST_ERRORS,
    Anyone,
    HostId,
    HostOrOperator,
    Operator,
    View,
    own,
)
from livetier.services import activities

router = APIRouter(tags=["activities"])

STATUS = {
    activities.Result.CREATED: 201,
    activities.Result.REFUSED: 409,
    activities.Result.UNKNOWN_ACTIVITY: 404,
}
"""A registration's answer per outcome; the idempotency store records a created one's, so a
replay gets it again."""


@router.get("/api/v1/activities", response_model=list[schemas.Activity], responses=AUTH_ERRORS)
def list_activities(
    who: Anyone,
    view: View,
    since: Annotated[schemas.Day | None, Query(description="Default: today.")] = None,
) -> Any:
    """Channel activities on or after a day."""
    return activities.activities(view, since)


@router.post(
    "/api/v1/activities",
    response_model=schemas.Activity,
    status_code=201,
    responses={
        **AUTH_ERRORS,
        **BODY_ERRORS,
        409: {"model": schemas.Problem, "description": "The day is in the past."},
    },
)
def create_activity(body: schemas.ActivityIn, who: Operator, view: View) -> Any:
    """Create a channel activity (operators)."""
    return activities.create_activity(view, body.name, body.day, body.special)


@router.post(
    "/api/v1/hosts/{host_id}/registrations",
    response_model=schemas.Registration,
    status_code=201,
    responses={
        **HOST_ERRORS,
        **BODY_ERRORS,
        409: {
            "model": schemas.Problem,
            "description": "Refused (tier too low, not claimed, fatigue, already "
            "registered, activity over), or the Idempotency-Key was used with another body.",
        },
    },
)
def register(
    host_id: HostId,
    body: schemas.RegistrationIn,
    who: HostOrOperator,
    view: View,
    idempotency_key: Annotated[
        str | None,
        Header(
            pattern=r"^[\x21-\x7e]{1,200}$",
            description="Retries with the same key and body get the registration's response; "
            "a refusal is not saved, so a retry is checked afresh.",
        ),
    ] = None,
) -> Any:
    """Register the host for a channel activity (the 2-day fatigue rule applies).

    Once a registration is made, a retry with the same Idempotency-Key and body gets its response
    again, with the header ``Idempotent-Replayed: true``. A refusal is not saved: it depends on
    what may change (a claim, the fatigue days), so a retry with the same key is checked afresh."""
    own(who, host_id)
    outcome = activities.register(
        view,
        host_id,
        body.activity_id,
        api_key_id=who.key_id,
        codes=STATUS,
        idempotency_key=idempotency_key,
    )
    return JSONResponse(
        outcome.body,
        STATUS[outcome.result],
        headers={"Idempotent-Replayed": "true"} if outcome.replayed else None,
    )


@router.get(
    "/api/v1/hosts/{host_id}/registrations",
    response_model=list[schemas.Registration],
    responses=HOST_ERRORS,
)
def host_registrations(host_id: HostId, who: HostOrOperator, view: View) -> Any:
    """The host's registrations, newest first."""
    own(who, host_id)
    view.host(host_id, evaluate=False)  # 404 for an unknown host
    return activities.registrations(view, host_id)
