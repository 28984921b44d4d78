"""The plan request form, the plan page, meal swaps, deleting a plan and the shopping list."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from marshmallow import ValidationError

from mealplanner.api.capacity import planner_slot
from mealplanner.planner.candidates import RequestError
from mealplanner.rules import MEALS, default_rules
from mealplanner.schemas import PlanRequestSchema, request_to_json
from mealplanner.services import (
    NotPlanOwner,
    PlanNotFound,
    create_plan,
    current_catalog,
    delete_plan,
    load_plan,
    swap_plan_meal,
)
from mealplanner.shopping import ShoppingListError, build_shopping_list
from mealplanner.shopping_export import sections, to_csv, to_markdown
from mealplanner.web import bp
from mealplanner.web.filters import amount, money
from mealplanner.web.forms import PlanForm
from mealplanner.web.mapping import (
    advanced_in_use,
    apply_errors,
    error_fields,
    form_data,
    request_payload,
)
from mealplanner.web.plan_view import plan_context
from mealplanner.web.suggestions import suggestions

FETCH_HEADER = "X-Requested-With"
# Owner tokens of the plans this browser made, kept in its signed session cookie so that it can
# delete them; the newest few only, to keep the cookie small.
OWNED_KEY = "owned_plans"
OWNED_KEPT = 20


def remember_owner(plan_id: str, owner_token: str) -> None:
    owned = dict(session.get(OWNED_KEY) or {})
    owned.pop(plan_id, None)
    owned[plan_id] = owner_token
    session[OWNED_KEY] = dict(list(owned.items())[-OWNED_KEPT:])


def owner_token_of(plan_id: str) -> str | None:
    return (session.get(OWNED_KEY) or {}).get(plan_id)


def stored_plan(plan_id: str):
    try:
        return load_plan(plan_id)
    except PlanNotFound:
        abort(404, f"No plan has the id {plan_id!r}. Plans are kept at their own address; "
                   "check the link, or make a new plan.")


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
        payload = json.loads(request.form.get("request", ""))
        PlanRequestSchema().load(payload)  # a list or a changed field fails here
    except (json.JSONDecodeError, ValidationError):  # not one we made: changed on the way
        abort(400, "The suggested request could not be read; fill in the form instead.")
    form = PlanForm(formdata=None, data=form_data(payload))
    return plan_or_explain(payload, form, list(range(len(payload.get("pantry") or []))))


def plan_or_explain(payload: dict, form: PlanForm, pantry_rows: list[int]):
    try:
        plan_request = PlanRequestSchema().load(payload)
        with planner_slot():  # shared with the API: past the limit, a 503 page
            status, document = create_plan(plan_request)
    except ValidationError as error:
        apply_errors(form, error.messages, pantry_rows)
        return render_home(form, 422)
    except RequestError as error:
        apply_errors(form, {error.field: [error.message]}, pantry_rows)
        return render_home(form, 422)
    if status == "ok":
        remember_owner(document["id"], document["owner_token"])
        return redirect(url_for(".plan", plan_id=document["id"]), code=303)
    asked = request_to_json(plan_request)
    return render_home(form, 200, explanation=document,
                       suggestions=suggestions(document, asked))


@bp.get("/plans/<plan_id>")
def plan(plan_id: str):
    """The week at its permanent address."""
    plan_request, document = stored_plan(plan_id)
    owner_token = owner_token_of(plan_id)
    page = render_template("web/plan.html", owner_token=owner_token,
                           **plan_context(plan_request, document, current_catalog()))
    # the page shows this browser's owner token: never kept by a shared cache
    return page, 200, {"Cache-Control": "private, no-store"} if owner_token else {}


@bp.post("/plans/<plan_id>/delete")
def delete(plan_id: str):
    """Delete a plan: with the owner token this browser kept, or one pasted into the form."""
    token = request.form.get("owner_token", "").strip() or owner_token_of(plan_id)
    try:
        delete_plan(plan_id, token)
    except PlanNotFound:
        abort(404, f"No plan has the id {plan_id!r}; it may have been deleted already.")
    except NotPlanOwner:
        abort(403, "Only whoever made this plan can delete it: this browser did not make it, "
                   "and no valid owner token was given.")
    owned = dict(session.get(OWNED_KEY) or {})
    owned.pop(plan_id, None)
    session[OWNED_KEY] = owned
    flash("The plan was deleted; its link no longer works.", "success")
    return redirect(url_for(".home"), code=303)


@bp.post("/plans/<plan_id>/swap")
def swap(plan_id: str):
    """Swap one meal for the best other dish; the rest of the week stays."""
    _request, document = stored_plan(plan_id)
    try:
        day, slot = int(request.form.get("day", "")), request.form.get("slot", "")
    except ValueError:
        abort(400, "Say which day's meal to swap.")
    if slot not in MEALS:
        abort(400, "Say which meal to swap: breakfast, lunch, dinner or snack.")
    before = _meal_name(document, day, slot)
    if before is None:
        abort(404, f"This plan has no {slot} on day {day}.")
    with planner_slot():
        status, document = swap_plan_meal(plan_id, day, slot)
    if status == "ok":
        after = _meal_name(document, day, slot)
        flash(f"Day {day} {slot}: {before} is now {after}.", "success")
    else:
        flash(f"Day {day} {slot} could not be swapped: {document.get('message', status)}",
              "error")
    if request.headers.get(FETCH_HEADER) == "fetch":
        plan_request, document = stored_plan(plan_id)
        return render_template("web/_plan_body.html",
                               **plan_context(plan_request, document, current_catalog()))
    return redirect(url_for(".plan", plan_id=plan_id, _anchor=f"day-{day}-{slot}"), code=303)


def _meal_name(document: dict, day: int, slot: str) -> str | None:
    for row in document["days"]:
        for meal in row["meals"]:
            if row["day"] == day and meal["slot"] == slot:
                return meal["name"]
    return None


def shopping_list_of(plan_id: str):
    plan_request, document = stored_plan(plan_id)
    trips = request.args.get("trips", 1, type=int)
    try:
        return build_shopping_list(plan_request, document, current_catalog(), trips=trips), \
            document
    except ShoppingListError as error:
        abort(400 if "trips" in str(error) else 409, str(error))


@bp.get("/plans/<plan_id>/shopping-list")
def shopping_list(plan_id: str):
    """The printable list: by aisle, with checkboxes, packages and prices."""
    shopping, document = shopping_list_of(plan_id)
    return render_template(
        "web/shopping_list.html", shopping=shopping, plan=document, sections=sections(shopping),
        money_cents=lambda cents: money(cents / 100, shopping.currency),
        grams=lambda value: amount(value, 0),
    )


@bp.get("/plans/<plan_id>/shopping-list.<fmt>")
def shopping_list_download(plan_id: str, fmt: str):
    """The list as CSV (spreadsheets) or Markdown (notes apps), as a download."""
    if fmt not in ("csv", "md"):
        abort(404)
    shopping, _document = shopping_list_of(plan_id)
    text, mimetype = (to_csv(shopping), "text/csv") if fmt == "csv" else \
        (to_markdown(shopping), "text/markdown")
    suffix = f"-{len(shopping.trips)}-trips" if len(shopping.trips) > 1 else ""
    return Response(text, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="shopping-list-{plan_id}{suffix}.{fmt}"'
    })
