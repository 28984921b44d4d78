"""The versioned JSON API (/api/v1), its OpenAPI document and docs page, and the health probes.

`init_app(app)` binds it; `blueprints` lists the API blueprints (exempt them from CSRF).
"""

from __future__ import annotations

from flask import Flask

from mealplanner import extensions
from mealplanner.api import docs
from mealplanner.api.base import Api
from mealplanner.api.foods.resources import blp as foods_blp
from mealplanner.api.health.resources import blp as health_blp
from mealplanner.api.jobs.resources import blp as jobs_blp
from mealplanner.api.meta.resources import blp as meta_blp
from mealplanner.api.plans.calendar import blp as calendar_blp
from mealplanner.api.plans.exception_resources import blp as exceptions_blp
from mealplanner.api.plans.resources import blp as plans_blp
from mealplanner.api.recipes.resources import blp as recipes_blp

blueprints = (plans_blp, exceptions_blp, calendar_blp, jobs_blp, foods_blp, recipes_blp,
              meta_blp, health_blp)

DESCRIPTION = """\
Weekly Mediterranean-style meal plans for gut health.

**Errors** have one shape: `{"error": {"code", "message", "details"}}`. Codes: `bad_request`
(400, e.g. malformed JSON or JSON nested over 32 levels), `forbidden` (403: changing a plan
without its owner token), `not_found` (404), `method_not_allowed` (405, with Allow),
`not_acceptable` (406), `plan_changed` (409: another change was stored meanwhile),
`precondition_failed` (412: If-Match), `payload_too_large` (413), `unsupported_media_type` (415:
send `Content-Type: application/json`), `validation_error` (422, details name each field;
choices list the allowed values), `infeasible` (422, no plan meets the request: message and
details are the planner's explanation), `planner_timeout` (422), `rate_limited` (429),
`internal_error` (500), `planner_busy` (503, with Retry-After), `database_unavailable` (503,
with Retry-After), `not_ready` (503).

**Plans** are reached only through their unguessable id; whoever has it may read, list and
fork (a copy of one's own). POST returns an `owner_token` once: swap, regenerate and DELETE
need it (X-Owner-Token or Authorization: Bearer) and honour If-Match (strong comparison).

**Jobs**: plans are solved on a job queue. POST /plans, swap and regenerate answer as before
when the plan is ready within a short wait; else 202 Accepted, with `Location:
/api/v1/jobs/{id}` and the job (`queued`, `running`, `done` with `plan_url`, `failed` with
`error` in the error shape above). A change's owner token, If-Match and meal are checked
before it is queued (403, 412, 422 at once); its job holds the plan's version as it was then,
so a change stored meanwhile fails the job with 409 `plan_changed`. A job id is as unguessable
as a plan id and, like the 201 of POST /plans, a capability: whoever has a create job's id
reads the new plan's `owner_token` (a swap or regenerate job has none). Past the queue's
capacity: 503 `planner_busy` with a Retry-After from the jobs ahead.

**Pagination** (foods, recipes): `page` from 1, `page_size` 1-100 (default 10); the body is the
page's items and the `X-Pagination` header holds `total`, `total_pages`, `first_page`,
`last_page`, `page`, `previous_page`, `next_page`. A page past the last is an empty list; a
`page_size` above 100 is a 422.

**ETag**: plans, foods, recipes and lists carry a strong ETag; send it in If-None-Match for a 304.
"""


def init_app(app: Flask) -> Api:
    """Configure flask-smorest, register the API blueprints and the docs page."""
    app.config.setdefault("API_TITLE", "mealplanner")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    # No OPENAPI_REDOC/SWAGGER_UI/RAPIDOC settings: flask-smorest's pages load from CDNs.
    # /api/docs (docs.py) serves Swagger UI from vendored files instead.
    app.config.setdefault("API_SPEC_OPTIONS", {"info": {"description": DESCRIPTION}})
    api = Api(app)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.blp)
    app.extensions["mealplanner.api"] = api
    # Exempt from CSRF whether CSRFProtect is bound before or after this call: exemptions live
    # on the CSRFProtect object (the extensions singleton), not on the app.
    for csrf in {id(c): c for c in (app.extensions.get("csrf"),
                                    getattr(extensions, "csrf", None)) if c is not None}.values():
        exempt_from_csrf(csrf)
    return api


def exempt_from_csrf(csrf) -> None:
    """JSON clients send no CSRF token: exempt every API blueprint (Flask-WTF CSRFProtect)."""
    for blueprint in blueprints:
        csrf.exempt(blueprint)
