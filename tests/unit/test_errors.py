"""Services name their inputs; each entry point says them in its own words."""

from __future__ import annotations

import pytest

from livetier.entrypoints.cli.options import flag
from livetier.services.daily import Settings
from livetier.services.errors import InvalidInput


def test_a_refused_input_names_the_input_and_the_cli_says_it_as_a_flag():
    with pytest.raises(InvalidInput) as refused:
        Settings(at_risk_days=-1)
    assert str(refused.value) == "at_risk_days must be 0 or more, not -1"
    assert refused.value.say(flag) == "--at-risk-days must be 0 or more, not -1"


def test_dollar_signs_that_name_no_input_stay_as_they_are():
    e = InvalidInput("$to 2026-11-01 is before $from 2026-11-05 (cost: $5)")
    assert e.say(flag) == "--to 2026-11-01 is before --from 2026-11-05 (cost: $5)"
