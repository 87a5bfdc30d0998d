"""Per-host, per-platform-day facts, and the 30-day metrics summed from them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import ibis
from ibis import _

from livetier.pipeline.clean import REPORT_COLUMNS, Cleaned
from livetier.pipeline.tables import without

FACT_COLUMNS = ("host_id", "day", "valid_sessions", "live_buyers", "cross_day_sessions")
METRIC_OF_FACT = {
    "valid_sessions": "live_sessions_30d",
    "live_buyers": "live_buyers_30d",
    "cross_day_sessions": "cross_day_sessions_30d",
}
"""The window metric each daily fact adds up to."""


def daily_facts(
    c: Cleaned, valid_longer_than_minutes: int, days: Iterable[date] | None = None
) -> ibis.Table:
    """One row per (host, platform day) with activity, optionally limited to ``days``.

    Every count is additive over days, so a window's metric is a plain sum and a day's facts
    never change once its events are complete.
    """
    sessions, views, orders = c.sessions, c.views, c.orders
    if days is not None:
        wanted = sorted(set(days))
        sessions = sessions.filter(sessions.start_day.isin(wanted))
        orders = orders.filter(orders.paid_day.isin(wanted))

    session_facts = sessions.group_by("host_id", day=sessions.start_day).agg(
        valid_sessions=valid_session(sessions, valid_longer_than_minutes).cast("int64").sum(),
        cross_day_sessions=(sessions.start_day != sessions.end_day).cast("int64").sum(),
    )

    # Views need no day filter of their own: joining on the day with in-window payments keeps
    # only in-window views, and skips computing the platform day of every view twice.
    buyer_facts = (
        live_buyer_days(views, orders).group_by("host_id", "day").agg(live_buyers=_.count())
    )

    joined = session_facts.outer_join(buyer_facts, ["host_id", "day"])
    return joined.select(
        host_id=ibis.coalesce(joined.host_id, joined.host_id_right),
        day=ibis.coalesce(joined.day, joined.day_right),
        valid_sessions=joined.valid_sessions.fill_null(0),
        live_buyers=joined.live_buyers.fill_null(0).cast("int64"),
        cross_day_sessions=joined.cross_day_sessions.fill_null(0),
    )


def valid_session(sessions: ibis.Table, valid_longer_than_minutes: int) -> ibis.BooleanValue:
    """Whether a clean session is valid: it lasted MORE than the minimum (exactly the minimum
    is not valid). It counts on the platform day it started."""
    minimum = ibis.interval(minutes=valid_longer_than_minutes)
    return sessions.end_utc > sessions.start_utc + minimum


def live_buyer_days(views: ibis.Table, orders: ibis.Table) -> ibis.Table:
    """The distinct (host_id, buyer_id, day) that make a live buyer, from clean views and
    clean paid orders.

    Live buyer: B viewed a session of H on day d and paid H on day d at or after a view.
    Some order is paid at or after some view of that day exactly when some view comes at or
    before the day's last payment. Orders are few next to views, so views are probed against
    the (host, buyer, day) keys that have a payment instead of being grouped one by one.
    """
    last_paid = orders.group_by("host_id", "buyer_id", day=orders.paid_day).agg(
        last_paid=_.paid_utc.max()
    )
    viewed = views.select("host_id", "buyer_id", "view_utc", day=views.view_day)
    return (
        viewed.join(last_paid, ["host_id", "buyer_id", "day"])
        .filter(_.view_utc <= _.last_paid)
        .select("host_id", "buyer_id", "day")
        .distinct()
    )


def window(day: date, window_days: int) -> tuple[date, date]:
    """The platform days counted for evaluation day D: D-window .. D-1 (T+1)."""
    return day - timedelta(days=window_days), day - timedelta(days=1)


def window_days_of(day: date, window_days: int) -> list[date]:
    """Every platform day counted for evaluation day D, oldest first."""
    first = window(day, window_days)[0]
    return [first + timedelta(days=i) for i in range(window_days)]


def not_graded(listed: ibis.Table, profile: ibis.Table, day: date) -> ibis.Table:
    """Report entries for listed hosts with no usable profile snapshot on or before D-1.

    Such a host is not graded that day: saying so beats leaving it out silently.
    """
    as_of = window(day, 1)[1]
    missing = (
        listed.filter(listed.host_id.notnull())
        .select("host_id")
        .distinct()
        .anti_join(profile, "host_id")
    )
    values = (
        "hosts",
        missing.host_id,
        "not_graded",
        f"no usable profile snapshot on or before {as_of}",
        False,
    )
    return missing.select(
        **{
            c: v if isinstance(v, ibis.Value) else ibis.literal(v)
            for c, v in zip(REPORT_COLUMNS, values, strict=True)
        }
    )


def profile_as_of(hosts: ibis.Table, snapshots: ibis.Table, day: date) -> ibis.Table:
    """Each host's latest profile snapshot dated on or before D-1.

    The latest date is taken over every snapshot, rejected ones included: if the newest is
    unusable the host is not graded, rather than graded on an older, stale profile.
    """
    as_of = day - timedelta(days=1)
    latest = (
        snapshots.filter(snapshots.snapshot_date <= as_of)
        .group_by("host_id")
        .agg(snapshot_date=_.snapshot_date.max())
    )
    # Clean rows are unique per (host, date): duplicates collapsed, conflicting ones rejected.
    return hosts.join(latest, ["host_id", "snapshot_date"])


def metrics_for_day(
    hosts: ibis.Table, snapshots: ibis.Table, facts: ibis.Table, day: date, window_days: int
) -> ibis.Table:
    """Every gradable host's profile and 30-day activity for evaluation day D."""
    first, last = window(day, window_days)
    activity = (
        facts.filter(facts.day.between(first, last))
        .group_by("host_id")
        .agg(**{metric: _[fact].sum() for fact, metric in METRIC_OF_FACT.items()})
    )
    profile = profile_as_of(hosts, snapshots, day)
    joined = without(profile.left_join(activity, "host_id"), "host_id_right")
    return joined.mutate(
        **{m: joined[m].fill_null(0).cast("int64") for m in METRIC_OF_FACT.values()}
    )
