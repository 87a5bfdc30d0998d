"""The command line as an operator uses it: outputs, the report, and bad input (exit 2)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builders import Platform, rulebook_with_new_version
from livetier.entrypoints.cli import app

runner = CliRunner()
DAY = "2026-11-26"


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def platform() -> Platform:
    p = Platform()
    p.host("h1")
    p.host("h2", category_line="industrial", trade_medal="2", bsr_description="")
    s = p.session("h1", datetime(2026, 11, 20, 20), minutes=30)
    p.view(s, "b1", datetime(2026, 11, 20, 20, 5))
    p.order("h1", "b1", datetime(2026, 11, 20, 20, 10))
    p.sessions_for("h2", 3, datetime(2026, 11, 1).date())
    return p


def test_jsonl_has_one_object_per_host_with_exactly_the_public_keys(tmp_path, platform):
    result = run(
        "evaluate", "--data", str(platform.write(tmp_path)), "--date", DAY, "--format", "jsonl"
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["host_id"] for r in records] == ["h1", "h2"]
    for r in records:
        assert set(r) == {
            "host_id",
            "tier",
            "line",
            "holds_days",
            "metrics",
            "criteria",
            "next_tier",
            "missing",
        }
        assert isinstance(r["metrics"]["live_sessions_30d"], int)
        assert isinstance(r["metrics"]["live_buyers_30d"], int)
        assert {"fans", "trade_medal", "bsr_description", "bsr_shipping"} <= set(r["metrics"])
    h1, h2 = records
    assert (h1["tier"], h1["line"], h1["next_tier"]) == ("ordinary", "consumer", "expert")
    assert h1["metrics"]["live_sessions_30d"] == 1 and h1["metrics"]["live_buyers_30d"] == 1
    # Only the activity "or" group is missing; 1/5 sessions is closer than 1/50 buyers.
    [group] = h1["missing"]
    assert (group["set"], group["mode"], group["met"], group["closest"]) == (
        "expert",
        "any",
        False,
        0,
    )
    assert [b["progress"] for b in group["branches"]] == [0.2, 0.02]
    assert (h2["tier"], h2["next_tier"]) == ("expert", "honor")
    missing = {m["metric"] for m in h2["missing"]}
    assert missing == {"trade_medal", "bsr_description", "live_sessions_30d", "live_buyers_30d"}
    desc = next(m for m in h2["missing"] if m["metric"] == "bsr_description")
    assert desc == {
        "set": "honor",
        "metric": "bsr_description",
        "op": ">=",
        "target": 4.3,
        "value": None,
        "met": False,
        "progress": 0.0,
    }
    sets = {c["set"] for c in h2["criteria"]}
    assert sets == {"basic", "expert", "honor"}
    group = next(c for c in h2["criteria"] if c.get("mode") == "any")
    assert group["met"] is True and group["closest"] == 0
    assert [b["metric"] for b in group["branches"]] == ["live_sessions_30d", "live_buyers_30d"]


def test_csv_format_and_table_format(tmp_path, platform):
    folder = str(platform.write(tmp_path))
    result = run("evaluate", "--data", folder, "--date", DAY, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout.split("\n\n")[0])))
    assert [(r["host_id"], r["tier"]) for r in rows][:2] == [("h1", "ordinary"), ("h2", "expert")]
    table = run("evaluate", "--data", folder, "--date", DAY)
    assert table.exit_code == 0
    assert "Tier distribution" in table.stdout and "荣耀主播" in table.stdout


def test_row_level_problems_go_to_the_report_and_never_abort(tmp_path, platform):
    platform.host("h3", category_line="services")
    platform.session("h1", "2026-13-45T99:00:00", "2026-11-20T21:00:00", session_id="bad_ts")
    platform.session(
        "h1", datetime(2026, 11, 21, 20), datetime(2026, 11, 21, 19), session_id="backwards"
    )
    platform.view("no_such_session", "b9", datetime(2026, 11, 21, 20))
    platform.order("h1", "b1", datetime(2026, 11, 22, 20), order_id="dup")
    platform.order("h1", "b1", datetime(2026, 11, 22, 21), order_id="dup")
    platform.session("h1", "2026-11-23T23:50:00", "2026-11-24T00:30:00", session_id="late")
    folder = platform.write(tmp_path / "data")
    report = tmp_path / "report.json"
    result = run(
        "evaluate",
        "--data",
        str(folder),
        "--date",
        DAY,
        "--report",
        str(report),
        "--format",
        "jsonl",
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(report.read_text())
    found = {(r["table"], r["row_id"], r["reason"]) for r in doc["rows"]}
    assert {
        ("sessions", "bad_ts", "unparseable_timestamp"),
        ("sessions", "backwards", "ends_before_start"),
        ("views", "no_such_session/b9/2026-11-21T20:00:00", "unknown_session"),
        ("orders", "dup", "conflicting_duplicate"),
        ("hosts", "h3@*", "unknown_category_line"),
        ("hosts", "h3", "not_graded"),
        ("sessions", "late", "crosses_midnight"),
    } <= found
    counts = {(c["table"], c["reason"]): c["rows"] for c in doc["counts"]}
    assert counts[("orders", "conflicting_duplicate")] == 2
    assert "Data quality" in result.stderr and "conflicting_duplicate" in result.stderr
    csv_report = tmp_path / "report.csv"
    assert (
        run(
            "evaluate",
            "--data",
            str(folder),
            "--date",
            DAY,
            "--report",
            str(csv_report),
            "--format",
            "jsonl",
        ).exit_code
        == 0
    )
    with csv_report.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(doc["rows"])
    assert {"table", "row_id", "reason", "detail", "counted"} == set(rows[0])


def _expect_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_a_missing_folder_or_file_exits_2(tmp_path, platform):
    _expect_error(
        run("evaluate", "--data", str(tmp_path / "nope"), "--date", DAY), "no such data folder"
    )
    folder = platform.write(tmp_path / "d")
    (folder / "orders.csv").unlink()
    _expect_error(run("evaluate", "--data", str(folder), "--date", DAY), "missing table 'orders'")


def test_a_table_in_two_formats_is_ambiguous(tmp_path, platform):
    folder = platform.write(tmp_path)
    platform.write(tmp_path, "parquet")
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY), "hosts.csv", "hosts.parquet"
    )


def test_a_missing_column_names_the_file_and_column(tmp_path, platform):
    folder = platform.write(tmp_path)
    text = (folder / "sessions.csv").read_text().replace(",deleted", ",removed")
    (folder / "sessions.csv").write_text(text)
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY),
        "sessions.csv",
        "missing column(s) deleted",
    )


def test_a_wrong_type_names_file_row_and_column(tmp_path, platform):
    platform.host("h3", fans="lots")
    folder = platform.write(tmp_path)
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY),
        "hosts.csv",
        "row 3 (line 4)",
        "column fans",
        "'lots'",
        "integer",
    )


def test_a_bad_boolean_names_its_row(tmp_path, platform):
    platform.session("h1", datetime(2026, 11, 2, 20), minutes=30)
    platform.sessions[-1]["deleted"] = "maybe"
    folder = platform.write(tmp_path)
    row = len(platform.sessions)
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY),
        f"row {row} (line {row + 1}), column deleted",
    )


def test_a_parquet_column_of_the_wrong_type(tmp_path, platform):
    folder = platform.write(tmp_path, "parquet")
    pq.write_table(
        pa.table({"session_id": ["s"], "buyer_id": ["b"], "viewed_at": pa.array([5], pa.int64())}),
        folder / "views.parquet",
    )
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY), "views.parquet", "column viewed_at"
    )


def test_a_bad_date_or_report_name_exits_2(tmp_path, platform):
    folder = str(platform.write(tmp_path))
    _expect_error(run("evaluate", "--data", folder, "--date", "26/11/2026"), "not a date")
    _expect_error(
        run("evaluate", "--data", folder, "--date", DAY, "--report", "r.txt"), ".json or .csv"
    )
    _expect_error(
        run("evaluate", "--data", folder, "--date", "2020-01-01"),
        "no rulebook version is in force on 2020-01-01",
    )


def test_a_real_process_prints_no_traceback_on_bad_input(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "livetier",
            "evaluate",
            "--data",
            str(tmp_path / "missing"),
            "--date",
            DAY,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "no such data folder" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_parquet_input_gives_the_same_result_as_csv(tmp_path, platform):
    a = run(
        "evaluate",
        "--data",
        str(platform.write(tmp_path / "c")),
        "--date",
        DAY,
        "--format",
        "jsonl",
    )
    b = run(
        "evaluate",
        "--data",
        str(platform.write(tmp_path / "p", "parquet")),
        "--date",
        DAY,
        "--format",
        "jsonl",
    )
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout


# --- rules -------------------------------------------------------------------------------

SHIPPED = Path(__file__).parents[2] / "src" / "livetier" / "rulebooks" / "1688.yaml"


def test_rules_validate_accepts_the_shipped_rulebook():
    result = run("rules", "validate", str(SHIPPED))
    assert result.exit_code == 0
    assert "OK" in result.stdout and "2026.1" in result.stdout


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        (("value: 500}", "value: 500, weight: 2}"), ["lines.consumer.honor.all[3]", "weight"]),
        (("metric: fans", "metric: fanz"), ["unknown metric 'fanz'"]),
        (('op: ">=", value: 4.6', 'op: "=>", value: 4.6'), ["all[1].op"]),
        (("op: is_true}", "op: is_true, value: 1}"), ["takes no value"]),
        (("effective_from: 2026-01-01", "effective_from: someday"), ["effective_from"]),
        (("timezone: Asia/Shanghai", "timezone: Mars/Olympus"), ["unknown time zone"]),
    ],
)
def test_rules_validate_names_the_place_of_an_error(tmp_path, edit, fragments):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.read_text().replace(*edit, 1))
    _expect_error(run("rules", "validate", str(bad)), str(bad), *fragments)


def test_rules_show_prints_the_thresholds_as_tables():
    result = run("rules", "show", "--on", DAY)
    assert result.exit_code == 0
    for text in (
        "basic requirements",
        "consumer",
        "industrial",
        "≥ 4.6",
        "≥ 5 or",
        "≥ 300",
        "荣耀主播",
        "more than 15 min",
    ):
        assert text in result.stdout


def test_a_rulebook_with_two_versions_uses_the_one_in_force(tmp_path, platform):
    rules = rulebook_with_new_version(
        tmp_path,
        "2026-11-26",
        '{metric: live_sessions_30d, op: ">=", value: 3}',
        '{metric: live_sessions_30d, op: ">=", value: 4}',
    )
    folder = str(platform.write(tmp_path / "d"))
    before = run(
        "evaluate",
        "--data",
        folder,
        "--date",
        "2026-11-25",
        "--rules",
        str(rules),
        "--format",
        "jsonl",
    )
    after = run(
        "evaluate", "--data", folder, "--date", DAY, "--rules", str(rules), "--format", "jsonl"
    )
    tier = {
        json.loads(x)["host_id"]: json.loads(x)["tier"]
        for x in before.stdout.splitlines()
        if x.startswith("{")
    }
    assert tier["h2"] == "expert"  # 3 sessions meet 2026.1's industrial expert
    tier = {
        json.loads(x)["host_id"]: json.loads(x)["tier"]
        for x in after.stdout.splitlines()
        if x.startswith("{")
    }
    assert tier["h2"] == "ordinary"  # 2026.4 asks for 4


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("bsr_description", "nan", "is not a decimal number"),
        ("bsr_shipping", "inf", "is not a decimal number"),
        ("trade_medal", "1.5", "is not an integer"),
        ("fans", "0x1F4", "is not an integer"),
    ],
)
def test_lenient_engine_casts_do_not_let_odd_numbers_through(
    tmp_path, platform, column, value, expected
):
    platform.hosts[0][column] = value
    _expect_error(
        run("evaluate", "--data", str(platform.write(tmp_path)), "--date", DAY),
        f"column {column}",
        expected,
    )


def test_parquet_numbers_in_a_boolean_column_must_be_0_or_1(tmp_path, platform):
    folder = platform.write(tmp_path, "parquet")
    table = pq.read_table(folder / "hosts.parquet")
    flags = pa.array([2] + [1] * (table.num_rows - 1), pa.int64())
    table = table.set_column(
        table.schema.get_field_index("enterprise_member"), "enterprise_member", flags
    )
    pq.write_table(table, folder / "hosts.parquet")
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY), "column enterprise_member", "'2'"
    )


def test_an_all_empty_parquet_timestamp_column_means_nothing_was_paid(tmp_path, platform):
    folder = platform.write(tmp_path, "parquet")
    pq.write_table(
        pa.table(
            {
                "order_id": ["o1"],
                "host_id": ["h1"],
                "buyer_id": ["b1"],
                "paid_at": pa.array([None], pa.null()),
            }
        ),
        folder / "orders.parquet",
    )
    result = run("evaluate", "--data", str(folder), "--date", DAY, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["metrics"]["live_buyers_30d"] == 0


def _long_sessions_csv(folder: Path, tail: str) -> None:
    lines = ["session_id,host_id,started_at,ended_at,deleted"]
    lines += [f"s{i},h1,2026-11-20T20:00:00,2026-11-20T20:30:00,false" for i in range(30_000)]
    (folder / "sessions.csv").write_text("\n".join([*lines, tail]) + "\n")


def test_a_ragged_row_deep_in_a_csv_is_named(tmp_path, platform):
    folder = platform.write(tmp_path)
    _long_sessions_csv(folder, "late,h1,2026-11-20T20:00:00,2026-11-20T20:30:00,false,extra")
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY),
        "sessions.csv",
        "row 30001 (line 30002) has 6 field(s), the header has 5",
    )


def test_a_ragged_row_in_a_small_csv_is_named(tmp_path, platform):
    folder = platform.write(tmp_path)
    with (folder / "hosts.csv").open("a") as f:
        f.write("h9,consumer,apparel\n")
    _expect_error(
        run("evaluate", "--data", str(folder), "--date", DAY),
        "hosts.csv",
        "row 3 (line 4) has 3 field(s)",
    )


def test_quoted_fields_deep_in_a_csv_are_read_as_csv(tmp_path, platform):
    folder = platform.write(tmp_path)
    _long_sessions_csv(folder, 'late,h1,"2026-11-21T20:00:00","2026-11-21T20:30:00","true"')
    result = run("evaluate", "--data", str(folder), "--date", DAY, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout.splitlines()[0])
    assert first["metrics"]["live_sessions_30d"] == 30_001


def test_an_unwritable_report_path_is_refused_before_any_work(tmp_path, platform):
    folder = str(platform.write(tmp_path))
    _expect_error(
        run(
            "evaluate",
            "--data",
            folder,
            "--date",
            DAY,
            "--report",
            str(tmp_path / "no" / "such" / "r.json"),
        ),
        "does not exist",
    )


def test_csv_names_missing_criteria_in_full(tmp_path, platform):
    platform.host("h3", enterprise_member="false")
    result = run(
        "evaluate", "--data", str(platform.write(tmp_path)), "--date", DAY, "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    rows = {r["host_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["h3"]["missing"] == "enterprise_member is_true"
    assert rows["h1"]["missing"] == "(live_sessions_30d >= 5 or live_buyers_30d >= 50)"


def test_a_memory_limit_gives_the_same_result_and_a_bad_one_exits_2(tmp_path, platform):
    folder = str(platform.write(tmp_path))
    plain = run("evaluate", "--data", folder, "--date", DAY, "--format", "jsonl")
    limited = run(
        *("evaluate", "--data", folder, "--date", DAY, "--format", "jsonl"),
        *("--memory-limit", "512MB"),
    )
    assert limited.exit_code == 0, limited.output
    assert limited.stdout == plain.stdout
    _expect_error(
        run("evaluate", "--data", folder, "--date", DAY, "--memory-limit", "lots"),
        "--memory-limit 'lots': expected a size such as 2GB",
    )
    _expect_error(
        run(
            *("evaluate", "--data", folder, "--date", DAY),
            *("--memory-limit", "2GB", "--engine", "spark"),
        ),
        "--memory-limit is DuckDB's",
    )
    ran = run(
        *("run", "--data", folder, "--date", DAY, "--db", f"sqlite:///{tmp_path / 's.db'}"),
        *("--warehouse", str(tmp_path / "w.duckdb"), "--memory-limit", "1GB"),
    )
    assert ran.exit_code == 0, ran.output
