"""The CP-SAT model, the local search's scoring and the checker name the same broken
requirements, for random plans (not only the solver's): three readings of one rule set.

The model and the search share their integers, so they agree exactly. The checker works in
grams and floats; the model rounds every dish against the rule (never claiming more than the
food gives), so the checker may pass a plan the model calls broken only when the amount lies
within that rounding of the bound, and never the other way round.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mealplanner.planner.checker import broken_requirements, judge, plan_facts
from mealplanner.planner.cpsat.solve import SolveSettings, requirements_broken_by
from mealplanner.planner.pipeline import prepare
from mealplanner.planner.purchase import compute_purchases
from mealplanner.planner.report import days_document
from mealplanner.planner.search.state import WeekSearch
from mealplanner.planner.units import integer_bounds, model_units
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules import MEALS
from mealplanner.rules.requirements import DAY

requests = st.fixed_dictionaries({
    "days": st.integers(1, 3),
    "people": st.integers(1, 3),
    "meals": st.lists(st.sampled_from(MEALS), min_size=1, max_size=4, unique=True)
    .map(lambda ms: [m for m in MEALS if m in ms]),
    "diet": st.sampled_from(["omnivore", "pescatarian", "vegetarian", "vegan"]),
}, optional={
    "budget": st.integers(10, 150).map(lambda amount: {"amount": amount}),
    "targets": st.fixed_dictionaries({"plants_per_week": st.integers(5, 25)}),
    "max_repeats": st.integers(1, 3),
})


def random_meals(problem, seed: int):
    rng = np.random.default_rng(seed)
    meals = []
    for (day, slot), rows in zip(problem.slots, problem.allowed, strict=True):
        rid, q = problem.options[slot].keys[int(rows[rng.integers(len(rows))])]
        meals.append((day, slot, rid, q))
    return meals


def rounding_margin(requirement, bound, meals_per_period: int) -> float:
    """How far the checker's float amount may lie from the bound while the model's rounded
    integers still miss it: per meal, one model unit of each term; the bound's own rounding;
    the checker's slack."""
    per_meal = sum(abs(t.weight) / model_units(t.quantity) for t in bound.terms
                   if not t.quantity.startswith("group:"))
    multiplier = float(integer_bounds(requirement)[0].multiplier)
    return bound.slack + meals_per_period * per_meal + 1 / multiplier + 1e-6


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=requests, seed=st.integers(0, 2**31))
def test_model_search_and_checker_name_the_same_broken_rules(file_catalog, fields, seed):
    request = PlanRequestSchema().load(fields)
    prepared = prepare(request, file_catalog)
    problem = prepared.problem()
    if any(len(rows) == 0 for rows in problem.allowed):
        return  # a meal with no dish: explained before any rule is read
    meals = random_meals(problem, seed)

    model = requirements_broken_by(prepared.model(), meals, SolveSettings())
    state = WeekSearch(problem)
    for index, (_day, slot, rid, q) in enumerate(meals):
        state.assign(index, problem.options[slot].index[rid, q])
    search = state.total()[2]
    assert set(model) == set(search)

    purchases = compute_purchases([(d, rid, q) for d, _s, rid, q in meals], request.people,
                                  prepared.candidates.pantry_g, file_catalog,
                                  request.use_staples, request.days)
    document = {"days": days_document(file_catalog, meals, request.days),
                "cost": {"total": round(sum(p.cost_cents for p in purchases) / 100, 2)}}
    checker = broken_requirements(document, request, file_catalog, prepared.rule_set)
    assert set(checker) <= set(model), "the checker found a rule broken the model missed"
    facts = plan_facts(document["days"], file_catalog, request.use_staples)
    for key in set(model) - set(checker):
        requirement = prepared.rule_set.requirement(key)
        assert requirement.bounds, f"{key}: only linear rules round"
        per_period = len(request.meals) if requirement.period == DAY else len(meals)
        near = [
            v for bound in requirement.bounds for v in judge(requirement, facts)
            if min(abs(v.value - b) for b in (bound.low, bound.high) if b is not None)
            <= rounding_margin(requirement, bound, per_period)
        ]
        assert near, f"{key}: the model calls it broken far from its bound"
