"""Routes tagged ``operators``: tier distribution, recent changes, data quality, rulebook, and
simulations of a draft rulebook."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import AUTH_ERRORS, BODY_ERRORS, Operator, View
from livetier.services import rules_ops, served

router = APIRouter(tags=["operators"])


@router.get(
    "/api/v1/operator/distribution",
    response_model=list[schemas.DistributionDay],
    responses=AUTH_ERRORS,
)
def distribution(who: Operator, view: View, days: Annotated[int, Query(ge=1, le=366)] = 30) -> Any:
    """Hosts per line and tier on each of the last run days, oldest first."""
    return view.distribution(days)


@router.get("/api/v1/operator/changes", response_model=list[schemas.Change], responses=AUTH_ERRORS)
def recent_changes(
    who: Operator, view: View, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> Any:
    """Recent upgrades and downgrades, newest first."""
    return view.changes(None, limit)


@router.get("/api/v1/operator/quality", response_model=schemas.Quality, responses=AUTH_ERRORS)
def quality(who: Operator, view: View, limit: Annotated[int, Query(ge=0, le=10_000)] = 100) -> Any:
    """The latest run's data-quality report."""
    return view.quality(limit)


@router.get("/api/v1/rulebook", response_model=schemas.Rulebook, responses=AUTH_ERRORS)
def rulebook_versions(who: Operator, view: View) -> Any:
    """Every rule version with its thresholds."""
    return served.rulebook_record(view.rulebook)


@router.post(
    "/api/v1/operator/simulations",
    response_model=schemas.Simulation,
    responses={
        **AUTH_ERRORS,
        **BODY_ERRORS,
        409: {
            "model": schemas.Problem,
            "description": "The draft cannot be simulated (reason invalid_draft): it is not a "
            "valid rulebook, or not comparable with the rules in force, or the day is not the "
            "latest run's, or there is no run yet. A refusal like the others of this API.",
        },
    },
)
def simulate(body: schemas.SimulationIn, who: Operator, view: View) -> Any:
    """Grade the latest run's day with a draft rule version beside the version in force
    (from the run's snapshot; changes no state): per line the transition matrix, privileges
    gained and lost, the hosts closest to each moved threshold, and the first changed hosts
    with the draft criteria that decide them."""
    try:
        return rules_ops.simulate_served(view, body.draft, body.date, body.version)
    except rules_ops.DraftRefused as e:
        return JSONResponse({"detail": str(e), "reason": "invalid_draft"}, 409)
