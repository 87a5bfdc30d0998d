"""A host's bodies: its status, task list, tier changes, the records behind its metrics and its
claim."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from livetier.entrypoints.schemas.common import Scalar, TierName


class OverrideNote(BaseModel):
    """The manual override that set the tier at the latest day run."""

    id: int
    kind: Literal["floor", "cap"]
    tier: TierName
    until: date | None = Field(description="Its last day run (inclusive); null: until cleared.")


GRACE_LEFT = Field(
    None,
    description="In grace before a downgrade: how many more day runs may grade the host lower "
    "while it keeps its tier (0: the next one moves it); null: not in grace.",
)
OVERRIDE_NOTE = Field(None, description="Set when a manual override decided the tier.")


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
    grace_days_left: int | None = GRACE_LEFT
    override: OverrideNote | None = OVERRIDE_NOTE


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
    grace_days_left: int | None = GRACE_LEFT
    override: OverrideNote | None = OVERRIDE_NOTE
    criteria: list[CriterionResult]
    missing: list[CriterionResult] = Field(description="What stops the next tier.")
    metrics: dict[str, Scalar]


class Change(BaseModel):
    host_id: str
    day: date
    from_tier: TierName
    to_tier: TierName
    direction: Literal["up", "down"]
    reason: Literal["grade", "grace", "override"] = Field(
        "grade",
        description="What decided it: the grade, the end of a grace before a downgrade, or a "
        "manual override.",
    )
    reasons: list[str]
    rulebook_version: str


class SessionRecord(BaseModel):
    kind: Literal["session"]
    session_id: str
    day: date | None = Field(description="The platform day it started (counts on).")
    started_at: str | None = Field(description="Platform local time, ISO 8601 with offset.")
    ended_at: str | None
    minutes: float | None
    counted: bool
    reason: str = Field(
        description="valid, duplicate_row, crosses_midnight, deleted (all counted); too_short, "
        "outside_window, or a data-quality reason (not counted)."
    )


class BuyerRecord(BaseModel):
    kind: Literal["buyer"]
    buyer_id: str | None = Field(description="Masked (b1****89) for host keys.")
    day: date | None
    first_view_at: str | None = Field(description="Platform local time, ISO 8601 with offset.")
    first_paid_at: str | None = Field(
        description="The first payment that day at or after the first view."
    )
    counted: bool
    reason: str = Field(
        description="counted; outside_window, paid_before_viewing, no_payment_that_day, "
        "unpaid_order, no_view_that_day, or a data-quality reason (not counted)."
    )


class Explanation(BaseModel):
    """The records behind a host's two 30-day metrics; the counted ones add up to them."""

    host_id: str
    day: date
    window: list[date] = Field(description="The first and last platform day counted.")
    metrics: dict[str, int]
    sessions: list[SessionRecord]
    buyers: list[BuyerRecord]


class Claimed(BaseModel):
    host_id: str
    tier: TierName
    claimed_at: datetime = Field(description="When the host first claimed, in UTC.")
