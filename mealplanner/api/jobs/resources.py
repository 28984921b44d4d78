"""Jobs: GET /api/v1/jobs/{id}, where a plan solved off the request thread has got to.

POST /plans (and a plan's swap and regenerate) answers 202 with a job's URL when the plan is
not ready within the short wait; the job's id is as unguessable as a plan's.
"""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.api.jobs.schemas import JobSchema
from mealplanner.errors import abort
from mealplanner.jobs import store
from mealplanner.jobs.models import DONE, FAILED, Job
from mealplanner.jobs.queue import job_deadline_check

blp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs",
                description="Plan jobs: a plan being solved, then its URL or the error.")


def job_document(job: Job) -> dict:
    """The job as the API shows it."""
    document = {"id": job.id, "kind": job.kind, "status": job.status,
                "created_at": store.aware(job.created_at),
                "started_at": job.started_at and store.aware(job.started_at),
                "finished_at": job.finished_at and store.aware(job.finished_at)}
    if job.status == DONE:
        document |= {"plan_id": job.plan_id, "owner_token": job.owner_token,
                     "plan_url": url_for("plans.PlanItem", plan_id=job.plan_id)}
    if job.status == FAILED and (error := store.error_of(job)):
        document["error"] = error.as_document()
    return document


@blp.route("/<job_id>")
class JobItem(MethodView):
    @blp.response(200, JobSchema, operation_id="getJob")
    @blp.alt_response(404, schema=ErrorSchema, description="No job has this id.")
    def get(self, job_id):
        """Where a plan job has got to

        `queued` or `running`: ask again (a second or two). `done`: the plan made or changed
        is at `plan_url` (and a new plan's `owner_token` is here). `failed`: `error` is what
        the request would have answered (code `infeasible` with the planner's explanation,
        `plan_changed` for a change another one overtook, ...).
        """
        job = job_deadline_check(job_id)
        if job is None:
            abort(404, f"No job has id {job_id!r}.")
        return job_document(job)
