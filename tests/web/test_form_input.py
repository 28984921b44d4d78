"""The plan form and its one-click retry answer 422 naming the field for numbers no field can
hold and NUL characters (never a 500, never stored)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from mealplanner.extensions import db
from mealplanner.models import Plan
from tests.web.test_web import SMALL_PLAN, page_text, post_form, token


def plan_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Plan))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("days", "1" * 5001, "Not a valid integer value"),
    ("exclude_foods", "gar\u0000lic", "must not contain the NUL character"),
    ("people", "9" * 200, "Must be greater than or equal to 1"),
])
def test_the_form_names_the_field_it_cannot_read(app, client, field, value, message):
    before = plan_count(app)
    response = post_form(client, {**SMALL_PLAN, field: value})
    assert response.status_code == 422
    page = page_text(response)
    assert message in page
    assert f'id="{field}-error"' in page or f'aria-describedby="{field}-error"' in page
    assert plan_count(app) == before


@pytest.mark.parametrize(("request_text", "field"), [
    ('{"days": ' + "1" * 5001 + "}", "days"),
    ('{"days": 1, "exclude_foods": ["a\\u0000"]}', "exclude_foods.0"),
    ('{"days": 1, "time_limit_seconds": NaN}', "time_limit_seconds"),
])
def test_a_retry_with_what_no_field_can_hold_is_422_naming_it(app, client, request_text,
                                                              field):
    before = plan_count(app)
    response = client.post("/plans", data={"csrf_token": token(client),
                                           "request": request_text})
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert f"could not be read: {field} " in page_text(response)
    assert plan_count(app) == before
