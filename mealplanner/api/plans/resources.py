"""Plans: POST creates (solves and stores), GET reads the stored document (never re-solves).

There is no list of plans: a plan's unguessable id is the only way to reach it. Whoever has the
id may read it, get its shopping list and fork it into a plan of their own (the id is the
capability, like a shared link); swapping, regenerating and deleting also need the owner token
returned once by POST, and honour If-Match (preconditions.py).
"""

from __future__ import annotations

from typing import NoReturn

from flask import current_app, request, url_for
from flask.views import MethodView

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.api.jobs import answers
from mealplanner.api.jobs.answers import ACCEPTED_DOC, JOB_LOCATION_HEADER
from mealplanner.api.jobs.schemas import JobSchema
from mealplanner.api.plans.alternative_schemas import (
    AlternativesQuerySchema,
    MealAlternativesSchema,
    SwapChoiceSchema,
)
from mealplanner.api.plans.preconditions import (
    changeable_plan,
    documented_change,
    owner_token,
    stored_or_conflict,
)
from mealplanner.api.plans.queued_changes import changed, documented_queued
from mealplanner.api.plans.schemas import (
    PlanRequestSchema,
    PlanSchema,
    RegenerateSchema,
    ShoppingListQuerySchema,
    ShoppingListSchema,
)
from mealplanner.errors import abort, empty_response
from mealplanner.jobs.kinds import (
    CREATE,
    REGENERATE,
    SWAP,
    create_payload,
    regenerate_payload,
    swap_payload,
)
from mealplanner.planner.alternatives import NotAnAlternative
from mealplanner.plans import service
from mealplanner.plans.meals import meal_problem
from mealplanner.plans.service import PlanNotFound
from mealplanner.plans.swap_relaxations import Relaxation, RelaxationError
from mealplanner.shopping.build import ShoppingListError, TripsOutOfRange
from mealplanner.shopping.export import to_csv, to_json, to_markdown

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans",
                description="Meal plans: create, read, delete, swap a meal (or pick one of its "
                            "alternatives), regenerate, fork, shopping list.")

SHOPPING_TYPES = {"json": "application/json", "csv": "text/csv", "md": "text/markdown"}
INFEASIBLE_DOC = (
    "Invalid request (code validation_error, details by field), a name the database does not "
    "have (details name the field), or no plan meets the request: code infeasible (or "
    "planner_timeout), message = the explanation, details = the explanation document "
    "(conflicts, empty_slots, suggestions)."
)
BUSY_DOC = "The planner is solving as many plans as it may at once; retry after Retry-After."
LOCATION_HEADER = {"Location": {"description": "The new plan's URL.",
                                "schema": {"type": "string"}}}
RETRY_AFTER_HEADER = {"Retry-After": {"description": "Seconds to wait.",
                                      "schema": {"type": "string"}}}
change_responses = documented_change(blp)


def plan_not_found(plan_id: str) -> NoReturn:
    abort(404, f"No plan has id {plan_id!r}.")


def stored_plan(plan_id: str):
    """The stored request and plan document, or 404."""
    try:
        return service.load_plan(plan_id)
    except PlanNotFound:
        plan_not_found(plan_id)


@blp.route("")
class Plans(MethodView):
    @blp.etag
    @blp.arguments(PlanRequestSchema, description="The plan request (README: the fields).")
    @blp.response(201, PlanSchema, headers=LOCATION_HEADER, operation_id="createPlan")
    @blp.alt_response(202, schema=JobSchema, description=ACCEPTED_DOC,
                      headers=JOB_LOCATION_HEADER)
    @blp.alt_response(422, schema=ErrorSchema, description=INFEASIBLE_DOC)
    @blp.alt_response(503, schema=ErrorSchema, description=BUSY_DOC, headers=RETRY_AFTER_HEADER)
    def post(self, plan_request):
        """Plan meals and store the plan

        Solves the request (seconds: `time_limit_seconds`) on the job queue, stores the plan
        in one transaction, then answers 201 with the plan and its URL in Location. The
        body's `owner_token` is shown this once: keep it to delete the plan. A plan not ready
        within a short wait answers 202 with the job (GET its Location until it is done).
        """
        job = answers.run(CREATE, create_payload(plan_request), plan_request.time_limit_seconds)
        if not answers.is_done(job):
            return answers.accepted(job)
        document = stored_plan(job.plan_id)[1]
        blp.set_etag(document, PlanSchema)  # the stored plan's ETag, as GET gives it
        location = url_for("plans.PlanItem", plan_id=document["id"])
        return {**document, "owner_token": job.owner_token}, 201, {"Location": location}


@blp.route("/<plan_id>")
class PlanItem(MethodView):
    @blp.etag
    @blp.response(200, PlanSchema, operation_id="getPlan")
    def get(self, plan_id):
        """The stored plan (read as stored, never solved again)"""
        return stored_plan(plan_id)[1]

    @blp.response(204, operation_id="deletePlan")
    @change_responses
    def delete(self, plan_id):
        """Delete a plan (with the owner token from its creation)"""
        document = changeable_plan(plan_id)
        with stored_or_conflict(plan_id):
            service.delete_plan(plan_id, owner_token(), document["version"])
        return empty_response(204)


@blp.route("/<plan_id>/fork")
class PlanFork(MethodView):
    takes_no_body = True

    @blp.etag
    @blp.response(201, PlanSchema, headers=LOCATION_HEADER, operation_id="forkPlan")
    @blp.alt_response(404, schema=ErrorSchema, description="No plan has this id.")
    def post(self, plan_id):
        """Copy a plan into a new one of your own

        The copy has the same request and meals, its own id and its own `owner_token` (shown
        this once), so that whoever has a plan's link but not its owner token may swap,
        regenerate and delete their copy. No solving; nothing in the original changes.
        """
        try:
            document = service.fork_plan(plan_id)
        except PlanNotFound:
            plan_not_found(plan_id)
        token = document.pop("owner_token")
        blp.set_etag(document, PlanSchema)
        location = url_for("plans.PlanItem", plan_id=document["id"])
        return {**document, "owner_token": token}, 201, {"Location": location}


@blp.route("/<plan_id>/alternatives")
class PlanAlternatives(MethodView):
    @blp.arguments(AlternativesQuerySchema, location="query")
    @blp.response(200, MealAlternativesSchema, operation_id="listAlternatives")
    @blp.alt_response(404, schema=ErrorSchema, description="No plan has this id.")
    @blp.alt_response(422, schema=ErrorSchema, description="A day or slot the plan does not "
                      "have (details name the field and what it may be).")
    @blp.alt_response(503, schema=ErrorSchema, description=BUSY_DOC, headers=RETRY_AFTER_HEADER)
    def get(self, query, plan_id):
        """The best few other dishes for one meal, every rule held

        Up to five, best first, each with what it changes (cost for the household, the day's
        energy, fiber and live cultures per person, minutes); with the other meals as they are,
        every one keeps every rule. When none does, `blocked_by` and `message` say which rules
        block, in plain words. Nothing is saved: pick one with POST .../swap and `recipe_id`.
        """
        _request, document = stored_plan(plan_id)
        valid_meal(document, query["day"], query["slot"])
        try:
            found = service.plan_meal_alternatives(plan_id, query["day"], query["slot"])
        except ValueError as error:
            abort(409, f"The meal's alternatives cannot be listed: {error}.")
        return found.as_document()


@blp.route("/<plan_id>/swap")
class PlanSwap(MethodView):
    @blp.etag
    @blp.arguments(SwapChoiceSchema, description="The meal, and optionally the dish to put there.")
    @blp.response(200, PlanSchema, operation_id="swapMeal")
    @documented_queued(blp)
    @blp.alt_response(422, schema=ErrorSchema, description=INFEASIBLE_DOC + " A `recipe_id` "
                      "that is not one of the meal's alternatives: details name `recipe_id`.")
    @blp.alt_response(503, schema=ErrorSchema, description=BUSY_DOC, headers=RETRY_AFTER_HEADER)
    @change_responses
    def post(self, swap, plan_id):
        """Swap one meal for the chosen dish, or the best other dish

        Every other meal stays; every rule is still kept (or relaxed as `day_exception` or
        `budget` say), or 422 says which rules block, nothing saved. Needs the owner token;
        honours If-Match. Solved on the job queue: 200 with the plan, else 202 with the job.
        """
        document = changeable_plan(plan_id)
        day, slot, recipe_id = swap["day"], swap["slot"], swap["recipe_id"]
        valid_meal(document, day, slot)
        relax = Relaxation(swap["day_exception"], swap["budget"])
        if relax.asked and recipe_id is None:  # a rule is relaxed for a chosen dish
            abort(422, "Invalid request: give recipe_id.", details={"recipe_id": [
                "the dish a rule is relaxed for"]})
        try:
            if recipe_id is not None:  # refused at once when the screen rules it out
                service.check_swap_choice(plan_id, day, slot, recipe_id, swap["portion"],
                                          relax)
        except NotAnAlternative as error:
            abort(422, f"Invalid request: {error}.", details={"recipe_id": [str(error)]})
        except RelaxationError as error:
            abort(422, f"Invalid request: {error.message}.", details={error.field: [
                error.message]})
        except ValueError as error:
            abort(409, f"The meal cannot be swapped: {error}.")
        except PlanNotFound:  # deleted meanwhile
            plan_not_found(plan_id)
        return changed(plan_id, document, SWAP, swap_payload(
            plan_id, document["version"], day, slot, recipe_id, swap["portion"], relax))


def valid_meal(document: dict, day: int, slot: str) -> None:
    """422 naming the field when the plan has no such meal."""
    problem = meal_problem(document, day, slot)
    if problem:
        abort(422, f"Invalid request: {problem[1]}.", details={problem[0]: [problem[1]]})


@blp.route("/<plan_id>/regenerate")
class PlanRegenerate(MethodView):
    @blp.etag
    @blp.arguments(RegenerateSchema, description="The meals to keep.")
    @blp.response(200, PlanSchema, operation_id="regeneratePlan")
    @documented_queued(blp)
    @blp.alt_response(422, schema=ErrorSchema, description=INFEASIBLE_DOC)
    @blp.alt_response(503, schema=ErrorSchema, description=BUSY_DOC, headers=RETRY_AFTER_HEADER)
    @change_responses
    def post(self, args, plan_id):
        """Plan again, keeping the locked meals (needs the owner token; honours If-Match)

        Solved on the job queue: 200 with the plan when done within a short wait, else 202
        with the job.
        """
        document = changeable_plan(plan_id)
        keep = [(m["day"], m["slot"]) for m in args["keep"]]
        problems = {str(i): [problem[1]] for i, (day, slot) in enumerate(keep)
                    if (problem := meal_problem(document, day, slot))}
        if problems:
            abort(422, "Invalid request: keep names meals the plan does not have.",
                      details={"keep": problems})
        return changed(plan_id, document, REGENERATE,
                       regenerate_payload(plan_id, document["version"], keep))


@blp.route("/<plan_id>/shopping-list")
class PlanShoppingList(MethodView):
    @blp.arguments(ShoppingListQuerySchema, location="query")
    @blp.response(200, ShoppingListSchema, operation_id="getShoppingList")
    @blp.doc(responses={200: {"content": {
        "text/csv": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}},
    }}})
    def get(self, query, plan_id):
        """What to buy for the plan, in whole packages, by aisle

        JSON, CSV (RFC 4180) or a Markdown checklist: `format`, or else the Accept header.
        CSV and Markdown come as a download (Content-Disposition with a file name).
        """
        try:  # a plan that is not there is a 404 whatever the Accept header asks for
            shopping, _document = service.plan_shopping_list(plan_id, trips=query["trips"])
        except PlanNotFound:
            plan_not_found(plan_id)
        except TripsOutOfRange as error:
            abort(422, f"Invalid request: {error}.", details={"trips": [str(error)]})
        except ShoppingListError as error:
            abort(409, f"The plan's shopping list cannot be made: {error}")
        fmt = shopping_format(query.get("format"))
        headers = {"Vary": "Accept"}
        if fmt == "json":
            return to_json(shopping), 200, headers
        text = (to_csv if fmt == "csv" else to_markdown)(shopping)
        response = current_app.response_class(text, mimetype=SHOPPING_TYPES[fmt])
        response.headers["Content-Disposition"] = (
            f'attachment; filename="shopping-list-{plan_id}.{fmt}"')
        response.headers.update(headers)
        return response


def shopping_format(asked: str | None) -> str:
    """`format` wins; else the best match of the Accept header; JSON when none is sent."""
    if asked:
        return asked
    accept = request.accept_mimetypes
    if not accept:
        return "json"
    best = accept.best_match(list(SHOPPING_TYPES.values()))
    if best is None:
        abort(406, "The shopping list comes as application/json, text/csv or "
                       "text/markdown; none of them is acceptable to this request.")
    return next(fmt for fmt, mimetype in SHOPPING_TYPES.items() if mimetype == best)
