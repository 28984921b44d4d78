"""What each kind of job does: the plans service called with the job's stored request.

Each kind returns the plan it made or changed (a Made), or raises JobFailed with the error the
API would have answered had the solve run inside the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import ValidationError

from mealplanner.jobs.store import JobError
from mealplanner.planner.candidates import RequestError
from mealplanner.planner.request import PlanRequest
from mealplanner.plans import service
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.schemas import PlanRequestSchema, request_to_json

CREATE = "create"


@dataclass(frozen=True)
class Made:
    plan_id: str
    owner_token: str | None = None


class JobFailed(Exception):
    def __init__(self, error: JobError) -> None:
        super().__init__(error.message)
        self.error = error


def solved(outcome: tuple[str, dict]) -> dict:
    """The plan, or JobFailed with the planner's explanation (as the API's 422)."""
    status, document = outcome
    if status != "ok":
        code = "planner_timeout" if document.get("status") == "timeout" else "infeasible"
        raise JobFailed(JobError(422, code, document.get("message")
                                 or "No plan meets this request.", document))
    return document


def create_payload(plan_request: PlanRequest) -> dict:
    """A create job's stored request: the normalised request, and `continue_from` (whose
    owner token is dropped once the job has run: `without_secrets`)."""
    payload = request_to_json(plan_request)
    if (earlier := plan_request.continue_from) is not None:
        payload["continue_from"] = {"plan_id": earlier.plan_id,
                                    "owner_token": earlier.owner_token}
    return payload


def without_secrets(payload: dict) -> dict:
    """The stored request once the job has run: no owner token kept."""
    if isinstance(payload.get("continue_from"), dict):
        return {**payload, "continue_from": {"plan_id": payload["continue_from"].get(
            "plan_id")}}
    return payload


def create(payload: dict) -> Made:
    try:
        plan_request = PlanRequestSchema().load(payload)
    except ValidationError as error:
        raise JobFailed(JobError(422, "validation_error", "Invalid request.",
                                 error.messages)) from None
    try:
        document = solved(service.create_plan(plan_request))
    except RequestError as error:
        raise JobFailed(JobError(422, "validation_error", error.message,
                                 {error.field: [error.message]})) from None
    except service.PlanNotFound:
        plan_id = plan_request.continue_from.plan_id
        raise JobFailed(JobError(404, "not_found", f"continue_from: no plan with id "
                                 f"{plan_id!r}", {"continue_from.plan_id": ["no such plan"]}
                                 )) from None
    except service.NotPlanOwner:
        raise JobFailed(JobError(
            403, "forbidden", "continue_from needs the earlier plan's owner token (returned "
            "when it was made)", {"continue_from.owner_token": ["not this plan's"]})) from None
    return Made(document["id"], document["owner_token"])


# Swap and regenerate go through the API and the pages on the request thread for now.
KINDS: dict[str, Callable[[dict], Made]] = {CREATE: create}


def run_kind(kind: str, payload: dict) -> Made:
    """Run one job's work; JobFailed for every outcome the API answers with an error."""
    try:
        return KINDS[kind](payload)
    except service.PlanNotFound as error:
        raise JobFailed(JobError(404, "not_found", f"No plan has id {error.args[0]!r}.",
                                 {})) from None
    except PlannerBusy as error:
        raise JobFailed(JobError(503, "planner_busy", str(error),
                                 {"retry_after": error.retry_after})) from None
