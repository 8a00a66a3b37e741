"""reminder tracking on subscriptions; refunds and recurring flag on payments

Revision ID: 0002_reminders_and_refunds
Revises: 0001_initial
Create Date: 2025-02-03 16:05:41.902113
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_reminders_and_refunds"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("reminder_sent_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("payments", sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "payments",
        sa.Column("is_recurring", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("payments", "is_recurring")
    op.drop_column("payments", "refunded_at")
    op.drop_column("subscriptions", "reminder_sent_at")
