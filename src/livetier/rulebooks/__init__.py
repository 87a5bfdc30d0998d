"""Rulebook files: YAML on disk to the domain's Rulebook, validated with precise locations."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from livetier.domain.metrics import METRICS
from livetier.domain.rulebook import (
    Channel,
    Criterion,
    Definitions,
    Group,
    Node,
    Op,
    Rulebook,
    RuleError,
    Version,
)
from livetier.domain.tiers import Tier

DEFAULT_RULEBOOK = Path(__file__).with_name("1688.yaml")
_TierName = Literal["ordinary", "expert", "honor"]


class RulebookFileError(Exception):
    """A rules file that cannot be used; the message names the file and the place in it."""


class _Strict(BaseModel):
    """A part of the file: unknown keys are errors, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class CriterionSpec(_Strict):
    """One criterion as written: metric, operator and (for most operators) a value."""

    metric: str
    op: Op
    value: bool | int | float | str | list[str | int] | None = None

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, name: str) -> str:
        """An unknown metric is reported at the metric itself (the domain checks it too)."""
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r}; known: {', '.join(METRICS)}")
        return name

    @model_validator(mode="after")
    def _consistent(self) -> CriterionSpec:
        """The domain's checks (operator fits the metric, value fits the operator)."""
        try:
            self.to_domain()
        except RuleError as e:
            raise ValueError(str(e)) from None
        return self

    def to_domain(self) -> Criterion:
        """The domain criterion, text targets lower-cased."""
        # Text codes (categories) are compared case-insensitively: input is lower-cased on
        # read (pipeline/contract.py), so targets are too.
        value = self.value
        if isinstance(value, str):
            value = value.lower()
        target = (
            tuple(v.lower() if isinstance(v, str) else v for v in value)
            if isinstance(value, list)
            else value
        )
        return Criterion(self.metric, self.op, target)


class GroupSpec(_Strict):
    """A group as written: exactly one of ``all`` or ``any``."""

    all_: list[NodeSpec] | None = Field(None, alias="all")
    any_: list[NodeSpec] | None = Field(None, alias="any")

    def to_domain(self) -> Group:
        """The domain group, children converted in order."""
        if (self.all_ is None) == (self.any_ is None):
            raise ValueError("a group has exactly one of 'all' or 'any'")
        mode, children = ("all", self.all_) if self.all_ is not None else ("any", self.any_)
        assert children is not None
        return Group(mode, tuple(c.to_domain() for c in children))


def _node_kind(raw: Any) -> str:
    """Which spec a raw node is: a mapping with ``all`` or ``any`` is a group."""
    if isinstance(raw, dict) and ("all" in raw or "any" in raw):
        return "group"
    return "criterion"


NodeSpec = Annotated[
    Annotated[CriterionSpec, Tag("criterion")] | Annotated[GroupSpec, Tag("group")],
    Discriminator(_node_kind),
]
GroupSpec.model_rebuild()


class DefinitionsSpec(_Strict):
    """The definitions shared by every version."""

    timezone: str
    valid_session_longer_than_minutes: int = Field(gt=0)
    window_days: int = Field(gt=0)


class ChannelSpec(_Strict):
    """The live channel's settings as written."""

    banner_slots: int = Field(ge=0)
    ranking_boost_weight: float = Field(ge=1)
    buyer_weight: float = Field(ge=0)


class VersionSpec(_Strict):
    """One rulebook version as written."""

    version: str
    effective_from: date
    privileges: dict[str, _TierName] = {}
    fatigue_days: dict[str, Annotated[int, Field(gt=0)]] = {}
    downgrade_grace_days: int = Field(0, ge=0)
    basic: GroupSpec
    lines: dict[str, dict[_TierName, GroupSpec]]
    surfacing: dict[str, GroupSpec] = {}
    channel: ChannelSpec | None = None


class RulebookSpec(_Strict):
    """The whole file."""

    rulebook: str
    definitions: DefinitionsSpec
    versions: list[VersionSpec] = Field(min_length=1)


def _where(loc: tuple[int | str, ...]) -> str:
    """A validation error's location as a reader writes it: ``versions[0].basic.all[2]``."""
    out = ""
    for part in loc:
        if part in ("criterion", "group"):  # union tags say nothing to a reader
            continue
        text = str(part)
        out += (
            f"[{part}]"
            if isinstance(part, int) or text.startswith("[")
            else (f".{text}" if out else text)
        )
    return out or "(top level)"


def _to_domain(spec: RulebookSpec) -> Rulebook:
    """The domain rulebook; a domain error names the version it is in."""
    versions = []
    for i, v in enumerate(spec.versions):
        try:
            versions.append(
                Version(
                    version=v.version,
                    effective_from=v.effective_from,
                    basic=_group(v.basic, f"versions[{i}].basic"),
                    lines={
                        line: {
                            Tier(t): _group(g, f"versions[{i}].lines.{line}.{t}")
                            for t, g in tiers.items()
                        }
                        for line, tiers in v.lines.items()
                    },
                    privileges={p: Tier(t) for p, t in v.privileges.items()},
                    fatigue_days=dict(v.fatigue_days),
                    surfacing={
                        line: _group(g, f"versions[{i}].surfacing.{line}")
                        for line, g in v.surfacing.items()
                    },
                    channel=(
                        Channel(
                            v.channel.banner_slots,
                            v.channel.ranking_boost_weight,
                            v.channel.buyer_weight,
                        )
                        if v.channel is not None
                        else None
                    ),
                    downgrade_grace_days=v.downgrade_grace_days,
                )
            )
        except RuleError as e:
            raise RuleError(f"versions[{i}]: {e}") from None
    d = spec.definitions
    return Rulebook(
        spec.rulebook,
        Definitions(d.timezone, d.valid_session_longer_than_minutes, d.window_days),
        tuple(versions),
    )


def _group(spec: GroupSpec, where: str) -> Group:
    """The domain group of ``spec``; an error names ``where`` it is."""
    try:
        return spec.to_domain()
    except (RuleError, ValueError) as e:
        raise RuleError(f"{where}: {e}") from None


def parse(text: str, source: str = "<string>") -> Rulebook:
    """Parse and validate rulebook YAML; every error names ``source`` and the place in it."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise RulebookFileError(f"{source}: not valid YAML: {e}") from None
    try:
        spec = RulebookSpec.model_validate(raw)
    except ValidationError as e:
        lines = [f"{source}: {_where(err['loc'])}: {err['msg']}" for err in e.errors()]
        raise RulebookFileError("\n".join(lines)) from None
    try:
        book = _to_domain(spec)
        _check_timezone(book.definitions.timezone)
    except RuleError as e:
        raise RulebookFileError(f"{source}: {e}") from None
    return book


def _check_timezone(name: str) -> None:
    """Refuse a time zone the system does not know."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(f"definitions.timezone: unknown time zone {name!r}") from None


def load(path: Path | str | None = None) -> Rulebook:
    """Load a rules file, or the shipped 1688 rulebook when ``path`` is None."""
    file = Path(path) if path is not None else DEFAULT_RULEBOOK
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as e:
        raise RulebookFileError(f"{file}: cannot read: {e.strerror}") from None
    return parse(text, str(file))


# writing a rulebook back ----------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _scalar(value: object) -> str:
    """A value as YAML text that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _node_lines(node: Node, indent: str) -> list[str]:
    """A criterion on one line in flow style; a group as ``all:`` / ``any:`` with a list."""
    if isinstance(node, Criterion):
        parts = [f"metric: {node.metric}", f"op: {_scalar(node.op.value)}"]
        if node.target is not None:
            parts.append(f"value: {_scalar(node.target)}")
        return [indent + "{" + ", ".join(parts) + "}"]
    if not node.children:
        return [f"{indent}{{{node.mode}: []}}"]
    out = [f"{indent}{node.mode}:"]
    for child in node.children:
        inner = _node_lines(child, indent + "    ")
        out.append(f"{indent}  - {inner[0].lstrip()}")
        out.extend(inner[1:])
    return out


def _group_lines(key: str, group: Group, indent: str) -> list[str]:
    body = _node_lines(group, indent + "  ")
    if len(body) == 1:  # an empty group: {all: []}
        return [f"{indent}{key}: {body[0].strip()}"]
    return [f"{indent}{key}:", *body]


def dump(book: Rulebook, header: str = "") -> str:
    """A rulebook as YAML in the shipped file's layout, which ``parse`` reads back as the same
    rulebook. Comments are not kept (the domain's rulebook has none); ``header`` (lines of
    text) is written as a comment at the top."""
    d = book.definitions
    out = [f"# {line}" if line else "#" for line in header.splitlines()]
    out += [
        f"rulebook: {_scalar(book.name)}",
        "definitions:",
        f"  timezone: {_scalar(d.timezone)}",
        f"  valid_session_longer_than_minutes: {d.valid_session_longer_than_minutes}",
        f"  window_days: {d.window_days}",
        "",
        "versions:",
    ]
    for v in book.versions:
        out += [
            f"  - version: {json.dumps(v.version)}",
            f"    effective_from: {v.effective_from.isoformat()}",
        ]
        if v.privileges:
            out.append("    privileges:")
            out += [f"      {p}: {t.value}" for p, t in v.privileges.items()]
        if v.fatigue_days:
            out.append("    fatigue_days:")
            out += [f"      {p}: {n}" for p, n in v.fatigue_days.items()]
        if v.downgrade_grace_days:
            out.append(f"    downgrade_grace_days: {v.downgrade_grace_days}")
        out += _group_lines("basic", v.basic, "    ")
        out.append("    lines:")
        for line, tiers in v.lines.items():
            out.append(f"      {_scalar(line)}:")
            for tier, group in tiers.items():
                out += _group_lines(tier.value, group, "        ")
        if v.surfacing:
            out.append("    surfacing:")
            for line, group in v.surfacing.items():
                out += _group_lines(_scalar(line), group, "      ")
        if v.channel is not None:
            c = v.channel
            out += [
                "    channel:",
                f"      banner_slots: {c.banner_slots}",
                f"      ranking_boost_weight: {json.dumps(c.ranking_boost_weight)}",
                f"      buyer_weight: {json.dumps(c.buyer_weight)}",
            ]
    return "\n".join(out) + "\n"


__all__ = ["DEFAULT_RULEBOOK", "RulebookFileError", "dump", "load", "parse"]
