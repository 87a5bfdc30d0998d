"""Failpoints: a run killed for real (SIGKILL) at a named step, for the crash tests.

``LIVETIER_CRASH_AT=name`` kills the process the first time it reaches ``checkpoint(name)``;
``name@n`` the n-th time (a point inside a loop, or in the second day of a backfill).
``LIVETIER_FAILPOINT_TRACE=file`` appends every point reached to ``file``, so a test can see
which points a run passes. Every name is registered in ``POINTS``: the fault-injection test
kills a run at each, and checks that an uninterrupted run reaches them all.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

POINTS: dict[str, str] = {
    # services/daily/run.py
    "run-begin": "the run is neither refused nor unchanged; nothing written yet",
    "warehouse-opened": "the warehouse is open (its schema created)",
    "warehouse-written": "the new facts are committed, the state store not yet touched",
    "graded": "day D graded into the warehouse's temporary tables",
    "evaluated": "the tier distribution read; the run about to be opened",
    "run-started": "the run's `running` row committed",
    "snapshot-written": "the serving snapshot written, nothing recorded yet",
    "changes-written": "the day's changes written, inside the state-store transaction",
    "run-ended": "the run marked succeeded, its transaction not yet committed",
    "committed": "the state store committed; the warehouse's copy of the state not yet saved",
    "state-copy-saved": "the warehouse's copy of the state brought up to the run",
    "snapshots-pruned": "old and killed runs' snapshots removed: the run is done",
    "backfill-facts-written": "backfill: every day's facts committed, no day run yet",
    "backfill-day-done": "backfill: one more day run and committed",
    # services/daily/ingest.py
    "partitions-checked": "ingest: every partition to read is there",
    "sources-loaded": "ingest: the raw tables opened",
    "events-cleaned": "ingest: the checked events materialised",
    "facts-transaction-begun": "ingest: the warehouse transaction begun",
    "facts-written": "ingest: the facts replaced, inside the warehouse transaction",
    "profiles-synced": "ingest: the profiles mirrored, inside the warehouse transaction",
    "quality-saved": "ingest: the quality report stored, the transaction not yet committed",
    "facts-committed": "ingest: the warehouse transaction committed",
    # services/daily/record.py
    "day-changes-read": "record: the changes an earlier run of the day recorded, read",
    "state-read": "record: the state before the run read (copy or store)",
    "hosts-compared": "record: the hosts to write found",
    "withdrawn-deleted": "record (re-run): a batch of the day's replaced changes deleted",
    "withdrawn-host-restored": "record (re-run): a host whose change is withdrawn restored",
    "gone-host-restored": "record (re-run): a host no longer graded restored",
    "changes-withdrawn": "record: the re-run's withdrawals flushed",
    "new-hosts-inserted": "record: the new hosts' rows inserted",
    "change-batch-written": "record: a batch of tier changes inserted",
    "tiers-updated": "record: the moved hosts' tiers updated",
    "risk-flags-updated": "record: the changed at-risk flags updated",
    "events-inserted": "record: the outbox events inserted, the transaction not yet committed",
    "state-copy-begin": "after the commit: saving the warehouse's copy of the state",
    "state-copy-forgotten": "after the commit (re-run): the copy marked as naming no run",
    # store/day_run.py
    "state-copy-transaction-begun": "state copy: its warehouse transaction begun",
    "state-copy-replaced": "state copy: replaced by the state read from the store",
    "state-copy-rows-deleted": "state copy: the written hosts' old rows deleted",
    "state-copy-rows-inserted": "state copy: the written hosts' rows inserted",
    "state-copy-tagged": "state copy: tagged with the run, the transaction not yet committed",
    # store/serving.py
    "snapshot-hosts-copied": "snapshot: the hosts file written to a temporary folder",
    "snapshot-quality-copied": "snapshot: the quality file written to a temporary folder",
    "snapshot-hosts-stored": "snapshot: the hosts file's rows inserted, not yet committed",
    "snapshot-quality-stored": "snapshot: the quality rows inserted, not yet committed",
    "snapshot-rows-deleted": "prune: old and killed runs' snapshot rows deleted, not committed",
    # services/delivery.py
    "delivery-batch-read": "delivery: a batch of events read from the outbox",
    "delivery-sending": "delivery: about to POST one event",
    "delivery-retrying": "delivery: the webhook refused; about to wait and retry",
    "delivery-sent": "delivery: the webhook accepted the event, the cursor not yet saved",
    "delivery-cursor-written": "delivery: the cursor updated, its transaction not yet committed",
    "delivery-cursor-saved": "delivery: the cursor committed",
    "delivery-done": "delivery: no event left after the cursor",
    # services/daily/restate.py (backfill --restate; not in the fault campaign's scenario)
    "restate-rewound": "restatement: history from the first day removed, days not yet re-run",
    # services/live/processor.py (the live processor; tests/integration/test_live_crash.py)
    "live-batch-read": "live: a batch of pending events read, nothing computed",
    "live-computed": "live: the batch's facts and session metrics computed, nothing written",
    "live-results-written": "live: sessions, facts and outbox events written, not committed",
    "live-events-marked": "live: the batch's events marked processed, not committed",
    "live-committed": "live: the batch committed",
    "live-file-stored": "live follow: a file's events and ledger row written, not committed",
}
RESTATE_ONLY = frozenset({"restate-rewound"})
"""Points only ``backfill --restate`` passes (tests/integration/test_restate.py)."""
LIVE_ONLY = frozenset(p for p in POINTS if p.startswith("live-"))
"""Points only the live processor passes (tests/integration/test_live_crash.py)."""

_reached: Counter[str] = Counter()


def checkpoint(name: str) -> None:
    """Crash here for real (SIGKILL) when LIVETIER_CRASH_AT names this point (and this
    passage, with ``@n``); record the passage when LIVETIER_FAILPOINT_TRACE names a file."""
    if name not in POINTS:
        raise KeyError(f"failpoint {name!r} is not registered in failpoint.POINTS")
    trace = os.environ.get("LIVETIER_FAILPOINT_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as f:
            f.write(name + "\n")
    target = os.environ.get("LIVETIER_CRASH_AT")
    if not target or target.partition("@")[0] != name:
        return
    _reached[name] += 1
    if _reached[name] == int(target.partition("@")[2] or 1):
        os.kill(os.getpid(), signal.SIGKILL)
