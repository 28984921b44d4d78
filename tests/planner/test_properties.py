"""Property-based: any valid request gives a plan the checker accepts, or an explanation."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import make_plan
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules import MEALS

ALLERGENS = ["milk", "egg", "fish", "crustaceans", "molluscs", "tree_nuts", "peanuts", "wheat",
             "gluten", "soy", "sesame", "celery", "mustard", "lupin", "sulphites"]

requests = st.fixed_dictionaries(
    {
        "days": st.integers(1, 2),
        "meals": st.lists(st.sampled_from(MEALS), min_size=2, max_size=4, unique=True),
        "people": st.integers(1, 6),
        "diet": st.sampled_from(["omnivore", "pescatarian", "vegetarian", "vegan"]),
        "exclude_allergens": st.lists(st.sampled_from(ALLERGENS), max_size=3, unique=True),
        "energy_kcal": st.integers(1600, 3000),
        "time_limit_seconds": st.just(3),
    },
    optional={
        "budget": st.fixed_dictionaries({"amount": st.integers(20, 400)}),
        "max_prep_minutes": st.integers(20, 90),
    },
)


@pytest.mark.slow  # about 20 s: some requests go through the relaxation-based explanation
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(fields=requests)
def test_any_valid_request_gives_a_checked_plan_or_an_explanation(catalog, fields):
    request = PlanRequestSchema().load(fields)
    outcome = make_plan(request, catalog)
    if outcome.ok:
        assert check_plan(outcome.document, request, catalog) == []
    else:
        document = outcome.document
        assert document["reason"] in ("no_dishes", "conflict", "timeout")
        assert document["message"]
        if document["reason"] == "conflict":
            assert document["conflicts"]
