"""The web pages: a host's page and the operator dashboard, served by the API's app.

Pages log in with an API key kept in an HttpOnly cookie, read the same services as the API
(``bodies.py`` shapes the host's answers for both) and draw their charts as inline SVG on the
server: the pages load nothing but their own stylesheet. Chinese by default; ``?lang=en``
switches to English and a cookie remembers the choice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from livetier.domain.evaluation import NodeResult
from livetier.domain.metrics import METRICS
from livetier.domain.rulebook import BASIC, Criterion, Node, Op, Rulebook
from livetier.domain.tiers import Tier
from livetier.entrypoints import render
from livetier.entrypoints.bodies import status_body
from livetier.services import activities, keys, state
from livetier.services.daily import AT_RISK_DAYS
from livetier.services.served import Served
from livetier.services.status import UnknownHost

KEY_COOKIE = "livetier_key"  # as api.KEY_COOKIE; api imports this module, so not from there
LANG_COOKIE = "lang"
LANGS = ("zh", "en")
_ASSETS = Path(__file__).resolve().parent.parent / "web"

Authenticate = Callable[[str | None], keys.Principal]

# Every string the pages show, as key: (Chinese, English).
TEXT: dict[str, tuple[str, str]] = {
    "app": ("主播身份", "Host tiers"),
    "lang.other": ("English", "中文"),
    "logout": ("退出", "Log out"),
    "role.host": ("主播", "host"),
    "role.operator": ("运营", "operator"),
    "role.service": ("服务", "service"),
    # logging in
    "login.title": ("登录", "Log in"),
    "login.key": ("API 密钥", "API key"),
    "login.help": (
        "使用平台发放的 API 密钥登录（由运营通过 livetier keys create 创建）。",
        "Log in with the API key the platform gave you (created with livetier keys create).",
    ),
    "login.submit": ("登录", "Log in"),
    "login.error": (
        "密钥无效或已被撤销，请检查后重试。",
        "Unknown or revoked key: check it and retry.",
    ),
    "service.title": ("服务密钥没有网页", "Service keys have no pages"),
    "service.body": (
        "服务密钥用于平台服务调用 API（权益校验、身份事件），请使用 API 文档 /docs。",
        "A service key is for platform services calling the API (privilege checks, tier "
        "events): see the API docs at /docs.",
    ),
    "forbidden.title": ("无权访问", "Not allowed"),
    "forbidden.body": ("此页面仅对运营开放。", "This page is for operators only."),
    "notfound.title": ("找不到该主播", "No such host"),
    "notfound.body": (
        "该主播尚未评级，或不属于此密钥。",
        "This host is not graded yet, or is not this key's host.",
    ),
    "back": ("返回", "Back"),
    # tiers, lines, claim states
    "tier.none": ("无主播身份", "none"),
    "line.consumer": ("消费品", "consumer"),
    "line.industrial": ("工业品", "industrial"),
    "state.claimed": ("已领取", "claimed"),
    "state.qualified_not_claimed": ("符合条件，未领取", "qualified, not claimed"),
    "state.none": ("暂不符合主播条件", "qualifies for no tier"),
    "claim.button": ("领取主播身份", "Claim host identity"),
    "claim.hint": (
        "领取后即可使用下列权益。",
        "Claim your identity to use the privileges below.",
    ),
    # the host page
    "host.title": ("主播身份", "Host tier"),
    "host.since": ("自 {day} 起", "since {day}"),
    "host.as_of": ("数据日期 {day} · 规则 {version}", "data of {day} · rulebook {version}"),
    "holds.days": ("还能保持 {n} 天", "holds {n} more days"),
    "holds.days_hint": (
        "（若无新增直播与买家）",
        "(if no new sessions or buyers)",
    ),
    "holds.profile": ("资料不变即可保持", "holds while the profile is unchanged"),
    "holds.at_risk": ("即将降级", "at risk"),
    "privileges": ("权益", "Privileges"),
    "privilege.locked": ("{tier}及以上", "{tier} and up"),
    "privilege.open_live_room": (
        "开通直播间：分享直播、店铺直播组件展示",
        "Open a live room, share it, show it in the store's live widget",
    ),
    "privilege.realtime_surfacing": (
        "直播实时浮现（观看量、买家数达标）",
        "Real-time surfacing while live (views and buyers at threshold)",
    ),
    "privilege.fan_intimacy": ("粉丝亲密度体系", "Fan intimacy system"),
    "privilege.marketing_tools": (
        "营销工具：专享优惠券、限时折扣",
        "Marketing tools: exclusive coupons, limited-time discounts",
    ),
    "privilege.channel_activity_registration": ("报名频道活动", "Register for channel activities"),
    "privilege.channel_banner": ("频道 banner 资源位", "Channel banner slot"),
    "privilege.ranking_boost": ("频道排序加权", "Channel ranking boost"),
    "reason.allowed": ("今天可报名", "may register today"),
    "reason.not_claimed": ("领取主播身份后可报名", "claim your identity to register"),
    "reason.fatigue": ("{day} 起可再次报名", "may register again from {day}"),
    "reason.tier_too_low": ("身份等级不足", "tier too low"),
    "reason.not_graded": ("暂无评级数据", "not graded"),
    "reason.restricted_category": ("受限类目不可直播", "restricted category"),
    "reason.basic_requirements": ("未满足基础要求", "basic requirements not met"),
    "reason.unknown_privilege": ("无此权益", "unknown privilege"),
    "tasks": ("任务列表", "Task list"),
    "set.basic": ("基础要求", "Basic requirements"),
    "set.keep": ("保持 {tier}", "Keep {tier}"),
    "set.reach": ("晋级 {tier}", "Reach {tier}"),
    "set.all_met": ("全部 {n} 项已达标", "all {n} met"),
    "set.top": ("已是最高身份", "Top tier"),
    "group.any": ("满足任一即可", "Any one of"),
    "group.all": ("全部满足", "All of"),
    "closest": ("最接近", "closest"),
    "missing": ("缺失", "missing"),
    "flag.no": ("无{what}", "no {what}"),  # a flag that must be false: "no tax violation"
    "not_graded": (
        "最近一次评级时没有可用的资料，暂无任务列表。",
        "The latest run had no usable profile for this host: no task list yet.",
    ),
    "history": ("身份变更记录", "Tier history"),
    "history.empty": ("暂无变更。", "No changes yet."),
    "up": ("升级", "upgrade"),
    "down": ("降级", "downgrade"),
    "registrations": ("频道活动报名", "Channel activity registrations"),
    "registrations.empty": ("暂无报名。", "No registrations yet."),
    "special": ("大型活动", "special event"),
    # the operator dashboard
    "op.title": ("运营看板", "Operator dashboard"),
    "op.open_host": ("查看主播", "Open a host"),
    "op.host_id": ("主播 ID", "host id"),
    "op.distribution": ("身份分布 · {day}", "Tier distribution · {day}"),
    "op.trend": ("身份趋势 · 近 {n} 个运行日", "Trend · last {n} run days"),
    "op.changes": ("最近升降级", "Recent upgrades and downgrades"),
    "op.quality": ("数据质量报告 · {day}", "Data-quality report · {day}"),
    "op.quality_total": ("共 {n} 条", "{n} entries"),
    "op.quality_shown": ("前 {n} 条明细", "first {n} entries"),
    "op.rulebook": ("规则版本与阈值", "Rulebook versions and thresholds"),
    "op.in_force": ("当前生效", "in force"),
    "op.effective": ("{day} 起生效", "effective from {day}"),
    "op.fatigue": ("每 {n} 天最多 1 次", "at most once every {n} days"),
    "op.no_runs": ("还没有成功的评级运行。", "No successful run yet."),
    "col.tier": ("身份", "tier"),
    "col.line": ("类目线", "line"),
    "col.all": ("全部", "all"),
    "col.total": ("合计", "total"),
    "col.day": ("日期", "day"),
    "col.host": ("主播", "host"),
    "col.change": ("变更", "change"),
    "col.reasons": ("原因", "reasons"),
    "col.version": ("规则", "rulebook"),
    "col.table": ("数据表", "table"),
    "col.reason": ("问题", "reason"),
    "col.counted": ("计入", "counted"),
    "col.entries": ("条数", "entries"),
    "col.row": ("行", "row"),
    "col.detail": ("详情", "detail"),
    "col.requirement": ("要求", "requirement"),
    "col.privilege": ("权益", "privilege"),
    "col.from_tier": ("最低身份", "from tier"),
    "or": ("或", "or"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none_yet": ("暂无。", "None."),
}

TIER_COLORS = {
    Tier.HONOR: "#8e44ad",
    Tier.EXPERT: "#e08a00",
    Tier.ORDINARY: "#3b7ddd",
    Tier.NONE: "#a7adb7",
}
_TIERS_DOWN = list(reversed(Tier))  # honor first, as tables list them


class _LoginNeeded(Exception):
    """A page request without a valid key cookie: answered with a redirect to /login."""


def language(request: Request) -> str:
    """``?lang=`` if given, else the ``lang`` cookie, else Chinese."""
    for lang in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if lang in LANGS:
            return lang
    return LANGS[0]


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fields)``: the string of ``key`` in ``lang``, with its fields filled."""
    i = LANGS.index(lang)

    def t(key: str, **fields: Any) -> str:
        text = TEXT[key][i]
        return text.format(**fields) if fields else text

    return t


def tier_name(tier: str | Tier, lang: str) -> str:
    """A tier as docs/rules.md names it: 达人主播 in Chinese, expert in English."""
    tier = Tier(tier)
    if tier is Tier.NONE:
        return translator(lang)("tier.none")
    return tier.zh if lang == "zh" else tier.value


def _label(prefix: str, code: str, lang: str) -> str:
    """The label of a privilege or line; a code the rulebook adds later shows as itself."""
    key = f"{prefix}.{code}"
    return translator(lang)(key) if key in TEXT else code


def _metric_label(metric: str, lang: str) -> str:
    m = METRICS[metric]
    return m.zh if lang == "zh" else m.en


def _shown(progress: float, met: bool) -> int:
    """A bar's percentage; an unmet requirement never shows full (as in the CLI)."""
    return int((progress if met else min(progress, 0.99)) * 100)


def _numbers(node: Criterion, value: Any, met: bool, t: Callable[..., str]) -> str:
    """What a requirement row reads: ``3 / 5``, ``4.6 / 4.7``, ✓ or ✗ for a flag; any other
    comparison shows the value alone (its rule is shown under the label)."""
    if not node.op.takes_target:
        return t("missing") if value is None else "✓" if met else "✗"
    shown = t("missing") if value is None else str(value)
    return f"{shown} / {node.target}" if node.op is Op.GE else shown


def _row(result: NodeResult, lang: str) -> dict[str, Any]:
    """One requirement (or group of them) of the task list, ready for the template."""
    t = translator(lang)
    node = result.node
    row: dict[str, Any] = {"met": result.met, "pct": _shown(result.progress, result.met)}
    if isinstance(node, Criterion):
        flag = not node.op.takes_target  # its value is the ✓ or ✗
        label = _metric_label(node.metric, lang)
        return row | {
            "kind": "criterion",
            "metric": node.metric,
            "label": t("flag.no", what=label) if node.op is Op.IS_FALSE else label,
            "numbers": _numbers(node, result.value, result.met, t),
            "rule": None if flag or node.op is Op.GE else render.target_text(node),
            "bar": node.op.ordering,
            "flag": flag,
            "closest": False,
        }
    children = [_row(c, lang) for c in result.children]
    if node.mode == "any" and not result.met and result.closest is not None:
        children[result.closest]["closest"] = True
    return row | {"kind": "group", "mode": node.mode, "children": children}


def host_page(view: Served, host_id: str, lang: str) -> dict[str, Any]:
    """Everything the host page shows, from the same answers the API gives."""
    t = translator(lang)
    st = view.host(host_id)
    status = status_body(st)
    version = view.rulebook.version_for(st.day)
    privileges = [
        {
            "name": name,
            "label": _label("privilege", name, lang),
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
    sets = []
    ev = st.evaluation
    if ev is not None:
        for name in ev.shown_sets():
            result = ev.sets[name]
            if not result.children:
                continue
            if name == BASIC:
                title = t("set.basic")
            else:
                role = "set.keep" if name == ev.tier.value else "set.reach"
                title = t(role, tier=tier_name(name, lang))
            sets.append(
                {
                    "name": name,
                    "title": title,
                    "met": result.met,
                    "count": len(result.children),
                    "collapsed": name == BASIC and result.met,
                    "rows": [_row(c, lang) for c in result.children],
                }
            )
    holds = None
    if st.tier is not Tier.NONE:
        days = st.holds_days
        holds = {
            "days": days,
            "text": t("holds.profile") if days is None else t("holds.days", n=days),
            "at_risk": days is not None and days <= AT_RISK_DAYS,
        }
    return {
        "status": status,
        "graded": ev is not None,
        "tier_text": tier_name(st.tier, lang),
        "line": _label("line", ev.line, lang) if ev else None,
        "privileges": privileges,
        "registration": registration,
        "registrations": activities.registrations(view, host_id),
        "sets": sets,
        "top": st.tier.next is None,
        "holds": holds,
        "history": view.changes(host_id, 50),
    }


def _distribution(lines: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Hosts per tier for each line and all lines, with shares for a 100% stacked bar."""
    rows = dict(lines)
    if len(rows) > 1:
        rows["all"] = {t.value: sum(c.get(t.value, 0) for c in lines.values()) for t in Tier}
    out = []
    for line, counts in rows.items():
        total = sum(counts.values())
        x = 0.0
        tiers = []
        for tier in _TIERS_DOWN:
            n = counts.get(tier.value, 0)
            share = 100 * n / total if total else 0.0
            tiers.append({"tier": tier.value, "count": n, "share": share, "x": x})
            x += share
        out.append({"line": line, "total": total, "tiers": tiers})
    return out


def _trend(days: list[dict[str, Any]], line: str) -> dict[str, Any]:
    """A line chart of hosts per tier over the run days of one line, as SVG coordinates."""
    width, height, left, right, top, bottom = 380, 170, 36, 8, 10, 24
    counts: dict[Tier, list[int]] = {
        t: [d["lines"].get(line, {}).get(t.value, 0) for d in days] for t in _TIERS_DOWN
    }
    peak = max(1, *(n for series in counts.values() for n in series))
    step = (width - left - right) / max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(days) > 1 else (width - left - right) / 2)

    def y(n: int) -> float:
        return top + (height - top - bottom) * (1 - n / peak)

    series = [
        {
            "tier": tier.value,
            "color": TIER_COLORS[tier],
            "points": " ".join(f"{x(i):.1f},{y(n):.1f}" for i, n in enumerate(values)),
            "dots": [
                {"x": x(i), "y": y(n), "count": n, "day": days[i]["day"]}
                for i, n in enumerate(values)
            ],
        }
        for tier, values in counts.items()
    ]
    ticks = [{"y": y(n), "label": n} for n in sorted({0, peak // 2, peak})]
    labelled = sorted({0, len(days) // 2, len(days) - 1})
    return {
        "line": line,
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "bottom": height - bottom,
        "series": series,
        "ticks": ticks,
        "days": [
            {"x": x(i), "label": days[i]["day"][5:], "anchor": _anchor(i, len(days))}
            for i in labelled
        ],
    }


def _thresholds(node: Node, t: Callable[..., str]) -> dict[str, str]:
    """A tier's criteria as metric -> cell text (the CLI's rule tables), in the page's words."""
    words = {"yes": t("yes"), "no": t("no")}  # is_true / is_false
    return {
        metric: f"{text.removesuffix(' or')} {t('or')}"
        if text.endswith(" or")
        else words.get(text, text)
        for metric, text in render.threshold_cells(node).items()
    }


def _anchor(i: int, n: int) -> str:
    """Where a day label hangs from its point: the first and last stay inside the chart."""
    if n > 1 and i == 0:
        return "start"
    return "end" if n > 1 and i == n - 1 else "middle"


def _rulebook(rulebook: Rulebook, today_version: str, lang: str) -> list[dict[str, Any]]:
    """Each rule version as the tables of docs/rules.md: basic requirements, then per line."""
    t = translator(lang)
    out = []
    for v in rulebook.versions:
        basic = [
            {"label": _metric_label(metric, lang), "text": text}
            for metric, text in _thresholds(v.basic, t).items()
        ]
        lines = []
        for line, tiers in v.lines.items():
            cells = {tier: _thresholds(g, t) for tier, g in tiers.items()}
            metrics = [m for m in METRICS if any(m in c for c in cells.values())]
            lines.append(
                {
                    "line": _label("line", line, lang),
                    "metrics": [_metric_label(m, lang) for m in metrics],
                    "rows": [
                        {
                            "tier": tier_name(tier, lang),
                            "cells": [c.get(m, "—") for m in metrics],
                        }
                        for tier, c in cells.items()
                    ],
                }
            )
        out.append(
            {
                "version": v.version,
                "effective_from": v.effective_from.isoformat(),
                "in_force": v.version == today_version,
                "basic": basic,
                "lines": lines,
                "privileges": [
                    {
                        "label": _label("privilege", p, lang),
                        "tier": tier_name(tier, lang),
                        "fatigue": v.fatigue_days.get(p),
                    }
                    for p, tier in v.privileges.items()
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
        "distribution": _distribution(latest["lines"]) if latest else [],
        "trend_days": len(days),
        "trends": [_trend(days, line) for line in lines],
        "changes": view.changes(None, 50),
        "quality": view.quality(100),
        "rulebook": _rulebook(rulebook, view.version_today().version, lang),
    }


def mount(app: FastAPI, view: Served, rulebook: Rulebook, authenticate: Authenticate) -> None:
    """Add the pages (and their assets) to ``app``."""
    templates = Jinja2Templates(directory=_ASSETS / "templates")
    templates.env.globals.update(tier_colors={t.value: c for t, c in TIER_COLORS.items()})
    router = APIRouter(include_in_schema=False)

    def page(
        request: Request,
        name: str,
        who: keys.Principal | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> Response:
        lang = language(request)
        response = templates.TemplateResponse(
            request,
            name,
            {
                "lang": lang,
                "other_lang": LANGS[1 - LANGS.index(lang)],
                "t": translator(lang),
                "tier_name": lambda tier: tier_name(tier, lang),
                "line_name": lambda line: _label("line", line, lang),
                "who": who,
                **context,
            },
            status_code=status_code,
        )
        response.headers["Cache-Control"] = "no-store"
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def logged_in(request: Request) -> keys.Principal | None:
        key = request.cookies.get(KEY_COOKIE)
        if not key:
            return None
        try:
            return authenticate(key)
        except HTTPException:
            return None

    def principal(request: Request) -> keys.Principal:
        who = logged_in(request)
        if who is None:
            raise _LoginNeeded
        return who

    def home(who: keys.Principal) -> str:
        return {keys.Role.host: "/host", keys.Role.operator: "/operator"}.get(who.role, "/login")

    def redirect(url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def message(request: Request, who: keys.Principal | None, what: str, code: int) -> Response:
        return page(request, "message.html", who, code, title=f"{what}.title", body=f"{what}.body")

    def show_host(request: Request, who: keys.Principal, host_id: str) -> Response:
        try:
            data = host_page(view, host_id, language(request))
        except UnknownHost:
            return message(request, who, "notfound", 404)
        return page(request, "host.html", who, **data)

    @app.exception_handler(_LoginNeeded)
    def _to_login(request: Request, _: _LoginNeeded) -> Response:
        response = redirect("/login")
        if request.cookies.get(KEY_COOKIE):
            response.delete_cookie(KEY_COOKIE)  # unknown or revoked: forget it
        return response

    @router.get("/")
    def root(request: Request) -> Response:
        who = logged_in(request)
        return redirect(home(who) if who and who.role is not keys.Role.service else "/login")

    @router.get("/login")
    def login_form(request: Request) -> Response:
        return page(request, "login.html", logged_in(request))

    @router.post("/login")
    def login(request: Request, key: Annotated[str, Form()] = "") -> Response:
        try:
            who = authenticate(key.strip())
        except HTTPException:
            return page(request, "login.html", error=True, status_code=401)
        if who.role is keys.Role.service:
            return message(request, who, "service", 200)
        response = redirect(home(who))
        response.set_cookie(
            KEY_COOKIE,
            key.strip(),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @router.post("/logout")
    def logout() -> Response:
        response = redirect("/login")
        response.delete_cookie(KEY_COOKIE)
        return response

    @router.get("/host")
    def own_host(request: Request, host_id: str | None = None) -> Response:
        who = principal(request)
        if who.role is keys.Role.operator:  # the dashboard's "open a host" form
            return redirect(f"/host/{quote(host_id.strip(), safe='')}" if host_id else "/operator")
        if who.role is not keys.Role.host or who.host_id is None:
            return message(request, who, "service", 403)
        return show_host(request, who, who.host_id)

    @router.get("/host/{host_id}")
    def any_host(request: Request, host_id: str) -> Response:
        who = principal(request)
        if who.role is keys.Role.host and who.host_id == host_id:
            return redirect("/host")
        if who.role is not keys.Role.operator:  # a host key sees only its own host
            return message(request, who, "notfound", 404)
        return show_host(request, who, host_id)

    @router.post("/host/claim")
    def claim(request: Request) -> Response:
        who = principal(request)
        if who.role is not keys.Role.host or who.host_id is None:
            return message(request, who, "forbidden", 403)
        with suppress(state.ClaimRefused):  # tier none: the page shows there is nothing to claim
            state.claim(view.db, who.host_id)
        return redirect("/host")

    @router.get("/operator")
    def dashboard(request: Request) -> Response:
        who = principal(request)
        if who.role is not keys.Role.operator:
            return message(request, who, "forbidden", 403)
        return page(
            request, "operator.html", who, **operator_page(view, rulebook, language(request))
        )

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=_ASSETS / "static"), name="static")
