"""Live events as the batch pipeline's tables, and the session metrics (docs/rules.md,
"Real-time surfacing").

The live processor hands the events of the hosts and days it recomputes to these functions as
Ibis tables; they return Ibis expressions, so the same code runs on any engine the pipeline
runs on. "Today so far" is the batch's own ``clean`` + ``daily_facts`` over those events: one
definition, so a day's live facts equal its batch facts once its events are in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
from ibis import _

from livetier.pipeline.clean import Cleaned, Keep, clean
from livetier.pipeline.contract import CONTRACT, Col, Source
from livetier.pipeline.facts import daily_facts
from livetier.pipeline.timestamps import PlatformZone, add_instant

UTC_TS = dt.Timestamp(timezone="UTC")
STARTED = {"session_id": dt.string, "host_id": dt.string, "at": UTC_TS}
ENDED = {"session_id": dt.string, "at": UTC_TS, "deleted": dt.boolean}
VIEWED = {"session_id": dt.string, "buyer_id": dt.string, "at": UTC_TS}
PAID = {"order_id": dt.string, "host_id": dt.string, "buyer_id": dt.string, "at": UTC_TS}
"""The columns of each kind of event the processor hands over (instants zoned UTC)."""

_TYPES = {
    Col.STR: dt.string,
    Col.BOOL: dt.boolean,
    Col.INT: dt.int64,
    Col.FLOAT: dt.float64,
    Col.DATE: dt.date,
}
_NOWHERE = Path("live-events")


def sources(
    started: ibis.Table, ended: ibis.Table, viewed: ibis.Table, paid: ibis.Table
) -> dict[str, Source]:
    """The four contract tables made of events.

    A session is one row per (start, end) event pair, so two different ends make the
    conflicting rows the batch rejects; a session not ended yet ends where it started (it is
    not valid yet, and its views still find its host). The hosts table lists every host with
    an event, without a profile: live events know no profiles, and the facts need none.
    """
    s = started.left_join(ended, "session_id")
    sessions = s.select(
        session_id=s.session_id,
        host_id=s.host_id,
        started_at=s.at,
        ended_at=ibis.coalesce(s.at_right, s.at),
        deleted=s.deleted,
    )
    hosts_of = (
        started.select("host_id").union(paid.select("host_id")).distinct()
    )  # the only hosts the events can name
    profile = {
        c: ibis.null(_TYPES[kind])
        for c, kind in CONTRACT["hosts"].columns.items()
        if c not in ("host_id", "snapshot_date")
    }
    hosts = hosts_of.select("host_id", **profile)
    views = viewed.select("session_id", "buyer_id", viewed_at=viewed.at)
    orders = paid.select("order_id", "host_id", "buyer_id", paid_at=paid.at)
    return {
        name: Source(name, _NOWHERE, table)
        for name, table in (
            ("hosts", hosts),
            ("sessions", sessions),
            ("views", views),
            ("orders", orders),
        )
    }


def checked(
    src: dict[str, Source], zone: PlatformZone, lines: Iterable[str], keep: Keep = lambda t: t
) -> Cleaned:
    """The batch's checked rows of the events (pipeline/clean; ``keep`` as there)."""
    return clean(src, zone, lines, keep=keep)


def today_so_far(c: Cleaned, valid_longer_than_minutes: int, days: Iterable[date]) -> ibis.Table:
    """Per host and platform day: valid_sessions and live_buyers, the batch's daily facts."""
    return daily_facts(c, valid_longer_than_minutes, days).select(
        "host_id", "day", "valid_sessions", "live_buyers"
    )


def qualified(c: Cleaned, viewed: ibis.Table, zone: PlatformZone) -> ibis.Table:
    """When each item of a session metric joined it: (session_id, metric, buyer_id, at).

    ``session_viewers``: a distinct buyer with a view of the session, from its first view.
    ``session_buyers``: a distinct buyer who viewed the session and paid its host on the same
    platform day at or after that view (the daily definition, scoped to the session), from the
    first payment that has such a view before it. Views of rejected or unknown sessions count
    for nothing, as in the batch.
    """
    v = add_instant(viewed.select("session_id", "buyer_id", "at"), "at", zone, "view_utc", "day")
    v = v.join(c.sessions.select("session_id", "host_id"), "session_id")
    viewers = v.group_by("session_id", "buyer_id").agg(at=_.view_utc.min())
    o = c.orders.select(
        o_host="host_id", o_buyer="buyer_id", paid_utc="paid_utc", paid_day="paid_day"
    )
    pairs = v.join(o, [v.host_id == o.o_host, v.buyer_id == o.o_buyer, v.day == o.paid_day]).filter(
        _.paid_utc >= _.view_utc
    )
    buyers = pairs.group_by("session_id", "buyer_id").agg(at=_.paid_utc.min())
    return ibis.union(
        viewers.select(
            "session_id",
            metric=ibis.literal("session_viewers"),
            buyer_id=_.buyer_id,
            at=_.at.cast("timestamp"),
        ),
        buyers.select(
            "session_id",
            metric=ibis.literal("session_buyers"),
            buyer_id=_.buyer_id,
            at=_.at.cast("timestamp"),
        ),
    )


def counts(q: ibis.Table) -> ibis.Table:
    """Per session: viewers and buyers (from ``qualified``)."""
    return q.group_by("session_id").agg(
        viewers=(q.metric == "session_viewers").cast("int64").sum(),
        buyers=(q.metric == "session_buyers").cast("int64").sum(),
    )


def nth_times(q: ibis.Table, needs: Iterable[tuple[str, int]]) -> ibis.Table:
    """For each (metric, n) in ``needs``: per session, the instant its n-th item joined
    (session_id, metric, n, at). A session with fewer than n items has no row."""
    wanted = sorted(set(needs))
    if not wanted:
        return q.filter(ibis.literal(False)).select(
            "session_id", "metric", n=ibis.literal(0), at=q.at
        )
    ranked = q.mutate(
        n=ibis.row_number().over(group_by=["session_id", "metric"], order_by=["at", "buyer_id"]) + 1
    )
    keep = ibis.or_(*((ranked.metric == m) & (ranked.n == k) for m, k in wanted))
    return ranked.filter(keep).select(
        "session_id", "metric", n=ranked.n.cast("int64"), at=ranked.at
    )


def counts_at(q: ibis.Table, moments: ibis.Table) -> ibis.Table:
    """Per session of ``moments`` (session_id, moment): its viewers and buyers at that moment."""
    j = q.join(moments, "session_id").filter(_.at <= _.moment)
    return counts(j.select("session_id", "metric", "buyer_id", "at"))
