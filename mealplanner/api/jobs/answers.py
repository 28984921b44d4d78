"""A solve's answer through the job queue: the plan when it is ready within the short wait,
the error it failed with, or else 202 Accepted with the job's URL."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_smorest.utils import get_appcontext

from mealplanner.api.jobs.schemas import JobSchema
from mealplanner.errors import abort
from mealplanner.jobs import queue, store
from mealplanner.jobs.models import DONE, FAILED, Job
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.service import PlanChanged

ACCEPTED_DOC = ("Not ready within the short wait: the job, with its URL in Location; GET it "
                "until it is done (then `plan_url`) or failed (then `error`).")
JOB_LOCATION_HEADER = {"Location": {"description": "The job's URL (202) or the plan's (201).",
                                    "schema": {"type": "string"}}}


def run(kind: str, payload: dict, time_limit_seconds: float) -> Job:
    """Submit the job and wait the short wait; a job that failed stops the request with its
    error (as the solve inside the request did)."""
    job = queue.wait(queue.submit(kind, payload, time_limit_seconds), queue.short_wait())
    if job.status == FAILED:
        raise_failure(job)
    return job


def raise_failure(job: Job):
    error = store.error_of(job)
    assert error is not None
    if error.code == "plan_changed":  # answered as a change overtaken inside the request was
        raise PlanChanged(job.id)
    if error.code == "planner_busy":
        raise PlannerBusy(int(error.details.get("retry_after") or 1))
    abort(error.status, error.message, code=error.code, details=error.details)


def accepted(job: Job):
    """202 with the job document and its URL."""
    from mealplanner.api.jobs.resources import job_document

    document = JobSchema().dump(job_document(job))
    get_appcontext()["result_dump"] = document  # what @blp.etag tags when a view returns this
    response = jsonify(document)
    response.status_code = 202
    response.headers["Location"] = url_for("jobs.JobItem", job_id=job.id)
    return response


def is_done(job: Job) -> bool:
    return job.status == DONE
