"""Channel activities and registrations, with the fatigue rule enforced by the database.

A registration for an activity that is not special takes the fatigue days of docs/rules.md
(``fatigue_days`` in the rulebook) as rows keyed by (host, day): two registrations whose days
overlap cannot both commit, on SQLite or PostgreSQL, however the requests interleave. The
checks before the insert give the refusal its reason; the key is what makes it safe.

A request may carry an idempotency key: its first outcome is stored with the registration, in
the same transaction, and a retry with the same key and body gets it back; the same key with a
different body is refused.
"""

from __future__ import annotations

import hashlib
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from livetier.domain.privileges import Reason, blocked_days, decide
from livetier.domain.tiers import Tier
from livetier.services.served import Served
from livetier.store.models import Activity, FatigueDay, IdempotentResponse, Registration
from livetier.store.schema import IMMEDIATE

PRIVILEGE = "channel_activity_registration"
"""The privilege a registration uses (the rulebook says which tiers have it)."""

_SQLITE_WRITERS = threading.Lock()
_ATTEMPTS = 3  # a lost race is retried: the retry sees the winner and refuses with its reason


class ActivityRefused(ValueError):
    """An activity the operator cannot create as asked."""


class IdempotencyConflict(ValueError):
    """The idempotency key was used before with a different request."""


@dataclass(frozen=True)
class Outcome:
    """An HTTP-shaped result: stored as is for idempotent replays."""

    status: int
    body: dict[str, Any]
    replayed: bool = False


def request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def activity_record(a: Activity) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "day": a.day.isoformat(), "special": a.special}


def create_activity(served: Served, name: str, day: date, special: bool) -> dict[str, Any]:
    if day < served.today():
        raise ActivityRefused(f"day {day} is in the past (today is {served.today()})")
    with Session(served.db) as s, s.begin():
        activity = Activity(name=name, day=day, special=special, created_at=served.now())
        s.add(activity)
        s.flush()
        return activity_record(activity)


def activities(served: Served, since: date | None = None) -> list[dict[str, Any]]:
    """Activities on or after ``since`` (default: today), by day."""
    since = since or served.today()
    with Session(served.db) as s:
        rows = s.scalars(
            select(Activity).where(Activity.day >= since).order_by(Activity.day, Activity.id)
        )
        return [activity_record(a) for a in rows]


def registrations(served: Served, host_id: str) -> list[dict[str, Any]]:
    """A host's registrations, newest first."""
    with Session(served.db) as s:
        rows = s.execute(
            select(Registration, Activity)
            .join(Activity, Activity.id == Registration.activity_id)
            .where(Registration.host_id == host_id)
            .order_by(Registration.id.desc())
        )
        return [_registration_record(r, a, None) for r, a in rows]


def _registration_record(r: Registration, a: Activity, next_allowed: date | None) -> dict[str, Any]:
    return {
        "registration_id": r.id,
        "activity": activity_record(a),
        "host_id": r.host_id,
        "registered_day": r.registered_day.isoformat(),
        "next_allowed_day": next_allowed.isoformat() if next_allowed else None,
    }


def register(
    served: Served,
    host_id: str,
    activity_id: int,
    *,
    api_key_id: int,
    idempotency_key: str | None = None,
) -> Outcome:
    """Register ``host_id`` for an activity; a refusal is an outcome too (status 404/409)."""
    digest = request_hash({"host_id": host_id, "activity_id": activity_id})
    for _ in range(_ATTEMPTS):
        if idempotency_key is not None:
            stored = _stored(served, api_key_id, idempotency_key)
            if stored is not None:
                return _replay(stored, digest)
        try:
            return _attempt(served, host_id, activity_id, api_key_id, idempotency_key, digest)
        except IntegrityError:
            continue  # another request took the day, the seat or the key first: look again
    raise RuntimeError(f"registration of {host_id} kept conflicting; try again")


def _stored(served: Served, api_key_id: int, key: str) -> IdempotentResponse | None:
    with Session(served.db, expire_on_commit=False) as s:
        return s.get(IdempotentResponse, (api_key_id, key))


def _replay(stored: IdempotentResponse, digest: str) -> Outcome:
    if stored.request_hash != digest:
        raise IdempotencyConflict(
            "this Idempotency-Key was used with a different request; use a new key"
        )
    return Outcome(stored.status_code, stored.body, replayed=True)


def _refusal(status: int, reason: str, detail: str, next_allowed: date | None = None) -> Outcome:
    body: dict[str, Any] = {"detail": detail, "reason": reason}
    if next_allowed is not None:
        body["next_allowed_day"] = next_allowed.isoformat()
    return Outcome(status, body)


def _attempt(
    served: Served,
    host_id: str,
    activity_id: int,
    api_key_id: int,
    idempotency_key: str | None,
    digest: str,
) -> Outcome:
    status = served.host(host_id, evaluate=False)  # raises UnknownHost
    if status.tier is Tier.NONE:  # the evaluation says why: restricted category, ...
        status = served.host(host_id)
    today = served.today()
    version = served.version_today()
    fatigue = version.fatigue_days.get(PRIVILEGE)
    # SQLite has one writer: queue this process's writers on a lock rather than in SQLite's
    # busy handler, which sleeps while the lock is free. PostgreSQL needs no such thing.
    queue = _SQLITE_WRITERS if served.db.dialect.name == "sqlite" else nullcontext()
    with queue, Session(served.db.execution_options(**IMMEDIATE)) as s, s.begin():
        activity = s.get(Activity, activity_id)
        outcome: Outcome
        if activity is None:
            outcome = _refusal(404, "unknown_activity", f"no channel activity {activity_id}")
        elif activity.day < today:
            outcome = _refusal(
                409, "activity_over", f"activity {activity_id} was on {activity.day}"
            )
        elif (
            s.scalar(
                select(Registration.id).where(
                    Registration.activity_id == activity_id, Registration.host_id == host_id
                )
            )
            is not None
        ):
            outcome = _refusal(
                409, "already_registered", f"{host_id} is already registered for {activity_id}"
            )
        else:
            last = s.scalar(
                select(func.max(Registration.registered_day))
                .join(Activity, Activity.id == Registration.activity_id)
                .where(and_(Registration.host_id == host_id, Activity.special.is_(False)))
            )
            decision = decide(
                version,
                PRIVILEGE,
                tier=status.tier,
                claimed=status.claimed,
                evaluation=status.evaluation,
                today=today,
                last_use=last,
                exempt=activity.special,
            )
            if not decision.allowed:
                outcome = _refusal(
                    409,
                    decision.reason.value,
                    _explain(decision.reason, host_id, decision.next_allowed_day),
                    decision.next_allowed_day,
                )
            else:
                registration = Registration(
                    activity_id=activity_id,
                    host_id=host_id,
                    registered_day=today,
                    registered_at=served.now(),
                )
                s.add(registration)
                s.flush()
                next_allowed = None
                if fatigue and not activity.special:
                    for d in blocked_days(today, fatigue):
                        s.add(FatigueDay(host_id=host_id, day=d, registration_id=registration.id))
                    next_allowed = today + timedelta(days=fatigue)
                s.flush()  # a fatigue day another registration holds fails here
                outcome = Outcome(201, _registration_record(registration, activity, next_allowed))
        if idempotency_key is not None:
            s.add(
                IdempotentResponse(
                    api_key_id=api_key_id,
                    key=idempotency_key,
                    request_hash=digest,
                    status_code=outcome.status,
                    body=outcome.body,
                    created_at=served.now(),
                )
            )
        return outcome


_EXPLAINED = {
    Reason.TIER_TOO_LOW: "{host} is below the tier that may register for channel activities",
    Reason.NOT_CLAIMED: "{host} has not claimed its host identity",
    Reason.RESTRICTED_CATEGORY: "{host}'s main category may not stream",
    Reason.BASIC_REQUIREMENTS: "{host} does not meet the basic requirements",
    Reason.NOT_GRADED: "{host} was not graded on the latest day run",
    Reason.FATIGUE: "{host} registered for an activity recently; next allowed on {next}",
    Reason.UNKNOWN_PRIVILEGE: "the rulebook has no privilege for channel activities",
}


def _explain(reason: Reason, host: str, next_allowed: date | None) -> str:
    return _EXPLAINED.get(reason, "{host}: not allowed ({reason})").format(
        host=host, next=next_allowed, reason=reason.value
    )


class UnknownActivity(LookupError):
    """No channel activity with that id."""


def is_special(served: Served, activity_id: int) -> bool:
    """Whether an activity is a special event (exempt from the fatigue rule)."""
    with Session(served.db) as s:
        activity = s.get(Activity, activity_id)
    if activity is None:
        raise UnknownActivity(f"no channel activity {activity_id}")
    return activity.special
