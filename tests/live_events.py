"""Live events for tests: a session's events as a platform service would send them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

D = date(2026, 11, 26)
ZONE = ZoneInfo("Asia/Shanghai")


def local(hour: int, minute: int = 0, second: int = 0, day: date = D) -> str:
    """An instant of ``day`` in platform time, with its offset."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ZONE).isoformat()


def at(hour: int, minute: int, second: int = 0) -> str:
    """``local``, with minutes past 59 carried into the hours."""
    start = datetime(D.year, D.month, D.day, hour, tzinfo=ZONE)
    return (start + timedelta(minutes=minute, seconds=second)).isoformat()


def session_events(
    session: str, host: str, viewers: int, buyers: int, *, end: bool = False, late: int = 0
) -> list[dict[str, Any]]:
    """A session from 09:00 on D (``late`` minutes later): ``viewers`` distinct viewers a
    minute apart (50 a minute from the 51st on), the first ``buyers`` of them paying the host
    a second after their view; with ``end``, ended at 09:55."""

    def local(hour: int, minute: int = 0, second: int = 0) -> str:
        return at(hour, minute + late, second)

    out: list[dict[str, Any]] = [
        {
            "event_id": f"{session}-start",
            "kind": "session_started",
            "session_id": session,
            "host_id": host,
            "started_at": local(9),
        }
    ]
    for i in range(viewers):
        buyer = f"{session}-b{i}"
        out.append(
            {
                "event_id": f"{session}-v{i}",
                "kind": "viewed",
                "session_id": session,
                "buyer_id": buyer,
                "viewed_at": local(9, 1 + i % 50, i // 50),
            }
        )
        if i < buyers:
            out.append(
                {
                    "event_id": f"{session}-p{i}",
                    "kind": "paid",
                    "order_id": f"{session}-o{i}",
                    "host_id": host,
                    "buyer_id": buyer,
                    "paid_at": local(9, 1 + i % 50, i // 50 + 1),
                }
            )
    if end:
        out.append(
            {
                "event_id": f"{session}-end",
                "kind": "session_ended",
                "session_id": session,
                "ended_at": local(9, 55),
            }
        )
    return out
