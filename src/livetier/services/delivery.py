"""Webhook delivery of tier events: at least once, in id order, with retries and a cursor.

Each event is POSTed as JSON. The consumer's cursor (the last delivered id) is committed only
after the webhook answered 2xx, so a crash between the two re-sends that event: consumers
must treat the event id as an idempotency key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from livetier.services.state import events_after
from livetier.store.failpoint import checkpoint
from livetier.store.models import DeliveryCursor


class DeliveryFailed(RuntimeError):
    """The webhook kept failing; the cursor stays at the last event it accepted."""


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one delivery pass did."""

    delivered: int
    retries: int
    cursor: int


def cursor(db: Engine, consumer: str) -> int:
    """The last event id delivered to ``consumer`` (0: none yet)."""
    with Session(db) as s:
        row = s.get(DeliveryCursor, consumer)
        return row.last_id if row else 0


def _advance(db: Engine, consumer: str, last_id: int) -> None:
    with Session(db) as s, s.begin():
        row = s.get(DeliveryCursor, consumer)
        now = datetime.now(UTC).replace(tzinfo=None)
        if row is None:
            s.add(DeliveryCursor(consumer=consumer, last_id=last_id, updated_at=now))
        else:
            row.last_id, row.updated_at = last_id, now
        s.flush()
        checkpoint("delivery-cursor-written")


def deliver(
    db: Engine,
    url: str,
    *,
    consumer: str | None = None,
    max_attempts: int = 6,
    backoff: float = 0.5,
    timeout: float = 10.0,
    batch: int = 500,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryOutcome:
    """Send every event after the consumer's cursor to ``url``, oldest first."""
    name = consumer or url
    position = cursor(db, name)
    delivered = retries = 0
    with httpx.Client(timeout=timeout) as client:
        while events := events_after(db, position, limit=batch):
            checkpoint("delivery-batch-read")
            for event in events:
                for attempt in range(1, max_attempts + 1):
                    checkpoint("delivery-sending")
                    try:
                        response = client.post(
                            url, json=event, headers={"Idempotency-Key": str(event["id"])}
                        )
                        if response.is_success:
                            break
                        problem = f"HTTP {response.status_code}"
                    except httpx.HTTPError as e:
                        problem = f"{type(e).__name__}: {e}"
                    if attempt == max_attempts:
                        raise DeliveryFailed(
                            f"event {event['id']} not accepted by {url} after {attempt} "
                            f"attempts ({problem}); cursor stays at {position}"
                        )
                    retries += 1
                    checkpoint("delivery-retrying")
                    sleep(backoff * 2 ** (attempt - 1))  # exponential backoff
                checkpoint("delivery-sent")
                position = event["id"]
                _advance(db, name, position)
                checkpoint("delivery-cursor-saved")
                delivered += 1
        checkpoint("delivery-done")
    return DeliveryOutcome(delivered, retries, position)
