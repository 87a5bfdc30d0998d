"""The operators' and services' bodies: tier distributions, the data-quality report, the
rulebook, the events feed, and a draft's simulation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from livetier.entrypoints.schemas.common import Day, Scalar, TierName


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
    """An event from the outbox: a tier event of a daily run, or a live one (``surfaced``,
    ``surfacing_ended``, with no run); the payload's fields follow the kind."""

    model_config = ConfigDict(extra="allow")

    id: int
    kind: str
    host_id: str
    day: date
    run_id: int | None = Field(description="The daily run that made it (null: a live event).")


def _example_draft() -> str:
    from livetier.rulebooks import DEFAULT_RULEBOOK

    return DEFAULT_RULEBOOK.read_text(encoding="utf-8")


MAX_DRAFT_CHARS = 60_000
"""A draft rulebook's text: the shipped one is about 3,000 characters."""


class SimulationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft: Annotated[
        str,
        Field(
            min_length=1,
            max_length=MAX_DRAFT_CHARS,
            description="The draft rulebook's YAML text (the file `rules simulate` takes).",
            examples=[_example_draft()],
        ),
    ]
    date: Day | None = Field(
        None, description="The day to grade (default, and only choice: the latest run's day)."
    )
    version: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="The draft's version to simulate (default: its latest)."
    )


class TransitionCell(BaseModel):
    tier: TierName
    draft_tier: TierName
    hosts: int
    share: float


class PrivilegeShift(BaseModel):
    privilege: str
    gained: int
    lost: int


class NearHost(BaseModel):
    host_id: str
    value: Scalar
    tier: TierName
    draft_tier: TierName


class MovedThreshold(BaseModel):
    requirement: str = Field(description="basic, or the tier whose requirements hold it.")
    metric: str
    op: str
    before: Scalar | list[Scalar]
    after: Scalar | list[Scalar]
    nearest: list[NearHost] = Field(description="The hosts closest to the draft's target.")


class PolicyCount(BaseModel):
    tier: int = Field(description="Hosts it decides under the version in force.")
    draft_tier: int = Field(description="Hosts it decides under the draft.")


class LineSimulation(BaseModel):
    line: str
    hosts: int
    changed: int
    grace: PolicyCount = Field(description="Hosts graded lower that grace keeps at their tier.")
    overrides: PolicyCount = Field(description="Hosts whose tier an override in force sets.")
    matrix: list[TransitionCell] = Field(description="Tier in force x draft tier.")
    privileges: list[PrivilegeShift]
    thresholds: list[MovedThreshold]


class SimulatedHost(BaseModel):
    host_id: str
    line: str
    tier: TierName
    draft_tier: TierName
    changed: bool
    reasons: list[str] = Field(
        description="The draft's criteria that decide the difference; `grace: ...` when grace "
        "keeps the host's tier under the draft, `override: ...` when an override decides it."
    )


class Simulation(BaseModel):
    day: date
    version: str = Field(description="The version in force on the day.")
    draft_version: str
    hosts: int
    changed: int
    policy_applied: bool = Field(
        description="Tiers are what hosts would hold: grades through grace and the overrides "
        "in force, from the state store's standing before the day."
    )
    downgrade_grace_days: dict[str, int] = Field(
        description="Each version's grace: tier (the version in force) and draft_tier."
    )
    note: str | None = None
    lines: list[LineSimulation]
    changed_hosts: list[SimulatedHost] = Field(description="The first 200 changed hosts.")
