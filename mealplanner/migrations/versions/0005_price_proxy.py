"""food price proxy flag

Revision ID: 0005_price_proxy
Revises: 0004
Create Date: 2026-12-01 12:00:00.000000

Whether a food's price is another food's (foods/prices.csv `proxy`, from price_links.csv):
the food page and API show it. Foods seeded before this revision read as not proxied until
`mealplanner db seed` runs again.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_price_proxy'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.add_column(sa.Column('price_is_proxy', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('price_is_proxy')
