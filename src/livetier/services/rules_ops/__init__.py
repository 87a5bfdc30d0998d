"""Operating the thresholds: simulate a draft rule version on the whole population beside the
version in force (``rules simulate``), from the warehouse, a data folder or a run's serving
snapshot. What a host would HOLD under each version is its grade passed through the policy
(domain/policy.py: grace before a downgrade, overrides) from the state store's standing before
day D, when one is given. Nothing here writes: the warehouse is opened read-only and the state
store is only read. Calibration (``rules calibrate``) is in services/calibrate.

One module per part: sources (day D's metrics), standings (the hosts' standing before D),
comparison (the simulation) and report (its plain-data summary, and the HTTP service's
simulation). This package exports what entry points, services and tests use."""

from __future__ import annotations

from livetier.services.rules_ops.comparison import (
    NEAREST,
    LineSimulation,
    Nearest,
    Simulation,
    draft_version,
    simulate,
)
from livetier.services.rules_ops.report import (
    CHANGED_LISTED,
    DraftRefused,
    simulate_served,
    summary,
)
from livetier.services.rules_ops.sources import (
    FromData,
    FromSnapshot,
    FromWarehouse,
    Keep,
    Source,
    day_metrics,
)
from livetier.services.rules_ops.standings import (
    NO_STANDING_NOTE,
    Standing,
    standing,
    warehouse_tiers,
)

__all__ = [
    "CHANGED_LISTED",
    "NEAREST",
    "NO_STANDING_NOTE",
    "DraftRefused",
    "FromData",
    "FromSnapshot",
    "FromWarehouse",
    "Keep",
    "LineSimulation",
    "Nearest",
    "Simulation",
    "Source",
    "Standing",
    "day_metrics",
    "draft_version",
    "simulate",
    "simulate_served",
    "standing",
    "summary",
    "warehouse_tiers",
]
