"""The reasons of a tier change in the page's words: the stored rule text of each reason
(``expert: (live_sessions_30d >= 5 or live_buyers_30d >= 50)``, as domain.describe writes it)
read back and written with the metrics' labels, signs and 或 / or."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import Any

from livetier.domain.describe import OP_SIGN
from livetier.domain.metrics import METRICS
from livetier.domain.rulebook import Op
from livetier.entrypoints.web.i18n import tier_name, translator

_REASON = re.compile(r"(?P<set>\w+): (?P<rule>.+)")
_CRITERION = re.compile(
    r"(?P<metric>\w+) (?P<op>>=|<=|==|!=|>|<|not_in|in|is_true|is_false)"
    r"(?: (?P<target>\[[^\]]*\]|[^\s()]+))?"
)
_JOINER = re.compile(r" (or|and) ")
_ALL_MET = "all met"


class _Unreadable(ValueError):
    """Text that is not a rule as criterion_text writes it."""


def _metric(name: str, lang: str) -> str:
    m = METRICS.get(name)
    return name if m is None else m.zh if lang == "zh" else m.en


def _criterion(found: re.Match[str], lang: str, t: Callable[..., str]) -> str:
    op, label = Op(found["op"]), _metric(found["metric"], lang)
    if op is Op.IS_TRUE:
        return label
    if op is Op.IS_FALSE:
        return t("flag.no", what=label)
    target = found["target"] or ""
    if op in (Op.IN, Op.NOT_IN):
        items = ast.literal_eval(target) if target.startswith("[") else [target]
        return f"{label} {t('op.' + op.name.lower())} {', '.join(map(str, items))}"
    return f"{label} {OP_SIGN[op]} {target}"


def _rule(text: str, at: int, lang: str, t: Callable[..., str]) -> tuple[str, int, bool]:
    """The rule starting at ``text[at]`` in words, where it ends, and whether it is a group:
    a criterion, or a parenthesised group of rules joined by or / and."""
    if not text.startswith("(", at):
        found = _CRITERION.match(text, at)
        if found is None:
            raise _Unreadable(text)
        return _criterion(found, lang, t), found.end(), False
    parts: list[str] = []
    joiner, at = "or", at + 1
    while True:
        words, at, group = _rule(text, at, lang, t)
        parts.append(f"({words})" if group else words)
        if text.startswith(")", at):
            return f" {t(joiner)} ".join(parts), at + 1, True
        glue = _JOINER.match(text, at)
        if glue is None:
            raise _Unreadable(text)
        joiner, at = glue[1], glue.end()


_GRACE = re.compile(r"grace: graded lower on (\d+) consecutive day runs")


def reason_text(reason: str, direction: str, lang: str) -> str:
    """One stored reason in words, e.g. 近30天有效场次 ≥ 5 或 近30天直播买家数 ≥ 50 未达标 for
    a downgrade; text that is not a stored rule is shown as it is."""
    t = translator(lang)
    grace = _GRACE.fullmatch(reason)
    if grace is not None:
        return t("change.grace", n=grace[1])
    if reason.startswith("override: "):
        return t("change.override") + reason.removeprefix("override: ")
    found = _REASON.fullmatch(reason)
    if found is None:
        return reason
    if found["rule"] == _ALL_MET:
        return t("change.basic_all_met")
    try:
        words, end, _ = _rule(found["rule"], 0, lang, t)
    except _Unreadable:
        return reason
    if end != len(found["rule"]):
        return reason
    outcome = t("change.met" if direction == "up" else "change.unmet")
    prefix = t("change.basic") if found["set"] == "basic" else ""
    return f"{prefix}{words} {outcome}"


def in_words(change: dict[str, Any], lang: str) -> dict[str, Any]:
    """A change record (Served.changes) with ``reason_words``: its reasons in words."""
    return change | {
        "reason_words": [reason_text(r, change["direction"], lang) for r in change["reasons"]]
    }


# rules simulate's reasons (services/rules_ops, domain/simulation.decisive): the rule in
# table words (domain.describe.node_text), its outcome and the host's values, or grace, or an
# override.
_SAID = re.compile(r"(?P<set>\w+): (?P<rule>.+): (?P<outcome>met|not met) \((?P<values>.*)\)")
_SIGN_OP = {"≥": ">=", "≤": "<=", "≠": "!=", "=": "==", ">": ">", "<": "<", "yes": "is_true"}
_SIGN_OP["no"] = "is_false"
_SIGNED = re.compile(r"(\w+) (≥|≤|≠|=|>|<|yes|no)(?=[ )]|$)")
_LISTED = re.compile(r"(\w+) (not in|in) ([^()]+?)(?=\)| or |$)")
_VALUE = re.compile(r"(\w+) (.*?)(?=, \w+ |$)")
_GRACE_KEPT = re.compile(
    r"grace: graded (?P<graded>\w+) by the draft, keeps (?P<tier>\w+) \(lower day run "
    r"(?P<n>\d+) of the (?P<days>\d+) downgrade_grace_days allow\)"
)
_GRACE_ENDS = re.compile(
    r"grace: the version in force keeps (?P<tier>\w+) \(graded (?P<graded>\w+)\); the "
    r"draft's downgrade_grace_days (?P<days>\d+) does not"
)
_IN_FORCE = " (the version in force)"


def _stored_rule(rule: str) -> str:
    """A rule in table words (``a ≥ 5``, ``c not in x, y``) as the stored text reads it."""
    rule = _LISTED.sub(
        lambda m: f"{m[1]} {m[2].replace(' ', '_')} {[x.strip() for x in m[3].split(',')]!r}",
        rule,
    )
    return _SIGNED.sub(
        lambda m: f"{m[1]} {_SIGN_OP[m[2]]}",
        rule,
    )


def _value(text: str, t: Callable[..., str]) -> str:
    return {"True": t("yes"), "False": t("no"), "None": "—"}.get(text, text)


def simulation_reason_text(reason: str, lang: str) -> str:
    """One reason of ``rules simulate`` in words, e.g. 达人主播：近30天有效场次 ≥ 4 或
    近30天直播买家数 ≥ 50 达标（近30天有效场次 4，近30天直播买家数 0）; text that is not
    one is shown as it is."""
    t = translator(lang)
    kept = _GRACE_KEPT.fullmatch(reason)
    if kept is not None:
        return t(
            "sim.grace_kept",
            graded=tier_name(kept["graded"], lang),
            tier=tier_name(kept["tier"], lang),
            n=kept["n"],
            days=kept["days"],
        )
    ends = _GRACE_ENDS.fullmatch(reason)
    if ends is not None:
        return t(
            "sim.grace_ends",
            graded=tier_name(ends["graded"], lang),
            tier=tier_name(ends["tier"], lang),
            days=ends["days"],
        )
    if reason.startswith("override: "):
        rest = reason.removeprefix("override: ")
        if rest.endswith(_IN_FORCE):
            return t("change.override") + rest.removesuffix(_IN_FORCE) + t("sim.in_force")
        return t("change.override") + rest
    found = _SAID.fullmatch(reason)
    if found is None:
        return reason
    try:
        words, end, _ = _rule(_stored_rule(found["rule"]), 0, lang, t)
    except (_Unreadable, KeyError, ValueError, SyntaxError):
        return reason
    if end != len(_stored_rule(found["rule"])):
        return reason
    if found["set"] == "basic":
        prefix = t("change.basic")
    else:
        try:
            prefix = t("sim.set", tier=tier_name(found["set"], lang))
        except ValueError:
            return reason
    outcome = t("change.met" if found["outcome"] == "met" else "change.unmet")
    values = t("sim.value_sep").join(
        f"{_metric(m[1], lang)} {_value(m[2], t)}" for m in _VALUE.finditer(found["values"]) if m[0]
    )
    return f"{prefix}{words} {outcome}" + (t("sim.values", values=values) if values else "")


def simulated_in_words(host: dict[str, Any], lang: str) -> dict[str, Any]:
    """A simulated host record with ``reason_words``: its reasons in words."""
    return host | {"reason_words": [simulation_reason_text(r, lang) for r in host["reasons"]]}
