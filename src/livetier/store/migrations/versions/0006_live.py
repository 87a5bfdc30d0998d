"""live events inbox, live sessions, today-so-far facts, processor lease, followed files;
outbox events without a run (live events)

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "live_events",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("session_id", sa.String(length=128), nullable=True),
        sa.Column("host_id", sa.String(length=128), nullable=True),
        sa.Column("buyer_id", sa.String(length=128), nullable=True),
        sa.Column("order_id", sa.String(length=128), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("processed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_live_events_pending", "live_events", ["processed", "seq"])
    op.create_index("ix_live_events_session_id", "live_events", ["session_id"])
    op.create_index("ix_live_events_host_id", "live_events", ["host_id"])
    op.create_index("ix_live_events_order_id", "live_events", ["order_id"])
    op.create_table(
        "live_sessions",
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("host_id", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("line", sa.String(length=64), nullable=True),
        sa.Column("viewers", sa.Integer(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("surfaced_at", sa.DateTime(), nullable=True),
        sa.Column("surfaced_metrics", sa.JSON(), nullable=True),
        sa.Column("surfaced_event", sa.Integer(), nullable=True),
        sa.Column("ended_event", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_index("ix_live_sessions_host_id", "live_sessions", ["host_id"])
    op.create_index("ix_live_sessions_ended_at", "live_sessions", ["ended_at"])
    op.create_table(
        "live_facts",
        sa.Column("host_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("valid_sessions", sa.Integer(), nullable=False),
        sa.Column("live_buyers", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("host_id", "day"),
    )
    op.create_index("ix_live_facts_day", "live_facts", ["day"])
    op.create_table(
        "live_processor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("clock", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "live_files",
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path"),
    )


def downgrade() -> None:
    op.drop_table("live_files")
    op.drop_table("live_processor")
    op.drop_index("ix_live_facts_day", table_name="live_facts")
    op.drop_table("live_facts")
    op.drop_index("ix_live_sessions_ended_at", table_name="live_sessions")
    op.drop_index("ix_live_sessions_host_id", table_name="live_sessions")
    op.drop_table("live_sessions")
    op.drop_index("ix_live_events_order_id", table_name="live_events")
    op.drop_index("ix_live_events_host_id", table_name="live_events")
    op.drop_index("ix_live_events_session_id", table_name="live_events")
    op.drop_index("ix_live_events_pending", table_name="live_events")
    op.drop_table("live_events")
    op.execute("DELETE FROM outbox WHERE run_id IS NULL")
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=False)
