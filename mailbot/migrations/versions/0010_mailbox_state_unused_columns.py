"""Drop mailbox_state.last_uid and .uidvalidity: written under a row lock for every message, never read.

Intake tells new messages from recorded ones by the ledger's message rows (mailbot.intake.recorded).

Revision ID: 0010
Revises: 0007 (the lead re-chains it after 0008 and 0009 when merging)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("mailbox_state") as batch:
        batch.drop_column("last_uid")
        batch.drop_column("uidvalidity")


def downgrade() -> None:
    """Add them back (empty: nothing ever read them)."""
    with op.batch_alter_table("mailbox_state") as batch:
        batch.add_column(sa.Column("uidvalidity", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_uid", sa.Integer(), nullable=False, server_default=sa.text("0")))
