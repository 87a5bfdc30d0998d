"""at-risk flag on host tiers

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("host_tiers") as batch:
        batch.add_column(
            sa.Column("at_risk", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("host_tiers") as batch:
        batch.drop_column("at_risk")
