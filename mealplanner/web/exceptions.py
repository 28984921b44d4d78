"""Taking back an exception for a single day from the plan page: the day is held to the rule
again, its meals planned again when they break it (plans/exception_removal.py). The outcome is
shown in the exceptions' own box, where the person pressed the button; when no dishes for
that day can meet the rule, the exception stays and the box says why.

Solved on the job queue like a swap; the page waits for it as long as the job may run."""

from __future__ import annotations

from flask import abort, redirect, request, session, url_for

from mealplanner import formatting as fmt
from mealplanner.jobs import queue, store
from mealplanner.jobs.kinds import REMOVE_EXCEPTION, remove_exception_payload
from mealplanner.jobs.models import DONE, FAILED
from mealplanner.planner.blockers import plain
from mealplanner.planner.dates import day_name
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.service import is_plan_owner
from mealplanner.web.blueprint import bp
from mealplanner.web.owners import owner_token_of
from mealplanner.web.swaps import stored

OUTCOME_KEY = "exception_outcome"  # the last removal's outcome, shown once in the box


def pop_exception_outcome() -> dict | None:
    return session.pop(OUTCOME_KEY, None)


def exception_asked(document: dict, form) -> dict:
    """The plan's exception a form names (its row of `day_exceptions`); 400 when unreadable,
    404 when the plan has none such (taken back already, in another tab?)."""
    day, requirement = form.get("day", ""), form.get("requirement", "")
    if not day.isdigit() or not requirement:
        abort(400, "Say which day's exception to take back.")
    for exception in document.get("day_exceptions") or []:
        if (exception["day"], exception["requirement"]) == (int(day), requirement):
            return exception
    abort(404, "This plan has no such exception any more: reload the plan to see its "
               "exceptions.")


@bp.post("/plans/<plan_id>/remove-exception")
def remove_exception(plan_id: str):
    """Hold the day to the rule again; the outcome goes to the exceptions' box."""
    _request, document = stored(plan_id)
    token = owner_token_of(plan_id)
    if token is None or not is_plan_owner(plan_id, token):
        abort(403, "Only the browser that made this plan can change it. Use \"Make my own "
                   "copy\" on the plan's page: the copy is yours to change.")
    exception = exception_asked(document, request.form)
    day, requirement = exception["day"], exception["requirement"]
    rule = f"“{plain(exception['rule'])}”"
    heading = day_name(document, day)
    limit = document["request"]["time_limit_seconds"]
    job = queue.wait(queue.submit(REMOVE_EXCEPTION, remove_exception_payload(  # full: a 503
        plan_id, document["version"], day, requirement), limit), queue.page_wait(limit))
    if job.status == DONE:
        session[OUTCOME_KEY] = {"ok": True, "message": _done_words(
            document, stored(plan_id)[1], day, heading, rule)}
    elif job.status != FAILED:
        session[OUTCOME_KEY] = {"ok": False, "message": (
            f"{heading} is still being planned again: the planner is busy. Reload the page in "
            "a moment to see it.")}
    else:
        session[OUTCOME_KEY] = {"ok": False, "message": _failed_words(
            store.error_of(job), heading, rule)}
    return redirect(url_for(".plan", plan_id=plan_id, _anchor="exception-message"), code=303)


def _done_words(before: dict, after: dict, day: int, heading: str, rule: str) -> str:
    """What the removal changed: the day's meals kept, or which were planned again."""
    def meals(document):
        return {meal["slot"]: (meal["recipe_id"], meal["portion"], meal["name"])
                for row in document["days"] if row["day"] == day for meal in row["meals"]}
    old, new = meals(before), meals(after)
    changed = [slot for slot in new if old.get(slot, (None,))[:2] != new[slot][:2]]
    said = f"{heading} is held to the rule {rule} again."
    if not changed:
        return f"{said} Its meals already meet it, so they stay as they were."
    listed = "; ".join(_change_words(slot, old.get(slot), new[slot]) for slot in changed)
    return f"{said} To meet it, {listed}; every other day stays as it was."


def _change_words(slot: str, old: tuple | None, new: tuple) -> str:
    """"dinner: Aginares a la polita is now Pasta e lenticchie", or the portion alone."""
    if old is None:
        return f"{slot} is now {new[2]}"
    if old[0] == new[0]:
        return f"{slot} ({new[2]}) is now {fmt.portion(new[1])}"
    return f"{slot}: {old[2]} is now {new[2]}"


def _failed_words(error: store.JobError, heading: str, rule: str) -> str:
    if error.code == "plan_changed":
        return ("Nothing was changed: the plan was changed meanwhile (in another tab?). This "
                "is the plan as it is now.")
    if error.code == "not_found":
        return "Nothing was changed: the plan has no such exception any more."
    if error.code == "planner_busy":
        raise PlannerBusy(int(error.details.get("retry_after") or 1))
    if error.code not in ("infeasible", "planner_timeout"):
        abort(error.status, error.message)
    said = error.details.get("message") or error.message
    return (f"The exception stays: no dishes for {heading} meet the rule {rule} with the rest "
            f"of the week kept. {said}")
