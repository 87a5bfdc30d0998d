"""One host's records behind its two activity metrics on day D, each with whether it counts
and why.

Not a second implementation of the metrics: the input is narrowed to one host's rows, then
checked by ``pipeline/clean`` and counted by the expressions of ``pipeline/facts``, exactly as
a run does. Narrowing keeps every row a check of the host's rows reads: all rows of the
host's session and order ids (a conflicting duplicate under another host is still seen), the
views of its sessions, and its profile rows. The checks are per id, per session and per
(host, buyer, day), so on the narrowed input they give the host's rows the same outcome as on
the whole platform (tests/integration/test_explain.py holds the counted records equal to the
metrics of ``evaluate`` on generated platforms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import ibis
from ibis import _

from livetier.pipeline import facts
from livetier.pipeline.clean import ALWAYS, clean
from livetier.pipeline.contract import Source
from livetier.pipeline.timestamps import PlatformZone

SESSION_REASONS = {
    "valid": True,
    "duplicate_row": True,  # identical rows, counted once
    "crosses_midnight": True,  # counted on its start day
    "deleted": True,  # deleted sessions count (删除的也算)
    "too_short": False,  # lasted no more than the minimum
    "outside_window": False,
}
"""A session record's reasons besides the data-quality ones of pipeline/clean (which never
count): whether each counts."""

BUYER_REASONS = {
    "counted": True,
    "outside_window": False,
    "paid_before_viewing": False,  # every payment of the day came before the first view
    "no_payment_that_day": False,  # viewed, no paid order with the host that day
    "unpaid_order": False,  # no paid order that day, and an order without payment
    "no_view_that_day": False,  # paid, but viewed no session of the host that day
}
"""A buyer record's reasons besides the data-quality ones of pipeline/clean (never counted)."""

METRICS = ("live_sessions_30d", "live_buyers_30d")
"""The metrics an explanation adds up to."""

Keep = Callable[[ibis.Table], ibis.Table]


def listed_days(day: date, window_days: int) -> tuple[date, date]:
    """The platform days whose records an explanation lists: the window D-30 … D-1 and one day
    on each side (D-31 and D), so that a record just outside the window is shown as such."""
    first, last = facts.window(day, window_days)
    return first - timedelta(days=1), last + timedelta(days=1)


def narrowed(
    sources: dict[str, Source],
    hosts: list[str],
    lookup: Source | None = None,
    keep: Keep = lambda t: t,
) -> tuple[dict[str, Source], Source | None]:
    """``sources`` (and the sessions ``lookup``) cut down to what the checks of the rows of
    ``hosts`` read. The hosts' ids are fetched first, so that each big table is filtered by a
    list of values, which the engine pushes down into its scan; ``keep`` may materialise each
    narrowed table (a few hundred rows), so that the checks compile and run on those alone."""
    sessions = [sources["sessions"].table, *([lookup.table] if lookup else [])]
    session_ids = _ids(
        ibis.union(*(s.filter(s.host_id.isin(hosts)).select("session_id") for s in sessions))
    )
    orders = sources["orders"].table
    order_ids = _ids(orders.filter(orders.host_id.isin(hosts)).select("order_id"))
    views = sources["views"].table
    profiles = sources["hosts"].table

    def cut(source: Source, table: ibis.Table) -> Source:
        return replace(source, table=keep(table))

    out = {
        "hosts": cut(sources["hosts"], profiles.filter(profiles.host_id.isin(hosts))),
        "sessions": cut(sources["sessions"], _isin(sessions[0], "session_id", session_ids)),
        "views": cut(sources["views"], _isin(views, "session_id", session_ids)),
        "orders": cut(sources["orders"], _isin(orders, "order_id", order_ids)),
    }
    kept_lookup = cut(lookup, _isin(lookup.table, "session_id", session_ids)) if lookup else None
    return out, kept_lookup


def _ids(table: ibis.Table) -> list[str]:
    column = table.columns[0]
    return sorted(v for v in table.distinct().to_pyarrow()[column].to_pylist() if v is not None)


def _isin(table: ibis.Table, column: str, values: list[str]) -> ibis.Table:
    if not values:
        return table.limit(0)
    return table.filter(table[column].isin(values))


@dataclass(frozen=True)
class Explained:
    """The hosts' records and the pipeline's own metrics for them."""

    sessions: ibis.Table  # host_id, session_id, day, start_utc, end_utc, counted, reason
    buyers: ibis.Table  # host_id, buyer_id, day, first_view_utc, first_paid_utc, counted, reason
    metrics: ibis.Table  # host_id, live_sessions_30d, live_buyers_30d (pipeline/facts' sums)
    graded: ibis.Table  # host_id of the hosts with a usable profile as of D-1 (graded on D)


def explain(
    sources: dict[str, Source],
    hosts: list[str],
    day: date,
    zone: PlatformZone,
    lines: Iterable[str],
    window_days: int,
    valid_longer_than_minutes: int,
    lookup: Source | None = None,
    keep: Keep = lambda t: t,
) -> Explained:
    """The records of ``hosts`` that could count toward their metrics on ``day``.

    ``sources`` should already be narrowed to the hosts (``narrowed``): the result is the same
    either way, only slower on the whole platform.
    """
    checked: dict[str, ibis.Table] = {}

    def capture(t: ibis.Table) -> ibis.Table:  # clean hands each table's checked rows here
        kept = keep(t)
        checked[_checked_name(t)] = kept
        return kept

    cleaned = clean(sources, zone, lines, lookup, capture, narrow_views=False)
    first, last = facts.window(day, window_days)
    shown_first, shown_last = listed_days(day, window_days)

    sessions = _session_records(
        checked["sessions"], sources["sessions"].table, hosts, valid_longer_than_minutes
    )
    in_window = sessions.day.between(first, last)
    sessions = sessions.mutate(
        counted=sessions._problem.isnull() & in_window & sessions._valid,
        reason=ibis.cases(
            (sessions._problem.notnull(), sessions._problem),
            (~in_window, "outside_window"),
            (~sessions._valid, "too_short"),
            (sessions._copies > 1, "duplicate_row"),
            (sessions.day != sessions._end_day, "crosses_midnight"),
            (sessions._deleted, "deleted"),
            else_="valid",
        ),
    )
    sessions = sessions.filter(
        sessions.day.isnull() | sessions.day.between(shown_first, shown_last)
    )

    buyers = _buyer_records(checked, cleaned.views, cleaned.orders, hosts, first, last)
    buyers = buyers.filter(buyers.day.isnull() | buyers.day.between(shown_first, shown_last))

    window_facts = facts.daily_facts(
        cleaned, valid_longer_than_minutes, facts.window_days_of(day, window_days)
    )
    window_facts = window_facts.filter(window_facts.host_id.isin(hosts))
    metrics = window_facts.group_by("host_id").agg(
        live_sessions_30d=_.valid_sessions.sum(), live_buyers_30d=_.live_buyers.sum()
    )
    return Explained(
        sessions.select(
            "host_id", "session_id", "day", "start_utc", "end_utc", "counted", "reason"
        ).order_by("host_id", "day", "session_id"),
        buyers.order_by("host_id", "day", "buyer_id", "reason"),
        metrics,
        facts.profile_as_of(cleaned.hosts, cleaned.snapshots, day).select("host_id").distinct(),
    )


def _checked_name(t: ibis.Table) -> str:
    """Which table's checked rows ``t`` holds, by a column only that one has."""
    for name, column in (("sessions", "end_utc"), ("orders", "order_id"), ("views", "view_utc")):
        if column in t.columns:
            return name
    return "hosts"


def _session_records(
    checked: ibis.Table, raw: ibis.Table, hosts: list[str], valid_longer_than_minutes: int
) -> ibis.Table:
    """Every checked session of the hosts (clean or not) with its validity and deleted flag."""
    s = checked.filter(checked.host_id.isin(hosts))
    scope = ibis.date(ALWAYS)
    deleted = raw.group_by(
        "session_id", _scope=raw["_part"].fill_null(scope) if "_part" in raw.columns else scope
    ).agg(_deleted=_.deleted.fill_null(False).any())
    s = s.mutate(_scope=s._part.fill_null(scope))
    s = s.left_join(deleted, ["session_id", "_scope"])
    return s.select(
        "host_id",
        "session_id",
        "start_utc",
        "end_utc",
        "_copies",
        "_problem",
        day=s.start_day,
        _end_day=s.end_day,
        _valid=facts.valid_session(s, valid_longer_than_minutes).fill_null(False),
        _deleted=s._deleted.fill_null(False),
    )


def _buyer_records(
    checked: dict[str, ibis.Table],
    views: ibis.Table,
    orders: ibis.Table,
    hosts: list[str],
    first: date,
    last: date,
) -> ibis.Table:
    """One record per (buyer, platform day) with a clean view or a clean paid order of the
    host, one per rejected view or order row, and one per buyer whose only orders are unpaid."""
    views = views.filter(views.host_id.isin(hosts))
    orders = orders.filter(orders.host_id.isin(hosts))
    key = ["host_id", "buyer_id", "day"]
    live = facts.live_buyer_days(views, orders).select(*key).mutate(_live=ibis.literal(True))
    viewed = views.group_by("host_id", "buyer_id", day=views.view_day).agg(
        first_view_utc=_.view_utc.min()
    )
    paid = orders.group_by("host_id", "buyer_id", day=orders.paid_day).agg(
        _any_paid=_.paid_utc.min()
    )
    qualifying = (
        orders.select("host_id", "buyer_id", "paid_utc", day=orders.paid_day)
        .join(viewed, key)
        .filter(_.paid_utc >= _.first_view_utc)
        .group_by(key)
        .agg(first_paid_utc=_.paid_utc.min())
    )
    o = checked["orders"].filter(checked["orders"].host_id.isin(hosts))
    unpaid = (
        o.filter(o._problem.isnull() & o.paid_utc.isnull())
        .select("host_id", "buyer_id")
        .distinct()
        .mutate(_unpaid=ibis.literal(True))
    )
    days = viewed.select(*key).union(paid.select(*key), distinct=True)
    r = days.left_join(viewed, key).select(*key, "first_view_utc")
    r = r.left_join(paid, key).select(*key, "first_view_utc", "_any_paid")
    r = r.left_join(qualifying, key).select(*key, "first_view_utc", "_any_paid", "first_paid_utc")
    r = r.left_join(live, key).select(
        *key, "first_view_utc", "_any_paid", "first_paid_utc", "_live"
    )
    r = r.left_join(unpaid, ["host_id", "buyer_id"]).select(
        *key, "first_view_utc", "_any_paid", "first_paid_utc", "_live", "_unpaid"
    )
    in_window = r.day.between(first, last)
    counted = r._live.fill_null(False) & in_window
    clean_records = r.select(
        *key,
        "first_view_utc",
        first_paid_utc=r.first_paid_utc.cast(r.first_view_utc.type()),
        counted=counted,
        reason=ibis.cases(
            (counted, "counted"),
            (~in_window, "outside_window"),
            (r.first_view_utc.isnull(), "no_view_that_day"),
            (r._any_paid.isnull() & r._unpaid.fill_null(False), "unpaid_order"),
            (r._any_paid.isnull(), "no_payment_that_day"),
            else_="paid_before_viewing",
        ),
    )
    kind = clean_records.first_view_utc.type()
    none = ibis.null(kind)
    # A rejected view's host is its session's (a rejected session has no host in the checks).
    v = checked["views"]
    owners = (
        checked["sessions"]
        .filter(checked["sessions"].host_id.isin(hosts))
        .select("session_id", "host_id")
        .distinct()
    )
    v = v.filter(v._problem.notnull()).join(owners, "session_id")
    bad_views = v.select(
        "host_id",
        "buyer_id",
        day=v.view_day,
        first_view_utc=v.view_utc.cast(kind),
        first_paid_utc=none,
        counted=ibis.literal(False),
        reason=v._problem,
    )
    bad_orders = o.filter(o._problem.notnull()).select(
        "host_id",
        "buyer_id",
        day=o.paid_day,
        first_view_utc=none,
        first_paid_utc=o.paid_utc.cast(kind),
        counted=ibis.literal(False),
        reason=o._problem,
    )
    only_unpaid = unpaid.anti_join(days, ["host_id", "buyer_id"]).select(
        "host_id",
        "buyer_id",
        day=ibis.null("date"),
        first_view_utc=none,
        first_paid_utc=none,
        counted=ibis.literal(False),
        reason=ibis.literal("unpaid_order"),
    )
    return ibis.union(clean_records, bad_views, bad_orders, only_unpaid)
