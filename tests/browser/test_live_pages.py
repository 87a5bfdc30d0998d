"""The live channel page and the host page's live card in a real browser (Debian's Chromium,
driven by Playwright): the page updates itself, without a reload, as events arrive over the
API and the live processor surfaces rooms; Chinese first, with the English switch."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
import uvicorn
from test_pages import CHROMIUM, CHROMIUM_ARGS, log_in, screenshot

from builders import Platform
from live_events import session_events
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys, live
from livetier.store.schema import open_engine

D = date(2026, 11, 26)

pytestmark = pytest.mark.slow  # a day run and a browser


@dataclass
class Stack:
    url: str
    keys: dict[str, str]

    def send(self, events: list[dict[str, Any]]) -> None:
        """Post live events as a platform service does."""
        r = httpx.post(
            f"{self.url}/api/v1/live/events", json=events, headers={"X-API-Key": self.keys["svc"]}
        )
        assert r.status_code == 200 and r.json()["rejected"] == [], r.text


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("live-pages")
    p = Platform()
    p.host("h_ord")
    p.host("h_hon", trade_medal="3", bsr_description="4.7", fans="500")
    p.sessions_for("h_hon", 15, date(2026, 10, 30))
    p.buyers_for("h_hon", 300, date(2026, 11, 20))
    db = open_engine(f"sqlite:///{tmp / 'state.db'}")
    book = rulebooks.load()
    warehouse = tmp / "livetier.duckdb"
    daily.run_day(p.write(tmp / "data"), D, book, db, warehouse)
    at = datetime(2026, 11, 26, 2, tzinfo=UTC)  # 10:00 platform time on D
    app = create_app(db, book, clock=lambda: at, refresh_seconds=0, auth_cache_seconds=0)
    made = {
        "op": keys.create(db, keys.Role.operator)[0],
        "svc": keys.create(db, keys.Role.service)[0],
        "h_ord": keys.create(db, keys.Role.host, "h_ord")[0],
    }
    processor = live.Processor(db, book, poll_seconds=0.2)
    processor.start()  # as `livetier serve` runs it
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ws="none"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        try:
            yield Stack(f"http://127.0.0.1:{port}", made)
        finally:
            server.should_exit = True
            thread.join(10)
            processor.stop()
            db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=stack.url, locale="zh-CN"
    )
    context.set_default_timeout(60_000)  # the processor works beside a loaded machine
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    yield context.new_page()
    context.close()
    remote = [u for u in requested if not u.startswith((stack.url + "/", "data:"))]
    assert not remote, f"pages requested assets from elsewhere: {remote}"


def test_the_channel_page_updates_itself_as_rooms_are_surfaced(page, stack):
    log_in(page, stack.keys["op"])
    page.click("#nav-live")
    page.wait_for_load_state()
    assert page.url == f"{stack.url}/live"
    assert page.locator("h1").inner_text() == "直播频道"
    assert page.locator("#rooms-empty").inner_text() == "暂无浮现的直播间。"
    assert page.locator("#banner li.slot.empty").count() == 3
    page.evaluate("window.notReloaded = true")

    stack.send(session_events("s-ord", "h_ord", 30, 3))  # crosses the consumer thresholds
    row = page.locator('#rooms tr[data-session="s-ord"]')
    row.wait_for()
    assert row.locator("[data-viewers]").inner_text() == "30"
    assert row.locator("[data-buyers]").inner_text() == "3"
    assert "普通主播" in row.inner_text()
    assert page.locator('#banner li[data-session="s-ord"]').count() == 0  # not an honor host

    stack.send(session_events("s-hon", "h_hon", 31, 4))  # an honor host: the banner, first
    page.locator('#banner li[data-session="s-hon"]').wait_for()
    page.wait_for_function(
        "document.querySelectorAll('#rooms tbody tr').length === 2"
        " && document.querySelector('#rooms tbody tr').dataset.session === 's-hon'"
    )
    assert page.locator("#banner li.slot.empty").count() == 2
    assert page.evaluate("window.notReloaded") is True  # updated in place, never reloaded
    screenshot(page, "live-channel")


def test_the_channel_page_switches_to_english_and_stays_english(page, stack):
    stack.send(session_events("s-en", "h_ord", 30, 3))
    log_in(page, stack.keys["h_ord"])
    page.goto("/live")
    assert page.locator("#nav-live").inner_text() == "直播频道"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.url.endswith("/live?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Live channel"
    assert page.locator("#nav-live").inner_text() == "Live channel"
    page.locator('#rooms tr[data-session="s-en"]').wait_for()
    # The refreshed part is in English too (the choice is in the cookie).
    fetched = page.locator("#channel").get_attribute("data-live-fetched")
    page.wait_for_function(
        "f => document.querySelector('#channel').dataset.liveFetched !== f", arg=fetched
    )
    assert "viewers" in page.locator("#rooms thead").inner_text()
    assert "Channel banner slots" in page.locator("#banner h2").inner_text()
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "直播频道"


def test_the_host_page_shows_the_live_room_against_its_thresholds(page, stack):
    log_in(page, stack.keys["h_ord"])
    assert page.url == f"{stack.url}/host"
    page.evaluate("window.notReloaded = true")
    # live, short of the thresholds; started after the host's other rooms of this module
    stack.send(session_events("s-card", "h_ord", 12, 1, late=30))
    card = page.locator("#host-live")
    card.wait_for()
    page.wait_for_function(
        "document.querySelector('#host-live [data-metric=session_viewers] [data-numbers]')"
        "?.textContent.trim().startsWith('12 /')"
    )
    viewers = card.locator('[data-metric="session_viewers"]')
    assert viewers.locator("[data-numbers]").inner_text() == "12 / 30"
    assert "unmet" in (viewers.get_attribute("class") or "")
    assert card.locator('[data-metric="session_buyers"] [data-numbers]').inner_text() == "1 / 3"
    assert card.locator("[data-provisional]").inner_text() == "计入明日"
    assert "今日截至目前" in card.inner_text()
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "host-live")
