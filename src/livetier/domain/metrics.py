"""The metrics a rulebook may name, and their kinds. Thresholds are never here: they are data."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The value type of a metric."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STR = "str"


@dataclass(frozen=True)
class Metric:
    """A named input to criteria: from the host profile snapshot or from 30-day activity."""

    name: str
    kind: Kind
    source: str  # "profile", "activity" (30-day) or "session" (one live session, real time)
    zh: str
    en: str


_ALL = [
    Metric("enterprise_member", Kind.BOOL, "profile", "企业诚信通会员", "enterprise membership"),
    Metric(
        "risk_assessment_passed", Kind.BOOL, "profile", "通过风险评估", "risk assessment passed"
    ),
    Metric("major_tax_violation", Kind.BOOL, "profile", "重大税务违规", "major tax violation"),
    Metric(
        "prohibited_goods_violation",
        Kind.BOOL,
        "profile",
        "禁限售违规",
        "prohibited goods violation",
    ),
    Metric("compliance_violation", Kind.BOOL, "profile", "合规问题标记", "compliance problem flag"),
    Metric(
        "severe_infringement_penalty",
        Kind.BOOL,
        "profile",
        "一年内严重侵权处罚",
        "severe infringement penalty within the year",
    ),
    Metric(
        "business_status_abnormal", Kind.BOOL, "profile", "工商状态异常", "business status abnormal"
    ),
    Metric("dishonest_record", Kind.BOOL, "profile", "失信记录", "dishonesty record"),
    Metric("competitiveness_passed", Kind.BOOL, "profile", "满足平台竞争力要求", "competitiveness"),
    Metric("category", Kind.STR, "profile", "主营类目", "main category"),
    Metric("trade_medal", Kind.INT, "profile", "交易勋章", "trade medal (A)"),
    Metric("bsr_description", Kind.FLOAT, "profile", "BSR 描述分", "BSR description"),
    Metric("bsr_shipping", Kind.FLOAT, "profile", "BSR 发货分", "BSR shipping"),
    Metric("fans", Kind.INT, "profile", "粉丝数", "fans"),
    Metric("live_sessions_30d", Kind.INT, "activity", "近30天有效场次", "valid sessions, 30 d"),
    Metric("live_buyers_30d", Kind.INT, "activity", "近30天直播买家数", "live buyers, 30 d"),
    # Real-time surfacing (docs/rules.md, "Real-time surfacing"): per live session, as events
    # arrive; only a rulebook's ``surfacing`` requirements may name them.
    Metric("session_viewers", Kind.INT, "session", "场次观看人数", "session viewers"),
    Metric("session_buyers", Kind.INT, "session", "场次买家数", "session buyers"),
]

METRICS: dict[str, Metric] = {m.name: m for m in _ALL}
"""Every metric the engine can compute, by name."""

PROFILE_METRICS: tuple[str, ...] = tuple(m.name for m in _ALL if m.source == "profile")
ACTIVITY_METRICS: tuple[str, ...] = tuple(m.name for m in _ALL if m.source == "activity")
SESSION_METRICS: tuple[str, ...] = tuple(m.name for m in _ALL if m.source == "session")
