"""Input by URL on Spark (through Spark's own Hadoop FileSystem), and ``evaluate --out``.

Real local Spark, ``file://`` URLs: the same listing, contract checks and reads as
``hdfs://`` or ``s3a://`` get, since every one goes through the Hadoop FileSystem API.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.cli import app
from livetier.pipeline.contract import ContractError
from livetier.pipeline.engine import duckdb_engine
from livetier.pipeline.storage import HadoopPath
from livetier.services import export, state
from livetier.services.evaluate import SHOWN_METRICS, evaluate, host_record
from livetier.store.schema import open_engine
from livetier.tools import synthetic
from livetier.tools.partition import partition

pytestmark = [
    pytest.mark.slow,
    # py4j leaves its gateway sockets to the garbage collector.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

D = date(2026, 11, 26)
SHUFFLE = "spark.sql.shuffle.partitions=4"
ON_SPARK = ("--engine", "spark", "--spark-master", "local[2]", "--spark-conf", SHUFFLE)


@pytest.fixture(scope="module")
def platforms(tmp_path_factory) -> dict[str, Path]:
    """A few dozen hosts: flat files over the whole window, and day partitions of the
    window's last week (Spark reads each partition on its own: a week keeps it quick).
    CSV through a URL is read in the bad-value test below."""
    root = tmp_path_factory.mktemp("platforms")
    flat = root / "flat"
    synthetic.generate(flat, hosts=40, days=33, end_day=D, seed=4)
    week, parts = root / "week", root / "parts"
    synthetic.generate(week, hosts=40, days=7, end_day=D, seed=4)
    partition(week, parts, rulebooks.load().definitions.timezone, D)
    return {"flat": flat, "parts": parts}


def url(path: Path) -> str:
    return path.resolve().as_uri()  # file:///...


def cli(*args: str):
    return CliRunner().invoke(app, list(args))


def failed(result) -> str:
    """What a failed CLI run printed, and the exception it ended with (a Spark error's text
    holds the Java stack, which the exception's repr leaves out)."""
    return f"{result.output}\n{result.exception}" if result.exception else result.output


def _records(result) -> dict:
    return {
        h.host_id: host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
        for h in result.hosts
    }


def _report(result) -> list:
    return sorted(result.problems, key=lambda p: tuple(str(v) for v in p.values()))


@pytest.mark.parametrize("layout", ["flat", "parts"])
def test_evaluate_by_url_on_spark_matches_duckdb_on_the_local_path(spark, platforms, layout):
    folder = platforms[layout]
    where = spark.location(url(folder))
    assert isinstance(where, HadoopPath)  # listed and read through Hadoop, not the local fs
    book = rulebooks.load()
    on_spark = evaluate(where, D, book, spark)
    on_duckdb = evaluate(folder, D, book, duckdb_engine())
    assert len(on_duckdb.hosts) > 30
    assert _records(on_spark) == _records(on_duckdb)  # tiers, metrics, criteria, holds
    assert _report(on_spark) == _report(on_duckdb)


def test_url_paths_name_their_parts_like_local_paths(spark):
    p = spark.location("hdfs://nn:8020/data/views/day=2026-11-25/part-0.parquet")
    assert (p.name, p.suffix) == ("part-0.parquet", ".parquet")
    assert str(p.parent.parent) == "hdfs://nn:8020/data/views"
    assert str(p.parent.parent / "day=2026-11-26") == "hdfs://nn:8020/data/views/day=2026-11-26"
    assert str(spark.location("file:/tmp/x/")) == "file:///tmp/x"  # one form for the readers
    assert str(spark.location("file:///tmp").parent) == "file:///"
    assert str(spark.location("/tmp/x")) == "/tmp/x"  # a plain path stays local
    assert not isinstance(spark.location("/tmp/x"), HadoopPath)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_bad_value_under_a_url_names_the_file_row_and_column(spark, tmp_path, fmt):
    p = Platform()
    p.host("h1")
    p.host("h2", fans="lots")
    folder = p.write(tmp_path / "bad", fmt)
    with pytest.raises(ContractError) as e:
        evaluate(spark.location(url(folder)), D, rulebooks.load(), spark)
    message = str(e.value)
    assert message.startswith(f"{url(folder)}/hosts.{fmt}: row 2")  # read back through Hadoop
    assert "column fans: 'lots' is not an integer" in message


def test_a_missing_table_or_column_under_a_url_is_a_clean_contract_error(
    spark, platforms, tmp_path
):
    no_orders = tmp_path / "no_orders"
    shutil.copytree(platforms["parts"], no_orders)
    shutil.rmtree(no_orders / "orders")
    out = tmp_path / "graded"
    result = cli(
        "evaluate", "--data", url(no_orders), "--date", str(D), *ON_SPARK, "--out", url(out)
    )
    assert result.exit_code == 2, result.output
    assert f"{url(no_orders)}: missing table 'orders'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["no_orders"]

    no_fans = tmp_path / "no_fans"
    shutil.copytree(platforms["flat"], no_fans)
    hosts = pq.read_table(no_fans / "hosts.parquet")
    pq.write_table(hosts.drop_columns(["fans"]), no_fans / "hosts.parquet")
    result = cli("evaluate", "--data", url(no_fans), "--date", str(D), *ON_SPARK)
    assert result.exit_code == 2, result.output
    assert f"{url(no_fans)}/hosts.parquet: missing column(s) fans" in result.stderr

    not_a_day = tmp_path / "not_a_day"
    shutil.copytree(platforms["parts"], not_a_day)
    (not_a_day / "views" / "day=2026-13-01").mkdir()
    result = cli("evaluate", "--data", url(not_a_day), "--date", str(D), *ON_SPARK)
    assert result.exit_code == 2, result.output
    assert f"{url(not_a_day)}/views/day=2026-13-01: not a day partition" in result.stderr


def test_a_url_that_does_not_exist_or_cannot_be_reached_exits_2(spark, tmp_path):
    missing = url(tmp_path / "nowhere")
    result = cli("evaluate", "--data", missing, "--date", str(D), *ON_SPARK)
    assert result.exit_code == 2, result.output
    assert f"{missing}: no such data folder" in result.stderr
    result = cli("evaluate", "--data", "nosuchfs://host/data", "--date", str(D), *ON_SPARK)
    assert result.exit_code == 2, result.output
    assert 'nosuchfs://host/data: No FileSystem for scheme "nosuchfs"' in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("command", "option"),
    [("evaluate", "--data"), ("run", "--data"), ("backfill", "--data"), ("evaluate", "--out")],
)
def test_a_url_on_duckdb_exits_2_and_says_it_needs_spark(tmp_path, command, option):
    days = ["--from", str(D), "--to", str(D)] if command == "backfill" else ["--date", str(D)]
    store = [] if command == "evaluate" else ["--db", f"sqlite:///{tmp_path}/s.db"]
    if option == "--data":
        where = ["--data", "hdfs://nn/live"]
    else:
        where = ["--data", str(tmp_path), "--out", "s3a://bucket/graded"]
    result = cli(command, *where, *days, *store)
    assert result.exit_code == 2, result.output
    assert f"{option} {where[-1]}: a URL needs --engine spark" in result.stderr
    assert "Traceback" not in result.output


def _graded(out: Path) -> dict:
    rows = pq.read_table(out).to_pylist()
    return {r["host_id"]: r for r in rows}


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_out_writes_parquet_with_what_the_jsonl_output_shows(request, platforms, tmp_path, engine):
    folder, out = platforms["flat"], tmp_path / "graded"
    if engine == "spark":
        request.getfixturevalue("spark")  # skipped like the others without Java or PySpark
        args = ["--data", url(folder), *ON_SPARK, "--out", url(out)]
    else:
        args = ["--data", str(folder), "--out", str(out)]
    result = cli("evaluate", "--date", str(D), "--format", "jsonl", *args)
    assert result.exit_code == 0, failed(result)
    shown = {r["host_id"]: r for r in map(json.loads, result.stdout.splitlines())}

    assert (out / "_SUCCESS").exists() and any(out.glob("part-*.parquet"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graded"]  # no temporary left
    table = pq.read_table(out)
    assert table.schema.remove_metadata() == export.schema()
    graded = _graded(out)
    assert len(graded) > 30 and graded.keys() == shown.keys()
    version = rulebooks.load().version_for(D).version
    for host_id, row in graded.items():
        record = shown[host_id]
        assert {k: row[k] for k in ("tier", "line", "holds_days", "next_tier")} == {
            k: record[k] for k in ("tier", "line", "holds_days", "next_tier")
        }
        assert {m: row[m] for m in SHOWN_METRICS} == record["metrics"]
        assert (row["day"], row["rulebook_version"]) == (D, version)


def test_spark_writes_a_plain_path_locally_and_a_url_through_hadoop(spark, platforms, tmp_path):
    result = evaluate(platforms["flat"], D, rulebooks.load(), duckdb_engine())
    expected = export.hosts_table(result)
    assert expected.column("holds_days").null_count > 0  # nullable integers survive Spark
    for target in (tmp_path / "plain", spark.location(url(tmp_path / "by_url"))):
        assert export.write_hosts(result, spark, target) == expected.num_rows
        written = pq.read_table(str(target).removeprefix("file://"))
        assert written.schema.remove_metadata() == expected.schema
        assert written.sort_by("host_id").equals(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["by_url", "plain"]


def test_out_refuses_an_existing_path_before_the_work(platforms, tmp_path):
    out = tmp_path / "graded"
    out.mkdir()
    (out / "keep.txt").write_text("earlier results")
    result = cli("evaluate", "--data", str(platforms["flat"]), "--date", str(D), "--out", str(out))
    assert result.exit_code == 2, result.output
    assert f"--out {out}: already exists" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_write_that_fails_halfway_leaves_nothing(platforms, tmp_path):
    engine = duckdb_engine()
    result = evaluate(platforms["flat"], D, rulebooks.load(), engine)
    assert engine.write_parquet is not None
    write = engine.write_parquet

    def half(table: pa.Table, folder) -> None:  # a disk that fills up after the first part
        write(table.slice(0, 5), folder)
        raise OSError("No space left on device")

    broken = dataclasses.replace(engine, write_parquet=half)
    with pytest.raises(OSError, match="No space left"):
        export.write_hosts(result, broken, tmp_path / "graded")
    assert list(tmp_path.iterdir()) == []


def test_a_daily_run_reads_its_input_by_url(spark, platforms, tmp_path):
    """run on Spark from a URL stores what a DuckDB run from the local path stores, and its
    input fingerprint (sizes and times from the Hadoop listing) recognises a repeated day."""
    tiers = []
    for name, args in (
        ("spark", ["--data", url(platforms["parts"]), *ON_SPARK]),
        ("duckdb", ["--data", str(platforms["parts"])]),
    ):
        db, warehouse = f"sqlite:///{tmp_path / name}.db", str(tmp_path / f"{name}.duckdb")
        store = ["--db", db, "--warehouse", warehouse]
        result = cli("run", "--date", str(D), *args, *store)
        assert result.exit_code == 0, failed(result)
        again = cli("run", "--date", str(D), *args, *store)
        assert "already run with the same input" in again.stdout, again.output
        engine = open_engine(db)
        tiers.append(state.tiers(engine))
        engine.dispose()
    assert tiers[0] == tiers[1] and len(tiers[0]) > 30

    # backfill by URL: facts of every day in one Spark pass, then each day graded in order
    db = f"sqlite:///{tmp_path / 'backfill'}.db"
    days = ["--from", str(D - timedelta(days=1)), "--to", str(D)]
    store = ["--db", db, "--warehouse", str(tmp_path / "backfill.duckdb")]
    result = cli("backfill", "--data", url(platforms["parts"]), *days, *ON_SPARK, *store)
    assert result.exit_code == 0, failed(result)
    engine = open_engine(db)
    backfilled = state.tiers(engine)
    engine.dispose()
    assert {r["host_id"]: r["tier"] for r in backfilled} == {
        r["host_id"]: r["tier"] for r in tiers[0]
    }
