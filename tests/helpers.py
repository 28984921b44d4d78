"""Helpers shared by the test layers: a small plan request and the API's error shape."""

from __future__ import annotations

import re

import pytest

PLAN_REQUEST = {"days": 1, "time_limit_seconds": 1}
PLAN_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # secrets.token_urlsafe(16): 128 random bits
OWNER_TOKENS: dict[str, str] = {}  # plan id -> owner token, for the plans the tests make


def kept(plan: dict) -> str:
    """The new plan's id; its owner token is kept for `owner`."""
    OWNER_TOKENS[plan["id"]] = plan["owner_token"]
    return plan["id"]


def owner(plan_id: str) -> dict[str, str]:
    """The header that makes a request the plan's owner's."""
    return {"X-Owner-Token": OWNER_TOKENS[plan_id]}


def stored_copy(plan_id: str) -> str:
    """A stored copy of a plan (no solving), owned by the tests; call inside an app context."""
    from mealplanner.plans.service import load_plan, save_plan

    request, document = load_plan(plan_id)
    return kept(save_plan(request, {k: v for k, v in document.items() if k != "id"}))


def error_of(response, status: int, code: str | None = None) -> dict:
    """The response is an error in the API's one shape; returns its body's `error`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def budget_at_checkout(plan_id: str) -> str:
    """A stored copy of the plan whose weekly budget is exactly what its shopping costs (no
    solving): a swap to any dearer dish breaks the budget. Call inside an app context."""
    from dataclasses import replace

    from mealplanner.planner.request import Budget
    from mealplanner.plans.service import load_plan, save_plan
    from mealplanner.rules.ruleset import plan_budget_amount

    request, document = load_plan(plan_id)
    checkout = round(document["cost"]["checkout"] * 100)
    weekly = round(checkout / 100 * 7 / request.days, 2)
    while round(plan_budget_amount(weekly, request.days) * 100) < checkout:
        weekly = round(weekly + 0.01, 2)
    request = replace(request, budget=Budget(weekly))
    cost = {**document["cost"], "budget_per_week": weekly,
            "budget": round(plan_budget_amount(weekly, request.days), 2)}
    copy = {k: v for k, v in document.items() if k not in ("id", "request")}
    return kept(save_plan(request, {**copy, "cost": cost}))


def blocked_meal(client, plan_id: str) -> tuple[str, int, str]:
    """(plan id, day, slot): the first meal of the plan no other dish can take the place of
    (its budget at its checkout: every dearer dish breaks it, and every cheaper one, here,
    another rule)."""
    for day in (1, 2, 3):
        for slot in ("dinner", "lunch", "breakfast", "snack"):
            found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}&slot={slot}")
            alternatives = found.get_json()["alternatives"]
            assert all(a["change"]["cost"] <= 0 for a in alternatives)
            if not alternatives:
                return plan_id, day, slot
    pytest.fail("every meal of the plan has a dish as cheap that keeps every rule")


def migration_head() -> str:
    """The newest migration's revision: where an upgrade from any older one must arrive."""
    from pathlib import Path

    from alembic.script import ScriptDirectory

    import mealplanner

    return ScriptDirectory(str(Path(mealplanner.__file__).parent / "migrations")).get_current_head()


# households whose tight energy window leaves some meal without any other dish, each blocked
# by a daily rule a day's exception can loosen (which meal depends on the plan found)
RELAXABLE = [{"days": 3, "diet": "vegan", "energy_tolerance": 0.04, "time_limit_seconds": 4},
             {"days": 2, "energy_tolerance": 0.02, "time_limit_seconds": 4},
             {"days": 3, "people": 2, "diet": "vegetarian", "energy_tolerance": 0.04,
              "time_limit_seconds": 4}]


def relaxable_meal(client) -> tuple[str, int, str, dict]:
    """(plan id, day, slot, blocker): a new plan's first meal that no other dish can take,
    with a blocker that offers to loosen its rule on that day (`relax_swap`)."""
    for household in RELAXABLE:
        made = client.post("/api/v1/plans", json=household)
        assert made.status_code == 201, made.get_data(as_text=True)
        plan_id = kept(made.get_json())
        for day in range(1, household["days"] + 1):
            for slot in ("breakfast", "lunch", "dinner", "snack"):
                found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}"
                                   f"&slot={slot}").get_json()
                offers = [b for b in found["blocked_by"] if b["relax_swap"]]
                if not found["alternatives"] and offers:
                    return plan_id, day, slot, offers[0]
    pytest.fail("no meal is blocked by a rule a day's exception can loosen")
