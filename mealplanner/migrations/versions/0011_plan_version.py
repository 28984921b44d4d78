"""plan version

Revision ID: 0011_plan_version
Revises: 0010_food_part_of
Create Date: 2026-12-02 13:30:00.000000

A plan's version counts its stored changes (SQLAlchemy's version_id_col): two changes made
from the same version cannot both be stored, the second finds its version gone and fails
instead of silently overwriting the first. Plans stored before this revision start at 1.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_plan_version'
down_revision = '0010_food_part_of'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('version')
