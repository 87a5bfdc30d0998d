"""The events (sessions, views, orders), built and written one chunk of hosts at a time."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from livetier.tools.synthetic.columns import (
    DAY_S,
    Clock,
    Stamper,
    Writer,
    event_schemas,
    id_strings,
)
from livetier.tools.synthetic.hosts import HostModel, buyer_number

_VALID_SESSION_S = 15 * 60
# Expected views per chunk of hosts: each chunk is generated and written on its own, so memory
# stays bounded whatever the size asked for.
_CHUNK_VIEWS = 2_000_000
# Live orders, per view: pay after viewing, pay before viewing, leave an order unpaid.
_P_CONVERT, _P_PREPAY, _P_UNPAID = 0.085, 0.008, 0.014
_P_ONE_MORE_ORDER = 0.15  # a converting viewer places geometric(0.85) orders
_BAD_TIMESTAMPS = ("{y}-13-45T99:00:00", "{y}-02-30 25:61:00", "{y}-00-00T00:00:00+08:00")


class IdSpace:
    """Widths and running counters of the id sequences, fixed before any event is written."""

    def __init__(self, model: HostModel, days: int) -> None:
        exp_sessions = float(model.expected_sessions.sum())
        exp_views = float(model.expected_views.sum())
        per_view = _P_CONVERT / (1 - _P_ONE_MORE_ORDER) + _P_PREPAY + _P_UNPAID
        exp_orders = exp_views * per_view + float(model.order_rate.sum()) * days
        self.session_width = max(7, len(str(int(2 * exp_sessions) + 10_000)))
        self.order_width = max(7, len(str(int(4 * exp_orders) + 10_000)))
        self.buyer_width = len(str(model.n_buyers - 1))
        # Unknown-session views use the top tenth of the session id space, which real sessions
        # would only reach at 1.8x their expected count.
        self.unknown_sessions_from = 9 * 10 ** (self.session_width - 1)
        self.sessions = 0
        self.orders = 0


def anomaly_scale(hosts: int) -> int:
    """How many of each anomaly to inject: a handful, growing gently with size."""
    return int(min(60, round(3 + 2 * np.sqrt(hosts / 1_000))))


def _chunk_bounds(cost: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive host ranges of about _CHUNK_VIEWS expected views each."""
    before = np.cumsum(cost) - cost
    chunk = (before // _CHUNK_VIEWS).astype(np.int64)
    starts = np.flatnonzero(np.diff(chunk, prepend=-1))
    ends = np.append(starts[1:], len(cost))
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer shares of total proportional to weights, summing exactly to total."""
    cum = np.floor(total * np.cumsum(weights) / weights.sum() + 1e-9).astype(np.int64)
    cum[-1] = total
    return np.diff(cum, prepend=0)


@dataclass
class _Sessions:
    """One chunk's sessions: host index, UTC epoch seconds, flags."""

    host: np.ndarray
    start: np.ndarray
    end: np.ndarray
    deleted: np.ndarray
    swap: np.ndarray  # written with started_at and ended_at swapped
    bad: np.ndarray  # started_at written unparseable (CSV only)


def _sessions(
    rng: np.random.Generator,
    model: HostModel,
    h0: int,
    h1: int,
    clock: Clock,
    quota: dict[str, int],
) -> _Sessions:
    """Sessions of hosts h0..h1-1, starting mostly in the platform evening."""
    fixed = model.fixed[h0:h1]
    count = np.where(
        fixed >= 0, fixed + model.extra[h0:h1], rng.poisson(model.rate[h0:h1] * clock.days)
    )
    host = np.repeat(np.arange(h0, h1), count)
    n = len(host)
    pinned = model.fixed[host] >= 0
    recent = clock.days - 30  # threshold hosts stream inside the last 30-day window
    day = np.where(pinned, rng.integers(recent, clock.days, n), rng.integers(0, clock.days, n))
    evening = rng.random(n) < 0.65
    second = np.where(
        evening, rng.normal(19.75 * 3600, 1.2 * 3600, n), rng.uniform(7 * 3600, 23.5 * 3600, n)
    )
    second = np.round(second).astype(np.int64) % DAY_S
    duration = np.clip(np.round(rng.lognormal(np.log(55 * 60), 0.75, n)), 120, 6 * 3600)
    duration = np.where(rng.random(n) < 0.03, _VALID_SESSION_S, duration).astype(np.int64)
    # Threshold hosts: every session valid, except the first when it is their extra 15:00 one.
    first = np.zeros(n, dtype=bool)
    first[(np.cumsum(count) - count)[count > 0]] = True
    duration = np.where(pinned, np.maximum(duration, _VALID_SESSION_S + 60), duration)
    duration = np.where(pinned & first & model.extra[host], _VALID_SESSION_S, duration)

    # Anomalies go to ordinary hosts only, so threshold hosts stay exactly at their thresholds.
    free = np.flatnonzero(~pinned)
    wanted = quota["cross"] + quota["swap"] + quota["bad"]
    picked = rng.choice(free, min(wanted, len(free)), replace=False)
    cross, rest = picked[: quota["cross"]], picked[quota["cross"] :]
    swap_at, bad_at = rest[: quota["swap"]], rest[quota["swap"] :]
    second[cross] = 23 * 3600 + rng.integers(0, 50 * 60, len(cross))
    duration[cross] = rng.integers(61 * 60, 150 * 60, len(cross))  # past midnight
    swap = np.zeros(n, dtype=bool)
    swap[swap_at] = True
    bad = np.zeros(n, dtype=bool)
    bad[bad_at] = True

    start = clock.instant(day, second)
    order = np.lexsort((start, host))  # session ids follow host, then start time
    return _Sessions(
        host=host[order],
        start=start[order],
        end=(start + duration)[order],
        deleted=(rng.random(n) < 0.04)[order],
        swap=swap[order],
        bad=bad[order],
    )


def _write_sessions(
    writer: Writer,
    s: _Sessions,
    model: HostModel,
    ids: IdSpace,
    stamp: Stamper,
    fmt: str,
    clock: Clock,
    tally: dict[str, int],
) -> None:
    """Write one chunk of sessions and count its anomalies."""
    bad = s.bad if fmt == "csv" else np.zeros_like(s.bad)
    started = stamp(np.where(s.swap, s.end, s.start))
    if bad.any():
        garbage = [
            _BAD_TIMESTAMPS[i % len(_BAD_TIMESTAMPS)].format(y=clock.first_day.year)
            for i in range(int(bad.sum()))
        ]
        started = pc.replace_with_mask(started, pa.array(bad), pa.array(garbage))
    writer.write(
        [
            id_strings("s", ids.sessions + 1 + np.arange(len(s.host)), ids.session_width),
            model.ids.take(pa.array(s.host)),
            started,
            stamp(np.where(s.swap, s.start, s.end)),
            pa.array(s.deleted),
        ]
    )
    long = s.end - s.start > _VALID_SESSION_S
    crosses = clock.day_of(s.start) != clock.day_of(s.end)
    tally["sessions"] += len(s.host)
    tally["bad"] += int(bad.sum())
    tally["swap"] += int(s.swap.sum())
    tally["cross"] += int((long & crosses & ~s.swap & ~bad).sum())


@dataclass
class _Views:
    """One chunk's views: session index within the chunk, host, buyer and instant."""

    session: np.ndarray
    host: np.ndarray
    buyer: np.ndarray
    at: np.ndarray


def _views(rng: np.random.Generator, model: HostModel, s: _Sessions) -> _Views:
    """Views spread over each session; buyers come mostly from the host's regulars."""
    duration = s.end - s.start
    # Longer sessions draw more views; 1.06 is the mean of the duration factor.
    weight = np.clip(np.sqrt(duration / 3300), 0.3, 2.0) * rng.lognormal(-0.125, 0.5, len(duration))
    count = rng.poisson(model.audience[s.host] * weight / 1.06)
    session = np.repeat(np.arange(len(count)), count)
    n = len(session)
    host = s.host[session]
    offset = (rng.random(n) * (duration[session] + 1)).astype(np.int64)
    # Views of a session in time order, as an export would list them: sort one packed key
    # (session, offset) instead of an argsort over two columns.
    packed = np.sort(session.astype(np.int64) << 16 | offset)  # offset <= 6 h < 2**16 s
    at = s.start[session] + (packed & 0xFFFF)
    # u**1.7 favours low viewer numbers: regulars come back and view several times.
    viewer = (model.pool[host] * rng.random(n) ** 1.7).astype(np.int64)
    return _Views(session=session, host=host, buyer=buyer_number(model, host, viewer), at=at)


def _write_views(
    writer: Writer,
    rng: np.random.Generator,
    v: _Views,
    model: HostModel,
    ids: IdSpace,
    stamp: Stamper,
    clock: Clock,
    quota: dict[str, int],
    tally: dict[str, int],
) -> None:
    """Write one chunk of views, with orphan views (unknown session ids) scattered among them."""
    k = quota["unknown_views"]
    session_no = np.concatenate(
        [
            ids.sessions + 1 + v.session,
            rng.integers(ids.unknown_sessions_from, 10**ids.session_width, k),
        ]
    )
    buyer = np.concatenate([v.buyer, rng.integers(0, model.n_buyers, k)])
    at = np.concatenate([v.at, clock.random_instants(rng, k)])
    order = np.argsort(
        np.concatenate([np.arange(len(v.at)), rng.uniform(0, len(v.at), k)]), kind="stable"
    )
    writer.write(
        [
            id_strings("s", session_no[order], ids.session_width),
            id_strings("b", buyer[order], ids.buyer_width),
            stamp(at[order]),
        ]
    )
    tally["views"] += len(order)
    tally["unknown"] += k


@dataclass
class _Orders:
    """One chunk's order rows; dup rows repeat an earlier row's number with other content."""

    number: np.ndarray  # 0-based within the chunk
    host: np.ndarray
    buyer: np.ndarray
    paid: np.ndarray
    paid_valid: np.ndarray
    distinct: int
    conflicting: int


def _orders(
    rng: np.random.Generator,
    model: HostModel,
    h0: int,
    h1: int,
    clock: Clock,
    v: _Views,
    duplicates: int,
) -> _Orders:
    """Orders of hosts h0..h1-1: mostly viewers paying after a view, plus the other cases."""
    u = rng.random(len(v.at))
    convert = np.flatnonzero(u < _P_CONVERT)
    convert = np.repeat(convert, rng.geometric(1 - _P_ONE_MORE_ORDER, len(convert)))
    prepay = np.flatnonzero((u >= _P_CONVERT) & (u < _P_CONVERT + _P_PREPAY))
    unpaid = np.flatnonzero(
        (u >= _P_CONVERT + _P_PREPAY) & (u < _P_CONVERT + _P_PREPAY + _P_UNPAID)
    )
    # Pay a few minutes after the view: a late-night view sometimes pays after midnight.
    after = v.at[convert] + 20 + rng.exponential(600, len(convert)).astype(np.int64)
    before = v.at[prepay] - 60 - rng.exponential(3600, len(prepay)).astype(np.int64)

    # Orders outside live: the host's wider customer base, in business hours, 10% unpaid.
    count = rng.poisson(model.order_rate[h0:h1] * clock.days)
    other_host = np.repeat(np.arange(h0, h1), count)
    m = len(other_host)
    other_buyer = buyer_number(model, other_host, rng.integers(0, 3 * model.pool[other_host]))
    other_paid = clock.instant(rng.integers(0, clock.days, m), rng.integers(8 * 3600, 22 * 3600, m))

    viewed = np.concatenate([convert, prepay, unpaid])
    host = np.concatenate([v.host[viewed], other_host])
    buyer = np.concatenate([v.buyer[viewed], other_buyer])
    paid = np.concatenate([after, before, np.zeros(len(unpaid), np.int64), other_paid])
    valid = np.concatenate(
        [
            np.ones(len(convert) + len(prepay), bool),
            np.zeros(len(unpaid), bool),
            rng.random(m) >= 0.1,
        ]
    )
    order = rng.permutation(len(host))
    host, buyer, paid, valid = host[order], buyer[order], paid[order], valid[order]
    n = len(host)

    # Conflicting duplicates: a paid order exported again later, unpaid or with another time.
    dup = rng.choice(np.flatnonzero(valid), min(duplicates, int(valid.sum())), replace=False)
    dup.sort()
    k = len(dup)
    unpaid_again = rng.random(k) < 0.5
    return _Orders(
        number=np.concatenate([np.arange(n), dup]),
        host=np.concatenate([host, host[dup]]),
        buyer=np.concatenate([buyer, buyer[dup]]),
        paid=np.concatenate([paid, paid[dup] + rng.integers(60, 7200, k)]),
        paid_valid=np.concatenate([valid, ~unpaid_again]),
        distinct=n,
        conflicting=k,
    )


def _write_orders(
    writer: Writer,
    o: _Orders,
    model: HostModel,
    ids: IdSpace,
    stamp: Stamper,
    tally: dict[str, int],
) -> None:
    """Write one chunk of orders."""
    writer.write(
        [
            id_strings("o", ids.orders + 1 + o.number, ids.order_width),
            model.ids.take(pa.array(o.host)),
            id_strings("b", o.buyer, ids.buyer_width),
            stamp(o.paid, o.paid_valid),
        ]
    )
    ids.orders += o.distinct
    tally["orders"] += len(o.number)
    tally["dup"] += o.conflicting


def write_events(
    out: Path,
    fmt: str,
    seed: int,
    model: HostModel,
    clock: Clock,
    ids: IdSpace,
    scale: int,
    report: Callable[[str, int, int], None],
) -> dict[str, int]:
    """Write sessions, views and orders chunk by chunk, with ``scale`` of each anomaly spread
    over the chunks; return the rows and anomalies written, by kind."""
    total = len(model.rate)
    bounds = _chunk_bounds(model.cost)
    weights = np.array([model.cost[a:b].sum() for a, b in bounds])
    wanted = {"bad": scale, "swap": scale, "cross": scale, "unknown_views": 2 * scale}
    wanted["dup_orders"] = scale
    shares = {kind: _split(n, weights) for kind, n in wanted.items()}
    quotas = [{kind: int(share[c]) for kind, share in shares.items()} for c in range(len(bounds))]
    ts_type = pa.timestamp("us", tz="UTC") if fmt == "parquet" else pa.string()
    tally = dict.fromkeys(
        ("sessions", "views", "orders", "bad", "swap", "unknown", "dup", "cross"), 0
    )
    with ExitStack() as stack:
        writers = {
            name: stack.enter_context(Writer(out / f"{name}.{fmt}", schema, fmt))
            for name, schema in event_schemas(ts_type).items()
        }
        for stage in ("sessions", "views", "orders"):
            report(stage, 0, total)
        for c, (h0, h1) in enumerate(bounds):
            rng = np.random.default_rng([seed, 2, c])
            # CSV timestamp spellings draw from their own stream, so the CSV and Parquet
            # outputs of one seed hold the same events.
            stamp = Stamper(fmt, np.random.default_rng([seed, 3, c]), clock.offset_s)
            s = _sessions(rng, model, h0, h1, clock, quotas[c])
            _write_sessions(writers["sessions"], s, model, ids, stamp, fmt, clock, tally)
            report("sessions", h1, total)
            v = _views(rng, model, s)
            _write_views(writers["views"], rng, v, model, ids, stamp, clock, quotas[c], tally)
            report("views", h1, total)
            o = _orders(rng, model, h0, h1, clock, v, quotas[c]["dup_orders"])
            _write_orders(writers["orders"], o, model, ids, stamp, tally)
            report("orders", h1, total)
            ids.sessions += len(s.host)
    return tally
