"""plan owner token

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 21:00:00.000000

A plan's owner token is stored only as its SHA-256 (hex); the token itself is returned once,
when the plan is created, and is needed to delete the plan. Plans made before this revision
have no token (NULL) and cannot be deleted through the API.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_token_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('owner_token_hash')
