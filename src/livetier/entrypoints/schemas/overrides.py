"""Manual overrides of a host's tier: setting and clearing one, the records and the audit."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from livetier.entrypoints.schemas.common import TierName


class OverrideIn(BaseModel):
    """A floor or a cap on the host's tier, from the next day run."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["floor", "cap"] = Field(
        description="floor: at least ``tier`` (never for a host failing the basic "
        "requirements); cap: at most ``tier``."
    )
    tier: TierName
    reason: str = Field(min_length=1, max_length=500, pattern=r"\S", description="Why.")
    until: date | None = Field(
        None, description="The last day run it acts on (inclusive); null: until cleared."
    )


class OverrideClearIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, pattern=r"\S", description="Why.")


class OverrideRecord(BaseModel):
    id: int
    host_id: str
    kind: Literal["floor", "cap"]
    tier: TierName
    state: Literal["scheduled", "in_force", "ended", "expired"] = Field(
        description="As of the next day run."
    )
    from_: str | None = Field(alias="from", description="Its first day run (null: the first).")
    until: str | None
    ended_from: str | None = Field(description="Cleared or replaced from this day run.")
    reason: str
    set_by: str
    set_at: str


class OverrideCleared(BaseModel):
    host_id: str
    cleared: list[int]
    from_: str = Field(alias="from", description="The first day run without it.")


class OverrideAudit(BaseModel):
    id: int
    override_id: int
    host_id: str
    action: Literal["set", "clear", "expire"]
    who: str = Field(description="The API key's label, the CLI user, or livetier (expiry).")
    at: str = Field(description="When, in UTC.")
    reason: str
