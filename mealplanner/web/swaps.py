"""Meal swaps on the plan page: the best other dish at once, or one chosen among the meal's
alternatives. The outcome is shown in the meal's own cell, where the person acted: a swap that
could not be made says why there, and is never marked as done. Only the browser that made the
plan (it holds the owner token) may swap; any other may make its own copy (plans.fork).

The swap is solved on the job queue like the API's; the page waits for it as long as the job
may run (queue.page_wait), so the outcome still lands in the meal's cell, without a progress
page. A swap still queued after that says so in the cell: reload to see it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from flask import abort, redirect, render_template, request, session, url_for

from mealplanner.formatting import money
from mealplanner.jobs import queue, store
from mealplanner.jobs.kinds import SWAP, swap_payload
from mealplanner.jobs.models import DONE, FAILED
from mealplanner.planner.blockers import headline, plain
from mealplanner.planner.dates import day_name
from mealplanner.planner.request import PORTIONS
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.meals import meal_name
from mealplanner.plans.service import (
    PlanNotFound,
    check_swap_choice,
    is_plan_owner,
    load_plan,
    plan_meal_alternatives,
)
from mealplanner.plans.swap_relaxations import NO_RELAXATION, Relaxation
from mealplanner.rules import MEALS
from mealplanner.web.blueprint import bp
from mealplanner.web.owners import owner_token_of
from mealplanner.web.plan_view import plan_context

FETCH_HEADER = "X-Requested-With"
OUTCOME_KEY = "swap_outcome"  # the last swap's outcome, shown once in its meal's cell


@dataclass(frozen=True)
class SwapOutcome:
    """What became of a swap, for the meal's cell."""

    day: int
    slot: str
    ok: bool
    message: str
    reasons: list[str] = field(default_factory=list)  # the rules that block, in plain words
    relax: list[str] = field(default_factory=list)  # what relaxing one of them would allow
    # the swaps that relaxing one rule makes, a daily one on that day or the weekly budget
    # (blockers' relax_swap, with `text`)
    relax_swaps: list[dict] = field(default_factory=list)


def pop_swap_outcome() -> dict[str, Any] | None:
    """The outcome of the swap that led to this page, once (the form post redirects here)."""
    return session.pop(OUTCOME_KEY, None)


def fetched() -> bool:
    return request.headers.get(FETCH_HEADER) == "fetch"


def meal_asked(document: dict, values) -> tuple[int, str]:
    """The (day, slot) a form or link names: 400 when unreadable, 404 when the plan has none."""
    try:
        day, slot = int(values.get("day", "")), values.get("slot", "")
    except ValueError:
        abort(400, "Say which day's meal to swap.")
    if slot not in MEALS:
        abort(400, "Say which meal to swap: breakfast, lunch, dinner or snack.")
    if meal_name(document, day, slot) is None:
        abort(404, f"This plan has no {slot} on day {day}.")
    return day, slot


def stored(plan_id: str):
    """The stored request and plan document, or a 404 page."""
    try:
        return load_plan(plan_id)
    except PlanNotFound:
        abort(404, f"No plan has the id {plan_id!r}. Plans are kept at their own address; "
                   "check the link, or make a new plan.")


@bp.get("/plans/<plan_id>/alternatives")
def alternatives(plan_id: str):
    """The meal's best few other dishes, each with what it changes, to pick one."""
    _request, document = stored(plan_id)
    day, slot = meal_asked(document, request.args)
    try:
        found = plan_meal_alternatives(plan_id, day, slot)
    except ValueError as error:
        abort(409, f"The other dishes for this meal cannot be listed: {error}.")
    template = "web/_alternatives.html" if fetched() else "web/alternatives.html"
    return render_template(template, plan=document, found=found, fetched=fetched(),
                           headline=headline(day, slot), day_name=day_name(document, day),
                           owner_token=owner_token_of(plan_id))


@bp.post("/plans/<plan_id>/swap")
def swap(plan_id: str):
    """Swap one meal for the chosen dish, or else the best other one; the rest of the week
    stays. The outcome goes to the meal's cell, with the new plan body or the page."""
    _request, document = stored(plan_id)
    token = owner_token_of(plan_id)
    if token is None or not is_plan_owner(plan_id, token):
        abort(403, "Only the browser that made this plan can swap its meals. Use \"Make my "
                   "own copy\" on the plan's page: the copy is yours to change.")
    day, slot = meal_asked(document, request.form)
    recipe_id = request.form.get("recipe_id") or None
    try:
        portion = float(request.form["portion"]) if request.form.get("portion") else None
    except ValueError:
        portion = -1.0
    if portion is not None and portion not in PORTIONS:
        abort(400, "A portion is 0.5 to 2, in quarters.")
    relax = relaxation_asked(request.form)
    if relax.asked and recipe_id is None:
        abort(400, "Say which dish the rule is relaxed for.")
    outcome = _swapped(plan_id, document, day, slot, recipe_id, portion, token, relax)
    if fetched():
        plan_request, document = stored(plan_id)
        return render_template("web/_plan_body.html", swap_outcome=asdict(outcome),
                               owner_token=token,
                               **plan_context(plan_request, document, current_catalog()))
    session[OUTCOME_KEY] = asdict(outcome)
    return redirect(url_for(".plan", plan_id=plan_id, _anchor=f"day-{day}-{slot}"), code=303)


def relaxation_asked(form) -> Relaxation:
    """What a relax button relaxes: the weekly budget, or a daily rule on the swap's day; 400
    when a figure is unreadable."""
    budget = None
    if form.get("budget"):
        try:
            budget = float(form["budget"])
        except ValueError:
            abort(400, "The weekly budget must be a number.")
    return Relaxation(_day_exception_asked(form), budget)


def _day_exception_asked(form) -> dict | None:
    requirement = form.get("exception_requirement")
    if not requirement:
        return None
    exception: dict[str, Any] = {"requirement": requirement}
    for side in ("min", "max"):
        if form.get(f"exception_{side}"):
            try:
                exception[side] = float(form[f"exception_{side}"])
            except ValueError:
                abort(400, f"The exception's {side} must be a number.")
    if len(exception) == 1:
        abort(400, "Say the day's new minimum or maximum.")
    return exception


def _swapped(plan_id: str, document: dict, day: int, slot: str, recipe_id: str | None,
             portion: float | None, token: str,
             relax: Relaxation = NO_RELAXATION) -> SwapOutcome:
    before = meal_name(document, day, slot)
    meal = f"{day_name(document, day)} {slot}"  # "Monday 7 December dinner" ("Day 1 dinner")
    try:
        if recipe_id is not None:  # told at once when the screen rules the dish out
            check_swap_choice(plan_id, day, slot, recipe_id, portion, relax)
    except ValueError as error:  # not an alternative, an exception the rule cannot take,
        # or dishes the catalog no longer has
        return SwapOutcome(day, slot, False, f"{meal} could not be swapped: {error}.")
    limit = document["request"]["time_limit_seconds"]
    job = queue.wait(queue.submit(SWAP, swap_payload(  # queue full: a 503 page
        plan_id, document["version"], day, slot, recipe_id, portion, relax), limit),
        queue.page_wait(limit))
    if job.status == DONE:
        after = stored(plan_id)[1]
        message = f"{meal}: {before} is now {meal_name(after, day, slot)}."
        if relax.day_exception is not None:
            message += " " + _exception_words(after, day, relax.day_exception["requirement"])
        if relax.budget is not None:
            message += (f" The weekly budget is now "
                        f"{money(relax.budget, after['cost'].get('currency', 'USD'))}.")
        return SwapOutcome(day, slot, True, message)
    if job.status != FAILED:
        return SwapOutcome(day, slot, False, f"{meal} is still being swapped: the planner is "
                                             "busy. Reload the page in a moment to see it.")
    return _not_swapped(store.error_of(job), day, slot, meal)


def _not_swapped(error: store.JobError, day: int, slot: str, meal: str) -> SwapOutcome:
    """A swap job that failed, in the meal's cell; a page for errors that are not the meal's."""
    if error.code == "plan_changed":
        return SwapOutcome(day, slot, False, f"{meal} was not swapped: the plan was changed "
                                             "meanwhile (in another tab?). This is the plan as "
                                             "it is now; swap again if you like.")
    if error.code == "validation_error" and error.details.get("recipe_id"):
        return SwapOutcome(day, slot, False,
                           f"{meal} could not be swapped: {error.details['recipe_id'][0]}.")
    if error.code == "planner_busy":
        raise PlannerBusy(int(error.details.get("retry_after") or 1))
    if error.code not in ("infeasible", "planner_timeout"):
        abort(error.status, error.message)
    after = error.details
    blocked = after.get("blocked_by") or []
    said = after.get("headline") or after.get("message") or error.code
    swaps = [{**b["relax_swap"], "text": b["relax"]} for b in blocked if b.get("relax_swap")]
    return SwapOutcome(day, slot, False, f"{meal} could not be swapped: {said}",
                       [b["text"] for b in blocked[:2]],
                       [b["relax"] for b in blocked if b.get("relax") and
                        not b.get("relax_swap")][:1], swaps[:2])


def _exception_words(document: dict, day: int, requirement: str) -> str:
    """"This day now has at most 2,412 mg sodium, your exception to the rule ...": the
    exception as the plan document states it."""
    for exception in document.get("day_exceptions") or []:
        if (exception["day"], exception["requirement"]) == (day, requirement):
            return (f"This day now has {exception['text']}, your exception to the rule "
                    f"“{plain(exception['rule'])}”; every other day keeps the rule.")
    return ""
