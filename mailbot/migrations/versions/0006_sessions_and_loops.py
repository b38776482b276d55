"""Dashboard sessions that can be ended (user session epoch, login attempts); the reply-loop guard's facts; merged receipts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add users.session_epoch, the login_attempts table, messages.text_hash and outbox.merged_into."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempt_key", "login_attempts", ["key", "at"], unique=False)
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("text_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
    # The old burst guard blocked receipts for good; the outbox now paces and merges them, so they go out after all.
    op.execute("UPDATE outbox SET state = 'QUEUED' WHERE state = 'SUPPRESSED'")


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("merged_into")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("text_hash")
    op.drop_index("ix_login_attempt_key", table_name="login_attempts")
    op.drop_table("login_attempts")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_epoch")
