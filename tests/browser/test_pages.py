"""The web pages in a real browser: what a host and an operator see matches the API.

Debian's Chromium (/usr/bin/chromium), driven by Playwright, loads the pages from the app
served by uvicorn on a free localhost port, over a few day runs of a small synthetic platform.
Screenshots go to test-artifacts/screenshots/; the README's two are kept in docs/screenshots/.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import select

from livetier import rulebooks
from livetier.domain.tiers import Tier
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys
from livetier.services.served import Served
from livetier.store.models import HostTier
from livetier.store.schema import open_engine
from livetier.tools import synthetic

D = date(2026, 11, 26)
RUN_DAYS = 5  # enough for a trend and some upgrades and downgrades
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"


@dataclass
class Stack:
    url: str
    keys: dict[str, str]  # "op", "svc", "expert", "ordinary" (host keys) -> key
    hosts: dict[str, str]  # "expert", "ordinary", "none" -> host id

    def api(self, path: str, key: str) -> Any:
        """An API answer over HTTP, as a platform service would read it."""
        r = httpx.get(f"{self.url}{path}", headers={"X-API-Key": key})
        r.raise_for_status()
        return r.json()


def _pick_hosts(view: Served) -> dict[str, str]:
    """An expert whose tier holds a known number of days, an ordinary host short of an "any"
    group of the next tier, and a host with no tier."""
    with view.db.connect() as c:
        rows = c.execute(select(HostTier.host_id, HostTier.tier).order_by(HostTier.host_id)).all()
    picked: dict[str, str] = {}
    for host_id, tier in rows:
        if tier in picked:
            continue
        st = view.host(host_id)
        if st.evaluation is None:
            continue
        if tier == Tier.EXPERT and st.holds_days is not None:
            picked[tier] = host_id
        elif tier == Tier.ORDINARY:
            nxt = st.evaluation.sets[Tier.EXPERT.value].children
            if any(not r.met and r.children for r in nxt):
                picked[tier] = host_id
        elif tier == Tier.NONE:
            picked[tier] = host_id
    assert set(picked) == {"expert", "ordinary", "none"}, picked
    return picked


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("pages")
    synthetic.generate(tmp / "data", hosts=240, days=40, end_day=D - timedelta(days=1), seed=7)
    db = open_engine(f"sqlite:///{tmp / 'state.db'}")
    book = rulebooks.load()
    warehouse = tmp / "livetier.duckdb"
    daily.backfill(tmp / "data", D - timedelta(days=RUN_DAYS - 1), D, book, db, warehouse)
    at = datetime(2026, 11, 26, 2, tzinfo=UTC)  # 10:00 platform time on D
    app = create_app(db, book, clock=lambda: at, refresh_seconds=0, auth_cache_seconds=0)
    hosts = _pick_hosts(app.state.served)
    made = {
        "op": keys.create(db, keys.Role.operator)[0],
        "svc": keys.create(db, keys.Role.service)[0],
        **{tier: keys.create(db, keys.Role.host, hosts[tier])[0] for tier in hosts},
    }
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
            yield Stack(f"http://127.0.0.1:{port}", made, hosts)
        finally:
            server.should_exit = True
            thread.join(10)
            db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium (and fonts-wqy-microhei for "
            "Chinese text): apt-get install chromium fonts-wqy-microhei"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    """A fresh browser context (no cookies) at 1280x900; every request it makes is checked
    to stay on the app's own origin."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=stack.url, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    tab = context.new_page()
    yield tab
    context.close()
    remote = [u for u in requested if not u.startswith((stack.url + "/", "data:"))]
    assert not remote, f"pages requested assets from elsewhere: {remote}"


def screenshot(page: Any, name: str, docs: bool = False) -> Path:
    """A full-page screenshot under test-artifacts/; with ``docs``, also the README's copy
    (the 1280x900 viewport), rewritten only when its pixels changed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if docs:
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = page.screenshot()
        target = DOCS_SCREENSHOTS / f"{name}.png"
        if not target.exists() or target.read_bytes() != shot:
            target.write_bytes(shot)
    return path


pytestmark = pytest.mark.slow  # five day runs first; run anyway by `make test`

FLAGS = ("is_true", "is_false")


def log_in(page: Any, key: str) -> None:
    page.goto("/login")
    page.fill("#key", key)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_load_state()


def expected_rows(criteria: list[dict[str, Any]], set_name: str) -> list[tuple[str, str]]:
    """(metric, what its row reads) for every criterion of a set, branches included, from the
    API's task list: "value / target" for a minimum, ✓ or ✗ for a flag, else the value."""
    rows: list[tuple[str, str]] = []

    def walk(c: dict[str, Any]) -> None:
        if c.get("branches"):  # a group (the API gives every record every key)
            for branch in c["branches"]:
                walk(branch)
            return
        if c["op"] in FLAGS:
            text = "✓" if c["met"] else "✗"
        else:
            value = "缺失" if c["value"] is None else str(c["value"])
            text = f"{value} / {c['target']}" if c["op"] == ">=" else value
        rows.append((c["metric"], text))

    for c in criteria:
        if c["set"] == set_name:
            walk(c)
    return rows


def page_rows(page: Any, set_name: str) -> list[tuple[str, str]]:
    return [
        tuple(row)
        for row in page.locator(f'[data-set="{set_name}"] li.req').evaluate_all(
            "els => els.map(e => [e.dataset.metric,"
            " e.querySelector('[data-numbers]').textContent.trim()])"
        )
    ]


def test_the_host_page_shows_what_the_api_says(page, stack):
    host, key = stack.hosts["expert"], stack.keys["expert"]
    log_in(page, key)
    assert page.url == f"{stack.url}/host"
    status = stack.api(f"/api/v1/hosts/{host}/status", key)
    progress = stack.api(f"/api/v1/hosts/{host}/progress", key)

    badge = page.locator(".badge")
    assert badge.get_attribute("data-tier") == status["tier"] == "expert"
    assert badge.inner_text().split() == [status["tier_zh"], status["tier"]]  # 达人主播 expert
    assert page.locator("[data-state]").get_attribute("data-state") == "qualified_not_claimed"
    assert page.locator("[data-state]").inner_text() == "符合条件，未领取"
    holds = page.locator("[data-holds]")
    assert status["holds_days"] is not None
    assert holds.get_attribute("data-holds") == str(status["holds_days"])
    assert f"还能保持 {status['holds_days']} 天" in holds.inner_text()

    unlocked = page.locator('[data-privilege][data-unlocked="true"]')
    names = unlocked.evaluate_all("els => els.map(e => e.dataset.privilege)")
    assert sorted(names) == sorted(status["privileges"])
    assert (
        "报名频道活动"
        in page.locator('[data-privilege="channel_activity_registration"]').inner_text()
    )
    banner = page.locator('[data-privilege="channel_banner"]')
    assert banner.get_attribute("data-unlocked") == "false"
    assert "荣耀主播及以上" in banner.inner_text()

    # Every row of the task list reads the API's value and target, set by set.
    sets = list(dict.fromkeys(c["set"] for c in progress["criteria"]))
    assert sets == ["basic", "expert", "honor"]
    for name in sets:
        assert page_rows(page, name) == expected_rows(progress["criteria"], name), name
    sessions = next(
        c
        for c in progress["criteria"]
        if c["set"] == "honor" and c.get("metric") == "live_sessions_30d"
    )
    row = page.locator('[data-set="honor"] li[data-metric="live_sessions_30d"]')
    assert (
        row.locator("[data-numbers]").inner_text() == f"{sessions['value']} / {sessions['target']}"
    )
    assert "近30天有效场次" in row.inner_text()
    assert page.locator('[data-set="honor"] h3').inner_text().startswith("晋级 荣耀主播")

    history = stack.api(f"/api/v1/hosts/{host}/history", key)
    assert history, "the expert was graded up at least once"
    days = page.locator(".timeline li").evaluate_all("els => els.map(e => e.dataset.day)")
    assert days == [c["day"] for c in history]
    screenshot(page, "host", docs=True)

    page.click("#claim")
    page.wait_for_load_state()
    assert page.locator("[data-state]").inner_text() == "已领取"
    assert page.locator("#claim").count() == 0
    assert stack.api(f"/api/v1/hosts/{host}/status", key)["state"] == "claimed"
    assert "今天可报名" in page.locator("[data-registration]").inner_text()


PHONE = {"width": 390, "height": 844}


def test_the_host_page_fits_a_phone(browser, stack):
    """At 390 px wide nothing scrolls sideways and every privilege is shown in readable type."""
    context = browser.new_context(viewport=PHONE, base_url=stack.url, locale="zh-CN")
    tab = context.new_page()
    try:
        log_in(tab, stack.keys["expert"])
        assert tab.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        section = tab.locator(".privileges")
        section.scroll_into_view_if_needed()
        assert section.is_visible()
        texts = tab.locator(".privileges li, .privileges li small").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [parseFloat(getComputedStyle(e).fontSize), r.left, r.right]; })"
        )
        assert len(texts) >= 7
        for size, left, right in texts:
            assert size >= 12 and left >= 0 and right <= PHONE["width"], (size, left, right)
        screenshot(tab, "host-phone")
    finally:
        context.close()


def test_change_reasons_read_in_words(page, stack):
    """Reasons name metrics by their labels, never as the stored rule text."""
    log_in(page, stack.keys["op"])
    shown = page.locator("#changes .reasons").all_inner_texts()
    assert shown and all(shown)
    for text in shown:
        assert not re.search(r"\w+_\w+|>=|: \(", text), text  # no metric ids nor rule syntax
    assert any("达标" in text for text in shown)
    page.goto(f"/host/{stack.hosts['expert']}?lang=en")
    words = page.locator(".timeline .reasons").all_inner_texts()
    assert words and all(re.search(r"\bmet\b", w) for w in words), words


def test_an_unmet_any_group_marks_its_closest_branch(page, stack):
    host, key = stack.hosts["ordinary"], stack.keys["ordinary"]
    log_in(page, key)
    progress = stack.api(f"/api/v1/hosts/{host}/progress", key)
    group = next(c for c in progress["criteria"] if c["set"] == "expert" and c.get("mode") == "any")
    assert not group["met"]
    closest = group["branches"][group["closest"]]
    marked = page.locator('[data-set="expert"] li.req.closest')
    assert marked.count() == 1
    assert marked.get_attribute("data-metric") == closest["metric"]
    assert "最接近" in marked.inner_text()
    assert page_rows(page, "expert") == expected_rows(progress["criteria"], "expert")
    assert (
        page.locator('[data-mode="any"] .group-head').first.inner_text().startswith("满足任一即可")
    )
    screenshot(page, "host-ordinary")


def test_the_operator_dashboard_shows_what_the_api_says(page, stack):
    key = stack.keys["op"]
    log_in(page, key)
    assert page.url == f"{stack.url}/operator"
    days = stack.api("/api/v1/operator/distribution", key)
    assert len(days) == RUN_DAYS
    latest = days[-1]
    assert page.locator("#distribution").get_attribute("data-day") == latest["day"] == str(D)
    for line, counts in latest["lines"].items():
        total = page.locator(f'#distribution-table td[data-line="{line}"][data-total]')
        assert total.inner_text() == str(sum(counts.values()))
        for tier in Tier:
            cell = page.locator(f'#distribution-table td[data-line="{line}"][data-tier="{tier}"]')
            n = counts.get(tier.value, 0)
            assert cell.get_attribute("data-count") == str(n), (line, tier)
            assert cell.inner_text().split()[0] == str(n)
        # The trend has one point per run day and tier, with the API's counts.
        for tier in Tier:
            dots = page.locator(f'#trend figure[data-line="{line}"] circle[data-tier="{tier}"]')
            shown = dots.evaluate_all("els => els.map(e => [e.dataset.day, +e.dataset.count])")
            assert shown == [[d["day"], d["lines"].get(line, {}).get(tier.value, 0)] for d in days]
    assert page.locator("#trend").get_attribute("data-days") == str(RUN_DAYS)

    changes = stack.api("/api/v1/operator/changes", key)
    assert {c["direction"] for c in changes} == {"up", "down"}
    rows = page.locator("#changes tbody tr").evaluate_all(
        "els => els.map(e => [e.dataset.host, e.dataset.day, e.dataset.from, e.dataset.to])"
    )
    assert rows == [[c["host_id"], c["day"], c["from_tier"], c["to_tier"]] for c in changes]
    first = page.locator("#changes tbody tr").first.inner_text()
    assert ("升级" if changes[0]["direction"] == "up" else "降级") in first

    quality = stack.api("/api/v1/operator/quality", key)
    assert quality["total"] > 0
    assert page.locator("#quality").get_attribute("data-total") == str(quality["total"])
    summary = page.locator("#quality tr[data-reason]").evaluate_all(
        "els => els.map(e => [e.dataset.table, e.dataset.reason,"
        " +e.querySelector('td.num').textContent])"
    )
    assert summary == [[r["table"], r["reason"], r["entries"]] for r in quality["summary"]]

    book = stack.api("/api/v1/rulebook", key)
    versions = page.locator("#rulebook [data-version]")
    assert versions.evaluate_all("els => els.map(e => e.dataset.version)") == [
        v["version"] for v in book["versions"]
    ]
    assert "≥ 4.6" in versions.first.inner_text()
    screenshot(page, "operator", docs=True)


def test_the_english_switch_changes_the_labels_and_is_remembered(page, stack):
    log_in(page, stack.keys["ordinary"])
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator(".tasks h2").inner_text() == "任务列表 明细"  # with the details link
    assert page.locator(".badge-name").inner_text() == "普通主播"

    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.url.endswith("/host?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".tasks h2").inner_text() == "Task list Details"
    assert page.locator(".badge-name").inner_text() == "ordinary"
    assert page.locator('[data-set="expert"] h3').inner_text().startswith("Reach expert")
    registration = page.locator('[data-privilege="channel_activity_registration"]')
    assert "Register for channel activities" in registration.inner_text()
    assert "valid sessions, 30 d" in page.locator('[data-metric="live_sessions_30d"]').inner_text()
    screenshot(page, "host-en")

    page.goto("/host")  # the choice is remembered
    assert page.locator(".tasks h2").inner_text() == "Task list Details"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.locator(".tasks h2").inner_text() == "任务列表 明细"


def test_a_wrong_key_shows_the_error(page, stack):
    page.goto("/host")
    assert page.url == f"{stack.url}/login"  # not logged in: to the login page
    page.fill("#key", "lt_not-a-key")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("form[action='/login'] button[type=submit]")
    assert answer.value.status == 401
    assert page.locator(".error").inner_text() == "密钥无效或已被撤销，请检查后重试。"
    assert page.locator("#key").is_visible()
    assert not [c for c in page.context.cookies() if c["name"] == "livetier_key"]
    screenshot(page, "login-error")


def test_pages_check_the_key_and_its_role(stack):
    with httpx.Client(base_url=stack.url) as client:
        assert client.get("/").headers["location"] == "/login"
        assert client.get("/operator").headers["location"] == "/login"
        logged = client.post("/login", data={"key": stack.keys["expert"]})
        assert (logged.status_code, logged.headers["location"]) == (303, "/host")
        cookie = logged.headers["set-cookie"].lower()
        assert "livetier_key=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
        assert client.get("/").headers["location"] == "/host"
        assert client.get("/operator").status_code == 403
        other = client.get(f"/host/{stack.hosts['ordinary']}")
        assert other.status_code == 404 and stack.hosts["ordinary"] not in other.text
        out = client.post("/logout")
        assert out.headers["location"] == "/login"
        assert client.get("/host").headers["location"] == "/login"

        service = client.post("/login", data={"key": stack.keys["svc"]})
        assert service.status_code == 200 and "服务密钥没有网页" in service.text
        assert "set-cookie" not in service.headers

        assert client.post("/login", data={"key": stack.keys["op"]}).headers["location"] == (
            "/operator"
        )
        none = stack.hosts["none"]
        assert client.get("/host", params={"host_id": none}).headers["location"] == f"/host/{none}"
        page = client.get(f"/host/{none}")
        assert page.status_code == 200 and "无主播身份" in page.text
        assert client.get("/host/no-such-host").status_code == 404
        assert client.post("/host/claim").status_code == 403  # only a host claims

        schema = client.get("/openapi.json").json()
        assert not {"/", "/login", "/logout", "/host", "/operator"} & set(schema["paths"])


ASSET = re.compile(r"""(?:src|href|action|xlink:href)\s*=\s*["']?([^"'\s>]*)""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]*)|@import\s+["']?([^"';\s]*)""", re.I)


def test_the_pages_load_no_remote_asset(stack):
    """No CDN: every src, href and action of every page, and every url() of the stylesheet,
    stays on the app's own origin."""
    fetched: dict[str, str] = {}
    with httpx.Client(base_url=stack.url) as client:
        fetched["/login"] = client.get("/login").text
        operator = ["/operator", f"/host/{stack.hosts['none']}?lang=en", "/host/no-such"]
        for who, pages in (("ordinary", ["/host"]), ("op", operator)):
            assert client.post("/login", data={"key": stack.keys[who]}).status_code == 303
            for path in pages:
                r = client.get(path)
                assert r.status_code == (404 if "no-such" in path else 200), path
                fetched[path] = r.text
            client.post("/logout")
        css = client.get("/static/style.css")
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    links = {path: ASSET.findall(html) for path, html in fetched.items()}
    assert all(links.values()) and "/static/style.css" in links["/login"]
    for path, found in links.items():
        remote = [u for u in found if not u.startswith(("/", "?", "#", "data:"))]
        assert not remote, (path, remote)
        assert not re.search(r"https?://", fetched[path]), path
    assert not [u for m in CSS_URL.findall(css.text) for u in m if u and "//" in u]
    assert not re.search(r"https?://", css.text)


def test_the_simulation_page_shows_what_the_api_says(page, stack):
    shipped = rulebooks.DEFAULT_RULEBOOK.read_text()
    draft = (
        shipped
        + "\n"
        + shipped[shipped.index("  - version:") :]
        .replace('"2026.1"', '"2026.4"')
        .replace("effective_from: 2026-01-01", "effective_from: 2026-10-01")
        .replace('live_sessions_30d, op: ">=", value: 5}', 'live_sessions_30d, op: ">=", value: 4}')
    )
    key = stack.keys["op"]
    answer = httpx.post(
        f"{stack.url}/api/v1/operator/simulations",
        json={"draft": draft},
        headers={"X-API-Key": key},
        timeout=60,
    ).json()
    log_in(page, key)
    page.click("#simulate-link")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "规则草案模拟"
    page.fill("#draft", draft)
    page.click("#simulate-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#simulation").get_attribute("data-changed") == str(answer["changed"])
    for line in answer["lines"]:
        for cell in line["matrix"]:
            shown = page.locator(
                f'table.matrix[data-line="{line["line"]}"] td[data-tier="{cell["tier"]}"]'
                f'[data-draft-tier="{cell["draft_tier"]}"]'
            )
            assert shown.get_attribute("data-count") == str(cell["hosts"])
    listed = page.locator(".changed-hosts tbody tr[data-host]").evaluate_all(
        "els => els.map(e => e.dataset.host)"
    )
    assert listed == [h["host_id"] for h in answer["changed_hosts"]]
    screenshot(page, "simulate")
    page.goto("/operator/simulate?lang=en")
    page.fill("#draft", draft)
    page.click("#simulate-form button[type=submit]")
    page.wait_for_load_state()
    assert "Hosts that change tier" in page.locator("#simulation").inner_text()
