"""Diffing two rule versions names every threshold that moved, was added or removed."""

from __future__ import annotations

from livetier import rulebooks
from livetier.domain.rulebook import ThresholdChange, diff_versions

SHIPPED = rulebooks.DEFAULT_RULEBOOK.read_text()


def _latest(text: str):
    return rulebooks.parse(text, "x.yaml").versions[-1]


def test_identical_versions_have_no_differences():
    assert diff_versions(_latest(SHIPPED), _latest(SHIPPED)) == []


def test_changed_added_and_removed_thresholds_are_named_with_their_place():
    edited = (
        SHIPPED.replace(
            '{metric: live_buyers_30d, op: ">=", value: 50}',
            '{metric: live_buyers_30d, op: ">=", value: 60}',
        )
        .replace('            - {metric: fans, op: ">=", value: 200}\n', "")
        .replace(
            "        ordinary: {all: []}\n        expert:\n          all:\n"
            '            - {metric: trade_medal, op: ">=", value: 2}\n            - any:',
            '        ordinary: {all: [{metric: fans, op: ">=", value: 1}]}\n'
            "        expert:\n          all:\n"
            '            - {metric: trade_medal, op: ">=", value: 2}\n            - any:',
            1,
        )
    )
    changes = diff_versions(_latest(SHIPPED), _latest(edited))
    assert ThresholdChange("consumer.expert", "any: live_buyers_30d >=", "changed", 50, 60) in (
        changes
    )
    assert ThresholdChange("industrial.honor", "fans >=", "removed", before=200) in changes
    assert ThresholdChange("industrial.ordinary", "fans >=", "added", after=1) in changes
    assert len(changes) == 3
