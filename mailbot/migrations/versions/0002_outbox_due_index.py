"""Index the outbox by office, state and next attempt: the query every drain turn runs to claim work.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-02
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ix_outbox_due."""
    op.create_index("ix_outbox_due", "outbox", ["office", "state", "next_attempt_at"], unique=False)


def downgrade() -> None:
    """Drop ix_outbox_due."""
    op.drop_index("ix_outbox_due", table_name="outbox")
