"""What the two hand-written baselines (baseline_sql.py, baseline_pandas.py) share: the 1688
rulebook's definitions and thresholds, hard-coded on purpose.

A baseline is a hand-written program, not a rule engine: these are the numbers of version
2026.1 of src/livetier/rulebooks/1688.yaml (docs/rules.md, "Requirements"). If the shipped rulebook
changes, the tier-count check (check_baselines.py) fails until they are updated here.
"""

from __future__ import annotations

from datetime import date, timedelta

OFFSET_HOURS = 8  # Asia/Shanghai: +08:00 all year since 1991, so a fixed offset is exact
VALID_SESSION_MINUTES = 15  # valid: lasts MORE than 15 minutes
WINDOW_DAYS = 30  # platform days D-30 .. D-1
LINES = ("consumer", "industrial")
RESTRICTED = ("adult_health", "pharmaceutical", "health_care", "e_cigarette")
# Basic requirements, fail closed (missing = failed): flags that must be true / false.
MUST_BE_TRUE = ("enterprise_member", "risk_assessment_passed", "competitiveness_passed")
MUST_BE_FALSE = (
    "major_tax_violation",
    "prohibited_goods_violation",
    "compliance_violation",
    "severe_infringement_penalty",
    "business_status_abnormal",
    "dishonest_record",
)
# Per line and tier: minimums of profile metrics (all must hold), then the activity rule:
# (min sessions, min buyers, "any" or "all"). Tier = highest tier met, among basic passers.
THRESHOLDS = {
    "consumer": {
        "expert": ({"trade_medal": 2, "bsr_description": 4.6, "bsr_shipping": 4.3}, (5, 50, "any")),
        "honor": (
            {"trade_medal": 3, "bsr_description": 4.7, "bsr_shipping": 4.3, "fans": 500},
            (15, 300, "all"),
        ),
    },
    "industrial": {
        "expert": ({"trade_medal": 2}, (3, 10, "any")),
        "honor": ({"trade_medal": 3, "bsr_description": 4.3, "fans": 200}, (10, 30, "all")),
    },
}
TIERS = ("none", "ordinary", "expert", "honor")


def window(day: date) -> tuple[date, date]:
    """First and last platform day counted for evaluation day ``day`` (T+1)."""
    return day - timedelta(days=WINDOW_DAYS), day - timedelta(days=1)
