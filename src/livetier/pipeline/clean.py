"""Raw contract tables to clean, typed rows, and the data-quality report of every rejected row.

A row-level problem never aborts a run and is never dropped silently: the row leaves the
metrics and enters the report with its id and a reason. Rows that still count but deserve a
look (a session crossing midnight, an exact duplicate collapsed to one) are reported with
``counted = true``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import ibis
from ibis import _

from livetier.pipeline.contract import CONTRACT, Source
from livetier.pipeline.tables import without
from livetier.pipeline.timestamps import PlatformZone, add_instant, unusable

REPORT_COLUMNS = ("table", "row_id", "reason", "detail", "counted")
Keep = Callable[[ibis.Table], ibis.Table]
"""What ``clean`` may do with each table's checked rows, read by facts and report (cache them)."""
ALWAYS = "0001-01-01"
"""The snapshot date given to the single profile of a hosts file without snapshot_date."""


@dataclass(frozen=True)
class Cleaned:
    """Clean inputs, in the shapes the facts need, plus the problems found."""

    hosts: ibis.Table  # host_id, snapshot_date, category_line, profile
    snapshots: ibis.Table  # host_id, snapshot_date of every dated host row, even rejected
    sessions: ibis.Table  # session_id, host_id, start_utc, end_utc, start_day, end_day
    views: ibis.Table  # host_id, buyer_id, view_utc, view_day; only those with a paid order
    orders: ibis.Table  # host_id, buyer_id, paid_utc, paid_day; paid orders only
    problems: ibis.Table  # REPORT_COLUMNS


def _report(
    table: str, rows: ibis.Table, row_id: Any, reason: Any, detail: Any, counted: bool
) -> ibis.Table:
    """Report entries for ``rows``; row_id, reason and detail are values or deferreds on rows."""
    reason = ibis.literal(reason) if isinstance(reason, str) else reason
    detail = ibis.literal(detail) if isinstance(detail, str) else detail
    return rows.select(
        table=ibis.literal(table),
        row_id=row_id.cast("string"),
        reason=reason.cast("string"),
        detail=detail.cast("string"),
        counted=ibis.literal(counted),
    )


def _first_problem(*checks: tuple[ibis.BooleanValue, str]) -> ibis.StringValue:
    """The first failing check's reason, or NULL for a clean row."""
    return ibis.cases(*((cond.fill_null(False), reason) for cond, reason in checks), else_=None)


def _deduplicated(rows: ibis.Table, key: list[str]) -> ibis.Table:
    """Exact duplicates collapsed to one row that knows how many it stands for (``_copies``),
    and ``_conflict`` on every row of a key whose rows disagree: those are all rejected, as
    no one version can be trusted over the other."""
    counted = rows.group_by(rows.columns).agg(_copies=_.count())
    conflicts = (
        counted.group_by(key)
        .agg(_versions=_.count())
        .filter(_._versions > 1)
        .select(*key, _conflict=ibis.literal(True))
    )
    joined = without(counted.left_join(conflicts, key), *[f"{k}_right" for k in key])
    return joined.mutate(_conflict=joined._conflict.fill_null(False))


def _duplicates_report(table: str, rows: ibis.Table, row_id: Any) -> ibis.Table:
    """Report entries for the exact duplicates collapsed in ``rows`` (still counted)."""
    dup = rows.filter(rows._copies > 1)
    detail = dup._copies.cast("string") + " identical rows counted once"
    return _report(table, dup, row_id, "duplicate_row", detail, True)


def _with_part(table: ibis.Table, name: str) -> ibis.Table:
    """The contract columns, the partition day (NULL for a flat file), and the scope in which
    ids must be unique: the partition, so that a day's facts depend on its partition alone
    (the whole file for a flat file)."""
    part = table["_part"] if "_part" in table.columns else ibis.null("date")
    return table.select(
        *CONTRACT[name].columns, _part=part, _scope=part.fill_null(ibis.date(ALWAYS))
    )


def _outside_partition(rows: ibis.Table, day: str) -> ibis.BooleanValue:
    """A row filed under another day's partition than its own platform day. It is not counted:
    a day's facts must come from that day's partition alone, or a daily run would miss it."""
    return rows._part.notnull() & (rows._part != rows[day])


def _text(value: ibis.Value) -> ibis.StringValue:
    """A raw value as report text, the same on every engine: a zoned timestamp as its UTC wall
    time with "Z" (DuckDB would print "+00", Spark nothing)."""
    kind = value.type()
    if kind.is_timestamp() and kind.timezone is not None:
        return value.cast("timestamp").cast("string") + "Z"
    return value.cast("string")


def _reported(rows: ibis.Table, value: ibis.Value) -> ibis.StringValue:
    """A raw value as the report shows it, for rejected rows only (NULL for the others): made
    before the checked rows are kept, as a kept (cached) table may come back with other types
    (Spark's zoned timestamps read back as naive ones)."""
    return ibis.ifelse(rows._problem.notnull(), _text(value), None)


def _partition_note(rows: ibis.Table) -> ibis.StringValue:
    """The report's note of the partition a rejected row was filed under ("" for a flat file)."""
    return ibis.ifelse(rows._part.notnull(), " partition=day=" + rows._part.cast("string"), "")


def _checked_sessions(table: ibis.Table, zone: PlatformZone, known_hosts: ibis.Table) -> ibis.Table:
    """Distinct sessions with their instants, platform days, number of copies and first
    problem (NULL when clean)."""
    s = _deduplicated(_with_part(table, "sessions"), ["session_id", "_scope"])
    s = add_instant(s, "started_at", zone, "start_utc", "start_day")
    s = add_instant(s, "ended_at", zone, "end_utc", "end_day")
    s = s.mutate(
        _problem=_first_problem(
            (s.session_id.isnull() | s.host_id.isnull(), "missing_id"),
            (unusable(s, "started_at", "start_utc"), "unparseable_timestamp"),
            (unusable(s, "ended_at", "end_utc"), "unparseable_timestamp"),
            (s.end_utc < s.start_utc, "ends_before_start"),
            (s._conflict, "conflicting_duplicate"),
            (~s.host_id.isin(known_hosts.host_id), "unknown_host"),
            (_outside_partition(s, "start_day"), "wrong_partition"),
        )
    )
    return s.select(
        "session_id",
        "host_id",
        "_part",
        "start_utc",
        "end_utc",
        "start_day",
        "end_day",
        "_copies",
        "_problem",
        started_at=_reported(s, s.started_at),
        ended_at=_reported(s, s.ended_at),
    )


def _rejected(table: str, bad: ibis.Table, row_id: Any, detail: Any) -> ibis.Table:
    """Report entries for the rejected rows ``bad``, each with its first problem as reason."""
    return _report(table, bad, row_id, bad._problem, detail, False)


@dataclass(frozen=True)
class CheckedHosts:
    """The checked host profiles, what the event tables need of them, and their report."""

    clean: ibis.Table  # host_id, snapshot_date, category_line, profile
    snapshots: ibis.Table  # host_id, snapshot_date of every dated row, even rejected
    known: ibis.Table  # host_id of every listed host, even one whose profile was rejected
    problems: ibis.Table  # REPORT_COLUMNS: the hosts file's duplicates and rejected rows


def clean_hosts(h: ibis.Table, lines: Iterable[str], keep: Keep = lambda t: t) -> CheckedHosts:
    """Check the host profiles, one row per host and snapshot; report duplicates and rejects.
    What it finds depends on the hosts file and the rules' lines alone (not on the day), so a
    daily run keeps it for the next run (store/warehouse.py, ``host_checks``)."""
    reports: list[ibis.Table] = []
    has_snapshots = "snapshot_date" in h.columns
    if not has_snapshots:
        # One snapshot valid for every day (docs/rules.md): dated before any evaluation day. A
        # real date, not NULL, so that duplicate keys still compare equal in joins.
        h = h.mutate(snapshot_date=ibis.date(ALWAYS))
    host_key = ["host_id", "snapshot_date"]
    h = _deduplicated(h.select(*CONTRACT["hosts"].columns), host_key)
    h = h.mutate(
        _problem=_first_problem(
            (h.host_id.isnull(), "missing_id"),
            (h.snapshot_date.isnull(), "missing_snapshot_date"),
            (
                ~h.category_line.isin(list(lines)) | h.category_line.isnull(),
                "unknown_category_line",
            ),
            (h._conflict, "conflicting_duplicate"),
        )
    )
    h = keep(without(h, "_conflict"))
    dated = _.snapshot_date.cast("string") if has_snapshots else ibis.literal("*")
    host_label = _.host_id.fill_null("") + "@" + dated.fill_null("(empty)")
    reports.append(_duplicates_report("hosts", h, host_label))
    bad = h.filter(h._problem.notnull())
    reports.append(
        _rejected(
            "hosts",
            bad,
            host_label,
            ibis.ifelse(
                bad._problem == "unknown_category_line",
                "category_line=" + bad.category_line.fill_null("(empty)"),
                "",
            ),
        )
    )
    return CheckedHosts(
        clean=without(h.filter(h._problem.isnull()), "_problem", "_copies"),
        snapshots=h.filter(h.host_id.notnull() & h.snapshot_date.notnull()).select(
            "host_id", "snapshot_date"
        ),
        # Events of a listed host whose profile rows were rejected are not "unknown": the host
        # is simply not graded, and its rows are already in the report.
        known=h.filter(h.host_id.notnull()).select("host_id").distinct(),
        problems=ibis.union(*reports),
    )


def _clean_sessions(s: ibis.Table, reports: list[ibis.Table]) -> ibis.Table:
    """Report the checked sessions' duplicates, rejects and midnight crossings; return the clean."""
    reports.append(_duplicates_report("sessions", s, _.session_id))
    bad = s.filter(s._problem.notnull())
    reports.append(
        _rejected(
            "sessions",
            bad,
            bad.session_id,
            "started_at="
            + bad.started_at.fill_null("(empty)")
            + " ended_at="
            + bad.ended_at.fill_null("(empty)")
            + _partition_note(bad),
        )
    )
    sessions = s.filter(s._problem.isnull()).select(
        "session_id", "host_id", "start_utc", "end_utc", "start_day", "end_day"
    )
    # The article warns that sessions crossing midnight make the data inaccurate: they count
    # (on the day they started) and are listed for a look.
    crossing = sessions.filter(sessions.start_day != sessions.end_day)
    reports.append(
        _report(
            "sessions",
            crossing,
            crossing.session_id,
            "crosses_midnight",
            "counted on " + crossing.start_day.cast("string"),
            True,
        )
    )
    return sessions


def _clean_orders(
    table: ibis.Table,
    zone: PlatformZone,
    known_hosts: ibis.Table,
    keep: Keep,
    reports: list[ibis.Table],
) -> ibis.Table:
    """Check the orders; report duplicates and rejects; return the clean paid orders."""
    # An empty paid_at is an unpaid order, which never counts and is not a problem.
    o = _deduplicated(_with_part(table, "orders"), ["order_id", "_scope"])
    o = add_instant(o, "paid_at", zone, "paid_utc", "paid_day")
    o = o.mutate(
        _problem=_first_problem(
            (o.order_id.isnull() | o.host_id.isnull() | o.buyer_id.isnull(), "missing_id"),
            (o.paid_at.notnull() & unusable(o, "paid_at", "paid_utc"), "unparseable_timestamp"),
            (o._conflict, "conflicting_duplicate"),
            (_outside_partition(o, "paid_day"), "wrong_partition"),
            (~o.host_id.isin(known_hosts.host_id), "unknown_host"),
        ),
    )
    o = keep(
        o.select(
            "order_id",
            "host_id",
            "buyer_id",
            "_part",
            "paid_utc",
            "paid_day",
            "_copies",
            "_problem",
            paid_at=_reported(o, o.paid_at),
        )
    )
    reports.append(_duplicates_report("orders", o, _.order_id))
    bad = o.filter(o._problem.notnull())
    reports.append(
        _rejected(
            "orders",
            bad,
            bad.order_id,
            "paid_at=" + bad.paid_at.fill_null("(empty)") + _partition_note(bad),
        )
    )
    return o.filter(o._problem.isnull() & o.paid_utc.notnull()).select(
        "host_id", "buyer_id", "paid_utc", "paid_day"
    )


def _session_hosts(known: list[ibis.Table]) -> ibis.Table:
    """Each checked session id's host, NULL for a rejected session (``_seen``: the id is known)."""
    return (
        ibis.union(
            *(
                k.select("session_id", _host=ibis.ifelse(k._problem.isnull(), k.host_id, None))
                for k in known
            )
        )
        .distinct()
        .mutate(_seen=True)
    )


def _clean_views(
    table: ibis.Table,
    zone: PlatformZone,
    lookup: ibis.Table,
    orders: ibis.Table,
    keep: Keep,
    reports: list[ibis.Table],
    narrow: bool = True,
) -> ibis.Table:
    """Check the views against their sessions; report rejects; return the clean views that
    count (``narrow=False``: every clean view, even one without a payment that day)."""
    # Views have no id of their own, so the report names them by their three columns.
    v = _with_part(table, "views")
    v = add_instant(v, "viewed_at", zone, "view_utc", "view_day")
    v = without(v.left_join(lookup, "session_id"), "session_id_right")
    paid = (
        orders.select(_host=orders.host_id, buyer_id=orders.buyer_id, view_day=orders.paid_day)
        .distinct()
        .mutate(_paid=True)
    )
    v = without(
        v.left_join(paid, ["_host", "buyer_id", "view_day"]),
        "_host_right",
        "buyer_id_right",
        "view_day_right",
    )
    v = v.mutate(
        _problem=_first_problem(
            (v.session_id.isnull() | v.buyer_id.isnull(), "missing_id"),
            (unusable(v, "viewed_at", "view_utc"), "unparseable_timestamp"),
            (v._seen.isnull(), "unknown_session"),
            (v._host.isnull(), "session_rejected"),
            (_outside_partition(v, "view_day"), "wrong_partition"),
        ),
    )
    if narrow:
        v = v.filter(v._problem.notnull() | v._paid.notnull())
    # What only the report reads is kept for rejected rows only: less to hold.
    v = keep(
        v.select(
            "buyer_id",
            "view_utc",
            "view_day",
            "_host",
            "_problem",
            session_id=ibis.ifelse(v._problem.notnull(), v.session_id, None),
            _part=ibis.ifelse(v._problem.notnull(), v._part, None),
            viewed_at=_reported(v, v.viewed_at),
        )
    )
    bad = v.filter(v._problem.notnull())
    view_label = (
        bad.session_id.fill_null("")
        + "/"
        + bad.buyer_id.fill_null("")
        + "/"
        + bad.viewed_at.fill_null("")
    )
    reports.append(
        _rejected(
            "views",
            bad,
            view_label,
            "viewed_at=" + bad.viewed_at.fill_null("(empty)") + _partition_note(bad),
        )
    )
    return v.filter(v._problem.isnull()).select("buyer_id", "view_utc", "view_day", host_id=v._host)


def clean(
    sources: dict[str, Source],
    zone: PlatformZone,
    lines: Iterable[str],
    lookup_sessions: Source | None = None,
    keep: Keep = lambda t: t,
    narrow_views: bool = True,
) -> Cleaned:
    """Validate every row; return the clean tables and the report of the rest.

    ``keep`` may materialise each table's checked rows (each distinct row with its number of
    copies and first problem), so that the clean rows and the report are computed from one
    pass over the input. Views are checked, then narrowed to the rows the report or the
    facts need: the rejected ones, and the clean ones of a (host, buyer, platform day) with a
    paid order, the only views that can make a live buyer. The rest count for nothing, so
    what ``keep`` holds of tens of millions of views is a fraction of them.
    """
    hosts = clean_hosts(sources["hosts"].table, lines, keep)
    events = clean_events(sources, zone, hosts.known, lookup_sessions, keep, narrow_views)
    return Cleaned(
        hosts.clean,
        hosts.snapshots.distinct(),
        events.sessions,
        events.views,
        events.orders,
        ibis.union(hosts.problems, events.problems),
    )


@dataclass(frozen=True)
class CleanEvents:
    """The clean event tables and the report of the rejected events."""

    sessions: ibis.Table
    views: ibis.Table
    orders: ibis.Table
    problems: ibis.Table


def clean_events(
    sources: dict[str, Source],
    zone: PlatformZone,
    known_hosts: ibis.Table,
    lookup_sessions: Source | None = None,
    keep: Keep = lambda t: t,
    narrow_views: bool = True,
) -> CleanEvents:
    """``clean`` of the sessions, views and orders, against ``known_hosts`` (host_id of every
    listed host: ``CheckedHosts.known``); ``sources["hosts"]`` is not read."""
    reports: list[ibis.Table] = []
    s = keep(_checked_sessions(sources["sessions"].table, zone, known_hosts))
    sessions = _clean_sessions(s, reports)
    orders = _clean_orders(sources["orders"].table, zone, known_hosts, keep, reports)
    # Sessions of the day before the days read (partitioned input) serve only the lookup of a
    # view's host: a view just after midnight belongs to a session started the evening before.
    known = [s]
    if lookup_sessions is not None:
        known.append(_checked_sessions(lookup_sessions.table, zone, known_hosts))
    views = _clean_views(
        sources["views"].table, zone, _session_hosts(known), orders, keep, reports, narrow_views
    )
    return CleanEvents(sessions, views, orders, ibis.union(*reports))
