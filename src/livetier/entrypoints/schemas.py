"""The HTTP API's request and response bodies; FastAPI turns them into the OpenAPI schema."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from livetier.domain.privileges import Reason

TierName = Literal["none", "ordinary", "expert", "honor"]
Scalar = bool | int | float | str | None
HOST_ID = r"^[^\x00-\x1f\x7f]{1,128}$"  # any printable id the input data may use
MAX_ID = 2**31 - 1
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD is a day: not a timestamp number, nor a date with a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise ValueError("a day is written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A day in a request, as docs/rules.md writes days: YYYY-MM-DD and nothing else."""


def _json_number(value: Any) -> Any:
    """A JSON number (1 and 1.0 are the same integer to JSON Schema), not a string or boolean."""
    if isinstance(value, str | bool):
        raise ValueError("expected a JSON number")
    return value


Id = Annotated[int, BeforeValidator(_json_number)]
"""An id in a request body."""


class Problem(BaseModel):
    """An error: what went wrong, and for refusals a machine-readable reason."""

    detail: str
    reason: str | None = None
    next_allowed_day: date | None = None


class HostStatus(BaseModel):
    host_id: str
    tier: TierName
    tier_zh: str = Field(description="The tier's Chinese name (docs/rules.md), empty for none.")
    since: date = Field(description="The day the tier took effect.")
    claimed: bool
    state: Literal["none", "qualified_not_claimed", "claimed"]
    rulebook_version: str
    day: date = Field(description="The latest day run: metrics and holds are of that day.")
    privileges: list[str] = Field(description="Privileges the tier unlocks.")
    holds_days: int | None = Field(
        description="More days the tier holds if nothing new happens; null: tier none, or it "
        "holds as long as the profile is unchanged."
    )


class CriterionResult(BaseModel):
    """One requirement and the host's standing on it; a group has branches instead."""

    set: str | None = Field(None, description="Requirement set (basic or a tier), top level only.")
    metric: str | None = None
    op: str | None = None
    target: float | int | list[str] | None = None
    value: Scalar = None
    mode: Literal["all", "any"] | None = None
    met: bool
    progress: float = Field(ge=0, le=1)
    closest: int | None = Field(None, description="For an 'any' group: the closest branch.")
    branches: list[CriterionResult] | None = None


class Progress(BaseModel):
    """The task list: every criterion of the current tier and of the next one."""

    host_id: str
    tier: TierName
    next_tier: TierName | None
    day: date
    line: str | None
    graded: bool = Field(description="False: no usable profile on the latest day run.")
    holds_days: int | None
    criteria: list[CriterionResult]
    missing: list[CriterionResult] = Field(description="What stops the next tier.")
    metrics: dict[str, Scalar]


class Change(BaseModel):
    host_id: str
    day: date
    from_tier: TierName
    to_tier: TierName
    direction: Literal["up", "down"]
    reasons: list[str]
    rulebook_version: str


class Claimed(BaseModel):
    host_id: str
    tier: TierName
    claimed_at: datetime = Field(description="When the host first claimed, in UTC.")


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


class DistributionDay(BaseModel):
    day: date
    run_id: int
    lines: dict[str, dict[str, int]] = Field(description="Hosts per line, then per tier.")


class QualitySummary(BaseModel):
    table: str
    reason: str
    counted: bool | None
    entries: int


class QualityEntry(BaseModel):
    table: str
    row_id: str | None
    reason: str
    detail: str | None
    counted: bool | None


class Quality(BaseModel):
    day: date | None
    total: int
    summary: list[QualitySummary]
    entries: list[QualityEntry]


class Rulebook(BaseModel):
    name: str
    definitions: dict[str, Any]
    versions: list[dict[str, Any]] = Field(
        description="Each version: effective_from, privileges, fatigue_days, the "
        "requirement trees (basic, and per line per tier), surfacing (per line) and channel."
    )


class Event(BaseModel):
    """An event from the outbox (a tier event, or a live ``surfaced`` / ``surfacing_ended``);
    the payload's fields follow the kind."""

    model_config = ConfigDict(extra="allow")

    id: int
    kind: str
    host_id: str
    day: date
    run_id: int | None = Field(description="The daily run that made it (null: a live event).")
