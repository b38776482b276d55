"""Receipts record the SHA-256 of every attachment they answer, for audits (督查).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add outbox.covers (a JSON list; empty for rows written before it existed)."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("covers", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    """Drop outbox.covers."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("covers")
