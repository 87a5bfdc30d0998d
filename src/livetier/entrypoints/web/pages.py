"""What the host page and the operator dashboard show, as template data: the view models of
entrypoints/views.py and the API's answers, in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from livetier.domain.rulebook import Criterion, Op, Rulebook
from livetier.domain.tiers import Tier
from livetier.entrypoints import views
from livetier.entrypoints.bodies import channel_body, status_body
from livetier.entrypoints.web.charts import distribution, trend
from livetier.entrypoints.web.i18n import TEXT, label, metric_label, tier_name, translator
from livetier.entrypoints.web.reasons import in_words
from livetier.services import activities, explain, live, overrides
from livetier.services.served import Served
from livetier.services.status import OverrideNote


def _numbers(node: Criterion, req: views.Requirement, t: Callable[..., str]) -> str:
    """What a requirement row reads: ``3 / 5``, ``4.6 / 4.7``, ✓ or ✗ for a flag; any other
    comparison shows the value alone (its rule is shown under the label)."""
    if not node.op.takes_target:
        return t("missing") if req.value is None else "✓" if req.met else "✗"
    shown = t("missing") if req.value is None else str(req.value)
    return f"{shown} / {node.target}" if node.op is Op.GE else shown


def _row(req: views.Requirement, lang: str) -> dict[str, Any]:
    """One requirement (or group of them) of the task list, ready for the template."""
    t = translator(lang)
    row: dict[str, Any] = {"met": req.met, "pct": req.pct}
    node = req.criterion
    if node is not None:
        flag = not node.op.takes_target  # its value is the ✓ or ✗
        name = metric_label(node.metric, lang)
        return row | {
            "kind": "criterion",
            "metric": node.metric,
            "label": t("flag.no", what=name) if node.op is Op.IS_FALSE else name,
            "numbers": _numbers(node, req, t),
            "rule": None if flag or node.op is Op.GE else req.target,
            "bar": node.op.ordering,
            "flag": flag,
            "closest": req.closest,
        }
    children = [_row(c, lang) for c in req.children]
    return row | {"kind": "group", "mode": req.mode, "children": children}


def _set(req_set: views.RequirementSet, lang: str) -> dict[str, Any]:
    """A requirement set with its title in the page's words."""
    t = translator(lang)
    if req_set.role == "basic":
        title = t("set.basic")
    else:
        title = t(f"set.{req_set.role}", tier=tier_name(req_set.name, lang))
    return {
        "name": req_set.name,
        "title": title,
        "met": req_set.met,
        "count": req_set.count,
        "collapsed": req_set.collapsed,
        "rows": [_row(r, lang) for r in req_set.rows],
    }


def host_page(view: Served, host_id: str, lang: str) -> dict[str, Any]:
    """Everything the host page shows, from the same answers the API gives."""
    t = translator(lang)
    st = view.host(host_id)
    version = view.rulebook.version_for(st.day)
    privileges = [
        {
            "name": name,
            "label": label("privilege", name, lang),
            "unlocked": name in st.privileges,
            "needs": t("privilege.locked", tier=tier_name(tier, lang)),
        }
        for name, tier in version.privileges.items()
    ]
    registration = None
    if activities.PRIVILEGE in version.privileges and st.tier is not Tier.NONE:
        d = view.privilege(host_id, activities.PRIVILEGE)
        registration = {
            "allowed": d.allowed,
            "text": t(f"reason.{d.reason.value}", day=d.next_allowed_day),
        }
    ev = st.evaluation
    holds = views.holds(st)
    return {
        "status": status_body(st),
        "graded": ev is not None,
        "tier_text": tier_name(st.tier, lang),
        "line": label("line", ev.line, lang) if ev else None,
        "privileges": privileges,
        "registration": registration,
        "registrations": activities.registrations(view, host_id),
        "sets": [_set(s, lang) for s in views.task_sets(ev)] if ev is not None else [],
        "top": st.tier.next is None,
        "holds": None
        if holds is None
        else {
            "days": holds.days,
            "text": t("holds.profile") if holds.days is None else t("holds.days", n=holds.days),
            "at_risk": holds.at_risk,
        },
        "history": [in_words(c, lang) for c in view.changes(host_id, 50)],
        "live": host_live_card(view, host_id, lang),
        "grace_text": None if st.grace_days_left is None else t("host.grace", n=st.grace_days_left),
        "override_text": None if st.override is None else _override_text(st.override, lang),
    }


def _override_text(o: OverrideNote, lang: str) -> str:
    t = translator(lang)
    until = t("host.override_until", day=o.until) if o.until else t("host.override_open")
    return t(
        "host.override", kind=t(f"override.{o.kind}"), tier=tier_name(o.tier, lang), until=until
    )


def explain_page(view: Served, host_id: str, lang: str, *, masked: bool) -> dict[str, Any]:
    """A host's details (明细): every record behind its two 30-day metrics on the latest day
    run, each with whether it counts and why, in the page's words."""
    t = translator(lang)
    minutes = view.rulebook.definitions.valid_session_longer_than_minutes

    def why(reason: str) -> str:
        key = f"why.{reason}"
        return t(key, minutes=minutes) if key in TEXT else reason

    try:
        found = explain.explain_served(view, host_id, masked=masked)
    except explain.NothingToExplain:
        return {"found": None, "why": why}
    return {"found": found, "why": why}


def _cell(text: str, t: Callable[..., str]) -> str:
    """A threshold cell in the page's words: yes / no and the 'or' of an 'any' group."""
    if text.endswith(" or"):
        return f"{text.removesuffix(' or')} {t('or')}"
    return {"yes": t("yes"), "no": t("no")}.get(text, text)  # is_true / is_false


def _rulebook(rulebook: Rulebook, today_version: str, lang: str) -> list[dict[str, Any]]:
    """Each rule version as the tables of docs/rules.md: basic requirements, then per line."""
    t = translator(lang)
    out = []
    for v in map(views.version_tables, rulebook.versions):
        basic = [
            {"label": metric_label(metric, lang), "text": _cell(text, t)}
            for metric, text in v.basic.items()
        ]
        lines = [
            {
                "line": label("line", line.line, lang),
                "metrics": [metric_label(m, lang) for m in line.metrics],
                "rows": [
                    {"tier": tier_name(tier, lang), "cells": [_cell(c, t) for c in cells]}
                    for tier, cells in line.rows
                ],
            }
            for line in v.lines
        ]
        out.append(
            {
                "version": v.version,
                "effective_from": v.effective_from,
                "in_force": v.version == today_version,
                "basic": basic,
                "lines": lines,
                "privileges": [
                    {
                        "label": label("privilege", p, lang),
                        "tier": tier_name(tier, lang),
                        "fatigue": fatigue,
                    }
                    for p, tier, fatigue in v.privileges
                ],
            }
        )
    return out


def operator_page(view: Served, rulebook: Rulebook, lang: str) -> dict[str, Any]:
    """Everything the dashboard shows: the operator API's answers, drawn."""
    days = view.distribution(30)
    latest = days[-1] if days else None
    lines = sorted({line for d in days for line in d["lines"]})
    return {
        "latest": latest,
        "distribution": distribution(latest["lines"]) if latest else [],
        "trend_days": len(days),
        "trends": [trend(days, line) for line in lines],
        "changes": [in_words(c, lang) for c in view.changes(None, 50)],
        "quality": view.quality(100),
        "rulebook": _rulebook(rulebook, view.version_today().version, lang),
        "overrides": overrides.listing(view.db),
        "override_audit": overrides.audit(view.db)[-50:][::-1],
        "tiers": [t.value for t in Tier],
    }


def _clock(t: datetime | None, zone: ZoneInfo) -> str | None:
    """A naive UTC instant as the platform's local time of day."""
    return None if t is None else t.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M:%S")


def channel_page(view: Served, lang: str) -> dict[str, Any]:
    """What the live channel page shows: the channel API's answer, with names and times."""
    zone = ZoneInfo(view.rulebook.definitions.timezone)
    ch = live.channel(view.db, view.rulebook, view.now())
    body = channel_body(ch)
    rooms = [
        room
        | {
            "tier_text": tier_name(r.tier, lang),
            "surfaced_time": _clock(r.surfaced_at, zone),
            "score_text": f"{r.score:g}",
        }
        for room, r in zip(body["rooms"], ch.rooms, strict=True)
    ]
    banner = [room for room in rooms if room["banner"]]
    return {
        "channel": body,
        "rooms": rooms,
        "banner": banner,
        "empty_slots": max(ch.banner_slots - len(banner), 0),
        "updated": view.now().replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M:%S"),
    }


def host_live_card(view: Served, host_id: str, lang: str) -> dict[str, Any] | None:
    """The host page's live card: the live room against its surfacing thresholds, and today
    so far (provisional: it counts in the 30-day metrics from tomorrow). None when the host
    is not live and has nothing today."""
    zone = ZoneInfo(view.rulebook.definitions.timezone)
    hl = live.host_live(view.db, view.rulebook, host_id, view.now())
    if hl.session is None and not (hl.valid_sessions or hl.live_buyers):
        return None
    s = hl.session
    return {
        "live": s is not None,
        "session_id": s.session_id if s else None,
        "started": _clock(s.started_at, zone) if s else None,
        "surfaced": bool(s and s.surfaced),
        "surfaced_time": _clock(s.surfaced_at, zone) if s else None,
        "allowed": hl.surfacing_allowed,
        "thresholds": [
            {
                "metric": th.metric,
                "label": metric_label(th.metric, lang),
                "value": th.value,
                "target": f"{th.target:g}",
                "op": "≥" if th.op == ">=" else ">",
                "met": th.met,
                "pct": min(100, round(100 * th.value / th.target)) if th.target else 100,
            }
            for th in hl.thresholds
        ],
        "day": hl.day.isoformat(),
        "valid_sessions": hl.valid_sessions,
        "live_buyers": hl.live_buyers,
    }
