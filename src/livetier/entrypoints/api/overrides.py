"""Routes tagged ``overrides``: manual floors and caps on a host's tier (operator keys), and
their audit trail."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from livetier.entrypoints import schemas
from livetier.entrypoints.api.deps import AUTH_ERRORS, BODY_ERRORS, HostId, Operator, View
from livetier.services import overrides

router = APIRouter(tags=["overrides"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        pattern=r"^[\x21-\x7e]{1,200}$",
        description="A retry with the same key and body gets the first answer again.",
    ),
]
_REFUSED: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "No such host."},
    409: {
        "model": schemas.Problem,
        "description": "Refused (until before the next day run, nothing to clear), or the "
        "Idempotency-Key was used with another body.",
    },
}


def _answer(outcome: overrides.Outcome, code: int) -> JSONResponse:
    headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
    return JSONResponse(outcome.body, code, headers=headers)


@router.get(
    "/api/v1/operator/overrides",
    response_model=list[schemas.OverrideRecord],
    responses=AUTH_ERRORS,
)
def list_overrides(
    who: Operator,
    view: View,
    host_id: Annotated[str | None, Query(pattern=schemas.HOST_ID)] = None,
) -> Any:
    """Every override (of one host), newest first, with its state as of the next day run."""
    return overrides.listing(view.db, host_id)


@router.get(
    "/api/v1/operator/override-audit",
    response_model=list[schemas.OverrideAudit],
    responses=AUTH_ERRORS,
)
def override_audit(
    who: Operator,
    view: View,
    host_id: Annotated[str | None, Query(pattern=schemas.HOST_ID)] = None,
) -> Any:
    """Every set, clear and expiry, oldest first: who, when, why."""
    return overrides.audit(view.db, host_id)


@router.post(
    "/api/v1/operator/overrides/{host_id}",
    response_model=schemas.OverrideRecord,
    status_code=201,
    responses={**AUTH_ERRORS, **BODY_ERRORS, **_REFUSED},
)
def set_override(
    host_id: HostId,
    body: schemas.OverrideIn,
    who: Operator,
    view: View,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Set a floor or a cap on the host's tier from the next day run (replacing its
    override, if any), through ``until`` inclusive."""
    outcome = overrides.set_override(
        view.db,
        host_id,
        body.kind,
        body.tier,
        body.reason,
        body.until,
        who.who,
        idempotency=None if idempotency_key is None else (who.key_id, idempotency_key),
    )
    return _answer(outcome, 201)


@router.post(
    "/api/v1/operator/overrides/{host_id}/clear",
    response_model=schemas.OverrideCleared,
    responses={**AUTH_ERRORS, **BODY_ERRORS, **_REFUSED},
)
def clear_override(
    host_id: HostId,
    body: schemas.OverrideClearIn,
    who: Operator,
    view: View,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """End the host's override from the next day run."""
    outcome = overrides.clear_override(
        view.db,
        host_id,
        body.reason,
        who.who,
        idempotency=None if idempotency_key is None else (who.key_id, idempotency_key),
    )
    return _answer(outcome, 200)
