"""Taking back a plan's exception for a single day (POST /plans/{id}/remove-exception): the day
is held to the rule again, its meals planned again when they break it
(plans/exception_removal.py). Solved on the job queue like a swap."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import RAISE, Schema, fields, validate

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.api.plans.preconditions import changeable_plan, documented_change
from mealplanner.api.plans.queued_changes import changed, documented_queued
from mealplanner.api.plans.resources import BUSY_DOC, RETRY_AFTER_HEADER
from mealplanner.api.plans.schemas import PlanSchema
from mealplanner.errors import abort
from mealplanner.jobs.kinds import REMOVE_EXCEPTION, remove_exception_payload

blp = Blueprint("plan_exceptions", __name__, url_prefix="/api/v1/plans",
                description="Take back an exception for a single day that a swap made.")


class RemoveExceptionSchema(Schema):
    """The exception to take back: one of the plan's `day_exceptions`."""

    class Meta:
        unknown = RAISE

    day = fields.Integer(required=True, strict=True, validate=validate.Range(
        1, 14, error="must be a day of the plan, from {min} to {max}"), metadata={
        "description": "The exception's day, from 1."})
    requirement = fields.String(required=True, validate=validate.Length(1, 80), metadata={
        "description": "The exception's rule key (its `requirement`)."})


def exception_problem(document: dict, day: int, requirement: str) -> tuple[str, str] | None:
    """(field, message) when the plan has no such exception, naming the ones it has."""
    stated = [(e["day"], e["requirement"]) for e in document.get("day_exceptions") or []]
    if (day, requirement) in stated:
        return None
    if not stated:
        return "requirement", "the plan has no exceptions for single days"
    listed = ", ".join(f"day {d} {key!r}" for d, key in stated)
    return "requirement", f"the plan has no exception for {requirement!r} on day {day}; " \
                          f"its exceptions are: {listed}"


@blp.route("/<plan_id>/remove-exception")
class PlanRemoveException(MethodView):
    @blp.etag
    @blp.arguments(RemoveExceptionSchema, description="The exception to take back.")
    @blp.response(200, PlanSchema, operation_id="removeDayException")
    @documented_queued(blp)
    @blp.alt_response(422, schema=ErrorSchema, description=(
        "No such exception in the plan (details name `requirement` and list the plan's), or "
        "no dishes for that day meet the rule with the rest of the week kept: code "
        "infeasible, details = the explanation; nothing saved."))
    @blp.alt_response(503, schema=ErrorSchema, description=BUSY_DOC, headers=RETRY_AFTER_HEADER)
    @documented_change(blp)
    def post(self, args, plan_id):
        """Take back an exception for a single day

        The day is held to the rule again: its meals stay when they meet it, else that day is
        planned again and every other day kept. Needs the owner token; honours If-Match.
        Solved on the job queue: 200 with the plan, else 202 with the job.
        """
        document = changeable_plan(plan_id)
        day, requirement = args["day"], args["requirement"]
        problem = exception_problem(document, day, requirement)
        if problem:
            abort(422, f"Invalid request: {problem[1]}.", details={problem[0]: [problem[1]]})
        return changed(plan_id, document, REMOVE_EXCEPTION, remove_exception_payload(
            plan_id, document["version"], day, requirement))
