"""grace counters, manual overrides and their audit trail

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("host_tiers") as batch:
        batch.add_column(sa.Column("override_id", sa.Integer(), nullable=True))
    op.create_table(
        "grace_days",
        sa.Column("host_id", sa.String(length=128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("lower_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("host_id", "day"),
    )
    op.create_index("ix_grace_days_day", "grace_days", ["day"])
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("host_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("ended_from", sa.Date(), nullable=True),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("expired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_overrides_host", "overrides", ["host_id"])
    op.create_table(
        "override_audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("override_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["override_id"], ["overrides.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_override_audit_host", "override_audit", ["host_id"])


def downgrade() -> None:
    op.drop_table("override_audit")
    op.drop_table("overrides")
    op.drop_table("grace_days")
    with op.batch_alter_table("host_tiers") as batch:
        batch.drop_column("override_id")
