"""Synthetic live-commerce platform data (hosts, sessions, views, orders) in the public contract."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
TABLES = ("hosts", "sessions", "views", "orders")

CONSUMER_CATEGORIES = ("apparel", "home", "electronics", "beauty", "food", "toys", "sports")
INDUSTRIAL_CATEGORIES = (
    "machinery",
    "chemicals",
    "packaging",
    "hardware",
    "electrical",
    "auto_parts",
)
RESTRICTED_CATEGORIES = ("adult_health", "pharmaceutical", "health_care", "e_cigarette")
_UNKNOWN_LINE_CATEGORIES = ("logistics", "consulting", "advertising")
_CATEGORIES = (
    CONSUMER_CATEGORIES + INDUSTRIAL_CATEGORIES + RESTRICTED_CATEGORIES + _UNKNOWN_LINE_CATEGORIES
)
_LINES = ("consumer", "industrial", "services")

_DAY_S = 86_400
_VALID_SESSION_S = 15 * 60
_SESSIONS_PER_HOST_DAY = 0.25
_MAX_SESSIONS_PER_DAY = 3.0
# Expected views per chunk of hosts: each chunk is generated and written on its own, so memory
# stays bounded whatever the size asked for.
_CHUNK_VIEWS = 2_000_000
_CHUNK_HOST_COST = 20  # per-host work (sessions, orders) counted in view-equivalents
# Live orders, per view: pay after viewing, pay before viewing, leave an order unpaid.
_P_CONVERT, _P_PREPAY, _P_UNPAID = 0.085, 0.008, 0.014
_P_ONE_MORE_ORDER = 0.15  # a converting viewer places geometric(0.85) orders
# Buyer ids mix each host's regular viewers into one platform-wide pool, so a buyer may follow
# several hosts. _P2 is prime, so distinct viewers of one host get distinct buyer ids.
_P1, _P2 = 7_919_993, 1_000_003
_BAD_TIMESTAMPS = ("{y}-13-45T99:00:00", "{y}-02-30 25:61:00", "{y}-00-00T00:00:00+08:00")


# (share true, share unknown): unknown counts as failing the basic requirements.
_FLAGS = {
    "enterprise_member": (0.985, 0.005),
    "risk_assessment_passed": (0.985, 0.005),
    "major_tax_violation": (0.004, 0.003),
    "prohibited_goods_violation": (0.004, 0.003),
    "compliance_violation": (0.005, 0.003),
    "severe_infringement_penalty": (0.004, 0.003),
    "business_status_abnormal": (0.005, 0.003),
    "dishonest_record": (0.003, 0.003),
    "competitiveness_passed": (0.98, 0.005),
}


@dataclass(frozen=True)
class Anomalies:
    """Counts of deliberately injected problems, so tests can check the data-quality report."""

    bad_timestamps: int  # sessions whose started_at is unparseable (CSV only, 0 for parquet)
    end_before_start: int  # sessions whose ended_at < started_at
    unknown_session_views: int  # views whose session_id exists in no session
    conflicting_duplicate_orders: int  # order_ids that appear twice with different content
    unknown_category_line: int  # host rows whose category_line is e.g. "services"
    cross_day_sessions: int  # valid sessions that start before platform midnight, end after


@dataclass(frozen=True)
class Summary:
    """Rows written per table (so snapshots and injected rows count), days covered, anomalies."""

    hosts: int
    sessions: int
    views: int
    orders: int
    first_day: date
    last_day: date
    anomalies: Anomalies


def generate(
    out_dir: Path,
    *,
    hosts: int = 10_000,
    days: int = 45,
    end_day: date | None = None,
    fmt: Literal["csv", "parquet"] = "parquet",
    seed: int = 7,
    views_per_host_day: float = 4.0,
    anomalies: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> Summary:
    """Write hosts/sessions/views/orders.<fmt> into out_dir and summarise what was written."""
    if hosts < 1 or days < 1 or views_per_host_day < 0:
        raise ValueError("hosts and days must be >= 1 and views_per_host_day >= 0")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    end_day = end_day or datetime.now(PLATFORM_TZ).date()
    clock = _Clock(end_day - timedelta(days=days), days)
    report = progress or (lambda stage, done, total: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    other = "csv" if fmt == "parquet" else "parquet"
    for name in TABLES:  # a stale table in the other format would make the folder ambiguous
        (out / f"{name}.{other}").unlink(missing_ok=True)

    report("hosts", 0, hosts)
    model = _host_model(np.random.default_rng([seed, 0]), hosts, days, views_per_host_day)
    scale = _anomaly_scale(hosts) if anomalies else 0
    # Odd category lines stay rare even in tiny runs: at most one host row in twenty.
    odd_lines = min(-(-scale // 2), hosts // 20)
    host_table, unknown_lines = _host_table(
        np.random.default_rng([seed, 1]), model, clock, odd_lines
    )
    with _Writer(out / f"hosts.{fmt}", host_table.schema, fmt) as writer:
        writer.write(host_table.columns)
    report("hosts", hosts, hosts)

    bounds = _chunk_bounds(model.cost)
    weights = np.array([model.cost[a:b].sum() for a, b in bounds])
    wanted = {"bad": scale, "swap": scale, "cross": scale, "unknown_views": 2 * scale}
    wanted["dup_orders"] = scale
    shares = {kind: _split(n, weights) for kind, n in wanted.items()}
    quotas = [{kind: int(share[c]) for kind, share in shares.items()} for c in range(len(bounds))]
    ids = _IdSpace(model, days)
    ts_type = pa.timestamp("us", tz="UTC") if fmt == "parquet" else pa.string()
    tally = dict.fromkeys(
        ("sessions", "views", "orders", "bad", "swap", "unknown", "dup", "cross"), 0
    )
    with ExitStack() as stack:
        writers = {
            name: stack.enter_context(_Writer(out / f"{name}.{fmt}", schema, fmt))
            for name, schema in _event_schemas(ts_type).items()
        }
        for stage in ("sessions", "views", "orders"):
            report(stage, 0, hosts)
        for c, (h0, h1) in enumerate(bounds):
            rng = np.random.default_rng([seed, 2, c])
            # CSV timestamp spellings draw from their own stream, so the CSV and Parquet
            # outputs of one seed hold the same events.
            stamp = _Stamper(fmt, np.random.default_rng([seed, 3, c]), clock.offset_s)
            s = _sessions(rng, model, h0, h1, clock, quotas[c])
            _write_sessions(writers["sessions"], s, model, ids, stamp, fmt, clock, tally)
            report("sessions", h1, hosts)
            v = _views(rng, model, s)
            _write_views(writers["views"], rng, v, model, ids, stamp, clock, quotas[c], tally)
            report("views", h1, hosts)
            o = _orders(rng, model, h0, h1, clock, v, quotas[c]["dup_orders"])
            _write_orders(writers["orders"], o, model, ids, stamp, tally)
            report("orders", h1, hosts)
            ids.sessions += len(s.host)

    if tally["sessions"] >= ids.unknown_sessions_from:  # never expected: 1.8x the mean count
        raise RuntimeError("session ids overflowed into the range kept for unknown sessions")
    return Summary(
        hosts=host_table.num_rows,
        sessions=tally["sessions"],
        views=tally["views"],
        orders=tally["orders"],
        first_day=clock.first_day,
        last_day=clock.first_day + timedelta(days=days - 1),
        anomalies=Anomalies(
            bad_timestamps=tally["bad"],
            end_before_start=tally["swap"],
            unknown_session_views=tally["unknown"],
            conflicting_duplicate_orders=tally["dup"],
            unknown_category_line=unknown_lines,
            cross_day_sessions=tally["cross"],
        ),
    )


# ---------------------------------------------------------------------------------------------
# Time


class _Clock:
    """Platform days of the window as epoch seconds (UTC) and the platform's UTC offset."""

    def __init__(self, first_day: date, days: int) -> None:
        self.first_day = first_day
        self.days = days
        offsets = {
            datetime.combine(
                first_day + timedelta(days=d), datetime.min.time(), PLATFORM_TZ
            ).utcoffset()
            for d in range(-1, days + 1)
        }
        # Asia/Shanghai has kept +08:00 since 1991, so a fixed offset is exact for it; refuse
        # rather than guess if the zone ever changes its offset around the window.
        if len(offsets) != 1 or (offset := offsets.pop()) is None:
            raise ValueError(f"{PLATFORM_TZ} changes its UTC offset inside the window")
        self.offset_s = int(offset.total_seconds())
        self.first_local_s = (first_day - date(1970, 1, 1)).days * _DAY_S

    def instant(self, day: np.ndarray, second_of_day: np.ndarray) -> np.ndarray:
        """UTC epoch seconds of a platform-local day offset and second of that day."""
        return self.first_local_s + day * _DAY_S + second_of_day - self.offset_s

    def day_of(self, instant: np.ndarray) -> np.ndarray:
        """Platform day (days since 1970-01-01) of UTC epoch seconds."""
        return (instant + self.offset_s) // _DAY_S

    def random_instants(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Uniform instants over the window."""
        return self.instant(rng.integers(0, self.days, n), rng.integers(0, _DAY_S, n))


class _Stamper:
    """Turns UTC epoch seconds into the table's timestamp column for one output format."""

    def __init__(self, fmt: str, rng: np.random.Generator, offset_s: int) -> None:
        self.fmt = fmt
        self.rng = rng
        self.offset_s = offset_s

    def __call__(self, secs: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
        mask = None if valid is None else ~valid
        if self.fmt == "parquet":
            return pa.array(secs * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=mask)
        # Real exports mix UTC 'Z', explicit '+08:00' and naive platform-local spellings.
        form = self.rng.choice(3, size=len(secs), p=[0.5, 0.25, 0.25])
        return _iso_strings(secs, form, valid, self.offset_s)


def _iso_strings(
    secs: np.ndarray, form: np.ndarray, valid: np.ndarray | None, offset_s: int
) -> pa.Array:
    """ISO 8601 strings: form 0 'YYYY-MM-DDTHH:MM:SSZ', 1 '...+08:00', 2 naive platform time."""
    # Assembled digit by digit in numpy: strftime per row would be a Python loop.
    n = len(secs)
    shown = secs + np.where(form == 0, 0, offset_s)
    sign = "+" if offset_s >= 0 else "-"
    suffix = f"{abs(offset_s) // 3600:02d}:{abs(offset_s) // 60 % 60:02d}".encode()
    day = (shown // _DAY_S).astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    second = shown % _DAY_S
    buf = np.empty((n, 25), dtype=np.uint8)
    fields = (
        (0, 4, day.astype("datetime64[Y]").astype(np.int64) + 1970),
        (5, 2, month_start.astype(np.int64) % 12 + 1),
        (8, 2, (day - month_start).astype(np.int64) + 1),
        (11, 2, second // 3600),
        (14, 2, second // 60 % 60),
        (17, 2, second % 60),
    )
    for start, width, value in fields:
        buf[:, start : start + width] = _digits(value, width)
    buf[:, [4, 7]] = ord("-")
    buf[:, [13, 16]] = ord(":")
    buf[:, 10] = np.where(form == 2, ord(" "), ord("T"))
    buf[:, 19] = np.where(form == 0, ord("Z"), ord(sign))
    buf[:, 20:25] = np.frombuffer(suffix, dtype=np.uint8)
    lengths = np.array([20, 25, 19])[form]
    if valid is not None:
        lengths[~valid] = 0
    return _strings(buf, lengths, valid)


# ---------------------------------------------------------------------------------------------
# Ids and columns


def _digits(value: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers, as an (n, width) ASCII matrix."""
    value = np.asarray(value, dtype=np.int64)
    if len(value) and (value.min() < 0 or value.max() >= 10**width):
        raise ValueError(f"value does not fit in {width} digits")
    out = np.empty((len(value), width), dtype=np.uint8)
    for j in range(width - 1, -1, -1):
        out[:, j] = value % 10 + ord("0")
        value = value // 10
    return out


def _strings(buf: np.ndarray, lengths: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Arrow strings from the first lengths[i] bytes of each row of a byte matrix."""
    keep = np.arange(buf.shape[1]) < lengths[:, None]
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(
        len(lengths), pa.py_buffer(offsets), pa.py_buffer(buf[keep]), bitmap
    ).cast(pa.string())


def _ids(prefix: str, number: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ids such as 'h000001' for integers (vectorised)."""
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    buf = np.empty((len(number), len(head) + width), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :] = _digits(number, width)
    return _strings(buf, np.full(len(number), buf.shape[1]))


class _IdSpace:
    """Widths and running counters of the id sequences, fixed before any event is written."""

    def __init__(self, model: _HostModel, days: int) -> None:
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


def _event_schemas(ts: pa.DataType) -> dict[str, pa.Schema]:
    """Contract schemas of the event tables, timestamps typed for the output format."""
    text = pa.string()
    return {
        "sessions": pa.schema(
            [
                ("session_id", text),
                ("host_id", text),
                ("started_at", ts),
                ("ended_at", ts),
                ("deleted", pa.bool_()),
            ]
        ),
        "views": pa.schema([("session_id", text), ("buyer_id", text), ("viewed_at", ts)]),
        "orders": pa.schema(
            [("order_id", text), ("host_id", text), ("buyer_id", text), ("paid_at", ts)]
        ),
    }


class _Writer:
    """Appends record batches to one Parquet or CSV file."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.schema = schema
        if fmt == "parquet":
            self._sink: pq.ParquetWriter | pacsv.CSVWriter = pq.ParquetWriter(
                path, schema, compression="zstd"
            )
            self._file = None
        else:
            # Arrow quotes header names even with quoting_style="none"; write a plain header.
            self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
            self._file.write((",".join(schema.names) + "\n").encode())
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self._sink = pacsv.CSVWriter(self._file, schema, write_options=options)

    def write(self, columns: list[pa.Array] | list[pa.ChunkedArray]) -> None:
        self._sink.write_table(pa.Table.from_arrays(list(columns), schema=self.schema))

    def close(self) -> None:
        self._sink.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------
# Hosts


@dataclass
class _HostModel:
    """Per-host latent activity and first-snapshot profile, one array entry per host."""

    ids: pa.Array
    rate: np.ndarray  # expected sessions per day
    fixed: np.ndarray  # exact valid-session count in the last 30 days for threshold hosts, or -1
    extra: np.ndarray  # threshold host also streams one session of exactly 15:00 (not valid)
    audience: np.ndarray  # mean views per session
    pool: np.ndarray  # regular viewers the host's views are drawn from
    order_rate: np.ndarray  # non-live orders per day
    expected_sessions: np.ndarray
    expected_views: np.ndarray
    cost: np.ndarray  # expected work, for chunking
    n_buyers: int
    profile: dict[str, np.ndarray]


def _host_model(rng: np.random.Generator, n: int, days: int, vphd: float) -> _HostModel:
    """Draw each host's activity and profile; activity is lognormal, profiles follow it."""
    industrial = rng.random(n) < 0.30
    # A quarter of hosts barely stream; the rest are lognormal, so a few stream daily.
    dormant = rng.random(n) < 0.25
    log_act = rng.normal(0.0, 1.5, n) + np.where(dormant, np.log(0.03), 0.0)
    act = np.exp(log_act)
    # Scale to the target mean after capping the busiest hosts (a few fixed-point steps).
    rate = act * (_SESSIONS_PER_HOST_DAY / act.mean())
    for _ in range(5):
        rate = np.minimum(rate * (_SESSIONS_PER_HOST_DAY / rate.mean()), _MAX_SESSIONS_PER_DAY)

    # Threshold hosts stream exactly 3, 5, 10 or 15 valid sessions within the last 30 days
    # (the article's session thresholds), half of them plus one session of exactly 15:00.
    # Only a window of 30 days or more has room for them; shorter ones keep Poisson counts.
    share = 0.02 if days >= 30 else 0.0
    fixed = np.where(rng.random(n) < share, rng.choice([3, 5, 10, 15], n), -1)
    extra = (fixed >= 0) & (rng.random(n) < 0.5)
    expected_sessions = np.where(fixed >= 0, fixed + extra, rate * days)

    audience = np.exp(0.5 * log_act + rng.normal(-0.25, 0.7, n)) * np.where(industrial, 0.35, 1.0)
    audience *= vphd * n * days / max(float((expected_sessions * audience).sum()), 1e-9)
    expected_views = expected_sessions * audience
    n_buyers = max(1_000, 40 * n)
    n_buyers += n_buyers % _P2 == 0  # keep _P2 coprime with the pool size
    pool = np.minimum(np.ceil(5 + audience * (1 + 0.3 * expected_sessions)), n_buyers)
    order_rate = 0.03 + 0.2 * rate

    z = (log_act - log_act.mean()) / (log_act.std() or 1.0)
    # Medals 0..5 with shares 12/25/30/18/10/5 %, better for more active hosts.
    medal = np.searchsorted([-1.175, -0.332, 0.44, 1.036, 1.645], 0.5 * z + rng.normal(0, 0.85, n))
    one_decimal = rng.random(n) < 0.94
    description = np.clip(4.52 + 0.1 * z + rng.normal(0, 0.2, n), 3.0, 5.0)
    description = np.where(one_decimal, description.round(1), description.round(2))
    shipping = np.clip(4.55 + 0.05 * z + rng.normal(0, 0.2, n), 3.0, 5.0).round(1)
    fans = np.floor(np.exp(4.2 + 0.8 * (log_act - np.median(log_act)) + rng.normal(0, 0.9, n)))
    at_threshold = rng.random(n) < 0.04
    fans = np.where(at_threshold, rng.choice([199, 200, 499, 500], n), fans).astype(np.int64)

    category = np.where(
        industrial,
        len(CONSUMER_CATEGORIES) + rng.integers(0, len(INDUSTRIAL_CATEGORIES), n),
        rng.choice(len(CONSUMER_CATEGORIES), n, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.05, 0.05]),
    )
    restricted = ~industrial & (rng.random(n) < 0.02 / 0.7)  # about 2% of all hosts
    first_restricted = len(CONSUMER_CATEGORIES) + len(INDUSTRIAL_CATEGORIES)
    category = np.where(
        restricted, first_restricted + rng.integers(0, len(RESTRICTED_CATEGORIES), n), category
    )

    profile: dict[str, np.ndarray] = {
        "line": industrial.astype(np.int8),
        "category": category.astype(np.int8),
        "trade_medal": medal.astype(np.int32),
        "bsr_description": description,
        "bsr_description_null": rng.random(n) < 0.025,
        "bsr_shipping": shipping,
        "bsr_shipping_null": rng.random(n) < 0.025,
        "fans": fans,
    }
    for name, (p_true, p_null) in _FLAGS.items():
        u = rng.random(n)
        profile[name] = u < p_true
        profile[f"{name}_null"] = u >= 1 - p_null

    return _HostModel(
        ids=_ids("h", np.arange(1, n + 1), max(6, len(str(n)))),
        rate=rate,
        fixed=fixed,
        extra=extra,
        audience=audience,
        pool=pool.astype(np.int64),
        order_rate=order_rate,
        expected_sessions=expected_sessions,
        expected_views=expected_views,
        cost=expected_views + _CHUNK_HOST_COST,
        n_buyers=n_buyers,
        profile=profile,
    )


def _host_table(
    rng: np.random.Generator, model: _HostModel, clock: _Clock, unknown_lines: int
) -> tuple[pa.Table, int]:
    """Snapshot rows: every host the day before the window, some again when their profile moved."""
    n = len(model.rate)
    p = {k: v.copy() for k, v in model.profile.items()}
    changed = np.flatnonzero(rng.random(n) < 0.06)
    m = len(changed)
    # A later snapshot: more fans, sometimes a medal up or a rating moved, rarely a new penalty.
    later = {k: v[changed].copy() for k, v in p.items()}
    later["fans"] = np.ceil(later["fans"] * rng.uniform(1.05, 1.8, m)).astype(np.int64)
    later["trade_medal"] = np.minimum(later["trade_medal"] + (rng.random(m) < 0.3), 5)
    moved = rng.random(m) < 0.3
    later["bsr_description"] = np.where(
        moved,
        np.clip(later["bsr_description"] + rng.choice([-0.1, 0.1], m), 3.0, 5.0).round(2),
        later["bsr_description"],
    )
    penalised = rng.random(m) < 0.04
    later["compliance_violation"] |= penalised
    later["compliance_violation_null"] &= ~penalised

    # Rows whose category line is outside the contract, on hosts with one snapshot only.
    candidates = np.setdiff1d(np.flatnonzero(model.fixed < 0), changed)
    odd = rng.choice(candidates, min(unknown_lines, len(candidates)), replace=False)
    p["line"][odd] = 2
    p["category"][odd] = len(_CATEGORIES) - 3 + rng.integers(0, 3, len(odd))

    host = np.concatenate([np.arange(n), changed])
    day = np.concatenate([np.full(n, -1), rng.integers(0, clock.days, m)])
    order = np.lexsort((day, host))
    rows = {k: np.concatenate([p[k], later[k]])[order] for k in p}
    snapshot = np.datetime64(clock.first_day) + day[order]

    def nullable(name: str) -> pa.Array:
        return pa.array(rows[name], mask=rows[f"{name}_null"])

    columns = {
        "host_id": model.ids.take(pa.array(host[order])),
        "snapshot_date": pa.array(snapshot.astype("datetime64[D]"), type=pa.date32()),
        "category_line": pa.array(_LINES).take(pa.array(rows["line"])),
        "category": pa.array(_CATEGORIES).take(pa.array(rows["category"])),
        **{name: nullable(name) for name in _FLAGS},
        "trade_medal": pa.array(rows["trade_medal"], type=pa.int32()),
        "bsr_description": nullable("bsr_description"),
        "bsr_shipping": nullable("bsr_shipping"),
        "fans": pa.array(rows["fans"], type=pa.int64()),
    }
    return pa.table(columns), len(odd)


# ---------------------------------------------------------------------------------------------
# Events, one chunk of hosts at a time


def _anomaly_scale(hosts: int) -> int:
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
    model: _HostModel,
    h0: int,
    h1: int,
    clock: _Clock,
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
    second = np.round(second).astype(np.int64) % _DAY_S
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
    writer: _Writer,
    s: _Sessions,
    model: _HostModel,
    ids: _IdSpace,
    stamp: _Stamper,
    fmt: str,
    clock: _Clock,
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
            _ids("s", ids.sessions + 1 + np.arange(len(s.host)), ids.session_width),
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


def _views(rng: np.random.Generator, model: _HostModel, s: _Sessions) -> _Views:
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
    return _Views(session=session, host=host, buyer=_buyer(model, host, viewer), at=at)


def _buyer(model: _HostModel, host: np.ndarray, viewer: np.ndarray) -> np.ndarray:
    """Platform-wide buyer number of a host's n-th regular viewer."""
    return (host * _P1 + viewer * _P2) % model.n_buyers


def _write_views(
    writer: _Writer,
    rng: np.random.Generator,
    v: _Views,
    model: _HostModel,
    ids: _IdSpace,
    stamp: _Stamper,
    clock: _Clock,
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
            _ids("s", session_no[order], ids.session_width),
            _ids("b", buyer[order], ids.buyer_width),
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
    model: _HostModel,
    h0: int,
    h1: int,
    clock: _Clock,
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
    other_buyer = _buyer(model, other_host, rng.integers(0, 3 * model.pool[other_host]))
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
    writer: _Writer,
    o: _Orders,
    model: _HostModel,
    ids: _IdSpace,
    stamp: _Stamper,
    tally: dict[str, int],
) -> None:
    """Write one chunk of orders."""
    writer.write(
        [
            _ids("o", ids.orders + 1 + o.number, ids.order_width),
            model.ids.take(pa.array(o.host)),
            _ids("b", o.buyer, ids.buyer_width),
            stamp(o.paid, o.paid_valid),
        ]
    )
    ids.orders += o.distinct
    tally["orders"] += len(o.number)
    tally["dup"] += o.conflicting
