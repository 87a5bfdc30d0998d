"""API keys: created with a role, shown once, stored as a SHA-256 hash.

A key carries 256 random bits, so a fast hash is enough (a slow password hash would only cost
every request); the hash is looked up by a unique index.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from livetier.services.errors import InvalidInput
from livetier.services.roles import Role as Role  # keys.Role, as the entry points name it
from livetier.store.models import ApiKey, HostTier
from livetier.store.runs import latest_succeeded_day

PREFIX = "lt_"


class KeyRefused(InvalidInput):
    """A key that cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class Principal:
    """The caller behind a valid key."""

    key_id: int
    role: Role
    host_id: str | None
    label: str = ""  # the key's label: who did it, in an audit trail

    @property
    def who(self) -> str:
        """The key as an audit trail names it: its label, else its id."""
        return self.label or f"key {self.key_id}"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def create(db: Engine, role: Role, host_id: str | None = None, label: str = "") -> tuple[str, int]:
    """A new key for ``role`` (a host key is bound to ``host_id``); returns (key, id)."""
    if role is Role.host and not host_id:
        raise KeyRefused("a host key needs $host: the one host it acts for")
    if role is not Role.host and host_id:
        raise KeyRefused(f"$host is only for host keys, not {role.value} keys")
    if host_id and host_known(db, host_id) is False:
        raise KeyRefused(f"$host {host_id}: no such host (not graded by any day run)")
    key = PREFIX + secrets.token_urlsafe(32)
    with Session(db) as s, s.begin():
        row = ApiKey(
            key_hash=digest(key),
            prefix=key[:10],
            role=role.value,
            host_id=host_id,
            label=label,
            created_at=_now(),
        )
        s.add(row)
        s.flush()
        return key, row.id


def authenticate(db: Engine, key: str) -> Principal | None:
    """The principal of a valid, unrevoked key, else None."""
    with db.connect() as c:
        row = c.execute(
            select(ApiKey.id, ApiKey.role, ApiKey.host_id, ApiKey.label).where(
                ApiKey.key_hash == digest(key), ApiKey.revoked_at.is_(None)
            )
        ).first()
    return Principal(row.id, Role(row.role), row.host_id, row.label or "") if row else None


def host_known(db: Engine, host_id: str) -> bool | None:
    """Whether a day run graded ``host_id``; None before the first run, when none is known."""
    with Session(db) as s:
        if s.get(HostTier, host_id) is not None:
            return True
        return None if latest_succeeded_day(s) is None else False


def revoke(db: Engine, key_id: int) -> bool:
    """Revoke a key; False when it was already revoked (it stays so, from the first time)."""
    with Session(db) as s, s.begin():
        row = s.get(ApiKey, key_id)
        if row is None:
            raise KeyRefused(f"no API key with id {key_id}")
        if row.revoked_at is not None:
            return False
        row.revoked_at = _now()
        return True


def listing(db: Engine) -> list[dict[str, Any]]:
    """Every key, without its secret."""
    with Session(db) as s:
        return [
            {
                "id": k.id,
                "prefix": k.prefix,
                "role": k.role,
                "host_id": k.host_id,
                "label": k.label,
                "created_at": k.created_at.isoformat(timespec="seconds"),
                "revoked_at": k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else None,
            }
            for k in s.scalars(select(ApiKey).order_by(ApiKey.id))
        ]
