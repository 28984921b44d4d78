"""The household food economy: packages bought for as long as a food keeps, leftovers that
keep or spoil, what the food eaten costs, and weeks that follow one another."""

from __future__ import annotations

import pytest

from mealplanner.catalog.records import Storage
from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import make_plan
from mealplanner.planner.purchase import compute_purchases, food_windows, keeps_after_plan
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.rolling import carried_pantry, continue_request
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules import default_rules
from mealplanner.shopping.build import ShoppingListError, build_shopping_list
from tests.unit.test_shopping import food, plan_doc, recipe


def kept(place: str, days: int) -> Storage:
    return Storage(place, days, days, None, "test")


@pytest.fixture(scope="module")
def fresh():
    """Lentils keep a year in the pantry (400 g can, 200 cents); yogurt 3 days in the fridge
    (907 g tub, 726 cents)."""
    foods = [
        food("lentils", "Lentils, cooked", "grains_legumes", 400, "can", 50,
             groups=("legume",), storage=kept("pantry", 365)),
        food("yogurt", "Yogurt, plain", "dairy_eggs", 907, "tub", 80, groups=("dairy",),
             fermented=True, live_cultures=True, fermented_serving_g=170,
             storage=kept("fridge", 3)),
    ]
    recipes = [recipe("bowl", ("yogurt", 170)), recipe("plain", ("lentils", 100))]
    return Catalog({f.id: f for f in foods}, {r.id: r for r in recipes}, default_rules())


WEEK = [[("breakfast", "bowl", 1.0), ("lunch", "plain", 1.0)]] * 7


def test_windows_follow_how_long_a_food_keeps():
    assert food_windows(None, 7) == [(1, 7)]
    assert food_windows(10, 7) == [(1, 7)]
    assert food_windows(3, 7) == [(1, 3), (4, 6), (7, 7)]
    # kept 3 days from day 7: 2 days after a 7-day plan, less than a next plan's first 3
    assert keeps_after_plan(3, 7, 7) is None
    assert keeps_after_plan(365, 1, 7) == 358


def test_perishables_are_bought_per_window_and_their_leftovers_spoil(fresh):
    meals = [(day, rid, 4) for day in range(1, 8) for rid in ("bowl", "plain")]
    purchases = {p.food_id: p for p in compute_purchases(meals, 1, {}, fresh, True, 7)}
    yogurt, lentils = purchases["yogurt"], purchases["lentils"]
    assert yogurt.buys == [(1, 1), (4, 1), (7, 1)]  # 510 g, 510 g, 170 g: a tub each time
    assert yogurt.waste_g == pytest.approx(3 * 907 - 7 * 170)
    assert yogurt.carried_g == 0
    assert lentils.buys == [(1, 2)] and lentils.carried_g == 100 and lentils.waste_g == 0
    assert lentils.keeps_after == 358
    for p in purchases.values():  # checkout = eaten + carried over + waste (no pantry)
        assert p.cost_cents == pytest.approx(p.eaten_cents + p.carried_cents + p.waste_cents)


def test_a_can_for_later_is_bought_on_the_first_trip(fresh):
    """Canned fish keeps two years unopened but three days once opened: two cans for days 1
    and 6, both bought on day 1; the opened can's rest is waste."""
    can = food("mackerel", "Mackerel, canned", "canned_jars", 125, "can", 240,
               groups=("fish",), storage=Storage("pantry", 730, 3, None, "test"))
    catalog = Catalog({**fresh.foods, "mackerel": can},
                      {**fresh.recipes, "fish": recipe("fish", ("mackerel", 100))}, fresh.rules)
    [purchase] = compute_purchases([(1, "fish", 4), (6, "fish", 4)], 1, {}, catalog, True, 7)
    assert [w.packages for w in purchase.windows] == [1, 1, 0]
    assert purchase.buys == [(1, 2)] and purchase.waste_g == 50
    shopping = build_shopping_list(PlanRequest(days=7), plan_doc(
        catalog, [("lunch", "fish", 1.0)], [], [], [], [], [("lunch", "fish", 1.0)], []), catalog)
    assert len(shopping.trips) == 1 and shopping.lines[0].packages == 2


def test_the_shopping_list_buys_fresh_food_on_its_own_trips(fresh):
    shopping = build_shopping_list(PlanRequest(days=7), plan_doc(fresh, *WEEK), fresh)
    assert [(t.first_day, t.last_day) for t in shopping.trips] == [(1, 3), (4, 6), (7, 7)]
    first, second, third = ({line.food_id: line.packages for line in t.lines}
                            for t in shopping.trips)
    assert first == {"lentils": 2, "yogurt": 1} and second == third == {"yogurt": 1}
    assert shopping.trips_total_cents == shopping.total_cents == 2 * 200 + 3 * 726
    with pytest.raises(ShoppingListError, match=r"bought in 3 trips \(day 1, day 4, day 7\)"):
        build_shopping_list(PlanRequest(days=7), plan_doc(fresh, *WEEK), fresh, trips=1)


def test_the_next_week_gets_what_keeps_and_not_what_spoils(fresh):
    meals = [(day, rid, 4) for day in range(1, 8) for rid in ("bowl", "plain")]
    purchases = compute_purchases(meals, 1, {}, fresh, True, 7)
    rows = [{"food_id": p.food_id, "grams": round(g, 1), "fate": fate}
            for p in purchases for g, fate in ((p.carried_g, "carried_over"),
                                                (p.waste_g, "waste")) if g > 0]
    document = {"days": [{"day": d} for d in range(1, 8)], "start_day": 1, "leftovers": rows,
                "purchases": [], "pantry": {}}
    assert carried_pantry(document, fresh) == {"lentils": 100}
    following = continue_request(PlanRequest(days=7), document, fresh)
    assert following.start_day == 8
    assert [(i.food, i.grams) for i in following.pantry] == [("lentils", 100)]


# On the packaged catalog ----------------------------------------------------------------------

def planned(catalog, **fields):
    request = PlanRequestSchema().load({"time_limit_seconds": 3, **fields})
    outcome = make_plan(request, catalog)
    assert outcome.ok, outcome.document.get("message")
    assert check_plan(outcome.document, request, catalog) == []
    return request, outcome.document


def test_cost_figures_add_up_and_the_checker_recomputes_them(catalog):
    request, plan = planned(catalog, days=3, people=2)
    cost = plan["cost"]
    assert cost["total"] == cost["checkout"]
    assert cost["checkout"] == pytest.approx(
        cost["eaten"] + cost["carried_over"] + cost["waste"], abs=0.03)
    assert cost["waste"] == pytest.approx(sum(r["value"] for r in plan["leftovers"]
                                              if r["fate"] == "waste"), abs=0.02)
    tampered = {**plan, "cost": {**cost, "waste": round(cost["waste"] + 1, 2)}}
    assert any("cost waste reported" in p for p in check_plan(tampered, request, catalog))


def test_a_budget_on_the_food_eaten(catalog):
    _request, plan = planned(catalog, days=3)
    eaten, checkout = plan["cost"]["eaten"], plan["cost"]["checkout"]
    assert eaten < checkout
    weekly = round((eaten + checkout) / 2 * 7 / 3, 2)  # above the food eaten, below checkout
    request, limited = planned(catalog, days=3, budget={"amount": weekly, "basis": "eaten"})
    assert limited["cost"]["budget_basis"] == "eaten"
    assert limited["cost"]["eaten"] <= round(weekly * 3 / 7, 2) + 0.01
    tight = PlanRequestSchema().load({"days": 3, "budget": {"amount": 5, "basis": "eaten"}})
    outcome = make_plan(tight, catalog)
    assert not outcome.ok
    assert "for the food eaten" in outcome.document["message"]
