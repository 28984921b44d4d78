"""A dish's figures at every portion are worked out once per catalog and shared by every
request planned from it; a catalog built again (a re-seeded database) works them out anew."""

from __future__ import annotations

from mealplanner.catalog.store import load_catalog
from mealplanner.planner.candidates import build_candidates
from mealplanner.planner.dish_table import QUANTITIES, dish_rows
from mealplanner.planner.units import portion_of
from mealplanner.plans.schemas import PlanRequestSchema


def test_each_request_reads_the_same_figures_of_a_dish(catalog):
    one = build_candidates(PlanRequestSchema().load({"days": 1}), catalog)
    other = build_candidates(PlanRequestSchema().load({"days": 5, "people": 3}), catalog)
    rid = one.by_slot["dinner"][0]
    rows = dish_rows(catalog, rid, use_staples=True)
    assert rows is dish_rows(catalog, rid, use_staples=True)
    for q in rows.portions:
        assert one.figures[rid, q] is other.figures[rid, q] is rows.figures[q]


def test_figures_scale_with_the_portion_and_round_against_the_rule(catalog):
    rid = "fasolada-white-bean-soup"
    rows = dish_rows(catalog, rid, use_staples=True)
    facts = catalog.facts[rid]
    energy = QUANTITIES.index("energy_kcal")
    for row, q in enumerate(rows.portions):
        kcal = facts.nutrients["energy_kcal"] * portion_of(q)
        assert rows.floor[row, energy] <= kcal <= rows.ceil[row, energy]
        assert rows.ceil[row, energy] - rows.floor[row, energy] <= 1
        grams = zip(rows.foods, rows.food_g.tolist(), strict=True)
        assert rows.figures[q].food_qg == {f: g * q for f, g in grams}


def test_a_catalog_built_again_works_its_figures_out_again(catalog):
    again = load_catalog()
    rid = "fasolada-white-bean-soup"
    first, second = dish_rows(catalog, rid, True), dish_rows(again, rid, True)
    assert first is not second
    assert first.figures == second.figures
    # with staples bought, the dish costs more to eat
    assert dish_rows(again, rid, False).floor[:, QUANTITIES.index("eaten_cents")].sum() \
        >= second.floor[:, QUANTITIES.index("eaten_cents")].sum()
