"""The plan request form, the plan page, forking and deleting a plan (meal swaps: swaps.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import NoReturn

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from marshmallow import ValidationError

from mealplanner import json_input
from mealplanner.jobs import queue, store
from mealplanner.jobs.kinds import CREATE, create_payload
from mealplanner.jobs.models import DONE, FAILED
from mealplanner.planner.request import ContinueFrom
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.schemas import PlanRequestSchema, request_to_json
from mealplanner.plans.service import (
    NotPlanOwner,
    PlanChanged,
    PlanNotFound,
    create_plan,
    delete_plan,
    fork_plan,
    is_plan_owner,
    load_plan,
)
from mealplanner.rules import default_rules
from mealplanner.web.blueprint import bp
from mealplanner.web.exceptions import pop_exception_outcome
from mealplanner.web.forms import PlanForm
from mealplanner.web.mapping import (
    advanced_in_use,
    apply_errors,
    error_fields,
    form_data,
    request_payload,
)
from mealplanner.web.owners import forget_owner, owner_token_of, remember_owner
from mealplanner.web.plan_calendar import calendar_links
from mealplanner.web.plan_view import plan_context
from mealplanner.web.swaps import pop_swap_outcome


def plan_not_found(plan_id: str) -> NoReturn:
    abort(404, f"No plan has the id {plan_id!r}. Plans are kept at their own address; "
               "check the link, or make a new plan.")


def stored_plan(plan_id: str):
    """The stored request and plan document, or a 404 page."""
    try:
        return load_plan(plan_id)
    except PlanNotFound:
        plan_not_found(plan_id)


def render_home(form: PlanForm, status: int = 200, **context):
    catalog = current_catalog()
    return render_template(
        "web/home.html", form=form, rules=default_rules(), error_list=error_fields(form),
        advanced_open=advanced_in_use(form),
        food_names=sorted({f.name for f in catalog.foods.values()}, key=str.casefold),
        recipe_names=sorted((r.name for r in catalog.recipes.values()), key=str.casefold),
        **context,
    ), status


@bp.route("/", methods=["GET", "POST"])
def home():
    """The plan request form; a valid request is planned and shown at its own address."""
    form = PlanForm()
    if request.method == "GET" and request.args.get("from"):
        _request, document = stored_plan(request.args["from"])
        form = PlanForm(formdata=None, data=form_data(document["request"]))
    if not form.is_submitted():
        return render_home(form)
    valid = form.validate()  # the CSRF token, and text that is not a number
    payload, pantry_rows = request_payload(form)
    if valid:
        return plan_or_explain(payload, form, pantry_rows)
    try:  # report every other field's problem too, not one round at a time
        PlanRequestSchema().load(payload)
    except ValidationError as error:
        apply_errors(form, error.messages, pantry_rows)
    return render_home(form, 422)


@bp.post("/plans")
def retry():
    """A one-click suggestion: the changed request, sent back as JSON in a form field."""
    try:
        payload = json_input.loads(request.form.get("request", ""))
    except ValueError:  # not one we made: changed on the way
        abort(400, "The suggested request could not be read; fill in the form instead.")
    if found := json_input.problems(payload):
        abort(422, "The suggested request could not be read: " + "; ".join(
            f"{field} {messages[0]}" for field, messages in found.items()) + ".")
    try:
        PlanRequestSchema().load(payload)  # a list or a changed field fails here
    except ValidationError:
        abort(400, "The suggested request could not be read; fill in the form instead.")
    form = PlanForm(formdata=None, data=form_data(payload))
    return plan_or_explain(payload, form, list(range(len(payload.get("pantry") or []))))


def plan_or_explain(payload: dict, form: PlanForm, pantry_rows: list[int]):
    """Plan on the job queue: ready within the short wait, the plan (or the explanation);
    else the job's progress page, which goes on to the plan when it is done."""
    try:
        plan_request = PlanRequestSchema().load(payload)
    except ValidationError as error:
        apply_errors(form, error.messages, pantry_rows)
        return render_home(form, 422)
    job_id = queue.submit(CREATE, create_payload(plan_request),  # queue full: a 503 page
                          plan_request.time_limit_seconds)
    job = queue.wait(job_id, queue.short_wait())
    if job.status not in (DONE, FAILED):
        return redirect(url_for(".job", job_id=job.id), code=303)
    return finished_page(job, form, pantry_rows)


def finished_page(job, form: PlanForm, pantry_rows: list[int]):
    """A finished plan job as the form shows it: the plan, the explanation, or the fields."""
    if job.status == DONE:
        return planned_page("ok", {"id": job.plan_id, "owner_token": job.owner_token}, None,
                            form)
    error = store.error_of(job)
    if error.code == "validation_error":
        apply_errors(form, error.details, pantry_rows)
        return render_home(form, 422)
    if error.code in ("infeasible", "planner_timeout"):
        return planned_page(error.code, error.details, None, form)
    if error.code == "planner_busy":
        raise PlannerBusy(int(error.details.get("retry_after") or 1))
    abort(error.status, error.message)


def planned_page(status: str, document: dict, plan_request, form: PlanForm):
    """A new plan: this browser keeps its owner token and goes to its page. No plan: the
    form again, with the explanation and its one-click fixes."""
    if status == "ok":
        if document.get("owner_token"):
            remember_owner(document["id"], document["owner_token"])
        return redirect(url_for(".plan", plan_id=document["id"]), code=303)
    return render_home(form, 200, explanation=document,
                       suggestions=document.get("suggestions") or [])


@bp.get("/plans/<plan_id>")
def plan(plan_id: str):
    """The week at its permanent address."""
    plan_request, document = stored_plan(plan_id)
    owner_token = owner_token_of(plan_id)
    page = render_template("web/plan.html", owner_token=owner_token,
                           swap_outcome=pop_swap_outcome(),
                           exception_outcome=pop_exception_outcome(),
                           calendar=calendar_links(document),
                           **plan_context(plan_request, document, current_catalog()))
    # the page shows this browser's owner token: never kept by a shared cache
    return page, 200, {"Cache-Control": "private, no-store"} if owner_token else {}


NOT_OWNER_DELETE = ("Only whoever made this plan can delete it: this browser did not make it, "
                    "and no valid owner token was given.")


@bp.route("/plans/<plan_id>/delete", methods=["GET", "POST"])
def delete(plan_id: str):
    """Delete a plan, once the person has confirmed it: with the owner token this browser
    kept, or one pasted into the form. Without `confirm`, the page that asks."""
    pasted = request.form.get("owner_token", "").strip()
    token = pasted or owner_token_of(plan_id)
    if request.form.get("confirm") != "yes":
        _request, document = stored_plan(plan_id)
        if pasted and not is_plan_owner(plan_id, pasted):
            abort(403, NOT_OWNER_DELETE)
        return render_template("web/delete_plan.html", plan=document, pasted_token=pasted,
                               owner_token=owner_token_of(plan_id))
    try:
        delete_plan(plan_id, token)
    except PlanNotFound:
        abort(404, f"No plan has the id {plan_id!r}; it may have been deleted already.")
    except NotPlanOwner:
        abort(403, NOT_OWNER_DELETE)
    except PlanChanged:
        abort(409, "The plan was changed while it was being deleted; it is still there. "
                   "Go back to it and try again.")
    forget_owner(plan_id)
    flash("The plan was deleted; its link no longer works.", "success")
    return redirect(url_for(".home"), code=303)


@bp.post("/plans/<plan_id>/fork")
def fork(plan_id: str):
    """Make this browser its own copy of a plan it did not make, to swap meals in and change."""
    try:
        copy = fork_plan(plan_id)
    except PlanNotFound:
        plan_not_found(plan_id)
    remember_owner(copy["id"], copy["owner_token"])
    return redirect(url_for(".plan", plan_id=copy["id"]), code=303)


@bp.post("/plans/<plan_id>/next")
def next_week(plan_id: str):
    """Plan the week after this plan, for the same household and request: what it leaves over
    and still keeps becomes the new plan's pantry. Needs the owner token, as deleting does."""
    plan_request, _document = stored_plan(plan_id)
    token = request.form.get("owner_token", "").strip() or owner_token_of(plan_id)
    # the day after this plan ends; its exceptions were for its own days
    following = replace(plan_request, pantry=(), continue_from=ContinueFrom(plan_id, token or ""),
                        start_date=None, day_exceptions=())
    try:
        status, document = create_plan(following)
    except NotPlanOwner:
        abort(403, "Planning the next week needs this plan's owner token: this browser did "
                   "not make the plan, and no valid owner token was given.")
    form = PlanForm(formdata=None, data=form_data(request_to_json(plan_request)))
    return planned_page(status, document, plan_request, form)
