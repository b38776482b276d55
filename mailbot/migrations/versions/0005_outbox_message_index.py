"""Index the outbox by the message it answers: the receipt and duplicate lookups ask it for every message.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the outbox message index."""
    op.create_index("ix_outbox_message", "outbox", ["message_ref"], unique=False)


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_outbox_message", table_name="outbox")
