"""``evaluate --format jsonl`` streams: the records read back a batch at a time equal, byte
for byte and in order, those of the evaluation that holds every host (``evaluate``), and the
summary and report too."""

from __future__ import annotations

from datetime import date

import orjson
import pytest
from typer.testing import CliRunner

from livetier import rulebooks
from livetier.entrypoints.cli import app
from livetier.pipeline.engine import duckdb_engine
from livetier.services import evaluate as evaluation
from livetier.tools import synthetic

pytestmark = pytest.mark.slow  # three evaluations of 800 hosts

D = date(2026, 11, 26)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    where = tmp_path_factory.mktemp("platform")
    synthetic.generate(where, hosts=800, days=35, end_day=D, seed=5)
    return where


@pytest.fixture(scope="module")
def held(folder) -> tuple[evaluation.Evaluation, list[bytes]]:
    """The evaluation that holds every host, and its records as ``--format jsonl`` wrote them
    before it streamed."""
    result = evaluation.evaluate(folder, D, rulebooks.load(), duckdb_engine())
    lines = [
        orjson.dumps(
            evaluation.host_record(h, result.metrics[h.host_id], result.holds.get(h.host_id))
        )
        for h in result.hosts
    ]
    return result, lines


def test_streamed_records_equal_the_held_evaluation(folder, held, monkeypatch):
    monkeypatch.setattr(evaluation, "BATCH_ROWS", 97)  # many batches, lines interleaved
    held, expected = held
    got: list[bytes] = []
    summary = evaluation.evaluate_records(
        folder, D, rulebooks.load(), duckdb_engine(), lambda rs: got.extend(map(orjson.dumps, rs))
    )
    assert len(expected) > 500 and len(held.tier_counts()) > 1  # several lines to merge
    assert got == expected  # the same bytes, in host_id order
    assert summary.tier_counts() == held.tier_counts()
    assert summary.problems == held.problems and summary.graded == len(held.hosts)
    assert summary.active


def test_the_cli_jsonl_is_the_held_evaluation(folder, held):
    _, expected = held
    result = CliRunner().invoke(
        app, ["evaluate", "--data", str(folder), "--date", str(D), "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"".join(line + b"\n" for line in expected)
