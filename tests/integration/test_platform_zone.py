"""The pipeline's own zone conversion agrees with Python's zoneinfo, DST zones included.

The platform zone is applied by the pipeline (not the engine's session zone), so it is checked
here against the IANA database through zoneinfo, for UTC and offset text, naive platform time,
and zoned and naive engine timestamps, on Asia/Shanghai and on a zone with daylight saving.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.timestamps import PlatformZone, add_instant

DAY = date(2026, 11, 26)
ZONES = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Lord_Howe"]
# Instants around the evaluation day, where DST transitions of 2026 fall.
instants = st.datetimes(min_value=datetime(2025, 12, 1), max_value=datetime(2027, 2, 1))


@pytest.fixture(scope="module")
def con():
    return duckdb_engine().con


def _convert(con, values: pa.Array, zone: PlatformZone) -> list[tuple[datetime, date]]:
    table = add_instant(ibis.memtable(pa.table({"t": values})), "t", zone, "utc", "day")
    out = con.to_pyarrow(table.select("utc", "day")).to_pylist()
    return [(r["utc"], r["day"]) for r in out]


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(ZONES), moments=st.lists(instants, min_size=1, max_size=30))
def test_utc_text_and_zoned_timestamps_land_on_the_zoneinfo_day(con, name, moments):
    zone = PlatformZone.around(name, DAY)
    tz = ZoneInfo(name)
    expected = [(m, m.replace(tzinfo=UTC).astimezone(tz).date()) for m in moments]
    text = pa.array([m.isoformat() + "Z" for m in moments])
    zoned = pa.array([m.replace(tzinfo=UTC) for m in moments], pa.timestamp("us", tz="UTC"))
    assert _convert(con, text, zone) == expected
    assert _convert(con, zoned, zone) == expected


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(ZONES), walls=st.lists(instants, min_size=1, max_size=30))
def test_naive_text_and_naive_timestamps_are_platform_wall_time(con, name, walls):
    zone = PlatformZone.around(name, DAY)
    tz = ZoneInfo(name)
    # zoneinfo's reading of a wall time: fold=0 for repeated times, the earlier offset for
    # skipped ones.
    expected = [
        ((w - w.replace(tzinfo=tz).utcoffset()).replace(tzinfo=None), w.date()) for w in walls
    ]
    text = pa.array([w.isoformat() for w in walls])
    naive = pa.array(walls, pa.timestamp("us"))
    assert _convert(con, text, zone) == expected
    assert _convert(con, naive, zone) == expected


def test_offsets_in_text_are_honoured(con):
    zone = PlatformZone.around("Asia/Shanghai", DAY)
    text = pa.array(
        [
            "2026-10-26T16:30:00Z",
            "2026-10-27T00:30:00+08:00",
            "2026-10-26T11:30:00-0500",
            "2026-10-26T12:30:00-04",
            "2026-10-27 00:30:00",
            "2026-10-27T00:30:00.250",
            "nonsense",
            None,
        ]
    )
    got = _convert(con, text, zone)
    utc = datetime(2026, 10, 26, 16, 30)
    assert got[:5] == [(utc, date(2026, 10, 27))] * 5
    assert got[5] == (utc + timedelta(milliseconds=250), date(2026, 10, 27))
    assert got[6:] == [(None, None), (None, None)]


def test_shanghai_has_one_offset_and_new_york_has_transitions():
    assert PlatformZone.around("Asia/Shanghai", DAY).offsets == (8 * 3600,)
    ny = PlatformZone.around("America/New_York", DAY)
    assert datetime(2026, 11, 1, 6, 0) in ny.transitions  # 02:00 EDT -> 01:00 EST
    assert set(ny.offsets) == {-5 * 3600, -4 * 3600}
