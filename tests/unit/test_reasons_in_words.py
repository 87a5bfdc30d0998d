"""The pages show the reasons of a tier change in words, not as the stored rule text."""

from __future__ import annotations

import pytest

from livetier.domain.describe import criterion_text
from livetier.entrypoints.web.reasons import in_words, reason_text, simulation_reason_text

ANY = "expert: (live_sessions_30d >= 5 or live_buyers_30d >= 50)"


@pytest.mark.parametrize(
    ("reason", "direction", "lang", "words"),
    [
        (ANY, "down", "zh", "近30天有效场次 ≥ 5 或 近30天直播买家数 ≥ 50 未达标"),
        (ANY, "down", "en", "valid sessions, 30 d ≥ 5 or live buyers, 30 d ≥ 50 not met"),
        ("expert: bsr_description >= 4.6", "up", "zh", "BSR 描述分 ≥ 4.6 达标"),
        ("basic: major_tax_violation is_false", "down", "zh", "基础要求：无重大税务违规 未达标"),
        (
            "basic: enterprise_member is_true",
            "down",
            "en",
            "basic requirements: enterprise membership not met",
        ),
        ("basic: all met", "up", "zh", "基础要求全部达标"),
        ("basic: all met", "up", "en", "all basic requirements met"),
        (
            "honor: (fans >= 500 and (trade_medal >= 3 or fans >= 9))",
            "down",
            "en",
            "fans ≥ 500 and (trade medal (A) ≥ 3 or fans ≥ 9) not met",
        ),
    ],
)
def test_a_stored_reason_reads_in_the_page_language(reason, direction, lang, words):
    assert reason_text(reason, direction, lang) == words


def test_a_list_target_is_written_out():
    record = {"metric": "category", "op": "not_in", "target": ["adult_health", "e_cigarette"]}
    reason = f"basic: {criterion_text(record)}"
    assert reason_text(reason, "down", "zh") == (
        "基础要求：主营类目 不属于 adult_health, e_cigarette 未达标"
    )


@pytest.mark.parametrize(
    "reason", ["free text", "expert: (fans >= 5", "expert: fans >= 5) x", "x: nonsense here"]
)
def test_text_that_is_not_a_stored_rule_is_shown_as_it_is(reason):
    assert reason_text(reason, "down", "zh") == reason


def test_a_change_record_gets_its_reasons_in_words():
    change = {"direction": "down", "reasons": [ANY], "host_id": "h1"}
    assert in_words(change, "zh")["reason_words"] == [
        "近30天有效场次 ≥ 5 或 近30天直播买家数 ≥ 50 未达标"
    ]
    assert in_words(change, "zh")["reasons"] == [ANY]  # the record itself is kept


SIM = "expert: (live_sessions_30d ≥ 5 or live_buyers_30d ≥ 50): not met (live_sessions_30d 4, "
SIM += "live_buyers_30d 3)"


@pytest.mark.parametrize(
    ("reason", "lang", "words"),
    [
        (
            SIM,
            "zh",
            "达人主播：近30天有效场次 ≥ 5 或 近30天直播买家数 ≥ 50 未达标"
            "（近30天有效场次 4，近30天直播买家数 3）",
        ),
        (
            SIM,
            "en",
            "expert: valid sessions, 30 d ≥ 5 or live buyers, 30 d ≥ 50 not met "
            "(valid sessions, 30 d 4, live buyers, 30 d 3)",
        ),
        (
            "basic: category not in adult_health, e_cigarette: not met (category adult_health)",
            "zh",
            "基础要求：主营类目 不属于 adult_health, e_cigarette 未达标（主营类目 adult_health）",
        ),
        (
            "basic: major_tax_violation no: not met (major_tax_violation True)",
            "zh",
            "基础要求：无重大税务违规 未达标（重大税务违规 是）",
        ),
        (
            "grace: graded ordinary by the draft, keeps expert (lower day run 1 of the 2 "
            "downgrade_grace_days allow)",
            "zh",
            "降级宽限：草案评为普通主播，仍保留达人主播（连续第 1 个较低运行日，宽限 2 个）",
        ),
        (
            "grace: the version in force keeps expert (graded ordinary); the draft's "
            "downgrade_grace_days 0 does not",
            "en",
            "grace: the version in force keeps expert (graded ordinary); the draft's 0 grace "
            "days do not",
        ),
        ("override: cap ordinary (#1: test)", "zh", "人工调整：cap ordinary (#1: test)"),
        ("free text", "zh", "free text"),
        ("expert: (fans ≥ 5: met (fans 1)", "zh", "expert: (fans ≥ 5: met (fans 1)"),
    ],
)
def test_a_simulation_reason_reads_in_the_page_language(reason, lang, words):
    assert simulation_reason_text(reason, lang) == words
