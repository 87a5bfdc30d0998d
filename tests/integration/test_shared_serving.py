"""Two API servers that share nothing but the PostgreSQL state store answer the same.

Each ``livetier serve``-built process (tests/live_server.py) runs in its own working folder,
with no warehouse setting; the batch's folder (warehouse included) is moved out of reach
while they answer. After a run, and after the next run, both give every host the same status
and progress, read from the run's serving snapshot in the store (docs/scaling.md).
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import httpx
import pytest

from builders import Platform
from live_server import serving_process, set_day
from livetier import rulebooks
from livetier.services import daily, keys
from livetier.store import serving
from livetier.store.schema import open_engine

pytestmark = pytest.mark.slow

D = date(2026, 11, 26)
HOSTS = ("h_exp", "h_ord")


def _platform(rating: str) -> Platform:
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description=rating, fans="0")
    p.sessions_for("h_exp", 5, D - timedelta(days=10))
    p.host("h_ord")
    return p


def _answers(url: str, key: str) -> dict[str, tuple[dict, dict]]:
    got = {}
    for host in HOSTS:
        status = httpx.get(
            f"{url}/api/v1/hosts/{host}/status", headers={"X-API-Key": key}, timeout=60
        )
        progress = httpx.get(
            f"{url}/api/v1/hosts/{host}/progress", headers={"X-API-Key": key}, timeout=60
        )
        assert status.status_code == progress.status_code == 200, (status.text, progress.text)
        got[host] = (status.json(), progress.json())
    return got


def _when_both_show(urls: list[str], key: str, day: date) -> list[dict[str, tuple[dict, dict]]]:
    """Both servers' answers once each shows ``day`` (a new run shows within 5 s)."""
    deadline = time.monotonic() + 30
    while True:
        answers = [_answers(url, key) for url in urls]
        days = {a[h][i]["day"] for a in answers for h in HOSTS for i in (0, 1)}
        if days == {day.isoformat()}:
            return answers
        assert time.monotonic() < deadline, days
        time.sleep(0.5)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_servers_sharing_only_the_store_answer_the_same(tmp_path, db_url, monkeypatch):
    monkeypatch.delenv("LIVETIER_WAREHOUSE", raising=False)  # the servers get no warehouse
    batch, away = tmp_path / "batch", tmp_path / "batch-away"
    batch.mkdir()
    db = open_engine(db_url)
    book = rulebooks.load()
    daily.run_day(_platform("4.6").write(batch / "d1"), D, book, db, batch / "w.duckdb")
    key = keys.create(db, keys.Role.operator)[0]
    folders = [tmp_path / "api1", tmp_path / "api2"]
    for folder in folders:
        folder.mkdir()
        set_day(folder / "today", D)
    with (
        serving_process(db_url, folders[0] / "today") as one,
        serving_process(db_url, folders[1] / "today") as two,
    ):
        batch.rename(away)  # out of the servers' reach: they read the store alone
        first, second = _when_both_show([one, two], key, D)
        assert first == second
        status, progress = first["h_exp"]
        assert status["tier"] == "expert"
        assert progress["graded"] and progress["metrics"]["bsr_description"] == 4.6
        away.rename(batch)

        # The next run (h_exp's rating drops): both show it, from the new run's snapshot.
        day2 = D + timedelta(days=1)
        daily.run_day(_platform("4.5").write(batch / "d2"), day2, book, db, batch / "w.duckdb")
        batch.rename(away)
        for folder in folders:
            set_day(folder / "today", day2)
        first, second = _when_both_show([one, two], key, day2)
        assert first == second
        status, progress = first["h_exp"]
        assert status["tier"] == "ordinary"
        assert progress["metrics"]["bsr_description"] == 4.5
    for folder in folders:  # neither server made or opened a warehouse of its own
        assert sorted(p.name for p in folder.iterdir()) == ["server.log", "today"]
    with db.connect() as c:
        assert len(serving.stored_runs(c)) == 2
    db.dispose()
