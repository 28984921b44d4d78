"""Application services shared by the CLI, the API and the web pages."""

from __future__ import annotations

import re

from flask import current_app

from mealplanner.catalog.store import Catalog, catalog_from_database
from mealplanner.extensions import db

_CATALOG_KEY = "mealplanner.catalog"


def current_catalog() -> Catalog:
    """The foods and recipes in the app's database, read once per process and cached."""
    catalog = current_app.extensions.get(_CATALOG_KEY)
    if catalog is None:
        catalog = catalog_from_database(db.session)
        current_app.extensions[_CATALOG_KEY] = catalog
    return catalog


def forget_catalog() -> None:
    """Drop the cached catalog after the database was re-seeded."""
    current_app.extensions.pop(_CATALOG_KEY, None)


def create_plan_from_json(payload) -> tuple[str, dict]:
    """Validate a JSON request, plan it and store the plan; ('ok', plan) or (reason, details)."""
    from marshmallow import ValidationError

    from mealplanner.planner.candidates import RequestError
    from mealplanner.schemas import PlanRequestSchema

    try:
        request = PlanRequestSchema().load(payload)
    except ValidationError as error:
        return "invalid", {"status": "invalid", "errors": error.messages}
    try:
        return create_plan(request)
    except RequestError as error:
        return "invalid", {"status": "invalid", "errors": {error.field: [error.message]}}


def create_plan(request) -> tuple[str, dict]:
    from mealplanner.planner.pipeline import make_plan

    outcome = make_plan(request, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], outcome.document
    return "ok", save_plan(request, outcome.document)


def save_plan(request, document: dict, plan_id: str | None = None) -> dict:
    """Store the plan in one transaction; new plans get an unguessable 128-bit id and a 128-bit
    owner token, returned once in the document's `owner_token` (stored only as its hash)."""
    import secrets

    from mealplanner.models import Plan
    from mealplanner.schemas import request_to_json

    request_json = request_to_json(request)
    owner_token = None
    if plan_id is None:
        plan_id = secrets.token_urlsafe(16)
        owner_token = secrets.token_urlsafe(16)
        row = Plan(id=plan_id, request=request_json, document={},
                   owner_token_hash=token_hash(owner_token))
        db.session.add(row)
    else:
        row = db.session.get(Plan, plan_id)
        row.request = request_json
    document = {**document, "id": plan_id, "request": request_json}
    row.document = document
    db.session.commit()
    return {**document, "owner_token": owner_token} if owner_token else document


def token_hash(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()


PLAN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what secrets.token_urlsafe produces


class PlanNotFound(LookupError):
    """No plan has this id."""


class NotPlanOwner(PermissionError):
    """The owner token is missing or is not this plan's."""


def load_plan(plan_id: str):
    """The stored request (typed) and plan document; raises PlanNotFound."""
    from mealplanner.models import Plan
    from mealplanner.schemas import PlanRequestSchema

    if not PLAN_ID.fullmatch(plan_id):  # never send arbitrary text (NUL bytes...) to the DB
        raise PlanNotFound(plan_id)
    row = db.session.get(Plan, plan_id)
    if row is None:
        raise PlanNotFound(plan_id)
    return PlanRequestSchema().load(row.request), row.document


def swap_plan_meal(plan_id: str, day: int, slot: str) -> tuple[str, dict]:
    """Swap one meal of a stored plan; the plan is updated only when a valid swap exists."""
    from mealplanner.planner.pipeline import swap_meal

    request, document = load_plan(plan_id)
    outcome = swap_meal(request, document, day, slot, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], outcome.document
    return "ok", save_plan(request, outcome.document, plan_id=plan_id)


def regenerate_plan(plan_id: str, keep: list[tuple[int, str]]) -> tuple[str, dict]:
    """Re-solve a stored plan keeping the given (day, slot) meals."""
    from mealplanner.planner.pipeline import regenerate

    request, document = load_plan(plan_id)
    outcome = regenerate(request, document, keep, current_catalog())
    if not outcome.ok:
        return outcome.document["status"], outcome.document
    return "ok", save_plan(request, outcome.document, plan_id=plan_id)


def delete_plan(plan_id: str, owner_token: str | None) -> None:
    """Delete a plan given its owner token; PlanNotFound, or NotPlanOwner (nothing deleted)."""
    import hmac

    from mealplanner.models import Plan

    row = db.session.get(Plan, plan_id)
    if row is None:
        raise PlanNotFound(plan_id)
    if not (owner_token and row.owner_token_hash
            and hmac.compare_digest(token_hash(owner_token), row.owner_token_hash)):
        raise NotPlanOwner(plan_id)
    db.session.delete(row)
    db.session.commit()
