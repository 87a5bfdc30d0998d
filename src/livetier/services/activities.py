"""Channel activities and registrations, with the fatigue rule enforced by the database.

A registration for an activity that is not special takes the fatigue days of docs/rules.md
(``fatigue_days`` in the rulebook) as rows keyed by (host, day): two registrations whose days
overlap cannot both commit, on SQLite or PostgreSQL, however the requests interleave. The
checks before the insert give the refusal its reason; the key is what makes it safe.

A request may carry an idempotency key. As Stripe does, only a request that began executing
saves its result, and a registration begins executing when every check has passed and it is
written: the registration and its answer are stored in the same transaction, and a retry with
the same key and body gets that answer back (the same key with a different body is refused). A
refusal (not claimed, fatigue, unknown activity, ...) depends on state that may change, so it is
answered but not saved: a retry with the same key is checked afresh. The caller says how the
idempotency store records an outcome (``codes``), and so how a replay reads.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

import orjson
from sqlalchemy import Engine, and_, bindparam, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from livetier.domain.privileges import Reason, blocked_days, decide
from livetier.domain.rulebook import Version
from livetier.domain.tiers import Tier
from livetier.services.status import HostStatus
from livetier.store.models import Activity, FatigueDay, IdempotentResponse, Registration
from livetier.store.schema import IMMEDIATE

PRIVILEGE = "channel_activity_registration"
"""The privilege a registration uses (the rulebook says which tiers have it)."""

_SQLITE_WRITERS = threading.Lock()
_ATTEMPTS = 3  # a lost race is retried: the retry sees the winner and refuses with its reason


class Context(Protocol):
    """What the activities read: the state store, the platform's clock and the served run."""

    @property
    def db(self) -> Engine: ...

    def today(self) -> date: ...

    def now(self) -> datetime: ...

    def version_today(self) -> Version: ...

    def host(self, host_id: str, *, evaluate: bool = True) -> HostStatus: ...


class ActivityRefused(ValueError):
    """An activity the operator cannot create as asked."""


class IdempotencyConflict(ValueError):
    """The idempotency key was used before with a different request."""


class Result(StrEnum):
    """How a registration request ended."""

    CREATED = "created"
    REFUSED = "refused"  # the privilege rule, a past activity or a second registration
    UNKNOWN_ACTIVITY = "unknown_activity"


@dataclass(frozen=True)
class Outcome:
    """A registration's result and its record: the registration, or the refusal's detail and
    reason (and the day a fatigue refusal ends). Stored as is for idempotent replays."""

    result: Result
    body: dict[str, Any]
    replayed: bool = False


def request_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def activity_record(a: Activity) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "day": a.day.isoformat(), "special": a.special}


def create_activity(served: Context, name: str, day: date, special: bool) -> dict[str, Any]:
    if day < served.today():
        raise ActivityRefused(f"day {day} is in the past (today is {served.today()})")
    with Session(served.db) as s, s.begin():
        activity = Activity(name=name, day=day, special=special, created_at=served.now())
        s.add(activity)
        s.flush()
        return activity_record(activity)


def activities(served: Context, since: date | None = None) -> list[dict[str, Any]]:
    """Activities on or after ``since`` (default: today), by day."""
    since = since or served.today()
    with Session(served.db) as s:
        rows = s.scalars(
            select(Activity).where(Activity.day >= since).order_by(Activity.day, Activity.id)
        )
        return [activity_record(a) for a in rows]


def registrations(served: Context, host_id: str) -> list[dict[str, Any]]:
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
    served: Context,
    host_id: str,
    activity_id: int,
    *,
    api_key_id: int,
    codes: Mapping[Result, int],
    idempotency_key: str | None = None,
) -> Outcome:
    """Register ``host_id`` for an activity; a refusal is an outcome too. ``codes``: the code
    the idempotency store records for each result."""
    digest = request_hash({"host_id": host_id, "activity_id": activity_id})
    key = None if idempotency_key is None else _Key(api_key_id, idempotency_key, digest, codes)
    for _ in range(_ATTEMPTS):
        if key is not None:
            stored = _stored(served, api_key_id, key.key)
            if stored is not None:
                return _replay(stored, key)
        try:
            outcome = _attempt(served, host_id, activity_id, key)
        except IntegrityError:
            continue  # another request took the day, the seat or the key first: look again
        if key is not None and outcome.result is not Result.CREATED:
            # A concurrent retry with this key may have just registered: its answer wins.
            stored = _stored(served, api_key_id, key.key)
            if stored is not None:
                return _replay(stored, key)
        return outcome
    raise RuntimeError(f"registration of {host_id} kept conflicting; try again")


def _stored(served: Context, api_key_id: int, key: str) -> IdempotentResponse | None:
    with Session(served.db, expire_on_commit=False) as s:
        return s.get(IdempotentResponse, (api_key_id, key))


@dataclass(frozen=True)
class _Key:
    """An idempotency key with its request's hash and how outcomes are recorded."""

    api_key_id: int
    key: str
    digest: str
    codes: Mapping[Result, int]


def _replay(stored: IdempotentResponse, key: _Key) -> Outcome:
    if stored.request_hash != key.digest:
        raise IdempotencyConflict(
            "this idempotency key was used with a different request; use a new key"
        )
    result = next(r for r, code in key.codes.items() if code == stored.status_code)
    return Outcome(result, stored.body, replayed=True)


def _refusal(
    reason: str, detail: str, next_allowed: date | None = None, result: Result = Result.REFUSED
) -> Outcome:
    body: dict[str, Any] = {"detail": detail, "reason": reason}
    if next_allowed is not None:
        body["next_allowed_day"] = next_allowed.isoformat()
    return Outcome(result, body)


def _attempt(served: Context, host_id: str, activity_id: int, key: _Key | None) -> Outcome:
    status = served.host(host_id, evaluate=False)  # raises UnknownHost
    if status.tier is Tier.NONE:  # the evaluation says why: restricted category, ...
        status = served.host(host_id)
    # SQLite has one writer: queue this process's writers on a lock rather than in SQLite's
    # busy handler, which sleeps while the lock is free. PostgreSQL needs no such thing.
    queue = _SQLITE_WRITERS if served.db.dialect.name == "sqlite" else nullcontext()
    with queue, Session(served.db.execution_options(**IMMEDIATE)) as s, s.begin():
        outcome = _outcome(s, served, host_id, status, activity_id)
        if key is not None and outcome.result is Result.CREATED:  # it began executing
            s.add(
                IdempotentResponse(
                    api_key_id=key.api_key_id,
                    key=key.key,
                    request_hash=key.digest,
                    status_code=key.codes[outcome.result],
                    body=outcome.body,
                    created_at=served.now(),
                )
            )
        return outcome


_COUNTED = aliased(Activity)
_CHECKS = select(
    Activity.id,
    Activity.name,
    Activity.day,
    Activity.special,
    exists()
    .where(
        Registration.activity_id == Activity.id,
        Registration.host_id == bindparam("host_id"),
    )
    .label("taken"),
    select(func.max(Registration.registered_day))
    .join(_COUNTED, _COUNTED.id == Registration.activity_id)
    .where(and_(Registration.host_id == bindparam("host_id"), _COUNTED.special.is_(False)))
    .scalar_subquery()
    .label("last_use"),
).where(Activity.id == bindparam("activity_id"))
"""The activity, whether the host is registered for it, and the day of the host's latest
registration for an activity that is not special."""


def _outcome(
    s: Session, served: Context, host_id: str, status: HostStatus, activity_id: int
) -> Outcome:
    """The checks in the order of their reasons, then the registration, in ``s``."""
    today = served.today()
    version = served.version_today()
    # One round trip for what the checks read: the activity, whether the host holds it already
    # and the host's last registration the fatigue rule counts.
    found = s.execute(_CHECKS, {"activity_id": activity_id, "host_id": host_id}).first()
    if found is None:
        return _refusal(
            "unknown_activity", f"no channel activity {activity_id}", result=Result.UNKNOWN_ACTIVITY
        )
    activity = Activity(id=found.id, name=found.name, day=found.day, special=found.special)
    if activity.day < today:
        return _refusal("activity_over", f"activity {activity_id} was on {activity.day}")
    if found.taken:
        return _refusal("already_registered", f"{host_id} is already registered for {activity_id}")
    last = found.last_use
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
        return _refusal(
            decision.reason.value,
            _explain(decision.reason, host_id, decision.next_allowed_day),
            decision.next_allowed_day,
        )
    registration = Registration(
        activity_id=activity_id, host_id=host_id, registered_day=today, registered_at=served.now()
    )
    s.add(registration)
    s.flush()
    next_allowed = None
    fatigue = version.fatigue_days.get(PRIVILEGE)
    if fatigue and not activity.special:
        for d in blocked_days(today, fatigue):
            s.add(FatigueDay(host_id=host_id, day=d, registration_id=registration.id))
        next_allowed = today + timedelta(days=fatigue)
    s.flush()  # a fatigue day another registration holds fails here
    return Outcome(Result.CREATED, _registration_record(registration, activity, next_allowed))


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


def is_special(served: Context, activity_id: int) -> bool:
    """Whether an activity is a special event (exempt from the fatigue rule)."""
    with Session(served.db) as s:
        activity = s.get(Activity, activity_id)
    if activity is None:
        raise UnknownActivity(f"no channel activity {activity_id}")
    return activity.special
