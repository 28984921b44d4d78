"""The explanation as the API gives it: conflicts with their limits and best values, and
suggestions that are whole request bodies, each of which gets a plan; the form shows the same
explanation for the same request."""

from __future__ import annotations

import html
import json
import re

from tests.helpers import error_of
from tests.web.test_web import page_text, token

LOW_ENERGY_HIGH_FIBRE = {"days": 1, "energy_kcal": 1200, "targets": {"fiber_g_per_day": 75}}
BUDGET_TOO_SMALL = {"days": 2, "people": 2, "budget": {"amount": 30},
                    "time_limit_seconds": 2}


def _explained(client, body):
    return error_of(client.post("/api/v1/plans", json=body), 422, "infeasible")["details"]


def test_each_conflict_has_its_limit_best_value_unit_and_measure(client):
    explanation = _explained(client, LOW_ENERGY_HIGH_FIBRE)
    assert explanation["proven"] and explanation["message"].startswith("No plan can meet")
    fiber = next(c for c in explanation["conflicts"] if c["requirement"] == "fiber")
    assert fiber["limit"] == {"min": 75.0} and fiber["unit"] == "g fiber/day"
    assert fiber["measure"] == "worst day" and fiber["best_value"] < 75
    assert isinstance(explanation["seconds"], float)


def test_every_suggestion_is_a_request_that_gets_a_plan(client):
    explanation = _explained(client, BUDGET_TOO_SMALL)
    assert explanation["suggestions"]
    for suggestion in explanation["suggestions"]:
        assert set(suggestion) == {"text", "request"}
        response = client.post("/api/v1/plans", json=suggestion["request"])
        assert response.status_code == 201, suggestion["text"]
    [budget] = [s for s in explanation["suggestions"]
                if s["text"].startswith("Raise the weekly budget")]
    amount = budget["request"]["budget"]["amount"]
    assert budget["text"] == f"Raise the weekly budget to ${amount:,.2f}"
    assert amount >= explanation["conflicts"][0]["best_value"]


def test_the_form_gives_the_same_explanation_as_the_api(client):
    explanation = _explained(client, BUDGET_TOO_SMALL)
    response = client.post("/plans", data={"csrf_token": token(client),
                                           "request": json.dumps(BUDGET_TOO_SMALL)})
    assert response.status_code == 200
    text = page_text(response)
    assert explanation["message"] in text
    page = response.get_data(as_text=True)
    buttons = re.findall(r'name="request" value="([^"]+)">\s*<button[^>]*>([^<]+)</button>', page)
    assert [label for _value, label in buttons] == [s["text"] for s in explanation["suggestions"]]
    assert [json.loads(html.unescape(value)) for value, _label in buttons] == \
        [s["request"] for s in explanation["suggestions"]]
