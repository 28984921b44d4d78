"""Requests and checked plans for the planner tests."""

from __future__ import annotations

from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import make_plan
from mealplanner.plans.schemas import PlanRequestSchema


def request_of(**fields):
    """A request as the API loads it, with a shorter time limit."""
    fields.setdefault("time_limit_seconds", 4)
    return PlanRequestSchema().load(fields)


def planned(catalog, **fields):
    """(request, plan document) for a request that must give a plan the checker passes."""
    request = request_of(**fields)
    outcome = make_plan(request, catalog)
    assert outcome.ok, outcome.document.get("message")
    assert check_plan(outcome.document, request, catalog) == []
    return request, outcome.document
