"""Privilege checks, channel activities and registrations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from livetier.domain.privileges import Reason
from livetier.entrypoints.schemas.common import MAX_ID, Day, Id, TierName


class PrivilegeCheck(BaseModel):
    host_id: str
    privilege: str
    allowed: bool
    reason: Reason
    tier: TierName
    required_tier: TierName | None
    next_allowed_day: date | None = Field(description="With reason fatigue: allowed again from.")


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    day: Day
    special: StrictBool = Field(False, description="A special large event: no fatigue rule.")


class Activity(BaseModel):
    id: int
    name: str
    day: date
    special: bool


class RegistrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    activity_id: Id = Field(ge=1, le=MAX_ID)


class Registration(BaseModel):
    registration_id: int
    activity: Activity
    host_id: str
    registered_day: date
    next_allowed_day: date | None = Field(
        description="The first day the host may register again (null: special event)."
    )
