"""Build small platforms in the data contract, write them as CSV or Parquet, and grade them."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from livetier import rulebooks
from livetier.domain.evaluation import HostEvaluation
from livetier.pipeline.engine import Engine, spark_engine
from livetier.services.evaluate import Evaluation, evaluate

# A consumer host that meets the basic requirements and every profile criterion of honor.
GOOD_PROFILE: dict[str, Any] = {
    "category_line": "consumer",
    "category": "apparel",
    "enterprise_member": "true",
    "risk_assessment_passed": "true",
    "major_tax_violation": "false",
    "prohibited_goods_violation": "false",
    "compliance_violation": "false",
    "severe_infringement_penalty": "false",
    "business_status_abnormal": "false",
    "dishonest_record": "false",
    "competitiveness_passed": "true",
    "trade_medal": "3",
    "bsr_description": "4.8",
    "bsr_shipping": "4.5",
    "fans": "1000",
}

COLUMNS = {
    "hosts": ["host_id", "snapshot_date", *GOOD_PROFILE],
    "sessions": ["session_id", "host_id", "started_at", "ended_at", "deleted"],
    "views": ["session_id", "buyer_id", "viewed_at"],
    "orders": ["order_id", "host_id", "buyer_id", "paid_at"],
}


def iso(at: datetime) -> str:
    """Naive platform-local ISO text (no offset), as the contract allows."""
    return at.isoformat(sep="T")


@dataclass
class Platform:
    """An in-memory platform; rows are text, exactly as they would sit in a CSV file."""

    hosts: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)
    snapshots: bool = False

    def host(self, host_id: str, snapshot_date: str | None = None, **profile: Any) -> str:
        if snapshot_date is not None:
            self.snapshots = True
        self.hosts.append(
            {"host_id": host_id, "snapshot_date": snapshot_date or "", **GOOD_PROFILE, **profile}
        )
        return host_id

    def session(
        self,
        host_id: str,
        start: datetime | str,
        end: datetime | str | None = None,
        *,
        minutes: float = 20,
        deleted: bool = False,
        session_id: str | None = None,
    ) -> str:
        sid = session_id or f"s{len(self.sessions) + 1}"
        if end is None:
            assert isinstance(start, datetime)
            end = start + timedelta(minutes=minutes)
        self.sessions.append(
            {
                "session_id": sid,
                "host_id": host_id,
                "started_at": start if isinstance(start, str) else iso(start),
                "ended_at": end if isinstance(end, str) else iso(end),
                "deleted": "true" if deleted else "false",
            }
        )
        return sid

    def view(self, session_id: str, buyer_id: str, at: datetime | str) -> None:
        self.views.append(
            {
                "session_id": session_id,
                "buyer_id": buyer_id,
                "viewed_at": at if isinstance(at, str) else iso(at),
            }
        )

    def order(
        self,
        host_id: str,
        buyer_id: str,
        paid_at: datetime | str | None,
        order_id: str | None = None,
    ) -> str:
        oid = order_id or f"o{len(self.orders) + 1}"
        paid = "" if paid_at is None else paid_at if isinstance(paid_at, str) else iso(paid_at)
        self.orders.append(
            {"order_id": oid, "host_id": host_id, "buyer_id": buyer_id, "paid_at": paid}
        )
        return oid

    def sessions_for(self, host_id: str, count: int, first_day: date) -> None:
        """``count`` valid sessions (20 min), one a day from ``first_day`` at 20:00."""
        for i in range(count):
            self.session(
                host_id,
                datetime.combine(first_day + timedelta(days=i), datetime.min.time())
                + timedelta(hours=20),
            )

    def buyers_for(self, host_id: str, count: int, day: date) -> None:
        """``count`` live buyers on ``day``, through one short (not valid) session."""
        start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10)
        sid = self.session(host_id, start, minutes=10)
        for i in range(count):
            buyer = f"{host_id}-b{i}"
            self.view(sid, buyer, start + timedelta(minutes=1))
            self.order(host_id, buyer, start + timedelta(minutes=5))

    def write(self, folder: Path, fmt: str = "csv") -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, columns in COLUMNS.items():
            rows = getattr(self, name)
            if name == "hosts" and not self.snapshots:
                columns = [c for c in columns if c != "snapshot_date"]
            if fmt == "csv":
                with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
                    writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
                    writer.writeheader()
                    writer.writerows(rows)
            else:
                data = {c: [r[c] if r[c] != "" else None for r in rows] for c in columns}
                table = pa.table({c: pa.array(v, pa.string()) for c, v in data.items()})
                pq.write_table(table, folder / f"{name}.parquet")
        return folder

    def grade(self, folder: Path, day: date, fmt: str = "csv") -> Graded:
        result = evaluate(self.write(folder, fmt), day, rulebooks.load())
        return Graded(result)


@dataclass
class Graded:
    """An evaluation, indexed by host."""

    result: Evaluation

    def __getitem__(self, host_id: str) -> HostEvaluation:
        return next(h for h in self.result.hosts if h.host_id == host_id)

    def tier(self, host_id: str) -> str:
        return self[host_id].tier.value

    def metric(self, host_id: str, name: str) -> Any:
        return self.result.metrics[host_id][name]

    def problems(self, reason: str) -> set[str]:
        return {p["row_id"] for p in self.result.problems if p["reason"] == reason}


def rulebook_with_new_version(folder: Path, effective: str, old: str, new: str) -> Path:
    """The shipped rulebook plus a version "2026.4" from ``effective`` with ``old`` -> ``new``."""
    text = rulebooks.DEFAULT_RULEBOOK.read_text()
    version = text[text.index("  - version:") :]
    assert old in version, old
    second = (
        version.replace('"2026.1"', '"2026.4"')
        .replace("effective_from: 2026-01-01", f"effective_from: {effective}")
        .replace(old, new)
    )
    path = folder / "rules.yaml"
    path.write_text(text + second)
    return path


class Clock:
    """The service's clock, moved by the tests (10:00 platform time on a given day)."""

    def __init__(self, day: date) -> None:
        self.set(day)

    def set(self, day: date, hour: int = 10) -> None:
        local = datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai"))
        self.at = local.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.at


@contextmanager
def local_spark(shuffle_partitions: int = 4) -> Iterator[Engine]:
    """A local Spark engine (``local[2]``, quiet), stopped on exit; the test is skipped without
    Java 17 or PySpark. tests/conftest.py's ``spark`` fixture gives one per module."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17 on PATH (Debian: openjdk-17-jre-headless)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.skip("PySpark is not installed: pip install -e '.[dev]'")
    engine = spark_engine(
        "local[2]",
        {
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.shuffle.partitions": str(shuffle_partitions),
        },
    )
    engine.con._session.sparkContext.setLogLevel("ERROR")
    yield engine
    engine.con._session.stop()
