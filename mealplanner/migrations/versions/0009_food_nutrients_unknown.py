"""food micronutrients, added sugars and unknown nutrient values

Revision ID: 0009_food_nutrients_unknown
Revises: 0008_prebiotic_measured_raw
Create Date: 2026-12-15 10:00:00.000000

The nutrients a dietitian checks, per 100 g, fixed point in the unit each name ends with:
calcium, iron, potassium, magnesium, zinc, folate (DFE), vitamins C, B12 and D, ALA, EPA + DHA
(USDA SR28) and added sugars (USDA FPED) with the source of that figure. A value USDA does not
have is stored empty (NULL), never 0, so the nutrient columns other than energy become
nullable. Foods seeded before this revision have no micronutrients (and their unknown sugars,
saturated fat or fiber read 0) until the catalog is seeded again, which the next start does.
Going down, an unknown value becomes 0 again, as it was stored before.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_food_nutrients_unknown'
down_revision = '0008_prebiotic_measured_raw'
branch_labels = None
depends_on = None

NOW_NULLABLE = ('protein_mg', 'fat_mg', 'saturated_fat_mg', 'carbohydrate_mg', 'fiber_mg',
                'sugars_mg', 'sodium_mg')
ADDED = ('calcium_mg', 'iron_ug', 'potassium_mg', 'magnesium_mg', 'zinc_ug', 'folate_ug',
         'vitamin_c_ug', 'vitamin_b12_ng', 'vitamin_d_ng', 'ala_mg', 'epa_dha_mg',
         'added_sugars_mg')


def upgrade():
    with op.batch_alter_table('food', schema=None) as batch_op:
        for name in NOW_NULLABLE:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=True)
        for name in ADDED:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_sugars_source', sa.Text(), nullable=True))


def downgrade():
    food = sa.table('food', *(sa.column(name, sa.Integer()) for name in NOW_NULLABLE))
    for name in NOW_NULLABLE:
        op.execute(food.update().where(food.c[name].is_(None)).values({name: 0}))
    with op.batch_alter_table('food', schema=None) as batch_op:
        batch_op.drop_column('added_sugars_source')
        for name in reversed(ADDED):
            batch_op.drop_column(name)
        for name in NOW_NULLABLE:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
