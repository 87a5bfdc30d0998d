"""The hosts: each one's latent activity and profile, and the profile snapshot rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from livetier.tools.synthetic.columns import Clock, id_strings

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

_SESSIONS_PER_HOST_DAY = 0.25
_MAX_SESSIONS_PER_DAY = 3.0
_CHUNK_HOST_COST = 20  # per-host work (sessions, orders) counted in view-equivalents
# Buyer ids mix each host's regular viewers into one platform-wide pool, so a buyer may follow
# several hosts. _P2 is prime, so distinct viewers of one host get distinct buyer ids.
_P1, _P2 = 7_919_993, 1_000_003


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


@dataclass
class HostModel:
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


def host_model(rng: np.random.Generator, n: int, days: int, vphd: float) -> HostModel:
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

    return HostModel(
        ids=id_strings("h", np.arange(1, n + 1), max(6, len(str(n)))),
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


def buyer_number(model: HostModel, host: np.ndarray, viewer: np.ndarray) -> np.ndarray:
    """Platform-wide buyer number of a host's n-th regular viewer."""
    buyer: np.ndarray = (host * _P1 + viewer * _P2) % model.n_buyers
    return buyer


def snapshot_rows(
    rng: np.random.Generator, model: HostModel, clock: Clock, unknown_lines: int
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
