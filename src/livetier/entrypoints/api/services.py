"""Routes tagged ``services``: the tier events feed platform services read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import AUTH_ERRORS, Service, View
from livetier.services import state

router = APIRouter(tags=["services"])


@router.get("/api/v1/events", response_model=list[schemas.Event], responses=AUTH_ERRORS)
def events(
    who: Service,
    view: View,
    after: Annotated[int, Query(ge=0, le=2**62, description="The last id you read.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """Tier events with an id above ``after``, oldest first."""
    return state.events_after(view.db, after, limit)
