"""Record the campaign of every unit, message and version; a unit's name is unique within its campaign.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-02

Rows written before this revision carry no campaign (NULL); the first campaign to open the ledger afterwards claims
them (mailbot.ledger.scope.claim_unowned), since a ledger of an earlier release only ever served one campaign.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("units", "messages", "submissions")


def upgrade() -> None:
    """Add a nullable campaign column to units, messages and submissions; unique (campaign, name) for units."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("campaign", sa.String(length=80), nullable=True))
    _drop_name_unique()
    with op.batch_alter_table("units") as batch:
        batch.create_unique_constraint("uq_unit_campaign_name", ["campaign", "name"])


def downgrade() -> None:
    """Back to one roster per ledger (fails if two campaigns share a unit name, as it must)."""
    with op.batch_alter_table("units") as batch:
        batch.drop_constraint("uq_unit_campaign_name", type_="unique")
        batch.create_unique_constraint("units_name_key", ["name"])
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("campaign")


def _drop_name_unique() -> None:
    # 0001 left the constraint unnamed: PostgreSQL called it units_name_key; SQLite has no name for it, so the
    # batch copy names it through a convention first (Alembic's documented way to drop an unnamed constraint).
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("units", naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
            batch.drop_constraint("uq_units_name", type_="unique")
    else:
        op.drop_constraint("units_name_key", "units", type_="unique")
