"""food refuse as sold

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 10:00:00.000000

The refuse of each food's package as it is sold (foods/pack_yields.csv): shelled nuts and
ready-to-eat bags carry none of SR28's shell or stem refuse, whole produce keeps it. refuse_pct
stays SR28's figure. Nullable: foods seeded before this revision have none until the catalog is
seeded again, which the next start does (they are read as SR28's refuse until then).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refuse_pct_as_sold', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('refuse_pct_as_sold')
