"""Swap and regenerate on the job queue, answered as they were inside the request.

The checks that need no solving (owner token, If-Match, the meal) are made before queueing,
so they are answered at once; the job holds the version the caller saw. Done within the short
wait: 200 with the changed plan, or the error the job failed with (409 plan_changed when
another change was stored first). Else 202 with the job; once done, its `plan_url` is the
changed plan's (GET it for the plan and its ETag).
"""

from __future__ import annotations

from mealplanner.api.base import Blueprint
from mealplanner.api.jobs import answers
from mealplanner.api.jobs.schemas import JobSchema
from mealplanner.api.plans.preconditions import stored_or_conflict
from mealplanner.errors import abort
from mealplanner.plans import service

ACCEPTED_DOC = ("Not done within the short wait: the job, with its URL in Location; GET it "
                "until it is done (then GET its `plan_url` for the changed plan) or failed "
                "(then `error`: what this request would have answered, such as 409 "
                "plan_changed when another change was stored first).")
JOB_LOCATION_HEADER = {"Location": {"description": "The job's URL.",
                                    "schema": {"type": "string"}}}


def documented_queued(blp: Blueprint):
    """A decorator documenting the 202 of a change solved on the job queue."""
    return blp.alt_response(202, schema=JobSchema, description=ACCEPTED_DOC,
                            headers=JOB_LOCATION_HEADER)


def changed(plan_id: str, document: dict, kind: str, payload: dict):
    """The change solved on the job queue: the changed plan when done within the short wait,
    the error it failed with, else 202 with the job."""
    with stored_or_conflict(plan_id):
        job = answers.run(kind, payload, document["request"]["time_limit_seconds"])
    if not answers.is_done(job):
        return answers.accepted(job)
    try:
        return service.load_plan(job.plan_id)[1]
    except service.PlanNotFound:  # deleted since the job stored it
        abort(404, f"No plan has id {plan_id!r}.")
