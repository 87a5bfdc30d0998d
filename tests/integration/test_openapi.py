"""Schemathesis's whole run (`st run --checks all`: examples, coverage, fuzzing and the stateful
phase over the schema's links) against the app in-process, once per role and without a key:
no 5xx and no failed check.

The normal run generates a few examples per operation (about a minute in all);
LIVETIER_FUZZ_EXAMPLES=N raises that to N for a longer campaign.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
import schemathesis
from schemathesis.engine import from_schema
from schemathesis.engine.events import FatalError, NonFatalError, ScenarioFinished

from builders import Platform
from livetier import rulebooks
from livetier.entrypoints.api import create_app
from livetier.services import daily, keys
from livetier.store.schema import open_engine

D = date(2026, 11, 26)
EXAMPLES = int(os.environ.get("LIVETIER_FUZZ_EXAMPLES", "5"))
HOSTS = ["h_exp", "h_none"]


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
            "dictionaries": {"hosts": {"values": HOSTS}},
            "parameters": {"path.host_id": {"dictionary": "hosts", "probability": 0.8}},
            "seed": 1,
            "cache": {"enabled": False},  # no state kept between runs, nor files left behind
        }
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    schema.config.checks.update(included_check_names=["all"])  # --checks all
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
    assert len(operations) >= 14  # every route of the API is in the schema
    assert answered == operations  # no operation left behind 401s, 403s and 404s
