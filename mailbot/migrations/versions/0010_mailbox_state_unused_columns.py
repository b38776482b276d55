"""Drop mailbox_state.last_uid and .uidvalidity (written under a row lock for every message, never read); add config_trouble.

Intake tells new messages from recorded ones by the ledger's message rows (mailbot.intake.poll.recorded). config_trouble
holds a worker's failed configuration reload, for `mailbot status` and the dashboard.

Revision ID: 0010
Revises: 0007 (the lead re-chains it after 0008 and 0009 when merging)
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the two columns, add the table."""
    op.create_table("config_trouble",
                    sa.Column("worker", sa.String(length=200), nullable=False),
                    sa.Column("since", sa.DateTime(), nullable=False),
                    sa.Column("error", sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint("worker"))
    with op.batch_alter_table("mailbox_state") as batch:
        batch.drop_column("last_uid")
        batch.drop_column("uidvalidity")


def downgrade() -> None:
    """Add the columns back (empty: nothing ever read them), drop the table."""
    op.drop_table("config_trouble")
    with op.batch_alter_table("mailbox_state") as batch:
        batch.add_column(sa.Column("uidvalidity", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_uid", sa.Integer(), nullable=False, server_default=sa.text("0")))
