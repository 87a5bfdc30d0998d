"""Live sessions: the events in, what became of a batch, the sessions and the channel."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from livetier.entrypoints.schemas.common import TierName

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
