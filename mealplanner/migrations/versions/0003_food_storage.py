"""food storage times

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 10:00:00.000000

How long each food keeps where the household keeps it (USDA FSIS FoodKeeper, written to
foods/storage_days.csv by `mealplanner foods refresh --foodkeeper DIR`). All five columns are
nullable: a user's own food may have no storage time, and foods seeded before this revision
have none until `mealplanner db seed` runs again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('storage_place', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('storage_keeps_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('storage_opened_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('storage_foodkeeper_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('storage_source', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('storage_source')
        batch_op.drop_column('storage_foodkeeper_id')
        batch_op.drop_column('storage_opened_days')
        batch_op.drop_column('storage_keeps_days')
        batch_op.drop_column('storage_place')
