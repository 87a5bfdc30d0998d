"""livetier while hosts are live: events in, session metrics, real-time surfacing, the live
channel and today's provisional facts (docs/rules.md, "Real-time surfacing"; docs/design.md,
"The live stream").

Everything goes through the state store (a SQLAlchemy ``Engine``, as the other services take
it), so many API workers can accept events while one processor computes:

- ``accept_events(db, events, timezone=...)`` checks each event and stores the good ones in the
  ``live_events`` inbox (once per ``event_id``) before returning an ``IngestReport``;
- a ``Processor`` (one at a time, by a lease row) drains the inbox: it recomputes the affected
  sessions and host-days with the batch pipeline's Ibis expressions, and writes sessions,
  today-so-far facts, ``surfaced`` / ``surfacing_ended`` outbox events and the events'
  ``processed`` mark in one transaction;
- ``channel``, ``session``, ``sessions``, ``host_live`` and ``facts`` read the results.

Times given to and returned by this package are naive UTC ``datetime``s, or aware ones.
"""

from __future__ import annotations

from livetier.services.live.ingest import KINDS, IngestReport, accept_events, on_accept
from livetier.services.live.lease import ProcessorBusy
from livetier.services.live.processor import Processor
from livetier.services.live.read import (
    Channel,
    ChannelRoom,
    HostLive,
    LiveSessionView,
    Threshold,
    channel,
    facts,
    host_live,
    session,
    session_record,
    sessions,
)

LiveSession = LiveSessionView
"""A session as the processor last computed it (the name live-web imports)."""

__all__ = [
    "KINDS",
    "Channel",
    "ChannelRoom",
    "HostLive",
    "IngestReport",
    "LiveSession",
    "LiveSessionView",
    "Processor",
    "ProcessorBusy",
    "Threshold",
    "accept_events",
    "channel",
    "facts",
    "host_live",
    "on_accept",
    "session",
    "session_record",
    "sessions",
]
