"""Index what every message looks up, so intake stays as fast with a thousand messages in the ledger as with ten.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_message_sender_files", "messages", ["sender", "attachments_hash"]),
    ("ix_message_unit", "messages", ["unit_id"]),
    ("ix_outbox_recipient", "outbox", ["to_addr", "created_at"]),
)


def upgrade() -> None:
    """Add the duplicate, unit and recipient lookup indexes."""
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    """Drop them."""
    for name, table, _columns in INDEXES:
        op.drop_index(name, table_name=table)
