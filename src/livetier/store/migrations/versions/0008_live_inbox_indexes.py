"""live events inbox: drop the session, host and order indexes (the processor keeps its own
copy of the events and no longer looks them up by these; each cost inserts dearly)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_DROPPED = ("session_id", "host_id", "order_id")


def upgrade() -> None:
    for column in _DROPPED:
        op.drop_index(f"ix_live_events_{column}", table_name="live_events")


def downgrade() -> None:
    for column in _DROPPED:
        op.create_index(f"ix_live_events_{column}", "live_events", [column])
