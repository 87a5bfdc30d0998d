"""The pages' words: every string in Chinese and English, the language of a request, and the
names of tiers, lines and privileges. Chinese by default; ``?lang=en`` switches to English and
a cookie remembers the choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request

from livetier.domain.metrics import METRICS
from livetier.domain.tiers import Tier

LANG_COOKIE = "lang"
LANGS = ("zh", "en")

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
    "op.simulate": ("规则草案模拟", "Simulate a draft rulebook"),
    "sim.title": ("规则草案模拟", "Simulate a draft rulebook"),
    "sim.help": (
        "粘贴或上传规则草案（YAML），用最近一次运行日 {day} 的数据，"
        "将草案版本与当前生效版本逐个主播对比。不会改变任何状态。",
        "Paste or upload a draft rulebook (YAML): every host of the latest run day, {day}, is "
        "graded by the draft's version beside the version in force. Nothing is changed.",
    ),
    "sim.draft": ("规则草案（YAML）", "Draft rulebook (YAML)"),
    "sim.upload": ("或上传文件", "or upload a file"),
    "sim.version": ("草案版本（默认：最新）", "Draft version (default: its latest)"),
    "sim.submit": ("模拟", "Simulate"),
    "sim.summary": (
        "{day}：{version} → {draft}，{hosts} 位主播中 {changed} 位身份变化",
        "{day}: {version} → {draft}, {changed} of {hosts} hosts change tier",
    ),
    "sim.matrix": (
        "{line}：身份变化矩阵（行：当前版本，列：草案）",
        "{line}: transitions (rows: in force, columns: draft)",
    ),
    "sim.privileges": ("{line}：权益得失", "{line}: privileges gained and lost"),
    "sim.gained": ("获得", "gained"),
    "sim.lost": ("失去", "lost"),
    "sim.thresholds": (
        "{line}：最接近变动阈值的主播",
        "{line}: hosts closest to each moved threshold",
    ),
    "sim.threshold": ("阈值", "threshold"),
    "sim.value": ("数值", "value"),
    "sim.changed": ("身份变化的主播（前 {n} 位）", "Hosts that change tier (first {n})"),
    "sim.draft_tier": ("草案身份", "draft tier"),
    "sim.reasons": (
        "决定差异的原因（草案条件、降级宽限或人工调整）",
        "what decides it (draft criteria, grace or an override)",
    ),
    "sim.set": ("{tier}：", "{tier}: "),
    "sim.values": ("（{values}）", " ({values})"),
    "sim.value_sep": ("，", ", "),
    "sim.in_force": ("（现行版本）", " (the version in force)"),
    "sim.grace_kept": (
        "降级宽限：草案评为{graded}，仍保留{tier}（连续第 {n} 个较低运行日，宽限 {days} 个）",
        "grace: graded {graded} by the draft, keeps {tier} (lower day run {n} of {days} "
        "grace days)",
    ),
    "sim.grace_ends": (
        "降级宽限：现行版本仍保留{tier}（评为{graded}），草案宽限 {days} 个运行日，不再保留",
        "grace: the version in force keeps {tier} (graded {graded}); the draft's {days} "
        "grace days do not",
    ),
    "sim.policy": (
        "降级宽限 {before} → {after} 个运行日：宽限保留 {kept} → {draft_kept} 位评级较低的主播；"
        "人工调整决定 {over} → {draft_over} 位",
        "downgrade grace {before} → {after} day runs: grace keeps {kept} → {draft_kept} hosts "
        "graded lower; overrides set {over} → {draft_over}",
    ),
    "sim.no_policy": (
        "未应用降级宽限与人工调整：没有当前身份",
        "grace and overrides are not applied: no current tiers",
    ),
    "sim.error": ("无法模拟：", "Cannot simulate: "),
    "op.overrides": ("人工调整身份", "Manual overrides"),
    "op.overrides_hint": (
        "保底或封顶自下一个运行日起生效，截止日当天仍生效；不满足基础要求的主播不会被保底抬升。",
        "A floor or cap acts from the next day run through its last day (inclusive); a floor "
        "never lifts a host that fails the basic requirements.",
    ),
    "op.override_set": ("设置", "Set"),
    "op.override_clear": ("解除", "Clear"),
    "op.override_kind": ("类型", "kind"),
    "op.override_tier": ("身份", "tier"),
    "op.override_until": ("截止日（含）", "until (inclusive)"),
    "op.override_reason": ("原因", "reason"),
    "op.override_state": ("状态", "state"),
    "op.override_by": ("操作人", "by"),
    "op.override_audit": ("操作记录", "Audit trail"),
    "op.override_refused": ("未能完成：{why}", "Not done: {why}"),
    "override.floor": ("保底", "floor"),
    "override.cap": ("封顶", "cap"),
    "override.state.in_force": ("生效中", "in force"),
    "override.state.scheduled": ("待生效", "scheduled"),
    "override.state.ended": ("已解除", "cleared"),
    "override.state.expired": ("已到期", "expired"),
    "override.action.set": ("设置", "set"),
    "override.action.clear": ("解除", "clear"),
    "override.action.expire": ("到期", "expiry"),
    "override.none": ("不限", "none"),
    "host.override": (
        "身份由人工调整决定：{kind} {tier}，{until}",
        "Tier set by a manual override: {kind} {tier}, {until}",
    ),
    "host.override_until": ("截至 {day}（含）", "until {day} (inclusive)"),
    "host.override_open": ("直至解除", "until cleared"),
    "host.grace": (
        "降级宽限中：评级已低于当前身份，还可宽限 {n} 个运行日",
        "In grace before a downgrade: graded lower, keeps its tier for {n} more day run(s)",
    ),
    "change.grace": (
        "宽限期结束（连续 {n} 个运行日评级较低）",
        "grace ended (graded lower on {n} consecutive day runs)",
    ),
    "change.override": ("人工调整：", "override: "),
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
    "and": ("且", "and"),
    "op.in": ("属于", "in"),
    "op.not_in": ("不属于", "not in"),
    # the reasons of a tier change
    "change.met": ("达标", "met"),
    "change.unmet": ("未达标", "not met"),
    "change.basic": ("基础要求：", "basic requirements: "),
    "change.basic_all_met": ("基础要求全部达标", "all basic requirements met"),
    "list.sep": ("；", "; "),
    # the details (明细) view: the records behind the two 30-day metrics
    "explain.link": ("明细", "Details"),
    "explain.title": ("指标明细", "Metric details"),
    "explain.intro": (
        "{day} 的近30天指标统计 {first} 至 {last} 的记录；计入的记录相加即为指标。",
        "The 30-day metrics of {day} count the records of {first} … {last}; the counted "
        "records add up to the metrics.",
    ),
    "explain.sessions": ("直播场次", "Sessions"),
    "explain.buyers": ("直播间买家", "Live buyers"),
    "explain.total": ("计入 {n}", "{n} counted"),
    "explain.empty": ("此期间没有记录。", "No records in this period."),
    "explain.unavailable": (
        "暂无可读取的原始数据，无法列出明细。",
        "No raw data can be read to list the records.",
    ),
    "explain.times": ("时间均为平台时间。", "Times are platform time."),
    "col.session": ("场次", "session"),
    "col.start": ("开播", "start"),
    "col.minutes": ("时长（分钟）", "minutes"),
    "col.buyer": ("买家", "buyer"),
    "col.first_view": ("首次观看", "first view"),
    "col.first_paid": ("首次付款", "first payment"),
    "col.why": ("原因", "why"),
    "why.valid": ("有效直播", "valid session"),
    "why.duplicate_row": ("重复记录，只计一次", "duplicate rows, counted once"),
    "why.crosses_midnight": ("跨零点，计入开播当天", "crosses midnight, counted on its start day"),
    "why.deleted": ("已删除，仍计入", "deleted, still counted"),
    "why.too_short": ("时长未超过 {minutes} 分钟", "lasted no more than {minutes} minutes"),
    "why.outside_window": ("不在统计期内", "outside the window"),
    "why.counted": ("观看后付款", "paid after viewing"),
    "why.paid_before_viewing": ("付款早于观看", "paid before viewing"),
    "why.no_payment_that_day": ("当天未付款", "no payment that day"),
    "why.unpaid_order": ("订单未付款", "unpaid order"),
    "why.no_view_that_day": ("当天未观看直播", "did not view a session that day"),
    "why.ends_before_start": ("结束早于开始", "ends before it starts"),
    "why.conflicting_duplicate": ("同一编号的记录互相矛盾", "conflicting rows of one id"),
    "why.unparseable_timestamp": ("时间无法识别", "unreadable time"),
    "why.wrong_partition": ("存放在其他日期的分区", "filed under another day's partition"),
    "why.session_rejected": ("所属场次无效", "its session was rejected"),
    "why.missing_id": ("缺少编号", "missing id"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none_yet": ("暂无。", "None."),
    # the live channel and the host page's live card
    "nav.live": ("直播频道", "Live channel"),
    "live.title": ("直播频道", "Live channel"),
    "live.help": (
        "正在直播且已实时浮现的直播间，按频道排序；页面自动更新。",
        "Live rooms surfaced in real time, in channel order; this page updates itself.",
    ),
    "live.banner": ("频道 banner 资源位", "Channel banner slots"),
    "live.banner_help": ("{n} 个，仅荣耀主播可占用", "{n} slots, for honor hosts only"),
    "live.banner_empty": ("空缺", "empty"),
    "live.rooms": ("直播间排序", "Rooms in channel order"),
    "live.empty": ("暂无浮现的直播间。", "No room is surfaced right now."),
    "live.viewers": ("观看人数", "viewers"),
    "live.buyers": ("买家数", "buyers"),
    "live.score": ("排序分", "score"),
    "live.surfaced_col": ("浮现时间", "surfaced at"),
    "live.in_banner": ("banner", "banner"),
    "live.activity": ("频道活动", "channel activity"),
    "live.updated": ("自动更新 · 数据时间 {time}", "updates itself · as of {time}"),
    "hl.title": ("正在直播", "Live now"),
    "hl.session": ("场次 {id} · {time} 开播", "session {id} · started {time}"),
    "hl.surfaced": ("已实时浮现（{time} 起）", "Surfaced in real time since {time}"),
    "hl.waiting": (
        "观看人数与买家数达到下列门槛后，直播间将实时浮现。",
        "The room is surfaced in real time once viewers and buyers reach these thresholds.",
    ),
    "hl.no_privilege": (
        "当前身份不含直播实时浮现权益。",
        "Your tier does not include real-time surfacing.",
    ),
    "hl.not_live": ("当前未在直播", "Not live now"),
    "hl.today": ("今日截至目前 · {day}", "Today so far · {day}"),
    "hl.provisional": ("计入明日", "counts from tomorrow"),
    "hl.valid_sessions": ("有效场次", "valid sessions"),
    "hl.live_buyers": ("直播买家数", "live buyers"),
    "hl.provisional_help": (
        "暂估数据：今日数据于明日（T+1）计入近30天指标。",
        "Provisional: today counts in the 30-day metrics from tomorrow (T+1).",
    ),
}


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


def label(prefix: str, code: str, lang: str) -> str:
    """The label of a privilege or line; a code the rulebook adds later shows as itself."""
    key = f"{prefix}.{code}"
    return translator(lang)(key) if key in TEXT else code


def metric_label(metric: str, lang: str) -> str:
    """A metric's name in ``lang``."""
    m = METRICS[metric]
    return m.zh if lang == "zh" else m.en
