"""Keep some meals and plan the rest again, from the plan page: the person ticks the meals to
keep; the others get other dishes that keep every rule. No plan: the page says why, in the
same words as a new plan's explanation, with the ticks kept."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.service import (
    NotPlanOwner,
    PlanChanged,
    PlanNotFound,
    is_plan_owner,
    regenerate_plan,
)
from mealplanner.web.blueprint import bp
from mealplanner.web.plan_view import plan_context
from mealplanner.web.plans import owner_token_of, plan_not_found, stored_plan

NOT_OWNER = ("Planning meals again changes the plan, so it needs the plan's owner token: this "
             "browser did not make the plan, and no valid owner token was given.")


def meals_ticked(document: dict, values: list[str]) -> list[tuple[int, str]]:
    """The (day, slot) of each ticked meal ("3:dinner"); 400 for a meal the plan has not."""
    meals = {(day["day"], meal["slot"]) for day in document["days"] for meal in day["meals"]}
    ticked = []
    for value in values:
        day, _, slot = value.partition(":")
        key = (int(day), slot) if day.isdigit() else None
        if key not in meals:
            abort(400, "A ticked meal is not in this plan; reload the page and tick again.")
        ticked.append(key)
    return sorted(set(ticked))


@bp.post("/plans/<plan_id>/regenerate")
def regenerate(plan_id: str):
    """Plan the meals that are not ticked again; the ticked ones stay as they are."""
    plan_request, document = stored_plan(plan_id)
    keep = meals_ticked(document, request.form.getlist("keep"))
    meal_count = sum(len(day["meals"]) for day in document["days"])
    token = request.form.get("owner_token", "").strip() or owner_token_of(plan_id)
    version = request.form.get("version", "")
    try:
        if not is_plan_owner(plan_id, token):
            abort(403, NOT_OWNER)
        if len(keep) == meal_count:
            flash("Every meal is ticked to keep, so there is nothing to plan again: untick "
                  "the meals you want changed.", "error")
            return redirect(url_for(".plan", plan_id=plan_id, _anchor="regenerate"), code=303)
        status, result = regenerate_plan(  # planner busy: a 503 page
            plan_id, keep, owner_token=token,
            version=int(version) if version.isdigit() else None)
    except PlanNotFound:  # deleted meanwhile
        plan_not_found(plan_id)
    except NotPlanOwner:
        abort(403, NOT_OWNER)
    except PlanChanged:  # a swap in another tab: the ticks were for meals no longer there
        flash("Nothing was planned again: the plan was changed meanwhile (in another tab?). "
              "This is the plan as it is now; tick the meals to keep again.", "error")
        return redirect(url_for(".plan", plan_id=plan_id, _anchor="regenerate"), code=303)
    if status == "ok":
        changed = meal_count - len(keep)
        flash(f"Planned {changed} {'meal' if changed == 1 else 'meals'} again"
              + (f" and kept the {len(keep)} you ticked." if keep else "."), "success")
        return redirect(url_for(".plan", plan_id=plan_id), code=303)
    page = render_template("web/plan.html", owner_token=owner_token_of(plan_id),
                           explanation=result, suggestions=result.get("suggestions") or [],
                           kept=set(keep), swap_outcome=None,
                           **plan_context(plan_request, document, current_catalog()))
    return page, 200, {"Cache-Control": "private, no-store"}
