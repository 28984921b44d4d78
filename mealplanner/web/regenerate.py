"""Keep some meals and plan the rest again, from the plan page: the person ticks the meals to
keep; the others get other dishes that keep every rule. No plan: the page says why, in the
same words as a new plan's explanation, with the ticks kept.

Solved on the job queue like the API's; the page waits for it as long as the job may run
(queue.page_wait) and answers as it did when it solved inside the request. One still queued
after that is said so: reload to see it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from mealplanner.jobs import queue, store
from mealplanner.jobs.kinds import REGENERATE, regenerate_payload
from mealplanner.jobs.models import DONE, FAILED
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.service import PlanNotFound, is_plan_owner
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
    version = int(version) if version.isdigit() else document["version"]
    try:
        if not is_plan_owner(plan_id, token):
            abort(403, NOT_OWNER)
    except PlanNotFound:  # deleted meanwhile
        plan_not_found(plan_id)
    if len(keep) == meal_count:
        flash("Every meal is ticked to keep, so there is nothing to plan again: untick "
              "the meals you want changed.", "error")
        return back_to_ticks(plan_id)
    if version != document["version"]:  # told at once: the page was of an older plan
        return changed_meanwhile(plan_id)
    limit = document["request"]["time_limit_seconds"]
    job = queue.wait(queue.submit(REGENERATE, regenerate_payload(  # queue full: a 503 page
        plan_id, version, keep), limit), queue.page_wait(limit))
    if job.status == DONE:
        changed = meal_count - len(keep)
        flash(f"Planned {changed} {'meal' if changed == 1 else 'meals'} again"
              + (f" and kept the {len(keep)} you ticked." if keep else "."), "success")
        return redirect(url_for(".plan", plan_id=plan_id), code=303)
    if job.status != FAILED:
        flash("The meals are still being planned again: the planner is busy. Reload the "
              "page in a moment to see them.", "error")
        return back_to_ticks(plan_id)
    return not_regenerated(store.error_of(job), plan_id, plan_request, document, keep)


def back_to_ticks(plan_id: str):
    return redirect(url_for(".plan", plan_id=plan_id, _anchor="regenerate"), code=303)


def changed_meanwhile(plan_id: str):
    """A swap in another tab: the ticks were for meals no longer there."""
    flash("Nothing was planned again: the plan was changed meanwhile (in another tab?). "
          "This is the plan as it is now; tick the meals to keep again.", "error")
    return back_to_ticks(plan_id)


def not_regenerated(error: store.JobError, plan_id: str, plan_request, document: dict,
                    keep: list[tuple[int, str]]):
    """A regenerate job that failed: the plan page with the explanation and the ticks kept,
    or the page for an error that is not the plan's."""
    if error.code == "plan_changed":
        return changed_meanwhile(plan_id)
    if error.code == "not_found":  # deleted meanwhile
        plan_not_found(plan_id)
    if error.code == "planner_busy":
        raise PlannerBusy(int(error.details.get("retry_after") or 1))
    if error.code not in ("infeasible", "planner_timeout"):
        abort(error.status, error.message)
    page = render_template("web/plan.html", owner_token=owner_token_of(plan_id),
                           explanation=error.details,
                           suggestions=error.details.get("suggestions") or [],
                           kept=set(keep), swap_outcome=None,
                           **plan_context(plan_request, document, current_catalog()))
    return page, 200, {"Cache-Control": "private, no-store"}
