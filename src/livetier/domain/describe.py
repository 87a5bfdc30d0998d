"""Rule nodes in words and as plain data: the one way criteria are written for people and
records (CLI tables, web pages, API answers, task-list records)."""

from __future__ import annotations

from typing import Any

from livetier.domain.rulebook import Criterion, Node, Op

OP_SIGN = {
    Op.GE: "≥",
    Op.GT: ">",
    Op.LE: "≤",
    Op.LT: "<",
    Op.EQ: "=",
    Op.NE: "≠",
    Op.IN: "in",
    Op.NOT_IN: "not in",
    Op.IS_TRUE: "yes",
    Op.IS_FALSE: "no",
}
"""How tables show an operator; is_true / is_false read as the flag's required answer."""


def target_text(c: Criterion) -> str:
    """A criterion's requirement as a short phrase, e.g. ``≥ 4.6``."""
    if not c.op.takes_target:
        return OP_SIGN[c.op]
    target = ", ".join(map(str, c.target)) if isinstance(c.target, tuple) else str(c.target)
    return f"{OP_SIGN[c.op]} {target}"


def node_text(node: Node) -> str:
    """A node in table words, e.g. ``fans ≥ 500`` or ``(a ≥ 5 or b ≥ 50)``; a group of any
    mode joins its members with ``or``, as the CLI's "missing for next" column does."""
    if isinstance(node, Criterion):
        return f"{node.metric} {target_text(node)}"
    return "(" + " or ".join(node_text(c) for c in node.children) + ")"


def criterion_dict(c: Criterion) -> dict[str, Any]:
    """A criterion as plain data: metric, operator and target (a list for ``in``)."""
    target = list(c.target) if isinstance(c.target, tuple) else c.target
    return {"metric": c.metric, "op": c.op.value, "target": target}


def node_spec(node: Node) -> dict[str, Any]:
    """A rule node as plain data: a criterion's metric, operator and target, or a group."""
    if isinstance(node, Criterion):
        return criterion_dict(node)
    return {"mode": node.mode, "children": [node_spec(c) for c in node.children]}


def criterion_text(record: dict[str, Any]) -> str:
    """A node record (``criterion_dict`` fields, groups with ``mode`` and ``branches``) as one
    line, e.g. ``fans >= 500`` or ``(a >= 5 or b >= 50)``."""
    if "metric" in record:
        target = "" if record["target"] is None else f" {record['target']}"
        return f"{record['metric']} {record['op']}{target}"
    joined = f" {'or' if record['mode'] == 'any' else 'and'} ".join(
        criterion_text(b) for b in record["branches"]
    )
    return f"({joined})"


def threshold_cells(node: Node, suffix: str = "") -> dict[str, str]:
    """Criteria of a tier as metric -> cell text; members of an 'any' group end in 'or'."""
    if isinstance(node, Criterion):
        return {node.metric: target_text(node) + suffix}
    cells: dict[str, str] = {}
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        cells.update(threshold_cells(child, " or" if node.mode == "any" and not last else suffix))
    return cells
