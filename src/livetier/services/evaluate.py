"""Evaluate every host of a data folder on one day: tiers, criteria, progress and data quality."""

from __future__ import annotations

import atexit
import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis

from livetier.domain.describe import criterion_dict
from livetier.domain.evaluation import HostEvaluation, NodeResult
from livetier.domain.metrics import ACTIVITY_METRICS
from livetier.domain.rulebook import Criterion, Definitions, Node, Rulebook, Version
from livetier.domain.tiers import Tier
from livetier.pipeline import contract, facts, grading
from livetier.pipeline.clean import Cleaned, clean
from livetier.pipeline.engine import Engine, duckdb_engine
from livetier.pipeline.storage import DataPath
from livetier.pipeline.timestamps import PlatformZone

SHOWN_METRICS = (
    *ACTIVITY_METRICS,
    "fans",
    "trade_medal",
    "bsr_description",
    "bsr_shipping",
    "cross_day_sessions_30d",
)
"""The metrics every output record carries: the rulebook's activity and rating inputs, and how
many of the window's sessions crossed midnight (counted, but worth a look)."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many long-lived objects.

    Grading 100k hosts creates millions of small result objects that all stay alive; the
    collector's repeated scans of them cost as much as creating them (measured: 10.8 s vs
    5.5 s at 100k hosts). They hold no cycles, so nothing is lost by collecting later.
    Afterwards they are frozen (gc.freeze): the collector's first pass after a pause would
    otherwise scan them all once more (1.5 s at 100k hosts); refcounting still frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        freeze()
        if was_enabled:
            gc.enable()


def freeze() -> None:
    """``gc.freeze()`` until the interpreter exits, when the frozen objects are handed back.

    Frozen objects are never collected, not even at exit: an Ibis backend and its DuckDB
    connection, alive at a freeze in reference cycles, would outlive the interpreter, and
    DuckDB's bindings (nanobind) then print some 45 "leaked instances" lines to stderr.
    Unfrozen at exit, the interpreter's last collection frees them.
    """
    gc.freeze()
    atexit.unregister(gc.unfreeze)  # registered once, however often the process freezes
    atexit.register(gc.unfreeze)


@dataclass
class Evaluation:
    """The outcome of grading one day."""

    day: date
    version: Version
    hosts: list[HostEvaluation]
    metrics: dict[str, dict[str, Any]]
    problems: list[dict[str, Any]] = field(default_factory=list)
    holds: dict[str, int | None] = field(default_factory=dict)
    """Days each tier above none holds if nothing new happens (None: as long as the profile)."""

    def tier_counts(self) -> dict[str, Counter[Tier]]:
        """How many hosts sit in each tier, per category line."""
        out: dict[str, Counter[Tier]] = {}
        for h in self.hosts:
            out.setdefault(h.line, Counter())[h.tier] += 1
        return out

    def problem_counts(self) -> Counter[tuple[str, str]]:
        """Data-quality report entries per (table, reason)."""
        return Counter((p["table"], p["reason"]) for p in self.problems)


def evaluate(
    data: DataPath, day: date, rulebook: Rulebook, engine: Engine | None = None
) -> Evaluation:
    """Grade every host in ``data`` (a local folder, or a URL on Spark) for evaluation day
    ``day`` under the version in force."""
    engine = engine or duckdb_engine()
    try:
        return _evaluate(data, day, rulebook, engine)
    except engine.errors as e:  # raised lazily, by whichever query first reads the bad part
        files = [f for name in contract.CONTRACT for f in contract.locate(data, name).files()]
        raise contract.unreadable(data, files, e) from None


def _evaluate(data: DataPath, day: date, rulebook: Rulebook, engine: Engine) -> Evaluation:
    version = rulebook.version_for(day)
    d = rulebook.definitions
    sources = {name: contract.load(engine, data, name) for name in contract.CONTRACT}
    # The checked rows are kept for the facts and the report alike; the collector pauses over
    # millions of long-lived result objects, with no cycles among them.
    with ExitStack() as cached, paused_gc():
        return _graded(sources, day, version, d, lambda t: cached.enter_context(t.cache()))


def _graded(
    sources: dict[str, contract.Source],
    day: date,
    version: Version,
    d: Definitions,
    keep: Callable[[ibis.Table], ibis.Table],
) -> Evaluation:
    cleaned = clean(sources, PlatformZone.around(d.timezone, day), version.lines, keep=keep)
    has_snapshots = "snapshot_date" in sources["hosts"].table.columns
    daily = facts.daily_facts(
        cleaned, d.valid_session_longer_than_minutes, facts.window_days_of(day, d.window_days)
    )
    evaluations: list[HostEvaluation] = []
    values: dict[str, dict[str, Any]] = {}
    holds: dict[str, int | None] = {}
    # Facts and metrics materialised once, then graded per line (each line has its own
    # criteria columns); the facts serve again for how long each tier holds.
    with (
        daily.cache() as stored,
        facts.metrics_for_day(
            cleaned.hosts, cleaned.snapshots, stored, day, d.window_days
        ).cache() as metrics,
    ):
        for g in grading.grade_all(
            version, metrics, stored, day, d.window_days, lambda t: t.cache(), full=True
        ):
            graded = g.graded.to_pyarrow()
            held = g.holds.to_pyarrow()
            holds.update(
                zip(held["host_id"].to_pylist(), held["holds_days"].to_pylist(), strict=True)
            )
            rows = graded.to_pylist()
            evaluations += grading.read_back(version, g.line, rows)
            for row in rows:
                values[row["host_id"]] = {
                    "snapshot_date": row["snapshot_date"] if has_snapshots else None,
                    **{m: row[m] for m in SHOWN_METRICS},
                }
    evaluations.sort(key=lambda e: e.host_id)

    return Evaluation(day, version, evaluations, values, _problems(sources, cleaned, day), holds)


def _problems(
    sources: dict[str, contract.Source], cleaned: Cleaned, day: date
) -> list[dict[str, Any]]:
    """The data-quality report: the rows cleaning set aside, and the hosts not graded."""
    profile = facts.profile_as_of(cleaned.hosts, cleaned.snapshots, day)
    missing = facts.not_graded(sources["hosts"].table, profile, day)
    problems: list[dict[str, Any]] = ibis.union(cleaned.problems, missing).to_pyarrow().to_pylist()
    # The detail too: one row can be reported twice for a reason (a conflicting duplicate's
    # two versions), in whichever order the engine returns them.
    problems.sort(key=lambda p: (p["table"], p["reason"], p["row_id"] or "", p["detail"] or ""))
    return problems


BATCH_ROWS = 20_000
"""Hosts read back at a time by ``evaluate_records``: its memory does not grow with the number
of hosts."""


@dataclass
class Summary:
    """What ``evaluate_records`` knows once every record is written: the counts and the
    data-quality report, not the hosts."""

    day: date
    version: Version
    problems: list[dict[str, Any]]
    counts: dict[str, Counter[Tier]] = field(default_factory=dict)
    graded: int = 0
    active: bool = False  # some host had activity (sessions, views, orders) in the window

    def tier_counts(self) -> dict[str, Counter[Tier]]:
        """How many hosts sit in each tier, per category line."""
        return self.counts

    def problem_counts(self) -> Counter[tuple[str, str]]:
        """Data-quality report entries per (table, reason)."""
        return Counter((p["table"], p["reason"]) for p in self.problems)


def evaluate_records(
    data: DataPath,
    day: date,
    rulebook: Rulebook,
    engine: Engine | None,
    write: Callable[[Iterator[dict[str, Any]]], None],
) -> Summary:
    """Grade every host like ``evaluate``, and hand ``write`` each host's record (``host_record``)
    in host_id order as it is read back from the engine, a batch of hosts at a time: nothing
    holds every host (``livetier evaluate --format jsonl`` at a million hosts)."""
    engine = engine or duckdb_engine()
    try:
        return _evaluate_records(data, day, rulebook, engine, write)
    except engine.errors as e:
        files = [f for name in contract.CONTRACT for f in contract.locate(data, name).files()]
        raise contract.unreadable(data, files, e) from None


def _evaluate_records(
    data: DataPath,
    day: date,
    rulebook: Rulebook,
    engine: Engine,
    write: Callable[[Iterator[dict[str, Any]]], None],
) -> Summary:
    version = rulebook.version_for(day)
    d = rulebook.definitions
    sources = {name: contract.load(engine, data, name) for name in contract.CONTRACT}
    with ExitStack() as cached:

        def keep(t: ibis.Table) -> ibis.Table:
            kept: ibis.Table = cached.enter_context(t.cache())
            return kept

        cleaned = clean(sources, PlatformZone.around(d.timezone, day), version.lines, keep=keep)
        window = facts.window_days_of(day, d.window_days)
        stored = keep(facts.daily_facts(cleaned, d.valid_session_longer_than_minutes, window))
        metrics = keep(
            facts.metrics_for_day(cleaned.hosts, cleaned.snapshots, stored, day, d.window_days)
        )
        lines = []
        for g in grading.grade_all(
            version, metrics, stored, day, d.window_days, lambda t: t.cache(), full=False
        ):
            held = keep(g.holds)  # kept past the line: the stream below reads every line
            lines.append((g.line, g.graded.left_join(held, "host_id")))
        summary = Summary(day, version, _problems(sources, cleaned, day))
        table = grading.all_lines(version, lines, ["host_id", "holds_days", *SHOWN_METRICS])
        readers = {line: grading.reader(version, line) for line, _ in lines}

        def records() -> Iterator[dict[str, Any]]:
            for batch in engine.batches(table, BATCH_ROWS):
                for row in batch.to_pylist():
                    ev = readers[row[grading.LINE]](row)
                    summary.counts.setdefault(ev.line, Counter())[ev.tier] += 1
                    summary.graded += 1
                    summary.active = summary.active or any(row[m] for m in ACTIVITY_METRICS)
                    yield host_record(ev, row, row["holds_days"])

        with paused_gc():  # the records die young; the collector's passes would only cost
            write(records())
    return summary


_TEMPLATES: dict[tuple[str, int, bool], tuple[Node, dict[str, Any]]] = {}


def _template(result: NodeResult, top: bool) -> dict[str, Any]:
    """The fields of a node's record that do not depend on the host, built once per node."""
    key = (result.path, id(result.node), top)
    if key not in _TEMPLATES:  # the node is kept alive with its entry, so its id stays unique
        node = result.node
        record: dict[str, Any] = {"set": result.path.split(".")[0]} if top else {}
        if isinstance(node, Criterion):
            record.update(criterion_dict(node))
        else:
            record["mode"] = node.mode
        _TEMPLATES[key] = (node, record)
    return _TEMPLATES[key][1]


_SHARED: dict[tuple[Any, ...], tuple[Node, dict[str, Any]]] = {}
_SHARED_AT_MOST = 200_000
"""Criterion records by (node, place, value, outcome): most hosts share them (flags, medals,
ratings, small counts), so a million hosts' task lists reuse a few thousand dicts. Bounded,
so that values that rarely repeat cannot grow it without end."""


def node_record(result: NodeResult, top: bool = True) -> dict[str, Any]:
    """A criterion or group outcome as plain data; a top-level one names its requirement set.

    The dicts returned may be shared between hosts: read them, do not change them."""
    node = result.node
    if isinstance(node, Criterion):
        key = (id(node), result.path, top, result.value, result.met, result.progress)
        shared = _SHARED.get(key)
        if shared is not None:
            return shared[1]
        record = dict(_template(result, top))
        record["value"] = _plain(result.value)
        record["met"] = result.met
        record["progress"] = round(result.progress, 4)
        if len(_SHARED) < _SHARED_AT_MOST:  # the node is kept alive with it: its id stays its
            _SHARED[key] = (node, record)
        return record
    record = dict(_template(result, top))
    record["met"] = result.met
    record["progress"] = round(result.progress, 4)
    if result.closest is not None:
        record["closest"] = result.closest
    record["branches"] = [node_record(c, top=False) for c in result.children]
    return record


def host_record(
    ev: HostEvaluation, metrics: dict[str, Any], holds_days: int | None = None
) -> dict[str, Any]:
    """One host's result with exactly the public keys of ``livetier evaluate --format jsonl``.

    ``holds_days``: how many more days the tier holds if nothing new happens (None for
    ``none``, or when it holds as long as the profile does)."""
    return {
        "host_id": ev.host_id,
        "tier": ev.tier.value,
        "line": ev.line,
        "holds_days": holds_days,
        "metrics": {m: _plain(metrics[m]) for m in SHOWN_METRICS},
        "criteria": [node_record(c) for name in ev.shown_sets() for c in ev.sets[name].children],
        "next_tier": ev.next_tier.value if ev.next_tier else None,
        "missing": [node_record(c) for c in ev.missing()],
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
