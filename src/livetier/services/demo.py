"""The demo: a synthetic platform, graded, with a few hosts' task lists to show."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from livetier import rulebooks
from livetier.domain.evaluation import HostEvaluation
from livetier.domain.tiers import Tier
from livetier.services.evaluate import Evaluation, evaluate
from livetier.tools import synthetic


@dataclass
class DemoResult:
    """The graded demo platform and the hosts picked to show."""

    evaluation: Evaluation
    summary: synthetic.Summary
    samples: list[HostEvaluation]


def run(
    *,
    hosts: int,
    days: int,
    out: Path | None,
    seed: int,
    day: date | None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoResult:
    """Generate ``hosts`` hosts with ``days`` days of events before ``day``, and grade them."""
    book = rulebooks.load()
    day = day or datetime.now(ZoneInfo(book.definitions.timezone)).date()
    with tempfile.TemporaryDirectory(prefix="livetier-demo-") as tmp:
        folder = out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        summary = synthetic.generate(
            folder, hosts=hosts, days=days, end_day=day, seed=seed, progress=progress
        )
        result = evaluate(folder, day, book)
    return DemoResult(result, summary, pick_samples(result.hosts))


def pick_samples(hosts: list[HostEvaluation]) -> list[HostEvaluation]:
    """Three instructive task lists: the ordinary, expert and none hosts closest to moving up."""
    samples = []
    for tier in (Tier.ORDINARY, Tier.EXPERT, Tier.NONE):
        candidates = [h for h in hosts if h.tier is tier and h.next_tier is not None]
        if candidates:
            next_set = candidates[0].next_tier.value if candidates[0].next_tier else ""
            samples.append(max(candidates, key=lambda h: h.sets[next_set].progress))
    return samples
