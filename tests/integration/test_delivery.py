"""Webhook delivery against a real local HTTP server that fails some requests."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.cli import app
from livetier.entrypoints.settings import Settings
from livetier.services import daily, delivery, state
from livetier.store.schema import connected


class Webhook:
    """A loopback HTTP server: answers 500 to chosen request numbers, records what it got."""

    def __init__(self, fail: set[int]) -> None:
        self.fail, self.received, self.requests = fail, [], 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hook.requests += 1
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if hook.requests in hook.fail:
                    self.send_response(500)
                else:
                    hook.received.append((body, self.headers["Idempotency-Key"]))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/events"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def store(tmp_path, db_url):
    p = Platform()
    for i in range(4):
        p.host(f"h{i}")
    with connected(db_url) as engine:
        daily.run_day(
            p.write(tmp_path), date(2026, 11, 26), rulebooks.load(), engine, Settings().warehouse
        )
        yield engine


def test_events_arrive_in_order_despite_failures_and_the_cursor_is_kept(store):
    hook = Webhook(fail={1, 2, 4})  # the first event needs three tries, the second two
    try:
        outcome = delivery.deliver(store, hook.url, backoff=0, max_attempts=3)
        ids = [e["id"] for e in state.events_after(store)]
        assert [body["id"] for body, _ in hook.received] == ids
        assert [key for _, key in hook.received] == [str(i) for i in ids]
        assert (outcome.delivered, outcome.retries, outcome.cursor) == (4, 3, ids[-1])
        assert delivery.cursor(store, hook.url) == ids[-1]
        again = delivery.deliver(store, hook.url, backoff=0)
        assert again.delivered == 0 and len(hook.received) == 4
    finally:
        hook.close()


def test_a_webhook_that_keeps_failing_stops_delivery_without_losing_events(store):
    ids = [e["id"] for e in state.events_after(store)]
    hook = Webhook(fail={2, 3, 4})  # event 1 accepted, event 2 refused three times
    waits: list[float] = []
    try:
        with pytest.raises(delivery.DeliveryFailed, match=f"cursor stays at {ids[0]}"):
            delivery.deliver(store, hook.url, backoff=0.1, max_attempts=3, sleep=waits.append)
        assert waits == [0.1, 0.2]  # exponential backoff between the tries
        assert delivery.cursor(store, hook.url) == ids[0]
        resumed = delivery.deliver(store, hook.url, backoff=0)
        assert resumed.delivered == 3
        assert [body["id"] for body, _ in hook.received] == ids
    finally:
        hook.close()


def test_the_deliver_command_reports_what_it_sent(store, db_url):
    hook = Webhook(fail=set())
    try:
        result = CliRunner().invoke(app, ["deliver", "--url", hook.url, "--db", db_url])
        assert result.exit_code == 0, result.output
        assert "delivered 4 event(s)" in result.stdout
        dead = CliRunner().invoke(
            app,
            [
                "deliver",
                "--url",
                "http://127.0.0.1:9/x",
                "--db",
                db_url,
                "--consumer",
                "other",
                "--max-attempts",
                "1",
            ],
        )
        assert dead.exit_code == 1 and "not accepted" in dead.output
    finally:
        hook.close()
