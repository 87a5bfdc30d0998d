"""The engine's bulk grading and the domain's per-host evaluator always agree (Hypothesis)."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livetier import rulebooks
from livetier.domain.changes import at_risk
from livetier.domain.evaluation import evaluate_host
from livetier.domain.metrics import ACTIVITY_METRICS, METRICS, PROFILE_METRICS, Kind
from livetier.domain.rulebook import BASIC, Criterion, Group, Op, Version
from livetier.domain.tiers import GRADED_TIERS, Tier
from livetier.pipeline import grading
from livetier.pipeline.engine import duckdb_engine
from livetier.store.day_run import at_risk_sql

pytestmark = pytest.mark.slow  # run anyway by `make test`; skip locally with -m "not slow"

CATEGORIES = ["apparel", "machinery", "adult_health", "e_cigarette"]
ARROW = {
    Kind.BOOL: pa.bool_(),
    Kind.INT: pa.int64(),
    Kind.FLOAT: pa.float64(),
    Kind.STR: pa.string(),
}


def _value(kind: Kind) -> st.SearchStrategy[Any]:
    base: st.SearchStrategy[Any]
    if kind is Kind.BOOL:
        base = st.booleans()
    elif kind is Kind.INT:
        base = st.integers(-3, 600)
    elif kind is Kind.FLOAT:
        # one-decimal ratings like 4.6 (the real case) and arbitrary doubles
        # NaN and infinities included: both evaluators must treat them alike
        base = st.integers(0, 50).map(lambda n: n / 10) | st.floats()
    else:
        base = st.sampled_from(CATEGORIES)
    return st.none() | base


GRADED = {m: METRICS[m] for m in (*PROFILE_METRICS, *ACTIVITY_METRICS)}
"""The metrics tiers are graded on (session metrics decide surfacing only)."""

host_rows = st.fixed_dictionaries({m: _value(k.kind) for m, k in GRADED.items()})


@st.composite
def criteria(draw: st.DrawFn) -> Criterion:
    metric = draw(st.sampled_from(sorted(GRADED)))
    kind = METRICS[metric].kind
    if kind is Kind.BOOL:
        return Criterion(metric, draw(st.sampled_from([Op.IS_TRUE, Op.IS_FALSE])))
    if kind is Kind.STR:
        op = draw(st.sampled_from([Op.IN, Op.NOT_IN, Op.EQ, Op.NE]))
        if op in (Op.IN, Op.NOT_IN):
            return Criterion(
                metric,
                op,
                tuple(draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=3))),
            )
        return Criterion(metric, op, draw(st.sampled_from(CATEGORIES)))
    op = draw(st.sampled_from([Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ, Op.NE]))
    target = draw(
        st.integers(0, 500) if kind is Kind.INT else st.integers(0, 50).map(lambda n: n / 10)
    )
    return Criterion(metric, op, target)


groups = st.recursive(
    criteria(),
    lambda children: st.builds(
        Group,
        st.sampled_from(["all", "any"]),
        st.lists(children, min_size=1, max_size=4).map(tuple),
    ),
    max_leaves=8,
).map(lambda node: node if isinstance(node, Group) else Group("all", (node,)))

versions = st.builds(
    lambda basic, tiers: Version(
        "random", date(2026, 1, 1), basic, {"consumer": dict(zip(GRADED_TIERS, tiers, strict=True))}
    ),
    groups | st.just(Group("all", ())),
    st.tuples(groups, groups, groups),
)


@pytest.fixture(scope="module")
def engine():
    return duckdb_engine()


def _bulk(engine, version: Version, rows: list[dict[str, Any]]):
    data = [{"host_id": f"h{i}", "category_line": "consumer", **r} for i, r in enumerate(rows)]
    schema = pa.schema(
        [
            ("host_id", pa.string()),
            ("category_line", pa.string()),
            *((m, ARROW[k.kind]) for m, k in GRADED.items()),
        ]
    )
    table = ibis.memtable(pa.Table.from_pylist(data, schema=schema))
    graded = grading.grade(version, table, "consumer")
    return list(grading.read_back(version, "consumer", engine.con.to_pyarrow(graded).to_pylist()))


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(version=versions, rows=st.lists(host_rows, min_size=1, max_size=12))
def test_bulk_and_pure_evaluation_agree_on_random_rules(engine, version, rows):
    bulk = _bulk(engine, version, rows)
    pure = [evaluate_host(version, f"h{i}", "consumer", r) for i, r in enumerate(rows)]
    assert [
        _diff(a, b)
        for a, b in zip(
            sorted(bulk, key=lambda e: e.host_id),
            sorted(pure, key=lambda e: e.host_id),
            strict=True,
        )
    ] == [None] * len(rows)
    assert sorted(bulk, key=lambda e: e.host_id) == sorted(pure, key=lambda e: e.host_id)


@SETTINGS
@given(rows=st.lists(host_rows, min_size=1, max_size=25))
def test_bulk_and_pure_evaluation_agree_on_the_shipped_rulebook(engine, rows):
    version = rulebooks.load().version_for(date(2026, 11, 26))
    consumer_only = Version(
        version.version,
        version.effective_from,
        version.basic,
        {"consumer": version.lines["consumer"]},
    )
    for v in (
        consumer_only,
        Version(
            version.version,
            version.effective_from,
            version.basic,
            {"consumer": version.lines["industrial"]},
        ),
    ):
        bulk = _bulk(engine, v, rows)
        pure = [evaluate_host(v, f"h{i}", "consumer", r) for i, r in enumerate(rows)]
        assert sorted(bulk, key=lambda e: e.host_id) == sorted(pure, key=lambda e: e.host_id)
        assert all(e.sets[BASIC].path == BASIC for e in bulk)


def _diff(a, b, path=""):
    """Debug helper: the first differing NodeResult field."""
    if type(a).__name__ == "HostEvaluation":
        for k in a.sets:
            r = _diff(a.sets[k], b.sets[k])
            if r:
                return (a.host_id, *r)
        return None
    for f in ("met", "progress", "value", "closest"):
        if getattr(a, f) != getattr(b, f):
            return (a.path, f, getattr(a, f), getattr(b, f), a.node)
    for x, y in zip(a.children, b.children, strict=True):
        r = _diff(x, y)
        if r:
            return r
    return None


@pytest.mark.parametrize("at_risk_days", [0, 3, 7])
def test_the_bulk_at_risk_rule_is_the_domain_rule_on_its_boundaries(at_risk_days):
    n = at_risk_days
    cases = [
        (tier, holds)
        for tier in Tier
        for holds in (n - 1, n, n + 1, None)
        if holds is None or holds >= 0
    ]
    con = duckdb.connect()
    con.register(
        "g",
        pa.table(
            {
                "tier": pa.array([t.value for t, _ in cases], pa.string()),
                "holds_days": pa.array([h for _, h in cases], pa.int64()),
            }
        ),
    )
    rule = at_risk_sql("tier", "holds_days", "$days")
    bulk = [r[0] for r in con.execute(f"SELECT {rule} FROM g", {"days": n}).fetchall()]
    assert bulk == [at_risk(t, h, n) for t, h in cases]
