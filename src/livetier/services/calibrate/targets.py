"""The targets of ``rules calibrate``: a tier's share of its line's graded hosts, as given
on the command line, and the check that a set of them can be calibrated."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from livetier.domain.metrics import ACTIVITY_METRICS, METRICS, PROFILE_METRICS, Kind
from livetier.domain.rulebook import Version
from livetier.domain.tiers import GRADED_TIERS, Tier
from livetier.services.calibrate.search import movable
from livetier.services.errors import InvalidInput

_TARGET = re.compile(r"^\s*([^.=\s]+)\.([^.=\s]+)\s*=\s*(\S+)\s*$")

GRADED_METRICS = (*PROFILE_METRICS, *ACTIVITY_METRICS)
"""The metrics tiers are graded on (session metrics decide surfacing only)."""


@dataclass(frozen=True)
class Target:
    """The share of a line's graded hosts that a tier should have."""

    line: str
    tier: Tier
    share: float


def parse_target(text: str) -> Target:
    """``consumer.expert=0.20`` as a target; a malformed one names itself."""
    match = _TARGET.match(text)
    if not match:
        raise InvalidInput(f"$target {text!r}: expected LINE.TIER=SHARE, e.g. consumer.expert=0.2")
    line, tier, share_text = match.groups()
    if tier not in {t.value for t in GRADED_TIERS}:
        raise InvalidInput(
            f"$target {text!r}: unknown tier {tier!r} (one of ordinary, expert, honor)"
        )
    try:
        share = float(share_text)
    except ValueError:
        raise InvalidInput(f"$target {text!r}: the share {share_text!r} is not a number") from None
    if not 0.0 <= share <= 1.0 or math.isnan(share):
        raise InvalidInput(f"$target {text!r}: a share lies between 0 and 1, not {share_text}")
    return Target(line, Tier(tier), share)


def check(
    base: Version, targets: list[Target], metrics: Iterable[str]
) -> dict[tuple[str, Tier], Target]:
    """The targets by (line, tier), refused when they cannot be calibrated."""
    chosen = set(metrics)
    for m in chosen:
        if m not in GRADED_METRICS:
            raise InvalidInput(f"$metric {m!r}: unknown metric; known: {', '.join(GRADED_METRICS)}")
        if METRICS[m].kind not in (Kind.INT, Kind.FLOAT):
            raise InvalidInput(f"$metric {m!r}: not a number, so it has no threshold to move")
    out: dict[tuple[str, Tier], Target] = {}
    for t in targets:
        if t.line not in base.lines:
            raise InvalidInput(
                f"$target {t.line}.{t.tier}: unknown line {t.line!r} (version {base.version} "
                f"has {', '.join(base.lines)})"
            )
        if (t.line, t.tier) in out:
            raise InvalidInput(f"$target {t.line}.{t.tier}: given twice")
        if not any(True for _ in movable(base.lines[t.line][t.tier], chosen)):
            raise InvalidInput(
                f"$target {t.line}.{t.tier}: version {base.version} gives {t.tier} no >= or > "
                f"threshold on {', '.join(sorted(chosen))}, so there is nothing to move (its "
                "share follows from the other tiers)"
            )
        out[(t.line, t.tier)] = t
    for (line, tier), t in out.items():
        for (line2, tier2), t2 in out.items():
            if line == line2 and tier2.rank > tier.rank and t2.share > t.share:
                raise InvalidInput(
                    f"$target {line}.{tier2}={t2.share:g} is above {line}.{tier}={t.share:g}: "
                    "a higher tier's share may not exceed a lower one's"
                )
        if sum(t2.share for (line2, _), t2 in out.items() if line2 == line) > 1.0 + 1e-9:
            raise InvalidInput(f"$target: the shares of line {line!r} add up to more than 1")
    return out
