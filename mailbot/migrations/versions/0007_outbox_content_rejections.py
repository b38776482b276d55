"""Count the provider's content (spam) refusals of each outgoing mail: retries send plainer variants, then give up.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add outbox.content_rejections (0 for rows written before it existed)."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("content_rejections", sa.Integer(), nullable=False, server_default=sa.text("0")))


def downgrade() -> None:
    """Drop outbox.content_rejections."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("content_rejections")
