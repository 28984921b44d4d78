"""The plans service: create, load, save, swap, regenerate and delete stored plans,
and make a stored plan's shopping list.

The JSON API, the web pages and the CLI all call these functions; each front end only turns
their outcomes into its own answers. Outcomes are (status, document): ("ok", plan) or the
planner's (status, explanation) when no plan meets the request. Solves hold one of the
process's planner slots (capacity.planner_slot: PlannerBusy when none is free).

Changing a stored plan (swap, regenerate, delete) needs its owner token (NotPlanOwner); anyone
with the id may fork it into a plan of their own. A loaded document carries the plan's
`version`; a change given the version it was based on is stored only if no other change was
stored since (PlanChanged otherwise, nothing stored), so two changes made at once never
silently lose one. A change made by a queued job (swap_meal_at_version, regenerate_at_version)
had its owner checked when it was asked: only its version is checked then.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.orm.exc import StaleDataError

from mealplanner.extensions import db
from mealplanner.models import Plan
from mealplanner.planner import pipeline as planner
from mealplanner.planner import rolling
from mealplanner.planner.alternatives import (
    MealAlternatives,
    find_alternatives,
    pick_alternative,
    screen_choice,
)
from mealplanner.planner.blockers import headline
from mealplanner.planner.candidates import RequestError
from mealplanner.planner.dates import default_start_date
from mealplanner.planner.request import PlanRequest
from mealplanner.plans import ownership
from mealplanner.plans.capacity import planner_slot
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.schemas import PlanRequestSchema, StoredRequestSchema, request_to_json
from mealplanner.plans.suggestions import suggestion_documents
from mealplanner.plans.swap_relaxations import NO_RELAXATION, Relaxation
from mealplanner.shopping.build import ShoppingList, build_shopping_list

PLAN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what secrets.token_urlsafe produces


class PlanNotFound(LookupError):
    """No plan has this id."""


class NotPlanOwner(PermissionError):
    """The owner token is missing or is not this plan's."""


class PlanChanged(RuntimeError):
    """Another change was stored since the version this change was based on; nothing stored."""


def create_plan_from_json(payload) -> tuple[str, dict]:
    """Validate a JSON request, plan it and store the plan; ('ok', plan) or (reason, details);
    an invalid request is ("invalid", {"status": "invalid", "errors": {field: [message]}})."""
    from marshmallow import ValidationError

    try:
        request = PlanRequestSchema().load(payload)
    except ValidationError as error:
        return "invalid", {"status": "invalid", "errors": error.messages}
    try:
        return create_plan(request)
    except RequestError as error:
        return "invalid", {"status": "invalid", "errors": {error.field: [error.message]}}
    except PlanNotFound:
        return "not_found", {"status": "not_found", "errors": {
            "continue_from.plan_id": [f"no plan with id {request.continue_from.plan_id!r}"]}}
    except NotPlanOwner:
        return "forbidden", {"status": "forbidden", "errors": {
            "continue_from.owner_token": ["not the earlier plan's owner token"]}}


def create_plan(request: PlanRequest) -> tuple[str, dict]:
    """Plan a validated request and store the plan; raises RequestError for a name the database
    does not have, and for `continue_from` PlanNotFound or NotPlanOwner. The stored plan's
    document carries its `owner_token`, this once."""
    continues = None
    asked = request
    if request.continue_from is not None:
        earlier = _row(request.continue_from.plan_id)
        if not ownership.is_owner(request.continue_from.owner_token, earlier.owner_token_hash):
            raise NotPlanOwner(earlier.id)
        request = rolling.continue_request(request, earlier.document, current_catalog())
        continues = {"plan_id": earlier.id, "start_day": request.start_day}
    if request.start_date is None:  # the next Monday on or after tomorrow
        request = replace(request, start_date=default_start_date())
    with planner_slot():
        outcome = planner.make_plan(request, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], with_suggestions(outcome, asked)
    document = outcome.document
    if continues:
        document = {**document, "continues": continues}
    return "ok", save_plan(request, document)


def with_suggestions(outcome: planner.PlanOutcome, asked: PlanRequest) -> dict:
    """The explanation with each checked fix as the whole request body that gets a plan (the
    request as asked, continue_from included, with the fix's changes): what the API returns
    and the page's one-click buttons post."""
    return {**outcome.document, "suggestions": suggestion_documents(outcome.fixes, asked)}


def save_plan(request: PlanRequest, document: dict, plan_id: str | None = None,
              version: int | None = None) -> dict:
    """Store the plan in one transaction; new plans get an unguessable 128-bit id and a 128-bit
    owner token, returned once in the document's `owner_token` (stored only as its hash). A
    stored plan changed since `version` (when given) raises PlanChanged, nothing stored."""
    request_json = request_to_json(request)
    owner_token = None
    if plan_id is None:
        plan_id, owner_token = ownership.new_token(), ownership.new_token()
        row = Plan(id=plan_id, request=request_json, document={},
                   owner_token_hash=ownership.token_hash(owner_token))
        db.session.add(row)
    else:
        row = _row(plan_id, version)
        row.request = request_json
    document = {k: v for k, v in document.items() if k not in ("version", "owner_token")}
    document = {**document, "id": plan_id, "request": request_json}
    row.document = document
    _commit()
    document = {**document, "version": row.version}
    return {**document, "owner_token": owner_token} if owner_token else document


def load_plan(plan_id: str) -> tuple[PlanRequest, dict]:
    """The stored request (typed) and plan document, with its `version`; PlanNotFound."""
    row = _row(plan_id)
    return StoredRequestSchema().load(row.request), {**row.document, "version": row.version}


def owned_plan(plan_id: str, owner_token: str | None) -> tuple[PlanRequest, dict]:
    """The stored plan, for its owner; PlanNotFound, or NotPlanOwner."""
    row = _row(plan_id)
    if not ownership.is_owner(owner_token, row.owner_token_hash):
        raise NotPlanOwner(plan_id)
    return load_plan(plan_id)


def fork_plan(plan_id: str) -> dict:
    """A new plan with the same request and meals, its own id and owner token (returned once
    in `owner_token`): whoever has a plan's link may change their own copy of it."""
    request, document = load_plan(plan_id)
    return save_plan(request, {k: v for k, v in document.items() if k not in ("id", "request")})


def plan_meal_alternatives(plan_id: str, day: int, slot: str) -> MealAlternatives:
    """The best few other dishes for one meal of a stored plan, every rule held; raises
    PlanNotFound, or ValueError for a plan whose dishes the catalog no longer has."""
    request, document = load_plan(plan_id)
    with planner_slot():
        return find_alternatives(request, document, day, slot, current_catalog())


def swap_plan_meal(plan_id: str, day: int, slot: str, recipe_id: str | None = None,
                   portion: float | None = None, *, owner_token: str | None,
                   version: int | None = None,
                   relax: Relaxation = NO_RELAXATION) -> tuple[str, dict]:
    """Swap one meal of a stored plan for the chosen dish (`recipe_id`, NotAnAlternative when
    it breaks a rule) or else the best one; the plan is saved only when the swap keeps every
    rule. When no dish does, the outcome says which rules block, at once. NotPlanOwner, and
    PlanChanged when the plan changed since `version` (or while solving). `relax`: what the
    person relaxes for the chosen dish, kept in the plan's request."""
    request, document = owned_at_version(plan_id, owner_token, version)
    return _swap(plan_id, request, document, day, slot, recipe_id, portion, relax)


def swap_meal_at_version(plan_id: str, version: int, day: int, slot: str,
                         recipe_id: str | None = None, portion: float | None = None,
                         relax: Relaxation = NO_RELAXATION) -> tuple[str, dict]:
    """The swap a queued job makes: its owner was checked when it was asked, so it is made
    only to the plan as they saw it (`version`), else PlanChanged and nothing stored."""
    request, document = at_version(plan_id, version)
    return _swap(plan_id, request, document, day, slot, recipe_id, portion, relax)


def check_swap_choice(plan_id: str, day: int, slot: str, recipe_id: str,
                      portion: float | None, relax: Relaxation = NO_RELAXATION) -> None:
    """NotAnAlternative when the meal's screen alone (milliseconds, no solving) rules the
    chosen dish out, so a swap is refused at once rather than queued; ValueError for a plan
    whose dishes the catalog no longer has; RelaxationError for a relaxation the plan cannot
    take."""
    request, document = load_plan(plan_id)
    request = relax.applied(request, day)
    screen_choice(request, document, day, slot, recipe_id, portion, current_catalog())


def _swap(plan_id: str, request: PlanRequest, document: dict, day: int, slot: str,
          recipe_id: str | None, portion: float | None,
          relax: Relaxation = NO_RELAXATION) -> tuple[str, dict]:
    request = relax.applied(request, day)
    catalog = current_catalog()
    with planner_slot():
        if recipe_id is not None:
            outcome = pick_alternative(request, document, day, slot, recipe_id, portion,
                                       catalog)
        else:
            found = find_alternatives(request, document, day, slot, catalog, limit=1)
            if not found.alternatives:
                return "infeasible", no_alternative_document(found)
            outcome = planner.swap_meal(request, document, day, slot, catalog)
    if not outcome.ok:
        return outcome.document["status"], with_suggestions(outcome, request)
    return "ok", save_plan(request, outcome.document, plan_id, document["version"])


def no_alternative_document(found: MealAlternatives) -> dict:
    """A swap no dish can make: the plain message and the rules that block, by requirement."""
    return {"status": "infeasible", "reason": "no_alternative", "message": found.message,
            "headline": headline(found.day, found.slot), "day": found.day, "slot": found.slot,
            "blocked_by": found.as_document()["blocked_by"]}


def regenerate_plan(plan_id: str, keep: list[tuple[int, str]], *, owner_token: str | None,
                    version: int | None = None) -> tuple[str, dict]:
    """Re-solve a stored plan keeping the given (day, slot) meals; NotPlanOwner, PlanChanged
    as for a swap."""
    return _regenerate(plan_id, *owned_at_version(plan_id, owner_token, version), keep)


def regenerate_at_version(plan_id: str, version: int,
                          keep: list[tuple[int, str]]) -> tuple[str, dict]:
    """The regeneration a queued job makes: to the plan at `version` only, as for a swap."""
    return _regenerate(plan_id, *at_version(plan_id, version), keep)


def _regenerate(plan_id: str, request: PlanRequest, document: dict,
                keep: list[tuple[int, str]]) -> tuple[str, dict]:
    with planner_slot():
        outcome = planner.regenerate(request, document, keep, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], with_suggestions(outcome, request)
    return "ok", save_plan(request, outcome.document, plan_id, document["version"])


def is_plan_owner(plan_id: str, owner_token: str | None) -> bool:
    """Whether the token is the stored plan's owner token; raises PlanNotFound."""
    return ownership.is_owner(owner_token, _row(plan_id).owner_token_hash)


def delete_plan(plan_id: str, owner_token: str | None, version: int | None = None) -> None:
    """Delete a plan given its owner token; PlanNotFound, NotPlanOwner, or PlanChanged when it
    changed since `version` (nothing deleted)."""
    owned_at_version(plan_id, owner_token, version)
    db.session.delete(_row(plan_id))
    _commit()


def plan_shopping_list(plan_id: str, trips: int | None = None) -> tuple[ShoppingList, dict]:
    """The stored plan's shopping list and document; PlanNotFound, or ShoppingListError
    (TripsOutOfRange when `trips` is not the plan's own number of trips)."""
    request, document = load_plan(plan_id)
    return build_shopping_list(request, document, current_catalog(), trips=trips), document


def owned_at_version(plan_id: str, owner_token: str | None,
                     version: int | None) -> tuple[PlanRequest, dict]:
    """The owner's plan, still at `version` when one is given."""
    if not is_plan_owner(plan_id, owner_token):
        raise NotPlanOwner(plan_id)
    return at_version(plan_id, version)


def at_version(plan_id: str, version: int | None) -> tuple[PlanRequest, dict]:
    """The stored plan, still at `version` when one is given (PlanChanged otherwise)."""
    request, document = load_plan(plan_id)
    if version is not None and document["version"] != version:
        raise PlanChanged(plan_id)
    return request, document


def _commit() -> None:
    """Commit; a row another change updated or deleted meanwhile: PlanChanged, rolled back."""
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise PlanChanged(str(error)) from error


def _row(plan_id: str, version: int | None = None) -> Plan:
    if not PLAN_ID.fullmatch(plan_id):  # never send arbitrary text (NUL bytes...) to the DB
        raise PlanNotFound(plan_id)
    row = db.session.get(Plan, plan_id)
    if row is None:
        raise PlanNotFound(plan_id)
    if version is not None and row.version != version:
        raise PlanChanged(plan_id)
    return row
