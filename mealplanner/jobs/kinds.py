"""What each kind of job does: the plans service called with the job's stored request.

- create: a new plan (the job hands out its owner token, as a 201 would).
- swap, regenerate, remove_exception: a change to a stored plan. Its owner token and If-Match
  were checked when it was asked, so the job holds no token, only the plan's id and the
  version the owner saw: a change stored meanwhile fails the job with 409 plan_changed, never
  overwritten.

Each kind returns the plan it made or changed (a Made), or raises JobFailed with the error the
API would have answered had the solve run inside the request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marshmallow import ValidationError

from mealplanner.jobs.store import JobError
from mealplanner.planner.alternatives import NotAnAlternative
from mealplanner.planner.candidates import RequestError
from mealplanner.planner.request import PlanRequest
from mealplanner.plans import exception_removal, service
from mealplanner.plans.capacity import PlannerBusy
from mealplanner.plans.schemas import PlanRequestSchema, request_to_json
from mealplanner.plans.swap_relaxations import NO_RELAXATION, Relaxation, RelaxationError

CREATE, SWAP, REGENERATE = "create", "swap", "regenerate"
REMOVE_EXCEPTION = "remove_exception"
CHANGES = (SWAP, REGENERATE, REMOVE_EXCEPTION)  # kinds that change a stored plan
PLAN_CHANGED_MESSAGE = ("The plan was changed by another request while this change waited; "
                        "this change was not stored. Read the plan again and retry.")


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


def invalid(field: str, message: str) -> JobFailed:
    return JobFailed(JobError(422, "validation_error", f"Invalid request: {message}.",
                              {field: [message]}))


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


def swap_payload(plan_id: str, version: int, day: int, slot: str, recipe_id: str | None,
                 portion: float | None, relax: Relaxation = NO_RELAXATION) -> dict:
    """A swap job's stored request: the plan, the version its owner saw, the meal, and what
    the person relaxed to make it (a daily rule that day, or the weekly budget)."""
    return {"plan_id": plan_id, "version": version, "day": day, "slot": slot,
            "recipe_id": recipe_id, "portion": portion,
            "day_exception": relax.day_exception, "budget": relax.budget}


def regenerate_payload(plan_id: str, version: int, keep: list[tuple[int, str]]) -> dict:
    """A regenerate job's stored request: the plan, the version its owner saw, the meals
    kept."""
    return {"plan_id": plan_id, "version": version,
            "keep": [[day, slot] for day, slot in dict.fromkeys(keep)]}


def swap(payload: dict) -> Made:
    try:
        document = solved(service.swap_meal_at_version(
            payload["plan_id"], payload["version"], payload["day"], payload["slot"],
            payload.get("recipe_id"), payload.get("portion"),
            Relaxation(payload.get("day_exception"), payload.get("budget"))))
    except NotAnAlternative as error:  # the screen let it through; the full model did not
        raise invalid("recipe_id", str(error)) from None
    except RelaxationError as error:
        raise invalid(error.field, error.message) from None
    return Made(document["id"])


def regenerate(payload: dict) -> Made:
    keep = [(day, slot) for day, slot in payload["keep"]]
    return Made(solved(service.regenerate_at_version(payload["plan_id"], payload["version"],
                                                     keep))["id"])


def remove_exception_payload(plan_id: str, version: int, day: int, requirement: str) -> dict:
    """A remove_exception job's stored request: the plan, the version its owner saw, and the
    exception taken back (its day and rule)."""
    return {"plan_id": plan_id, "version": version, "day": day, "requirement": requirement}


def remove_exception(payload: dict) -> Made:
    try:
        return Made(solved(exception_removal.remove_exception_at_version(
            payload["plan_id"], payload["version"], payload["day"],
            payload["requirement"]))["id"])
    except exception_removal.NoSuchException as error:  # taken back meanwhile
        raise JobFailed(JobError(404, "not_found", f"{str(error).capitalize()}.",
                                 {"requirement": [str(error)]})) from None


KINDS: dict[str, Callable[[dict], Made]] = {CREATE: create, SWAP: swap,
                                            REGENERATE: regenerate,
                                            REMOVE_EXCEPTION: remove_exception}


def run_kind(kind: str, payload: dict) -> Made:
    """Run one job's work; JobFailed for every outcome the API answers with an error."""
    try:
        return KINDS[kind](payload)
    except service.PlanNotFound as error:
        raise JobFailed(JobError(404, "not_found", f"No plan has id {error.args[0]!r}.",
                                 {})) from None
    except service.PlanChanged:
        raise JobFailed(JobError(409, "plan_changed", PLAN_CHANGED_MESSAGE, {})) from None
    except PlannerBusy as error:
        raise JobFailed(JobError(503, "planner_busy", str(error),
                                 {"retry_after": error.retry_after})) from None
