"""What a change to a stored plan (swap, regenerate, delete) must bring, and what it gets.

- The plan's owner token, in X-Owner-Token (or `Authorization: Bearer ...`): 403 without it,
  pointing to the plan's fork URL, where anyone with the link may make a copy of their own.
- When sent, `If-Match` with the plan's current ETag, compared strongly (RFC 9110, 13.1.1): a
  weak tag never matches, `*` matches any stored plan. A mismatch is a 412 naming the current
  ETag, before any solving.
- A change that another one overtook while it was being made is a 409 (PlanChanged): never a
  200 for a change that was not stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import request, url_for
from werkzeug.http import quote_etag

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.api.plans.schemas import PlanSchema
from mealplanner.errors import abort
from mealplanner.plans import service
from mealplanner.plans.service import NotPlanOwner, PlanChanged, PlanNotFound

OWNER_HEADER = "X-Owner-Token"
OWNER_TOKEN_PARAM = {"in": "header", "name": OWNER_HEADER, "required": False,
                     "schema": {"type": "string"},
                     "description": "The plan's `owner_token` from its 201 (or send "
                                    "`Authorization: Bearer <token>`)."}
IF_MATCH_PARAM = {"in": "header", "name": "If-Match", "required": False,
                  "schema": {"type": "string"},
                  "description": "The plan's ETag as last read (or `*`): the change is made "
                                 "only if the plan is still that version, else 412."}
CHANGE_PARAMS = [OWNER_TOKEN_PARAM, IF_MATCH_PARAM]
NOT_OWNER_DOC = ("The owner token is missing or is not this plan's; details.fork_url makes a "
                 "copy of your own (POST).")
MISMATCH_DOC = "If-Match does not hold the plan's current ETag (details.current_etag)."
CONFLICT_DOC = ("Another change to the plan was stored while this one was made; this one was "
                "not stored. Read the plan again and retry.")


def documented_change(blp: Blueprint):
    """A decorator documenting what every change to a stored plan may answer (403, 409, 412)
    and the headers it reads."""
    def document(func):
        for status, description in ((403, NOT_OWNER_DOC), (409, CONFLICT_DOC),
                                    (412, MISMATCH_DOC)):
            func = blp.alt_response(status, schema=ErrorSchema, description=description)(func)
        return blp.doc(parameters=CHANGE_PARAMS)(func)
    return document


def owner_token() -> str | None:
    """The token in X-Owner-Token, else in `Authorization: Bearer ...`."""
    token = request.headers.get(OWNER_HEADER, "").strip()
    if not token:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        token = value.strip() if scheme.lower() == "bearer" else ""
    return token or None


def plan_etag(document: dict) -> str:
    """The ETag GET gives the plan (its version is part of the document: every stored change
    gives a new one)."""
    return Blueprint._generate_etag(PlanSchema().dump(document))


def changeable_plan(plan_id: str) -> dict:
    """The stored plan document for a change: 404, 403 without the owner token, 412 when
    If-Match does not hold its ETag."""
    try:
        _request, document = service.owned_plan(plan_id, owner_token())
    except PlanNotFound:
        abort(404, f"No plan has id {plan_id!r}.")
    except NotPlanOwner:
        not_owner(plan_id)
    etag = plan_etag(document)
    if request.headers.get("If-Match") is not None and not request.if_match.contains(etag):
        abort(412, f"If-Match does not hold the plan's current ETag {quote_etag(etag)}: it "
                   "was changed since you read it. Read it again, then retry.",
              details={"If-Match": [f"the current ETag is {quote_etag(etag)}"],
                       "current_etag": quote_etag(etag)},
              headers={"ETag": quote_etag(etag)})
    return document


def not_owner(plan_id: str):
    fork = url_for("plans.PlanFork", plan_id=plan_id)
    abort(403, f"Changing this plan needs its owner token (returned when it was made): send "
               f"it in {OWNER_HEADER} or as Authorization: Bearer <token>. Without it, "
               f"POST {fork} makes a copy of your own.",
          details={OWNER_HEADER: ["missing or not this plan's owner token"], "fork_url": fork})


@contextmanager
def stored_or_conflict(plan_id: str) -> Iterator[None]:
    """A change the service refused: 409 when another one was stored meanwhile, 403, 404."""
    try:
        yield
    except PlanChanged:
        try:
            current = {"current_etag": quote_etag(plan_etag(service.load_plan(plan_id)[1]))}
        except PlanNotFound:
            current = {}
        abort(409, "The plan was changed by another request while this change was made; "
                   "this change was not stored. Read the plan again and retry.",
              code="plan_changed", details=current)
    except NotPlanOwner:
        not_owner(plan_id)
    except PlanNotFound:
        abort(404, f"No plan has id {plan_id!r}.")
