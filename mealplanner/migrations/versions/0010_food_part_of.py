"""food part of another food

Revision ID: 0010_food_part_of
Revises: 0009_food_nutrients_unknown
Create Date: 2026-12-20 10:00:00.000000

The food a shopper buys to get this one (foods/parts.csv): lemon juice and lemon zest come from
a lemon, and the shopping list buys them on the lemon's line. Nullable: most foods are bought
as they are, and foods seeded before this revision have none until the catalog is seeded
again, which the next start does (until then each part keeps a line of its own).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_food_part_of'
down_revision = '0009_food_nutrients_unknown'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_of', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('part_of')
