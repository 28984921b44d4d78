"""The week's local search agrees with the CP-SAT model it feeds: same rules, same objective,
and what it proves impossible is impossible."""

from __future__ import annotations

import pytest

from mealplanner.planner.candidates import build_candidates
from mealplanner.planner.cpsat.solve import (
    SolveSettings,
    build_model,
    polish,
    requirements_broken_by,
    set_objective,
)
from mealplanner.planner.pipeline import make_plan, prepare
from mealplanner.planner.request import PORTIONS
from mealplanner.planner.search.bounds import neighbourhood, unreachable_rules
from mealplanner.planner.search.iterated import search_week
from mealplanner.plans.schemas import PlanRequestSchema


def searched(catalog, kicks=5, **fields):
    request = PlanRequestSchema().load(fields)
    prepared = prepare(request, catalog)
    problem = prepared.problem()
    args = dict(catalog=catalog, candidates=prepared.candidates, rule_set=prepared.rule_set)
    return request, problem, search_week(problem, kicks=kicks), args


def model_objective(request, meals, args) -> float:
    """The CP-SAT model's objective for exactly these meals."""
    pm = build_model(request, allowed={(d, s): {(r, q)} for d, s, r, q in meals}, **args)
    expression = set_objective(pm)
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver.value(expression)


@pytest.mark.parametrize("fields", [
    {},
    {"days": 3, "people": 3, "diet": "vegetarian", "budget": {"amount": 400}},
    {"days": 2, "meals": ["breakfast", "lunch", "dinner"], "exclude_allergens": ["milk"],
     "pantry": [{"food": "olive_oil", "grams": 500}],
     "favorite_recipes": ["shakshuka-with-whole-wheat-bread"]},
    {"days": 3, "usual_fiber_g_per_day": 12},  # fibre above the ramp's step costs
])
def test_search_scores_a_plan_exactly_as_the_model_does(catalog, fields):
    request, _problem, found, args = searched(catalog, **fields)
    assert found.broken == []
    pm = build_model(request, **args)
    assert requirements_broken_by(pm, found.meals, SolveSettings()) == []
    assert found.objective == model_objective(request, found.meals, args)


def test_search_names_what_the_model_says_is_broken(catalog):
    request, _problem, found, args = searched(catalog, days=2, budget={"amount": 5})
    assert found.broken == ["budget"]  # everything else is still met
    pm = build_model(request, **args)
    assert requirements_broken_by(pm, found.meals, SolveSettings()) == ["budget"]


def test_polish_never_returns_a_worse_plan(catalog):
    request, problem, found, args = searched(catalog, kicks=0, days=3)
    pm = build_model(request, allowed=neighbourhood(problem, found), **args)
    solution = polish(pm, found.meals, found.objective, SolveSettings())
    assert solution.meals
    assert solution.figures.objective <= found.objective
    assert solution.figures.objective == model_objective(request, solution.meals, args)


def test_more_search_never_makes_the_plan_worse(catalog):
    _r, _p, short, _a = searched(catalog, kicks=0)
    _r, _p, longer, _a = searched(catalog, kicks=20)
    assert longer.objective <= short.objective


def test_unreachable_energy_is_proven_from_each_meals_largest_portion(catalog):
    request, problem, _found, _args = searched(catalog, kicks=0, days=1, energy_kcal=5000)
    [energy] = [u for u in unreachable_rules(problem) if u.key == "energy"]
    most = sum(
        max(catalog.facts[rid].nutrients["energy_kcal"] * max(PORTIONS)
            for rid in build_candidates(request, catalog).by_slot[slot])
        for slot in request.meals
    )
    assert energy.low and energy.reachable == pytest.approx(most, abs=4)
    outcome = make_plan(request, catalog)
    assert not outcome.ok
    assert outcome.document["message"].startswith("No plan can meet 'energy 5,000 kcal/day")
    # the extreme is quoted; the best value is what a day reaches with the other daily
    # rules held, never more than the extreme
    conflict = outcome.document["conflicts"][0]
    assert energy.describe() in conflict["best_reachable"]
    assert conflict["best_value"] <= round(energy.reachable, 2)


def test_a_reachable_request_has_nothing_unreachable(catalog):
    _request, problem, _found, _args = searched(catalog, kicks=0)
    assert unreachable_rules(problem) == []


def test_a_check_ends_at_the_first_plan_and_the_whole_search_gets_one_as_good(catalog):
    problem = prepare(PlanRequestSchema().load({"days": 3}), catalog).problem()
    first = search_week(problem, kicks=20, first_plan=True)
    whole = search_week(problem, kicks=20)
    assert first.broken == [] and whole.broken == []
    assert first.evaluations < whole.evaluations  # it stopped early
    assert whole.objective <= first.objective
