"""recipe ingredient heated

Revision ID: 0007_ingredient_heated
Revises: 0006_food_cooked_yield
Create Date: 2026-12-02 01:00:00.000000

Whether a dish cooks an ingredient or adds it raw or after cooking (recipes/*.toml `heated`):
live cultures count only from an ingredient the dish does not heat. Rows seeded before this
revision read as heated until the catalog is seeded again, which the next start does.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_ingredient_heated'
down_revision = '0006_food_cooked_yield'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heated', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('recipe_ingredient', schema=None) as batch_op:
        batch_op.drop_column('heated')
