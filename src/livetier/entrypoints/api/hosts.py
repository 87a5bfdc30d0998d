"""Routes tagged ``hosts``: a host's status, task list, tier history and claim."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import (
    HOST_ERRORS,
    Anyone,
    Host,
    HostId,
    HostOrOperator,
    View,
    json_response,
    own,
)
from livetier.entrypoints.bodies import claimed_body, progress_body, status_body
from livetier.services import explain, keys, state

router = APIRouter(tags=["hosts"])


@router.get(
    "/api/v1/hosts/{host_id}/status", response_model=schemas.HostStatus, responses=HOST_ERRORS
)
async def host_status(host_id: HostId, who: Anyone, view: View) -> Any:
    """Tier, since, claim, privileges and how long the tier holds."""
    own(who, host_id)
    return json_response(status_body(view.host(host_id, evaluate=False)))


@router.get(
    "/api/v1/hosts/{host_id}/progress", response_model=schemas.Progress, responses=HOST_ERRORS
)
def host_progress(host_id: HostId, who: HostOrOperator, view: View) -> Any:
    """The task list: each criterion of the current and next tier, value, target, met."""
    own(who, host_id)
    return progress_body(view.host(host_id))


@router.get(
    "/api/v1/hosts/{host_id}/history",
    response_model=list[schemas.Change],
    responses=HOST_ERRORS,
)
def host_history(
    host_id: HostId,
    who: HostOrOperator,
    view: View,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The host's tier changes, newest first."""
    own(who, host_id)
    view.host(host_id, evaluate=False)  # 404 for an unknown host
    return view.changes(host_id, limit)


@router.get(
    "/api/v1/hosts/{host_id}/explanation",
    response_model=schemas.Explanation,
    responses={
        **HOST_ERRORS,
        409: {"model": schemas.Problem, "description": "No raw data to read the records from."},
    },
)
def host_explanation(
    host_id: HostId,
    who: HostOrOperator,
    view: View,
    day: Annotated[
        schemas.Day | None, Query(alias="date", description="Day D (default: the latest run's).")
    ] = None,
) -> Any:
    """Every session and live buyer that could count toward the host's 30-day metrics on day
    D, each counted or not and why; the counted ones add up to the metrics. Read from the raw
    data folder the latest run recorded. A host key sees its own host, buyer ids masked. A day
    outside 1970 … 9000 has no records."""
    own(who, host_id)
    try:
        found = explain.explain_served(view, host_id, day, masked=who.role is keys.Role.host)
    except explain.NothingToExplain as e:
        raise HTTPException(409, str(e)) from None
    first, last = found.window
    return {
        "host_id": found.host_id,
        "day": found.day,
        "window": [first, last],
        "metrics": found.metrics,
        "sessions": [r for r in found.records() if r["kind"] == "session"],
        "buyers": [r for r in found.records() if r["kind"] == "buyer"],
    }


@router.post(
    "/api/v1/hosts/{host_id}/claim",
    response_model=schemas.Claimed,
    responses={
        **HOST_ERRORS,
        409: {"model": schemas.Problem, "description": "The host qualifies for no tier."},
    },
)
def host_claim(host_id: HostId, who: Host, view: View) -> Any:
    """Claim the host identity (领取主播身份); claiming again keeps the first claim."""
    own(who, host_id)
    return claimed_body(state.claim(view.db, host_id))
