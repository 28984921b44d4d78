"""The fridge sheet: every meal of the plan, days by meals, with its portion and time."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from mealplanner.formatting import long_date, portion
from mealplanner.web.fridge import split_name


@pytest.fixture(scope="module")
def plan(app) -> dict:
    response = app.test_client().post("/api/v1/plans", json={"days": 3, "people": 2,
                                                              "time_limit_seconds": 2})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_the_sheet_holds_every_meal_with_its_portion_and_time(client, plan):
    response = client.get(f"/plans/{plan['id']}/fridge")
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", text, re.S)
    assert [day for day, _cells in rows] == [  # "Monday 7 December", by the plan's dates
        long_date(date.fromisoformat(day["date"])) for day in plan["days"]]
    for day, (_heading, cells) in zip(plan["days"], rows, strict=True):
        for meal in day["meals"]:
            dish, _gloss = split_name(meal["name"])
            minutes = meal["prep_minutes"] + meal["cook_minutes"]
            assert f'<span class="dish">{dish}</span>' in cells
            assert f"{portion(meal['portion'])} · {minutes} min" in cells
    assert "for 2 people" in text
    assert 'id="print-list"' in text  # the Print button


def test_the_plan_page_links_to_its_sheet(client, plan):
    page = client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert f'href="/plans/{plan["id"]}/fridge"' in page


@pytest.mark.parametrize(("name", "dish", "gloss"), [
    ("Adas (Moroccan lentils in spiced tomato sauce) with bread", "Adas with bread",
     "Moroccan lentils in spiced tomato sauce"),
    ("Revithosoupa (Greek chickpea soup)", "Revithosoupa", "Greek chickpea soup"),
    ("Bircher muesli with grated apple", "Bircher muesli with grated apple", None),
    ("(only a gloss)", "(only a gloss)", None),
])
def test_a_dish_name_loses_its_gloss_to_the_small_type(name, dish, gloss):
    assert split_name(name) == (dish, gloss)


def test_an_unknown_plan_has_no_sheet(client):
    response = client.get("/plans/no-such-plan/fridge")
    assert response.status_code == 404
    assert "No plan has the id" in html.unescape(response.get_data(as_text=True))
