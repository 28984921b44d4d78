"""food cooked yield as sold

Revision ID: 0006_food_cooked_yield
Revises: 0005_price_proxy
Create Date: 2026-12-08 10:00:00.000000

Grams of the cooked food one gram of the package as sold gives (foods/cooking_yields.csv), for
the foods weighed cooked and bought raw: a cauliflower head, a bag of spinach. Their edible
grams per package come from it instead of the refuse. Nullable: every other food has none, and
foods seeded before this revision have none until the catalog is seeded again, which the next
start does (until then those packages count as before).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_food_cooked_yield'
down_revision = '0005_price_proxy'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooked_g_per_g_as_sold', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('cooked_g_per_g_as_sold')
