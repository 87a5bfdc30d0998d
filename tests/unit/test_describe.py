"""domain.describe: the one wording of criteria, pinned, used by task-list records and
the rulebook answer."""

from __future__ import annotations

from livetier import rulebooks
from livetier.domain import describe
from livetier.domain.evaluation import NodeResult
from livetier.domain.rulebook import Criterion, Group, Op
from livetier.services import evaluate, served

FANS = Criterion("fans", Op.GE, 500)
RATING = Criterion("bsr_description", Op.GT, 4.6)
CATEGORY = Criterion("category", Op.NOT_IN, ("pharmaceutical", "tobacco"))
TAX = Criterion("major_tax_violation", Op.IS_FALSE)
MEMBER = Criterion("enterprise_member", Op.IS_TRUE)
ANY = Group(
    "any", (Criterion("live_sessions_30d", Op.GE, 5), Criterion("live_buyers_30d", Op.GE, 50))
)
TIER = Group("all", (FANS, ANY, TAX))


def test_target_and_node_text():
    assert describe.target_text(FANS) == "≥ 500"
    assert describe.target_text(RATING) == "> 4.6"
    assert describe.target_text(CATEGORY) == "not in pharmaceutical, tobacco"
    assert describe.target_text(TAX) == "no"
    assert describe.target_text(MEMBER) == "yes"
    assert describe.node_text(FANS) == "fans ≥ 500"
    assert describe.node_text(ANY) == "(live_sessions_30d ≥ 5 or live_buyers_30d ≥ 50)"


def test_threshold_cells_mark_the_members_of_an_any_group():
    assert describe.threshold_cells(TIER) == {
        "fans": "≥ 500",
        "live_sessions_30d": "≥ 5 or",
        "live_buyers_30d": "≥ 50",
        "major_tax_violation": "no",
    }


def test_criterion_dict_and_node_spec():
    assert describe.criterion_dict(CATEGORY) == {
        "metric": "category",
        "op": "not_in",
        "target": ["pharmaceutical", "tobacco"],
    }
    assert describe.criterion_dict(TAX) == {
        "metric": "major_tax_violation",
        "op": "is_false",
        "target": None,
    }
    assert describe.node_spec(ANY) == {
        "mode": "any",
        "children": [
            {"metric": "live_sessions_30d", "op": ">=", "target": 5},
            {"metric": "live_buyers_30d", "op": ">=", "target": 50},
        ],
    }


def test_criterion_text_of_records():
    group = {"mode": "any", "branches": [describe.criterion_dict(c) for c in ANY.children]}
    assert describe.criterion_text(describe.criterion_dict(FANS)) == "fans >= 500"
    assert describe.criterion_text(describe.criterion_dict(TAX)) == "major_tax_violation is_false"
    assert describe.criterion_text(group) == "(live_sessions_30d >= 5 or live_buyers_30d >= 50)"
    assert describe.criterion_text({"mode": "all", "branches": group["branches"]}) == (
        "(live_sessions_30d >= 5 and live_buyers_30d >= 50)"
    )


def _nodes(node):
    yield node
    for child in getattr(node, "children", ()):
        yield from _nodes(child)


def _result(node, path="basic"):
    children = tuple(_result(c, path) for c in getattr(node, "children", ()))
    return NodeResult(path, node, False, 0.0, None, None, children)


def test_task_list_records_and_the_rulebook_answer_use_the_one_wording():
    book = rulebooks.load()
    answer = served.rulebook_record(book)["versions"]
    for version, shown in zip(book.versions, answer, strict=True):
        assert shown["basic"] == describe.node_spec(version.basic)
        roots = [version.basic, *(g for tiers in version.lines.values() for g in tiers.values())]
        for root in roots:
            record = evaluate.node_record(_result(root))
            assert describe.criterion_text(record).startswith("(")
            for node in _nodes(root):
                if isinstance(node, Criterion):
                    fields = evaluate.node_record(_result(node), top=False)
                    assert {k: fields[k] for k in ("metric", "op", "target")} == (
                        describe.criterion_dict(node)
                    )
