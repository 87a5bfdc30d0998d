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


# Live events in (POST /api/v1/live/events). These models are the schema of one event and the
# strict JSON-type check the route applies before services.live checks the values: an id is a
# string, a time is a string, ``deleted`` a boolean, nothing else is accepted in their place.

LIVE_ID_CHARS = 128  # as services.live.ingest.MAX_ID
EVENT_ID_CHARS = 200
_LiveId = Annotated[str, Field(min_length=1, max_length=LIVE_ID_CHARS)]
_EventId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=EVENT_ID_CHARS,
        description="Unique per event: an event sent again is acknowledged as a duplicate "
        "and counted once.",
    ),
]
_TIME = (
    "ISO 8601, e.g. 2026-11-26T20:15:00+08:00; without an offset it is platform local time "
    "(the rulebook's time zone), as in the data contract."
)
_Time = Annotated[str, Field(min_length=1, max_length=64, description=_TIME)]


class _LiveEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SessionStartedEvent(_LiveEvent):
    """A live session started."""

    event_id: _EventId
    kind: Literal["session_started"]
    session_id: _LiveId
    host_id: _LiveId
    started_at: _Time


class SessionEndedEvent(_LiveEvent):
    """A live session ended (``deleted``: the platform removed it; it never counts)."""

    event_id: _EventId
    kind: Literal["session_ended"]
    session_id: _LiveId
    ended_at: _Time
    deleted: bool = False


class ViewedEvent(_LiveEvent):
    """A buyer viewed a live session."""

    event_id: _EventId
    kind: Literal["viewed"]
    session_id: _LiveId
    buyer_id: _LiveId
    viewed_at: _Time


class PaidEvent(_LiveEvent):
    """A buyer paid an order of the host."""

    event_id: _EventId
    kind: Literal["paid"]
    order_id: _LiveId
    host_id: _LiveId
    buyer_id: _LiveId
    paid_at: _Time


LiveEventIn = Annotated[
    SessionStartedEvent | SessionEndedEvent | ViewedEvent | PaidEvent,
    Field(discriminator="kind"),
]


class RejectedEvent(BaseModel):
    index: int = Field(
        description="The event's position in the batch, from 0 (NDJSON: among its non-blank lines)."
    )
    reason: str = Field(description="Why, naming the field; never the event itself.")


class IngestReport(BaseModel):
    """What became of a batch: good events are stored whatever the others are."""

    accepted: int = Field(description="New events stored.")
    duplicates: int = Field(
        description="Events already stored (or repeated in the batch): acknowledged, not "
        "counted again."
    )
    rejected: list[RejectedEvent]


class LiveSession(BaseModel):
    """A live session as the processor last computed it (times in UTC)."""

    session_id: str
    host_id: str
    started_at: datetime
    ended_at: datetime | None
    viewers: int = Field(description="session_viewers: distinct buyers with a view.")
    buyers: int = Field(
        description="session_buyers: viewers who paid the host on the same platform day at or "
        "after their view."
    )
    surfaced_at: datetime | None = Field(description="When it was surfaced, if it was.")
    surfaced: bool = Field(description="Surfaced now: surfaced and not ended.")
    surfaced_metrics: dict[str, int] | None = Field(
        description="Its metrics at the moment it was surfaced."
    )


class ChannelRoom(BaseModel):
    rank: int = Field(description="Its place in the channel, from 1.")
    session_id: str
    host_id: str
    tier: TierName
    viewers: int
    buyers: int
    score: float = Field(
        description="(viewers + buyer_weight x buyers), x ranking_boost_weight with the "
        "ranking_boost privilege."
    )
    surfaced_at: datetime | None = Field(
        description="Null for an expert's room shown during a channel activity it registered for."
    )
    banner: bool = Field(description="In a banner slot (hosts holding channel_banner).")


class LiveChannel(BaseModel):
    """The live channel now: the banner slots and the rooms, best first."""

    day: date = Field(description="Today's platform day.")
    rulebook_version: str
    banner_slots: int
    banner: list[str] = Field(description="The session ids in the banner slots, in order.")
    rooms: list[ChannelRoom]


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
