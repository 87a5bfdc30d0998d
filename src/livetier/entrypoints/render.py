"""Rich renderings shared by CLI commands: tier summaries, task lists and rulebook tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.console import Group as RichGroup
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from livetier.domain.describe import node_text, threshold_cells
from livetier.domain.evaluation import HostEvaluation
from livetier.domain.metrics import METRICS
from livetier.domain.rulebook import Version
from livetier.domain.tiers import Tier
from livetier.entrypoints import views
from livetier.entrypoints.views import Holds, Requirement

if TYPE_CHECKING:
    from livetier.services.evaluate import Evaluation
    from livetier.services.status import HostStatus


def tier_label(tier: Tier | None) -> str:
    """``达人主播 expert``; the Chinese name first, as hosts read it."""
    if tier is None:
        return "—"
    return tier.value if tier is Tier.NONE else f"{tier.zh} {tier.value}"


def value_text(value: Any) -> str:
    """A metric value for people: missing values say so."""
    if value is None:
        return "missing 缺失"
    if isinstance(value, bool):
        return "yes 是" if value else "no 否"
    return str(value)


def tier_summary(counts: dict[str, Counter[Tier]]) -> Table:
    """Hosts per tier and line, with shares."""
    table = Table(title="Tier distribution 主播身份分布")
    table.add_column("tier 身份")
    lines = sorted(counts)
    for line in lines:
        table.add_column(line, justify="right")
    table.add_column("all", justify="right")
    totals = {line: sum(counts[line].values()) for line in lines}
    grand = sum(totals.values())
    for tier in reversed(list(Tier)):
        cells = []
        for line in lines:
            n = counts[line][tier]
            cells.append(f"{n} ({n / totals[line]:.0%})" if totals[line] else "0")
        n = sum(counts[line][tier] for line in lines)
        cells.append(f"{n} ({n / grand:.0%})" if grand else "0")
        table.add_row(tier_label(tier), *cells)
    table.add_row("total", *(str(totals[line]) for line in lines), str(grand), style="bold")
    return table


def _bar(req: Requirement, width: int = 10) -> Text:
    filled = int(req.shown * width)
    return Text(
        "█" * filled + "░" * (width - filled) + f" {req.pct}%",
        style="green" if req.met else "yellow",
    )


def _rows(req: Requirement, indent: str = "") -> list[tuple[str, str, str, Text, Text]]:
    mark = Text("✓", style="green") if req.met else Text("✗", style="red")
    closest = "  ← closest 最接近" if req.closest else ""
    if req.criterion is not None:
        m = METRICS[req.criterion.metric]
        return [(f"{indent}{m.zh}{closest}", value_text(req.value), req.target, mark, _bar(req))]
    word = "any one of 任一" if req.mode == "any" else "all of 全部"
    rows = [(f"{indent}{word}:{closest}", "", "", mark, _bar(req))]
    for child in req.children:
        rows += _rows(child, indent + "  ")
    return rows


def holds_text(holds: Holds | None) -> Text:
    """How long the tier holds if nothing new happens, in the host's words; red when at risk."""
    if holds is None:
        return Text("")
    if holds.days is None:
        return Text("holds while the profile is unchanged 资料不变即可保持", style="green")
    return Text(
        f"holds {holds.days} more day(s) if nothing new happens 无新增活动可再保持 {holds.days} 天",
        style="bold red" if holds.at_risk else "green",
    )


def task_list(
    ev: HostEvaluation,
    metrics: dict[str, Any],
    holds_days: int | None = None,
    *,
    status: HostStatus | None = None,
) -> RichGroup:
    """What a host sees: its tier and how long it holds, then each requirement set it must
    keep or reach. With the host's ``status``, how long it holds is the run's answer."""
    head = Text.assemble(
        (f"{ev.host_id}", "bold"),
        f"  {ev.line}  ",
        (tier_label(ev.tier), "bold cyan"),
        f"  → next 下一级: {tier_label(ev.next_tier)}" if ev.next_tier else "  (top tier 最高)",
    )
    parts: list[Any] = [head]
    if ev.tier is not Tier.NONE:
        shown = views.holds(status) if status else views.evaluation_holds(ev, holds_days)
        parts.append(holds_text(shown))
    for req_set in views.task_sets(ev):
        if req_set.collapsed:
            parts.append(
                Text(f"basic requirements 基础要求: all {req_set.count} met ✓", style="green")
            )
            continue
        table = Table(title=_set_title(req_set), title_justify="left", show_edge=False)
        for col in ("requirement 要求", "value 当前", "target 目标", "met", "progress 进度"):
            table.add_column(col)
        for child in req_set.rows:
            for row in _rows(child):
                table.add_row(*row)
        parts.append(table)
    return RichGroup(*parts)


def _set_title(req_set: views.RequirementSet) -> str:
    if req_set.role == "basic":
        return "basic requirements 基础要求"
    word = "keep 保持" if req_set.role == "keep" else "reach 晋级"
    return f"{word} {tier_label(req_set.tier)}"


def surfacing_table(version: Version) -> Table:
    """Real-time surfacing requirements per line (直播实时浮现): what a live room must reach."""
    table = Table(
        title=f"{version.version}: real-time surfacing 直播实时浮现 (while live)",
        title_justify="left",
    )
    table.add_column("line")
    names = [m for m in METRICS if METRICS[m].source == "session"]
    for name in names:
        table.add_column(f"{METRICS[name].zh} {METRICS[name].en}")
    for line, group in version.surfacing.items():
        cells = threshold_cells(group)
        table.add_row(line, *(cells.get(n, "—") for n in names))
    return table


def rulebook_tables(version: Version) -> list[Table]:
    """One version as tables like docs/rules.md's: basic requirements, then a table per line."""
    basic = Table(
        title=f"{version.version} (from {version.effective_from}): basic requirements "
        "基础要求, every tier",
        title_justify="left",
    )
    basic.add_column("requirement 要求")
    basic.add_column("must be")
    shown = views.version_tables(version)
    for metric, text in shown.basic.items():
        m = METRICS[metric]
        basic.add_row(f"{m.zh} {m.en}", text)
    tables = [basic]
    for line in shown.lines:
        table = Table(title=f"{version.version}: {line.line}", title_justify="left")
        table.add_column("tier")
        for name in line.metrics:
            table.add_column(METRICS[name].en)
        for tier, cells in line.rows:
            table.add_row(tier_label(tier), *cells)
        tables.append(table)
    if version.surfacing:
        tables.append(surfacing_table(version))
    if version.channel is not None:
        ch = Table(title=f"{version.version}: live channel 直播频道", title_justify="left")
        ch.add_column("setting")
        ch.add_column("value")
        ch.add_row(
            "banner_slots (banner 资源位, channel_banner only)", str(version.channel.banner_slots)
        )
        ch.add_row("ranking_boost_weight (频道排序加权)", str(version.channel.ranking_boost_weight))
        ch.add_row("buyer_weight (score = viewers + w × buyers)", str(version.channel.buyer_weight))
        tables.append(ch)
    if version.privileges:
        priv = Table(
            title=f"{version.version}: privileges 权益 (lowest tier)", title_justify="left"
        )
        priv.add_column("privilege")
        priv.add_column("from tier")
        for name, tier in version.privileges.items():
            priv.add_row(name, tier_label(tier))
        tables.append(priv)
    grace = Table(title=f"{version.version}: downgrade 降级", title_justify="left")
    grace.add_column("setting")
    grace.add_column("value")
    grace.add_row(
        "downgrade_grace_days",
        f"{version.downgrade_grace_days} (a host graded lower keeps its tier until it has "
        f"graded lower on {version.downgrade_grace_days + 1} consecutive day runs)"
        if version.downgrade_grace_days
        else "0 (a host graded lower moves on the day run that grades it lower)",
    )
    tables.append(grace)
    return tables


def hosts_table(result: Evaluation, limit: int) -> Table:
    """The first ``limit`` graded hosts, one line each."""
    table = Table(title=f"Hosts on {result.day} (rulebook {result.version.version})")
    for col in (
        "host",
        "line",
        "tier 身份",
        "sessions 30d",
        "buyers 30d",
        "fans",
        "medal",
        "desc",
        "ship",
        "next",
        "missing for next 差什么",
    ):
        table.add_column(col, overflow="fold")
    for h in result.hosts[:limit]:
        m = result.metrics[h.host_id]
        missing = ", ".join(node_text(n.node) for n in h.missing())
        table.add_row(
            h.host_id,
            h.line,
            tier_label(h.tier),
            str(m["live_sessions_30d"]),
            str(m["live_buyers_30d"]),
            *(value_text(m[k]) for k in ("fans", "trade_medal", "bsr_description", "bsr_shipping")),
            h.next_tier.value if h.next_tier else "—",
            missing,
        )
    if len(result.hosts) > limit:
        table.caption = (
            f"… {len(result.hosts) - limit} more hosts: use --limit, or "
            "--format jsonl / csv for all"
        )
    return table


def problems_summary(counts: Counter[tuple[str, str]]) -> Table:
    """Data-quality report entries per table and reason."""
    table = Table(title="Data quality 数据质量 (rows reported)")
    table.add_column("table")
    table.add_column("reason")
    table.add_column("rows", justify="right")
    for (name, reason), n in sorted(counts.items()):
        table.add_row(name, reason, str(n))
    if not counts:
        table.add_row("—", "no problems found", "0")
    return table


@contextmanager
def progress(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar driven by ``advance(stage, done, total)`` calls."""
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield advance


def status_panel(st: HostStatus) -> Table:
    """A host's headline: tier, claim, privileges and how long the tier holds."""
    from livetier.services.status import claim_state  # SQLAlchemy: only where a status is shown

    table = Table(title=f"{st.host_id} on 日期 {st.day}", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value")
    claim = {
        "none": "—",
        "claimed": "claimed 已领取",
        "qualified_not_claimed": "qualified, not claimed 已达标，未领取",
    }[claim_state(st)]
    table.add_row("tier 身份", f"{tier_label(st.tier)} since 自 {st.since} ({st.rulebook_version})")
    table.add_row("claim 领取", claim)
    table.add_row("privileges 权益", ", ".join(st.privileges) or "—")
    table.add_row("holds 保持", holds_text(views.holds(st)))
    if st.grace_days_left is not None:
        table.add_row(
            "grace 降级宽限",
            f"[bold red]at risk: graded lower, keeps its tier; {st.grace_days_left} grace "
            f"day(s) left[/] 宽限剩余 {st.grace_days_left} 天"
            + (" (the next lower day run moves it)" if st.grace_days_left == 0 else ""),
        )
    if st.override is not None:
        o = st.override
        until = f"until {o.until} (inclusive) 至 {o.until}" if o.until else "until cleared 直至解除"
        table.add_row(
            "override 人工调整",
            f"tier set by override #{o.id}: {o.kind} {tier_label(o.tier)}, {until}",
        )
    return table


def _policy_caption(view: dict[str, Any], line: dict[str, Any]) -> str | None:
    """What grace and overrides do to the line's tiers (tiers are what hosts would hold),
    when either version has grace or an override is in force."""
    days, grace, over = view["downgrade_grace_days"], line["grace"], line["overrides"]
    if not view.get("policy_applied") or not (
        days["tier"] or days["draft_tier"] or over["tier"] or over["draft_tier"]
    ):
        return None
    said = [
        f"downgrade_grace_days {days['tier']} → {days['draft_tier']}: grace keeps "
        f"{grace['tier']} → {grace['draft_tier']} hosts graded lower at their tier"
    ]
    if over["tier"] or over["draft_tier"]:
        said.append(f"overrides set {over['tier']} → {over['draft_tier']} hosts' tier")
    return "; ".join(said)


def simulation_tables(view: dict[str, Any]) -> list[Table]:
    """``rules simulate`` as tables (the service's summary): per line the transition matrix
    (tier in force down, draft tier across, hosts and share of the line), the privileges
    gained and lost, and the hosts closest to each moved threshold."""
    tables = []
    for line in view["lines"]:
        matrix = Table(
            title=f"{line['line']}: {view['version']} → {view['draft_version']} on {view['day']}"
            f" ({line['changed']} of {line['hosts']} hosts change)",
            caption=_policy_caption(view, line),
        )
        matrix.add_column("in force ↓ / draft →")
        for tier in Tier:
            matrix.add_column(tier_label(tier), justify="right")
        cells = {(c["tier"], c["draft_tier"]): c for c in line["matrix"]}
        for a in Tier:
            row = []
            for b in Tier:
                c = cells[(a.value, b.value)]
                text = f"{c['hosts']} ({c['share']:.1%})" if c["hosts"] else "·"
                row.append(f"[bold]{text}[/]" if a is not b and c["hosts"] else text)
            matrix.add_row(tier_label(a), *row)
        tables.append(matrix)
        moved = [p for p in line["privileges"] if p["gained"] or p["lost"]]
        if moved:  # privileges no host gains or loses are left out
            shifts = Table(title=f"{line['line']}: privileges gained and lost 权益得失")
            for col in ("privilege", "gained", "lost"):
                shifts.add_column(col, justify="left" if col == "privilege" else "right")
            for p in moved:
                shifts.add_row(p["privilege"], str(p["gained"]), str(p["lost"]))
            tables.append(shifts)
        if line["thresholds"]:
            near = Table(title=f"{line['line']}: hosts closest to each moved threshold")
            for col in ("requirement", "threshold", "host", "value", "tier", "draft tier"):
                near.add_column(col)
            for t in line["thresholds"]:
                label = f"{t['metric']} {t['op']} {t['before']} → {t['after']}"
                hosts = t["nearest"] or [None]
                for i, n in enumerate(hosts):
                    near.add_row(
                        t["requirement"] if i == 0 else "",
                        label if i == 0 else "",
                        *(
                            (n["host_id"], str(n["value"]), n["tier"], n["draft_tier"])
                            if n
                            else ("—", "", "", "")
                        ),
                    )
            tables.append(near)
    return tables
