"""The synthetic platform generator writes realistic, contract-shaped data with known anomalies."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from livetier.tools import synthetic
from livetier.tools.synthetic import Summary, generate

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_DAY = date(2026, 11, 1)
SMALL = {"hosts": 400, "days": 30, "end_day": END_DAY, "seed": 11}

CONTRACT = {
    "hosts": [
        "host_id",
        "snapshot_date",
        "category_line",
        "category",
        "enterprise_member",
        "risk_assessment_passed",
        "major_tax_violation",
        "prohibited_goods_violation",
        "compliance_violation",
        "severe_infringement_penalty",
        "business_status_abnormal",
        "dishonest_record",
        "competitiveness_passed",
        "trade_medal",
        "bsr_description",
        "bsr_shipping",
        "fans",
    ],
    "sessions": ["session_id", "host_id", "started_at", "ended_at", "deleted"],
    "views": ["session_id", "buyer_id", "viewed_at"],
    "orders": ["order_id", "host_id", "buyer_id", "paid_at"],
}
TIMESTAMPS = {"sessions": ["started_at", "ended_at"], "views": ["viewed_at"], "orders": ["paid_at"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Summary]]:
    """One small dataset per format, from the same seed."""
    out = {}
    for fmt in ("parquet", "csv"):
        folder = tmp_path_factory.mktemp(fmt)
        out[fmt] = (folder, generate(folder, fmt=fmt, **SMALL))
    return out


def read(folder: Path, table: str) -> pa.Table:
    """A table as pyarrow reads it, CSV timestamps kept as the strings written."""
    if (folder / f"{table}.parquet").exists():
        return pq.read_table(folder / f"{table}.parquet")
    types = dict.fromkeys(TIMESTAMPS.get(table, []), pa.string())
    options = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    return pacsv.read_csv(folder / f"{table}.csv", convert_options=options)


def parse(text: str | None) -> int | None:
    """Epoch seconds of a contract timestamp string; naive means platform time; None if bad."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return int(moment.timestamp())


def epochs(table: pa.Table, column: str) -> list[int | None]:
    """Epoch seconds of a timestamp column, whichever format it was read from."""
    values = table.column(column)
    if pa.types.is_timestamp(values.type):
        return [None if v is None else v // 1_000_000 for v in values.cast(pa.int64()).to_pylist()]
    return [parse(v) for v in values.to_pylist()]


def sql(folder: Path, query: str) -> list[tuple]:
    """Run a query over the folder's tables, named as in the contract."""
    con = duckdb.connect()
    for table in CONTRACT:
        con.register(table, read(folder, table))
    return con.execute(query).fetchall()


def platform_day(epoch: int) -> int:
    return (epoch + 8 * 3600) // 86_400


# --- shape ---------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", **SMALL)
    again = generate(tmp_path / "b", **SMALL)
    other = generate(tmp_path / "c", **{**SMALL, "seed": 12})
    assert first == again
    for table in CONTRACT:
        assert read(tmp_path / "a", table).equals(read(tmp_path / "b", table))
    assert not read(tmp_path / "a", "views").equals(read(tmp_path / "c", "views"))
    assert other.sessions != first.sessions


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_row_counts_match_the_summary(runs: dict, fmt: str) -> None:
    folder, summary = runs[fmt]
    for table in CONTRACT:
        ((rows,),) = duckdb.sql(f"select count(*) from '{folder}/{table}.{fmt}'").fetchall()
        assert rows == getattr(summary, table) == read(folder, table).num_rows
    assert summary.sessions > 1_000 and summary.views > 10 * summary.sessions
    assert (summary.first_day, summary.last_day) == (date(2026, 10, 2), date(2026, 10, 31))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_tables_have_exactly_the_contract_columns(runs: dict, fmt: str) -> None:
    folder, _ = runs[fmt]
    for table, columns in CONTRACT.items():
        assert read(folder, table).column_names == columns
        assert duckdb.sql(f"select * from '{folder}/{table}.{fmt}'").columns == columns


def test_parquet_types_are_what_a_platform_export_has(runs: dict) -> None:
    folder, _ = runs["parquet"]
    instant = pa.timestamp("us", tz="UTC")
    assert read(folder, "sessions").schema.field("started_at").type == instant
    assert read(folder, "orders").schema.field("paid_at").type == instant
    hosts = read(folder, "hosts").schema
    assert hosts.field("snapshot_date").type == pa.date32()
    assert hosts.field("enterprise_member").type == pa.bool_()
    assert pa.types.is_integer(hosts.field("trade_medal").type)
    assert pa.types.is_floating(hosts.field("bsr_description").type)


def test_csv_writes_booleans_as_true_false_and_unknown_as_empty(runs: dict) -> None:
    folder, _ = runs["csv"]
    lines = (folder / "hosts.csv").read_text().splitlines()
    assert lines[0] == ",".join(CONTRACT["hosts"])
    flags = {cell for line in lines[1:] for cell in line.split(",")[4:13]}
    assert flags == {"true", "false", ""}


def test_csv_timestamps_mix_utc_offset_and_naive_platform_time(runs: dict) -> None:
    folder, _ = runs["csv"]
    stamps = read(folder, "views").column("viewed_at").to_pylist()
    forms = {
        "utc": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        "offset": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00",
        "naive": r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",
    }
    counts = {name: sum(bool(re.fullmatch(p, s)) for s in stamps) for name, p in forms.items()}
    assert sum(counts.values()) == len(stamps)
    assert min(counts.values()) > len(stamps) / 10


def test_csv_and_parquet_of_one_seed_hold_the_same_instants(runs: dict) -> None:
    (pq_folder, pq_summary), (csv_folder, csv_summary) = runs["parquet"], runs["csv"]
    assert (pq_summary.sessions, pq_summary.views) == (csv_summary.sessions, csv_summary.views)
    for table, columns in TIMESTAMPS.items():
        for column in columns:
            from_parquet = epochs(read(pq_folder, table), column)
            from_csv = epochs(read(csv_folder, table), column)
            differ = [
                i for i, (a, b) in enumerate(zip(from_parquet, from_csv, strict=True)) if a != b
            ]
            # Only the injected unparseable starts may differ.
            expected = csv_summary.anomalies.bad_timestamps if column == "started_at" else 0
            assert len(differ) == expected
            assert all(from_csv[i] is None for i in differ)


# --- anomalies -----------------------------------------------------------------------------


def count_anomalies(folder: Path) -> dict[str, int]:
    """Recount every anomaly kind from the files alone."""
    sessions = read(folder, "sessions")
    spans = list(zip(epochs(sessions, "started_at"), epochs(sessions, "ended_at"), strict=True))
    parsed = [(a, b) for a, b in spans if a is not None and b is not None]
    (unknown_views,) = sql(
        folder, "select count(*) from views anti join sessions using (session_id)"
    )[0]
    (duplicates,) = sql(
        folder,
        """select count(*) from (select order_id from orders group by order_id
           having count(*) > 1 and count(distinct concat_ws('|', host_id, buyer_id,
           coalesce(cast(paid_at as varchar), ''))) > 1)""",
    )[0]
    (lines,) = sql(
        folder, "select count(*) from hosts where category_line not in ('consumer', 'industrial')"
    )[0]
    return {
        "bad_timestamps": len(spans) - len(parsed),
        "end_before_start": sum(b < a for a, b in parsed),
        "unknown_session_views": unknown_views,
        "conflicting_duplicate_orders": duplicates,
        "unknown_category_line": lines,
        "cross_day_sessions": sum(
            b - a > 900 and platform_day(a) != platform_day(b) for a, b in parsed
        ),
    }


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_injected_anomalies_are_really_in_the_files(runs: dict, fmt: str) -> None:
    folder, summary = runs[fmt]
    found = count_anomalies(folder)
    assert found == vars(summary.anomalies)
    assert all(n > 0 for kind, n in found.items() if fmt == "csv" or kind != "bad_timestamps")
    assert summary.anomalies.bad_timestamps == (0 if fmt == "parquet" else found["bad_timestamps"])


def test_duplicate_order_ids_are_only_the_conflicting_ones(runs: dict) -> None:
    folder, summary = runs["parquet"]
    (ids, rows, most) = sql(
        folder,
        "select count(distinct order_id), count(*), max(n) from "
        "(select order_id, count(*) over (partition by order_id) n from orders)",
    )[0]
    assert rows - ids == summary.anomalies.conflicting_duplicate_orders
    assert most == 2
    assert sql(folder, "select count(*) - count(distinct session_id) from sessions")[0][0] == 0


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_without_anomalies_only_natural_cross_day_sessions_remain(tmp_path: Path, fmt: str) -> None:
    summary = generate(tmp_path, fmt=fmt, anomalies=False, **SMALL)
    found = count_anomalies(tmp_path)
    assert found == vars(summary.anomalies)
    assert summary.anomalies.cross_day_sessions > 0
    assert sum(found.values()) == summary.anomalies.cross_day_sessions


def test_views_fall_within_their_sessions_span(runs: dict) -> None:
    folder, summary = runs["parquet"]
    # Sessions with swapped ended_at < started_at still span their views, between the two.
    ((joined, outside, orphans),) = sql(
        folder,
        """select count(s.session_id),
                  count(*) filter (where s.session_id is not null and (
                      v.viewed_at < least(s.started_at, s.ended_at)
                      or v.viewed_at > greatest(s.started_at, s.ended_at))),
                  count(*) filter (where s.session_id is null)
           from views v left join sessions s using (session_id)""",
    )
    assert outside == 0
    assert orphans == summary.anomalies.unknown_session_views
    assert joined == summary.views - orphans


def test_many_small_chunks_still_give_consistent_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synthetic.events, "_CHUNK_VIEWS", 3_000)
    summary = generate(tmp_path, **SMALL)
    assert summary.views > 10 * 3_000  # so there were more than ten chunks
    assert count_anomalies(tmp_path) == vars(summary.anomalies)
    ((orders, order_ids, session_ids),) = sql(
        tmp_path,
        "select (select count(*) from orders), (select count(distinct order_id) from orders), "
        "(select count(distinct session_id) from sessions)",
    )
    assert orders - order_ids == summary.anomalies.conflicting_duplicate_orders
    assert session_ids == summary.sessions


# --- realism -------------------------------------------------------------------------------


def test_activity_is_heavy_tailed(runs: dict) -> None:
    folder, _ = runs["parquet"]
    per_host = [
        n
        for (n,) in sql(
            folder,
            "select count(*) n from views join sessions using (session_id) "
            "group by host_id order by n desc",
        )
    ]
    hosts = len({h for (h,) in sql(folder, "select host_id from hosts")})
    assert sum(per_host[: hosts // 10]) > 0.6 * sum(per_host)
    ((median_sessions, busiest),) = sql(
        folder,
        "select median(coalesce(n, 0)), max(n) from (select distinct host_id from hosts) "
        "left join (select host_id, count(*) n from sessions group by 1) using (host_id)",
    )
    assert median_sessions <= 5 and busiest >= 30


def test_profiles_cover_both_lines_restricted_categories_and_unknowns(runs: dict) -> None:
    folder, _ = runs["parquet"]
    ((consumer, industrial, restricted, unknown_flag, no_rating),) = sql(
        folder,
        """select avg((category_line = 'consumer')::int), avg((category_line = 'industrial')::int),
                  count(*) filter (where category in
                      ('adult_health', 'pharmaceutical', 'health_care', 'e_cigarette')),
                  count(*) filter (where enterprise_member is null or dishonest_record is null
                      or competitiveness_passed is null or risk_assessment_passed is null),
                  count(*) filter (where bsr_description is null or bsr_shipping is null)
           from hosts""",
    )
    assert 0.6 < consumer < 0.8 and 0.2 < industrial < 0.4
    assert restricted > 0 and unknown_flag > 0 and no_rating > 0


def test_there_are_hosts_exactly_at_each_threshold(runs: dict) -> None:
    folder, _ = runs["parquet"]
    ((d46, d47, s43, fans500, fans200, medals),) = sql(
        folder,
        """select count(*) filter (where bsr_description = 4.6),
                  count(*) filter (where bsr_description = 4.7),
                  count(*) filter (where bsr_shipping = 4.3),
                  count(*) filter (where fans = 500), count(*) filter (where fans = 200),
                  count(distinct trade_medal) from hosts""",
    )
    assert min(d46, d47, s43, fans500, fans200) > 0 and medals == 6
    valid_counts = {
        n
        for (n,) in sql(
            folder,
            "select count(*) from sessions where ended_at >= started_at "
            "and epoch(ended_at) - epoch(started_at) > 900 group by host_id",
        )
    }
    assert {3, 5, 10, 15} <= valid_counts


def test_snapshots_precede_the_window_and_some_hosts_change_inside_it(runs: dict) -> None:
    folder, summary = runs["parquet"]
    ((baseline, later, first_later, last_later),) = sql(
        folder,
        f"""select count(*) filter (where snapshot_date = date '{date(2026, 10, 1)}'),
                   count(*) filter (where snapshot_date > date '{date(2026, 10, 1)}'),
                   min(snapshot_date) filter (where snapshot_date > date '{date(2026, 10, 1)}'),
                   max(snapshot_date) from hosts""",
    )
    assert baseline == SMALL["hosts"] and 0 < later < baseline / 5
    assert summary.first_day <= first_later and last_later <= summary.last_day


def test_sessions_have_realistic_lengths_and_evening_starts(runs: dict) -> None:
    folder, _ = runs["parquet"]
    ((exactly_15, shorter, longest, deleted, evening),) = sql(
        folder,
        """select count(*) filter (where d = 900), count(*) filter (where d < 900), max(d),
                  count(*) filter (where deleted),
                  avg((hour(started_at + interval 8 hour) between 18 and 23)::int)
           from (select *, epoch(ended_at) - epoch(started_at) d from sessions
                 where ended_at >= started_at)""",
    )
    assert exactly_15 > 0 and shorter > 0 and longest <= 6 * 3600 and deleted > 0
    assert evening > 0.5


def test_orders_cover_live_buyers_early_payers_unpaid_and_after_midnight(runs: dict) -> None:
    folder, _ = runs["parquet"]
    ((unpaid, paid_after_view, paid_before_view, after_midnight),) = sql(
        folder,
        """with o as (select order_id, host_id, buyer_id, paid_at from orders),
           v as (select host_id, buyer_id, viewed_at from views join sessions using (session_id)),
           pairs as (
             select o.order_id, o.paid_at, v.viewed_at from o join v using (host_id, buyer_id)
             where abs(epoch(o.paid_at) - epoch(v.viewed_at)) <= 3 * 3600)
           select (select count(*) from orders where paid_at is null),
                  count(distinct order_id) filter (where paid_at >= viewed_at),
                  count(distinct order_id) filter (where paid_at < viewed_at),
                  count(distinct order_id) filter (where paid_at >= viewed_at
                      and floor((epoch(paid_at) + 28800) / 86400)
                        > floor((epoch(viewed_at) + 28800) / 86400))
           from pairs""",
    )
    assert unpaid > 0 and paid_before_view > 0 and after_midnight > 0
    assert paid_after_view > 3 * paid_before_view


# --- interface -----------------------------------------------------------------------------


def test_progress_reports_every_stage_up_to_the_total(tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    generate(tmp_path, progress=lambda *call: calls.append(call), **SMALL)
    stages = {stage for stage, _, _ in calls}
    assert stages == {"hosts", "sessions", "views", "orders"}
    for stage in stages:
        done = [d for s, d, t in calls if s == stage]
        assert done == sorted(done) and done[-1] == SMALL["hosts"]


def test_writing_one_format_removes_the_other_from_the_folder(tmp_path: Path) -> None:
    generate(tmp_path, fmt="csv", **SMALL)
    generate(tmp_path, fmt="parquet", **SMALL)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.parquet" for t in CONTRACT)


def test_invalid_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, fmt="json", **SMALL)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        generate(tmp_path, **{**SMALL, "days": 0})
