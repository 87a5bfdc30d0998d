"""``rules calibrate``: a new rule version whose activity thresholds give each targeted tier
the share of its line's graded hosts that the operators ask for, as closely as the data allow.

How thresholds are chosen (docs/rules.md, "Calibrating thresholds"):

- Only the moved criteria change: ``>=`` / ``>`` criteria on the chosen metrics (by default
  ``live_sessions_30d`` and ``live_buyers_30d``) in a targeted tier's own requirements (never
  the basic ones). Everything else is copied from the rulebook's latest version.
- A tier's moved thresholds move together, by one factor on the latest version's values, so
  their proportions stay (``sessions ≥ 5 or buyers ≥ 50`` becomes ``6 or 60``, not ``1 or
  400``). A whole-number metric's threshold is the factor times its value rounded up.
- Tiers are calibrated from the top down: a tier's share is of hosts graded exactly that tier,
  so a lower tier's share depends on the thresholds chosen above it.
- Among the thresholds tried (every factor at which a threshold crosses an observed value,
  and round values near the best of them), those whose share lies within ``tolerance`` of the
  best achievable share are kept, and of these the roundest wins (``roundness``: multiples of
  1000, 500, 100, 50, 10, 5), then the closest share, then the lower thresholds.

The search runs on the line's hosts in memory (NumPy); the shares reported are then measured
by the engine's own grading of the written version (pipeline/grading), so they are the shares
a daily run under the draft gives.
"""

from __future__ import annotations

from livetier.domain.metrics import ACTIVITY_METRICS
from livetier.services.calibrate.calibration import Calibration, Outcome, calibrate
from livetier.services.calibrate.search import TOLERANCE
from livetier.services.calibrate.targets import GRADED_METRICS, Target, check, parse_target

__all__ = [
    "ACTIVITY_METRICS",
    "GRADED_METRICS",
    "TOLERANCE",
    "Calibration",
    "Outcome",
    "Target",
    "calibrate",
    "check",
    "parse_target",
]
