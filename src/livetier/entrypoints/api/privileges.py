"""Routes tagged ``privileges``: may a host use a privilege now, and why."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import HOST_ERRORS, Anyone, HostId, View, json_response, own
from livetier.entrypoints.bodies import privilege_body
from livetier.services import activities

router = APIRouter(tags=["privileges"])


@router.get(
    "/api/v1/hosts/{host_id}/privileges/{privilege}",
    response_model=schemas.PrivilegeCheck,
    responses={**HOST_ERRORS},
)
async def privilege_check(
    host_id: HostId,
    privilege: Annotated[str, PathParam(max_length=64, pattern=r"^[a-z_]+$")],
    who: Anyone,
    view: View,
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
    return json_response(privilege_body(host_id, view.privilege(host_id, privilege, exempt=exempt)))
