"""Explain one host's activity metrics on day D from its raw records: every session and live
buyer that could count toward ``live_sessions_30d`` and ``live_buyers_30d``, with whether it
counts and why (``livetier explain``, the API's and the host page's details).

The records come from the raw data folder (the warehouse keeps daily facts, not rows): the one
given, or the one the latest succeeded daily run recorded. The counted records add up to the
pipeline's own metrics for the host; a disagreement is a bug and is raised as one.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ibis
from sqlalchemy import Engine as Database
from sqlalchemy.orm import Session

from livetier.domain.rulebook import Rulebook
from livetier.pipeline import contract, facts
from livetier.pipeline import explain as pipeline
from livetier.pipeline.engine import Engine, duckdb_engine
from livetier.pipeline.storage import DataPath
from livetier.pipeline.timestamps import PlatformZone
from livetier.services.errors import InvalidInput
from livetier.services.served import Served
from livetier.store import runs

_MIN_YEAR, _MAX_YEAR = 1970, 9000
"""Days an explanation takes: the platform zone's offsets are looked up a few years around D."""

DATA_KEY = "data"
"""Where a daily run records its data folder in ``runs.counts``."""


@dataclass(frozen=True)
class SessionRecord:
    kind: str
    session_id: str
    day: str | None
    started_at: str | None
    ended_at: str | None
    minutes: float | None
    counted: bool
    reason: str


@dataclass(frozen=True)
class BuyerRecord:
    kind: str
    buyer_id: str | None
    day: str | None
    first_view_at: str | None
    first_paid_at: str | None
    counted: bool
    reason: str


@dataclass(frozen=True)
class HostExplanation:
    """One host's records for day D, and the metrics they add up to."""

    host_id: str
    day: date
    window: tuple[date, date]
    metrics: dict[str, int]
    graded: bool = True
    """Whether the host has a usable profile as of D-1: if not, it is not graded on D, and
    ``evaluate`` and ``status`` report no metrics for it (its records are listed all the same)."""
    sessions: list[SessionRecord] = field(default_factory=list)
    buyers: list[BuyerRecord] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """Every record as plain data (``--format jsonl``): sessions, then buyers."""
        return [asdict(r) for r in self.sessions] + [asdict(r) for r in self.buyers]

    def masked(self) -> HostExplanation:
        """The same with every buyer id masked (what a host key sees)."""
        return replace(self, buyers=[replace(b, buyer_id=mask(b.buyer_id)) for b in self.buyers])


def mask(buyer_id: str | None) -> str | None:
    """A buyer id with all but its first two and last two characters hidden: ``b1****89``.
    Ids of six characters or fewer keep only their first character."""
    if buyer_id is None:
        return None
    if len(buyer_id) <= 6:
        return buyer_id[:1] + "****"
    return f"{buyer_id[:2]}****{buyer_id[-2:]}"


def recorded_data(db: Database) -> str:
    """The data folder of the latest succeeded daily run, as it recorded it."""
    with Session(db) as s:
        run = runs.latest_succeeded_run(s)
    folder = (run.counts or {}).get(DATA_KEY) if run is not None else None
    if not folder:
        why = "no daily run has succeeded yet" if run is None else "the latest run recorded none"
        raise InvalidInput(
            f"no data folder to read the host's records from ({why}): give $data, the raw "
            "data folder (the warehouse keeps daily facts, not the records behind them)"
        )
    return str(folder)


def data_path(folder: DataPath) -> str:
    """A data folder as a run records it: a local path made absolute, a URL as it is."""
    return str(folder.resolve()) if isinstance(folder, Path) else str(folder)


def explain_host(
    data: DataPath,
    host_id: str,
    day: date,
    rulebook: Rulebook,
    engine: Engine | None = None,
) -> HostExplanation:
    """Every record of ``host_id`` in ``data`` that could count toward its metrics on ``day``."""
    return explain_hosts(data, [host_id], day, rulebook, engine)[host_id]


def explain_hosts(
    data: DataPath,
    hosts: list[str],
    day: date,
    rulebook: Rulebook,
    engine: Engine | None = None,
) -> dict[str, HostExplanation]:
    """``explain_host`` for several hosts in one pass over the data."""
    if not _MIN_YEAR <= day.year <= _MAX_YEAR:
        raise InvalidInput(f"$date {day}: out of range ({_MIN_YEAR} … {_MAX_YEAR})")
    own = engine is None
    compute = engine or duckdb_engine()
    try:
        return _explain(data, sorted(set(hosts)), day, rulebook, compute)
    except compute.errors as e:  # raised lazily, by whichever query first reads the bad part
        files = [f for name in contract.CONTRACT for f in contract.locate(data, name).files()]
        raise contract.unreadable(data, files, e) from None
    finally:
        if own:
            compute.close()


def _explain(
    data: DataPath, hosts: list[str], day: date, rulebook: Rulebook, engine: Engine
) -> dict[str, HostExplanation]:
    d = rulebook.definitions
    version = rulebook.version_for(day)
    first, last = pipeline.listed_days(day, d.window_days)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    # The tables as stored, their columns checked against the contract; their values are
    # checked below on the rows the hosts' records need, not on the whole platform.
    raw = {
        name: contract.read_raw(engine, data, name, None if name == "hosts" else days)
        for name in contract.CONTRACT
    }
    # A view just after midnight may belong to a session of the evening before.
    located = contract.locate(data, "sessions")
    before = first - timedelta(days=1)
    if located.partitions is not None and before in located.partitions:
        raw["lookup"] = contract.read_raw(engine, data, "sessions", [before])
    unchecked = {
        name: contract.check(_table(name), *got, values=False) for name, got in raw.items()
    }
    zone = PlatformZone.around(d.timezone, day)
    with ExitStack() as cached:
        # The hosts' raw rows are read once and kept (a few hundred rows a host): their values
        # are checked, and the records compiled and computed, on those alone.
        stored = {
            name: replace(unchecked[name], table=_ids_as_text(t)) for name, (_, t) in raw.items()
        }
        cut, cut_lookup = pipeline.narrowed(
            {n: stored[n] for n in contract.CONTRACT},
            hosts,
            stored.get("lookup"),
            keep=lambda t: cached.enter_context(t.cache()),
        )
        narrow = {n: contract.check(n, raw[n][0], cut[n].table) for n in contract.CONTRACT}
        narrow_lookup = (
            contract.check("sessions", raw["lookup"][0], cut_lookup.table) if cut_lookup else None
        )
        listed = narrow["hosts"].table.select("host_id").distinct().to_pyarrow()
        unknown = sorted(set(hosts) - set(listed["host_id"].to_pylist()))
        if unknown:
            shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
            raise InvalidInput(f"host {shown}: not in the hosts table of {data}")
        explained = pipeline.explain(
            narrow,
            hosts,
            day,
            zone,
            version.lines,
            d.window_days,
            d.valid_session_longer_than_minutes,
            narrow_lookup,
            keep=lambda t: cached.enter_context(t.cache()),
        )
        sessions = explained.sessions.to_pyarrow().to_pylist()
        buyers = explained.buyers.to_pyarrow().to_pylist()
        metrics = {r.pop("host_id"): r for r in explained.metrics.to_pyarrow().to_pylist()}
        graded = set(explained.graded.to_pyarrow()["host_id"].to_pylist())
    tz = ZoneInfo(d.timezone)
    window = facts.window(day, d.window_days)
    out = {
        h: HostExplanation(
            h,
            day,
            window,
            {m: int(metrics.get(h, {}).get(m) or 0) for m in pipeline.METRICS},
            h in graded,
        )
        for h in hosts
    }
    for row in sessions:
        out[row["host_id"]].sessions.append(_session(row, tz))
    for row in buyers:
        out[row["host_id"]].buyers.append(_buyer(row, tz))
    for found in out.values():
        _check_sums(found)
    return out


def _ids_as_text(table: ibis.Table) -> ibis.Table:
    """Ids stored as numbers compared as the contract reads them (text)."""
    ids = [c for c in ("host_id", "session_id", "order_id") if c in table.columns]
    return table.mutate(
        **{c: table[c].cast("string") for c in ids if not table[c].type().is_string()}
    )


def _table(name: str) -> str:
    """The contract table behind one of the explanation's inputs."""
    return "sessions" if name == "lookup" else name


def _check_sums(e: HostExplanation) -> None:
    """The counted records are the metrics, or the explanation would mislead."""
    counted = {
        "live_sessions_30d": sum(r.counted for r in e.sessions),
        "live_buyers_30d": sum(r.counted for r in e.buyers),
    }
    if counted != e.metrics:
        raise RuntimeError(
            f"explanation of {e.host_id} on {e.day}: counted records {counted} disagree "
            f"with the pipeline's metrics {e.metrics}"
        )


def _local(instant: datetime | None, tz: ZoneInfo) -> str | None:
    """A naive UTC instant as platform local time with its offset."""
    return None if instant is None else instant.replace(tzinfo=UTC).astimezone(tz).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _session(row: dict[str, Any], tz: ZoneInfo) -> SessionRecord:
    start, end = row["start_utc"], row["end_utc"]
    minutes = None if start is None or end is None else round((end - start).total_seconds() / 60, 2)
    return SessionRecord(
        "session",
        row["session_id"],
        _day(row["day"]),
        _local(start, tz),
        _local(end, tz),
        minutes,
        bool(row["counted"]),
        row["reason"],
    )


def _buyer(row: dict[str, Any], tz: ZoneInfo) -> BuyerRecord:
    return BuyerRecord(
        "buyer",
        row["buyer_id"],
        _day(row["day"]),
        _local(row["first_view_utc"], tz),
        _local(row["first_paid_utc"], tz),
        bool(row["counted"]),
        row["reason"],
    )


class NothingToExplain(InvalidInput):
    """No records can be read for a served host: no run recorded a readable data folder."""


def explain_served(
    view: Served, host_id: str, day: date | None = None, *, masked: bool = False
) -> HostExplanation:
    """A graded host's records for ``day`` (default: the latest day run), from the data
    folder the latest succeeded run recorded; with ``masked``, buyer ids masked."""
    view.host(host_id, evaluate=False)  # an unknown host is answered as such, before any read
    latest, _ = view.latest()
    wanted = day or (latest.day if latest else view.today())
    if not _MIN_YEAR <= wanted.year <= _MAX_YEAR:  # no platform data there: nothing counts
        return HostExplanation(
            host_id, wanted, (wanted, wanted), dict.fromkeys(pipeline.METRICS, 0)
        )
    try:
        folder = recorded_data(view.db)
        result = explain_host(Path(folder), host_id, wanted, view.rulebook)
    except (InvalidInput, contract.ContractError) as e:
        raise NothingToExplain(str(e)) from None
    return result.masked() if masked else result
