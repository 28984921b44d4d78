"""An explanation's fixes as the API and the page give them: each the whole request body that
gets a plan (the request as asked, continue_from included, with the fix's changes)."""

from __future__ import annotations

from dataclasses import replace

from mealplanner.planner.request import PlanRequest
from mealplanner.plans.schemas import request_to_json


def suggestion_documents(fixes, asked: PlanRequest) -> list[dict]:
    return [{"text": fix.text, "request": request_to_json(fixed(asked, fix.changes))}
            for fix in fixes]


def fixed(asked: PlanRequest, changes: dict) -> PlanRequest:
    """The request with a fix's changes; the person's exceptions for days a shorter plan no
    longer has go with those days."""
    changed = replace(asked, **changes)
    return replace(changed, day_exceptions=tuple(e for e in changed.day_exceptions
                                                 if e.day <= changed.days))
