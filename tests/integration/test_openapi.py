"""Schemathesis's whole run (`st run --checks all`: examples, coverage, fuzzing and the stateful
phase over the schema's links) against the app in-process, once per role and without a key:
no 5xx and no failed check.

Live events (POST /api/v1/live/events) are accepted in part by design: a batch with a bad
event is answered 200 with that event's index and reason. For that operation the generic
"negative data is rejected with 4xx" check is replaced (negative_data_is_rejected): a batch
that breaks the schema is refused whole (4xx) or has at least one event rejected by index.
NDJSON batches are sent one event per line.

The normal run generates a few examples per operation (about a minute in all);
LIVETIER_FUZZ_EXAMPLES=N raises that to N for a longer campaign.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from typing import Any

import orjson
import pytest
import schemathesis
from schemathesis.engine import from_schema
from schemathesis.engine.events import FatalError, NonFatalError, ScenarioFinished
from schemathesis.specs.openapi.checks import negative_data_rejection

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys, live
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
EXAMPLES = int(os.environ.get("LIVETIER_FUZZ_EXAMPLES", "5"))
HOSTS = ["h_exp", "h_none"]
SESSIONS = ["s_fuzz", "s_other"]
LIVE_EVENTS = "POST /api/v1/live/events"


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx: Any, value: Any) -> bytes:
    """A batch as NDJSON: each event on its line (anything else as one line). An integer beyond
    64 bits, which orjson refuses to write, is written by the standard library."""
    items = value if isinstance(value, list) else [value]
    return b"".join(_line(item) + b"\n" for item in items)


def _line(item: Any) -> bytes:
    try:
        return orjson.dumps(item)
    except TypeError:
        return json.dumps(item).encode()


@schemathesis.check
def negative_data_is_rejected(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's negative_data_rejection, except for a live events batch: one that breaks
    the schema is refused whole (4xx), or one of its events is rejected with its index."""
    if case.operation.label != LIVE_EVENTS:
        return negative_data_rejection(ctx, response, case)  # type: ignore[no-any-return]
    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative:
        return None
    if response.status_code >= 400:
        return
    rejected = response.json().get("rejected") if response.status_code == 200 else None
    if not rejected:
        raise AssertionError(f"a batch that breaks the schema was answered {response.status_code}")
    return None


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    p = Platform()
    p.host("h_exp", trade_medal="2", bsr_description="4.6", fans="0")
    p.sessions_for("h_exp", 5, date(2026, 11, 1))
    p.host("h_none", enterprise_member="false")
    db = open_engine(f"sqlite:///{folder / 'state.db'}")
    warehouse = folder / "livetier.duckdb"
    daily.run_day(p.write(folder / "data"), D, rulebooks.load(), db, warehouse)
    at = datetime(2026, 11, 26, 1, tzinfo=UTC).isoformat()
    live.accept_events(
        db,
        [
            {"event_id": f"e_{s}", "kind": "session_started", "session_id": s}
            | {"host_id": "h_exp", "started_at": at}
            for s in SESSIONS
        ],
        timezone="Asia/Shanghai",
    )
    live.Processor(db, rulebooks.load()).process()
    made = {
        "operator": keys.create(db, keys.Role.operator)[0],
        "service": keys.create(db, keys.Role.service)[0],
        "host": keys.create(db, keys.Role.host, "h_exp")[0],
        "no key": None,
    }
    yield create_app(db, rulebooks.load()), made
    db.dispose()


def run(app, key: str | None) -> tuple[list[str], set[str], set[str]]:
    """Every phase and check with ``key``: the failures found, the operations that answered 2xx
    at least once, and those the stateful phase reached through a link."""
    config = schemathesis.Config.from_dict(
        {
            "headers": {"X-API-Key": key} if key else {},
            "generation": {"max-examples": EXAMPLES, "mode": "all"},
            "phases": {"stateful": {"max-steps": max(EXAMPLES, 10)}},
            # Mostly hosts the store knows, so that requests get past "no such host".
            "dictionaries": {"hosts": {"values": HOSTS}, "sessions": {"values": SESSIONS}},
            "parameters": {
                "path.host_id": {"dictionary": "hosts", "probability": 0.8},
                "path.session_id": {"dictionary": "sessions", "probability": 0.8},
            },
            "seed": 1,
            "cache": {"enabled": False},  # no state kept between runs, nor files left behind
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    # --checks all, with negative_data_rejection as negative_data_is_rejected runs it
    schema.config.checks.update(
        included_check_names=["all"], excluded_check_names=["negative_data_rejection"]
    )
    failures: list[str] = []
    answered: set[str] = set()
    linked: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, NonFatalError):
            failures.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, FatalError):
            failures.append(f"fatal: {event.exception!r}")
        elif isinstance(event, ScenarioFinished):
            recorder = event.recorder
            for case_id, checks in recorder.checks.items():
                failures += [
                    f"{event.phase} {recorder.cases[case_id].value.operation.label}: "
                    f"{check.name}: {check.failure_info.failure.title}"
                    for check in checks
                    if check.failure_info is not None
                ]
            for case_id, node in recorder.cases.items():
                interaction = recorder.interactions.get(case_id)
                if interaction and interaction.response and interaction.response.status_code < 300:
                    answered.add(node.value.operation.label)
                if node.transition is not None:
                    linked.add(node.value.operation.label)
    return failures, answered, linked


@pytest.mark.slow
# Hypothesis warns when an example it generated is too big to print (a batch of a megabyte);
# the example is still sent and checked, so the warning is not a finding.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_schemathesis_finds_nothing_with_any_role(stack):
    app, made = stack
    found: dict[str, list[str]] = {}
    answered: set[str] = set()
    for role, key in made.items():
        failures, ok, linked = run(app, key)
        found[role] = failures
        answered |= ok
        if role == "operator":  # the links lead from a new activity to registrations
            assert "POST /api/v1/hosts/{host_id}/registrations" in linked
    assert found == {role: [] for role in made}
    operations = {
        op.label
        for op in (
            r.ok()
            for r in schemathesis.openapi.from_asgi("/openapi.json", app).get_all_operations()
        )
    }
    assert len(operations) >= 17  # every route of the API is in the schema
    assert answered == operations  # no operation left behind 401s, 403s and 404s
