"""Manual overrides of one host's tier (``livetier override``, the operator API and page):
set a floor or a cap with a reason and an optional last day, clear it, list them, and read
the audit trail of every set, clear and expiry (who, when, why).

An override acts from the next day run (the day after the latest day run: a re-run of that
day is not changed by it, so re-runs and restatements replay deterministically) through its
``until`` day inclusive; it is applied after the grade and grace (domain/policy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from livetier.domain.policy import OverrideKind
from livetier.domain.tiers import Tier
from livetier.services.activities import IdempotencyConflict, request_hash
from livetier.services.errors import InvalidInput
from livetier.services.status import UnknownHost
from livetier.store import overrides as store
from livetier.store.models import HostTier, IdempotentResponse
from livetier.store.runs import latest_succeeded_day, now

REASON_CHARS = 500


class OverrideRefused(InvalidInput):
    """An override that cannot be set or cleared as asked; the message says why."""


@dataclass(frozen=True)
class Outcome:
    """What a set or clear answered (``replayed``: a stored answer to the same request)."""

    body: dict[str, Any]
    replayed: bool = False


def _check(host_id: str, kind: str, tier: str, reason: str) -> tuple[OverrideKind, Tier]:
    try:
        k = OverrideKind(kind)
    except ValueError:
        raise OverrideRefused(f"$kind must be floor or cap, not {kind!r}") from None
    names = [t.value for t in Tier]
    if tier not in names:
        raise OverrideRefused(f"${k.value}: {tier!r} is not a tier ({', '.join(names)})")
    t = Tier(tier)
    if k is OverrideKind.FLOOR and t is Tier.NONE:
        raise OverrideRefused("$floor none changes nothing: a floor is ordinary or higher")
    if k is OverrideKind.CAP and t is Tier.HONOR:
        raise OverrideRefused("$cap honor changes nothing: a cap is expert or lower")
    _check_reason(reason)
    return k, t


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise OverrideRefused("$reason is required: say why (it is kept in the audit trail)")
    if len(reason) > REASON_CHARS:
        raise OverrideRefused(f"$reason is {len(reason)} characters; at most {REASON_CHARS}")


def _known(s: Session, host_id: str) -> None:
    if s.get(HostTier, host_id) is None:
        raise UnknownHost(f"{host_id}: no such host in the state store (not graded yet)")


def set_override(
    db: Engine,
    host_id: str,
    kind: str,
    tier: str,
    reason: str,
    until: date | None,
    who: str,
    *,
    idempotency: tuple[int, str] | None = None,
) -> Outcome:
    """Set a floor or cap on ``host_id`` from the next day run (replacing one it has),
    through ``until`` inclusive (None: until cleared). ``idempotency``: (API key id, key)."""
    k, t = _check(host_id, kind, tier, reason)
    payload: dict[str, Any] = {"op": "set", "host_id": host_id, "kind": k.value, "tier": t.value}
    payload |= {"reason": reason, "until": until.isoformat() if until else None}

    def write(s: Session) -> dict[str, Any]:
        _known(s, host_id)
        start = store.next_run_day(s)
        if until is not None and until < start:
            raise OverrideRefused(
                f"$until {until} is before {start}, the first day run the override would act "
                "on (the day after the latest day run)"
            )
        row = store.set_override(s, host_id, k.value, t.value, reason, until, who)
        return _record(store.listing_row(row), start)

    return _idempotent(db, payload, idempotency, write, 201)


def clear_override(
    db: Engine,
    host_id: str,
    reason: str,
    who: str,
    *,
    idempotency: tuple[int, str] | None = None,
) -> Outcome:
    """End the host's override from the next day run."""
    _check_reason(reason)
    payload = {"op": "clear", "host_id": host_id, "reason": reason}

    def write(s: Session) -> dict[str, Any]:
        _known(s, host_id)
        ended = store.clear_override(s, host_id, reason, who)
        if not ended:
            raise OverrideRefused(f"host {host_id} has no override to clear")
        start = store.next_run_day(s)
        return {"host_id": host_id, "cleared": [o.id for o in ended], "from": start.isoformat()}

    return _idempotent(db, payload, idempotency, write, 200)


def _idempotent(
    db: Engine,
    payload: dict[str, Any],
    idempotency: tuple[int, str] | None,
    write: Any,
    code: int,
) -> Outcome:
    """Run ``write`` in one transaction; with an idempotency key, store its answer in the
    same transaction, and answer a retry of the same request with it."""
    digest = request_hash(payload)
    for _ in range(3):
        if idempotency is not None:
            stored = _stored(db, idempotency)
            if stored is not None:
                return _replay(stored, digest)
        try:
            with Session(db) as s, s.begin():
                body = write(s)
                if idempotency is not None:
                    s.add(
                        IdempotentResponse(
                            api_key_id=idempotency[0],
                            key=idempotency[1],
                            request_hash=digest,
                            status_code=code,
                            body=body,
                            created_at=now(),
                        )
                    )
            return Outcome(body)
        except IntegrityError:
            continue  # a concurrent retry with the same key wrote first: replay it
    raise RuntimeError("the override kept conflicting with a concurrent request; try again")


def _stored(db: Engine, idempotency: tuple[int, str]) -> IdempotentResponse | None:
    with Session(db, expire_on_commit=False) as s:
        return s.get(IdempotentResponse, idempotency)


def _replay(stored: IdempotentResponse, digest: str) -> Outcome:
    if stored.request_hash != digest:
        raise IdempotencyConflict(
            "this idempotency key was used with a different request; use a new key"
        )
    return Outcome(stored.body, replayed=True)


def _record(o: dict[str, Any], next_run: date) -> dict[str, Any]:
    """An override as plain data, with its state as of the next day run: scheduled,
    in_force, ended (cleared or replaced) or expired."""
    start = o["valid_from"] or date.min
    if o["ended_from"] is not None and o["ended_from"] <= max(next_run, start):
        state = "ended"
    elif o["valid_until"] is not None and o["valid_until"] < next_run:
        state = "expired"
    elif start > next_run:
        state = "scheduled"
    else:
        state = "in_force"
    return {
        "id": o["id"],
        "host_id": o["host_id"],
        "kind": o["kind"],
        "tier": o["tier"],
        "state": state,
        "from": o["valid_from"].isoformat() if o["valid_from"] else None,
        "until": o["valid_until"].isoformat() if o["valid_until"] else None,
        "ended_from": o["ended_from"].isoformat() if o["ended_from"] else None,
        "reason": o["reason"],
        "set_by": o["set_by"],
        "set_at": o["set_at"].isoformat(timespec="seconds"),
    }


def listing(db: Engine, host_id: str | None = None) -> list[dict[str, Any]]:
    """Every override (of one host), newest first, with its state as of the next day run."""
    with Session(db) as s:
        start = store.next_run_day(s)
        rows = store.listing(s)
    return [_record(o, start) for o in rows if host_id is None or o["host_id"] == host_id]


def audit(db: Engine, host_id: str | None = None) -> list[dict[str, Any]]:
    """The audit trail (of one host), oldest first: action, who, when, why."""
    with Session(db) as s:
        rows = store.audit_trail(s, host_id)
    return [{**a, "at": a["at"].isoformat(timespec="seconds")} for a in rows]


def in_force_for(db: Engine, host_id: str) -> dict[str, Any] | None:
    """The override that set the host's tier at the latest day run (None: none did)."""
    with Session(db) as s:
        override_id = s.scalar(select(HostTier.override_id).where(HostTier.host_id == host_id))
        if override_id is None:
            return None
        latest = latest_succeeded_day(s)
        rows = [o for o in store.listing(s) if o["id"] == override_id]
    return _record(rows[0], latest or date.min) if rows else None
