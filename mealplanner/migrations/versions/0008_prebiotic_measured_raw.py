"""food prebiotic measured raw

Revision ID: 0008_prebiotic_measured_raw
Revises: 0007_ingredient_heated
Create Date: 2026-12-02 01:30:00.000000

Whether a food's prebiotic figure is the raw food's (foods/prebiotics.csv `measured = raw`): a
dish that cooks it counts only part of it toward the prebiotic minimum. Foods seeded before this
revision read as not raw until the catalog is seeded again, which the next start does.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_prebiotic_measured_raw'
down_revision = '0007_ingredient_heated'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prebiotic_measured_raw', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('prebiotic_measured_raw')
