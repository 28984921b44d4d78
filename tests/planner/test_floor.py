"""Proven floors (issue 15, item 4): the relaxation's cost and objective floors are at most
what any plan reaches, every plan reports its bound and gap, and a budget below the cost floor
gets no plan."""

from __future__ import annotations

import math
import threading
import time

import pytest
from ortools.sat.python import cp_model

from mealplanner.planner.cpsat.solve import set_objective
from mealplanner.planner.floor import (
    cost_floor_cents,
    floor_of,
    plan_floor,
    relaxation,
    start_floor,
)
from mealplanner.planner.floor.infeasible import RelaxedWeek, relaxed_core
from mealplanner.planner.pipeline import make_plan, meals_of, prepare, swap_meal

from .plans import planned, request_of

SPREAD = [
    {},
    {"days": 3, "diet": "vegetarian", "people": 2},
    {"days": 2, "diet": "pescatarian", "people": 3, "budget": {"amount": 400, "currency": "USD"}},
    {"days": 3, "exclude_allergens": ["milk", "gluten", "wheat"]},
    {"days": 4, "meals": ["lunch", "dinner"], "people": 4},
    {"days": 2, "diet": "vegan", "energy_kcal": 2400},
    {"days": 3, "max_prep_minutes": 30, "pantry": [{"food": "olive oil", "grams": 500}]},
    {"days": 2, "favorite_recipes": ["fasolada-white-bean-soup"],
     "targets": {"fiber_g_per_day": 35}},
]


def assert_floors_hold(plan: dict) -> None:
    solver = plan["solver"]
    assert solver["best_bound"] is not None and solver["gap"] is not None
    assert solver["best_bound"] <= solver["objective"]
    assert solver["gap"] >= 0
    if solver["cost_floor"] is not None:  # worked out where a budget needs it
        assert solver["cost_floor"] <= plan["cost"]["total"] + 1e-9


@pytest.mark.parametrize("fields", SPREAD, ids=lambda f: ",".join(f) or "defaults")
def test_the_floors_are_below_the_plan_found(catalog, fields):
    _request, plan = planned(catalog, **fields)
    assert_floors_hold(plan)


def test_a_swapped_plan_keeps_its_floors_and_a_proven_gap_of_zero(catalog):
    request, plan = planned(catalog, days=3, people=2)
    outcome = swap_meal(request, plan, 2, "dinner", catalog)
    assert outcome.ok, outcome.document.get("message")
    assert_floors_hold(outcome.document)
    assert outcome.document["solver"]["gap"] == 0  # CP-SAT proves the one open meal


def cheapest(prepared, objective: bool = False) -> float:
    """The least cost (or objective) over the whole model, every requirement held, proven
    by CP-SAT."""
    pm = prepared.model()
    for guard in pm.requirements:
        pm.model.add(guard.literal == 1)
    pm.model.minimize(set_objective(pm) if objective else pm.cost_cents)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(pm.model) == cp_model.OPTIMAL
    return solver.objective_value


@pytest.mark.parametrize("fields, free", [
    ({"days": 3, "people": 2}, [(1, "lunch"), (2, "dinner")]),
    ({"days": 2, "diet": "vegetarian"}, [(1, "breakfast"), (1, "dinner"), (2, "lunch")]),
    ({"days": 2, "meals": ["lunch", "dinner", "snack"], "people": 3,
      "pantry": [{"food": "chickpeas_canned", "grams": 400}]}, [(1, "snack"), (2, "lunch")]),
], ids=["3d-2p", "vegetarian", "pantry-3p"])
def test_the_floors_are_below_the_proven_optimum(catalog, fields, free):
    """The rest of a plan locked (days of their own in the relaxation), a few meals open:
    small enough for CP-SAT to prove the cheapest and the best choice."""
    request, plan = planned(catalog, **fields)
    locked = [m for m in meals_of(plan) if (m.day, m.slot) not in free]
    prepared = prepare(request, catalog, locked=locked)
    floor = plan_floor(prepared)
    assert floor.status == "optimal"
    assert floor.cost_cents <= cheapest(prepared)
    assert floor.objective <= cheapest(prepared, objective=True)


def test_a_budget_below_the_cost_floor_gets_no_plan(catalog):
    fields = {"days": 2, "meals": ["lunch", "dinner"], "people": 2}
    floor_cents = cost_floor_cents(prepare(request_of(**fields), catalog))
    weekly = math.floor(floor_cents * 7 / 2 - 100) / 100  # a dollar a week below the floor
    budget = {"amount": weekly, "currency": "USD"}
    with_budget = prepare(request_of(**fields, budget=budget), catalog)
    assert with_budget.rule_set.budget_cents < floor_cents
    assert cost_floor_cents(with_budget) == floor_cents  # the budget is not part of it
    assert floor_of(with_budget).objective is None  # no plan within it: the LP says so
    assert not make_plan(request_of(**fields, budget=budget), catalog).ok


def test_the_floor_is_worked_out_once_per_request(catalog):
    prepared = prepare(request_of(days=1), catalog)
    assert floor_of(prepared) is floor_of(prepared)
    assert floor_of(prepared).cost_cents is None  # no budget: the cost floor is not needed
    assert cost_floor_cents(prepared) == floor_of(prepared).cost_cents is not None


@pytest.mark.parametrize("fields", [{"days": 2}, {"days": 2, "budget": {"amount": 60}}],
                         ids=["no budget", "checkout budget"])
def test_a_floor_worked_out_beside_the_search_is_the_same(catalog, fields):
    alone = prepare(request_of(**fields), catalog)
    expected = plan_floor(alone, with_cost=True)
    beside = prepare(request_of(**fields), catalog)
    start_floor(beside, beside.problem())
    assert cost_floor_cents(beside) == expected.cost_cents
    assert floor_of(beside, with_cost=True).objective == expected.objective
    assert floor_of(beside) is floor_of(beside)


def test_a_floor_that_fails_beside_the_search_fails_the_request(catalog, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("relaxation could not be built")

    monkeypatch.setattr(relaxation, "plan_floor", broken)
    prepared = prepare(request_of(days=1), catalog)
    start_floor(prepared, prepared.problem())
    with pytest.raises(RuntimeError, match="could not be built"):
        floor_of(prepared)


def test_no_floor_solve_outlives_the_request(catalog, monkeypatch):
    """A request that ends without its floor (no plan, no budget) still waits for the floor
    started beside its search: a process that exits right after must not stop GLOP mid-solve."""
    real = relaxation.plan_floor

    def slow(*args, **kwargs):
        time.sleep(2.5)  # longer than the request may take (its limit, 1 s, and a margin)
        return real(*args, **kwargs)

    monkeypatch.setattr(relaxation, "plan_floor", slow)
    outcome = make_plan(request_of(days=1, energy_kcal=1200, targets={"fiber_g_per_day": 75},
                                   time_limit_seconds=1), catalog)
    assert not outcome.ok
    assert not [t for t in threading.enumerate() if t.name == "plan-floor" and t.is_alive()]


VEGAN_LIVE_CULTURES = {"diet": "vegan", "exclude_allergens": ["soy", "sesame"],
                       "targets": {"fermented_servings_per_day": 4}, "time_limit_seconds": 5}


def test_the_relaxation_proves_a_conflict_the_weekly_core_does_not_reach(catalog):
    """A vegan week without soy or sesame, four live-culture servings a day: no fractional
    week meets the set the relaxation names (shrunk with time to spare), and it cannot be shrunk
    further; the explanation says so as proven, live cultures among them."""
    request = request_of(**VEGAN_LIVE_CULTURES)
    prepared = prepare(request, catalog)
    core = relaxed_core(prepared, [], time.perf_counter() + 5)
    assert core and "fermented" in core
    week = RelaxedWeek(prepared)
    assert week.infeasible(core) is True
    for key in core:
        assert week.infeasible([k for k in core if k != key]) is False, key
    outcome = make_plan(request, catalog)
    assert not outcome.ok
    explanation = outcome.document
    assert explanation["proven"] and explanation["message"].startswith("No plan can meet")
    named = [c["requirement"] for c in explanation["conflicts"]]
    # how far the explanation shrinks the set within its own time is the bench's to measure
    assert "fermented" in named, named
    for conflict in explanation["conflicts"]:
        value, limit = conflict["best_value"], conflict["limit"]
        if value is not None:
            assert not (limit.get("min", -math.inf) <= value <= limit.get("max", math.inf))
