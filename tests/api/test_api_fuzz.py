"""Property-based fuzzing of the JSON API against its own OpenAPI document (schemathesis).

Every operation but POST /plans is fuzzed with valid and invalid input: no 5xx, every
response matches its documented status, headers, content type and schema. Fuzzed plan ids
never exist, so swap and regenerate never reach the solver. POST /plans would solve (seconds
per request), so it gets only schema-invalid bodies, which must be rejected without solving.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from mealplanner import create_app

FUZZ = settings(max_examples=50, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))

# The OpenAPI document does not depend on the database: read it from an app of its own at
# import; the calls go to the seeded test app (`app=app`).
_spec_app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
pytestmark = pytest.mark.slow  # about 10 s: hundreds of generated requests

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", _spec_app)
invalid_only = schemathesis.openapi.from_wsgi("/api/openapi.json", _spec_app)
invalid_only.config.generation.update(modes=[GenerationMode.NEGATIVE])


@pytest.fixture()
def no_solving(monkeypatch):
    """A body the schema forbids must never reach the planner."""

    def refuse(_request):
        raise AssertionError("a schema-invalid plan request was accepted")

    monkeypatch.setattr("mealplanner.plans.service.create_plan", refuse)


@schema.exclude(method="POST", path="/api/v1/plans").parametrize()
@FUZZ
def test_api_matches_its_openapi_document(case, app):
    case.call_and_validate(app=app)


@invalid_only.include(method="POST", path="/api/v1/plans").parametrize()
@FUZZ
def test_invalid_plan_requests_are_rejected_before_solving(case, app, no_solving):
    case.call_and_validate(app=app)
