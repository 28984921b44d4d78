"""One way to write numbers and words on the pages a person reads: a plan, a recipe from it,
its shopping list, a food, and the explanation of a request no plan can meet."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from mealplanner.formatting import significant
from mealplanner.plans.service import load_plan
from tests.web.test_web import SMALL_PLAN, post_form

BAD_FORMS = {
    "a decimal that means nothing": re.compile(r"\d\.0\b"),
    "serving(s)": re.compile(r"serving\(s\)|\(s\)"),
    "a currency code": re.compile(r"\bUSD\b"),
    "a slash fraction": re.compile(r"\d 1/2|\d 1/4|\d 3/4"),
    "a code with an underscore": re.compile(r"\b[a-z]+_[a-z_]+\b"),
    "solver jargon": re.compile(r"Feasible|feasible|checked independently", re.IGNORECASE),
    "a source key for a title": re.compile(r"foods/SOURCES\.md"),
    "one servings": re.compile(r"\b1 servings\b"),
    "a large number without separators": re.compile(r"(?<![\d.,])\d{4,}(?:\.\d+)? (?:kcal|g|mg)\b"),
}


class _Text(HTMLParser):
    """The words a reader sees: text outside <script> and <style>, and titles of controls."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(response) -> str:
    parser = _Text()
    parser.feed(response.get_data(as_text=True))
    return " ".join(" ".join(parser.parts).split())


def assert_worded(text: str) -> None:
    for what, pattern in BAD_FORMS.items():
        found = pattern.search(text)
        assert found is None, f"{what}: {text[max(0, found.start() - 80):found.end() + 80]!r}"


@pytest.fixture(scope="module")
def week(app):
    """A plan with a budget, through the form."""
    client = app.test_client()
    response = post_form(client, {**SMALL_PLAN, "budget": "400"})
    assert response.status_code == 303
    plan_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        _request, document = load_plan(plan_id)
    return plan_id, document


def test_plan_page_writes_numbers_one_way(client, week):
    plan_id, document = week
    text = visible(client.get(f"/plans/{plan_id}"))
    assert_worded(text)
    kcal = document["days"][0]["totals"]["energy_kcal"]
    assert f"{round(kcal):,} kcal" in text  # the grid, as the chart writes it
    assert "$400.00" in text  # the budget
    assert re.search(r"\$\d+\.\d\d", text)
    assert "Meets every target" in text or "Best plan" in text
    assert "Checked against every rule a second time" in text


def test_plan_page_shows_protein_fat_and_carbohydrate_per_day(client, week):
    plan_id, document = week
    text = visible(client.get(f"/plans/{plan_id}"))
    assert "Protein, fat and carbohydrate" in text
    totals = document["days"][0]["totals"]
    for name in ("protein_g", "fat_g", "carbohydrate_g"):
        assert totals[name] > 0
        assert f"{significant(totals[name])} g" in text


def test_charts_have_an_axis_and_a_labelled_target(client, week):
    plan_id, _document = week
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert page.count('class="tick"') >= 8  # at least two values on each of four axes
    assert page.count('class="target-label"') >= 4
    assert re.search(r'class="target-label"[^>]*>target[^<]*\d', page)


def test_recipe_page_writes_numbers_one_way(client, week):
    plan_id, document = week
    meal = document["days"][0]["meals"][0]
    text = visible(client.get(
        f"/recipes/{meal['recipe_id']}?plan={plan_id}&day=1&slot={meal['slot']}"))
    assert_worded(text)


def test_shopping_list_writes_numbers_one_way(client, week):
    plan_id, _document = week
    text = visible(client.get(f"/plans/{plan_id}/shopping-list"))
    assert_worded(text)
    assert "Buy " in text and "you need " in text
    assert re.search(r"Total \(the plan's cost\) \$\d+\.\d\d", text)
    assert "prices in US dollars" in text


def test_food_page_names_its_sources_by_title(client):
    text = visible(client.get("/foods/lentils_cooked"))
    assert_worded(text)
    assert "Prebiotics in Lentil" in text and "ndsu_lentil" not in text


def test_explanation_writes_numbers_one_way(client):
    response = post_form(client, {**SMALL_PLAN, "days": "1", "meals": ["breakfast"],
                                  "fiber_g_per_day": "60", "budget": "5",
                                  "time_limit_seconds": "1"})
    assert response.status_code == 200
    text = visible(response)
    assert 'explanation' in response.get_data(as_text=True)
    assert_worded(text)
    assert "fiber ≥ 60 g/day" in text


def test_a_tree_nut_free_recipe_list_says_it_in_words(client):
    text = visible(client.get("/recipes?free_of=tree_nuts"))
    assert_worded(text)
    assert "tree nuts" in text.lower()


@pytest.mark.parametrize("url", ["/", "/foods", "/foods?page=5", "/recipes", "/recipes?page=3"])
def test_lists_and_the_form_write_numbers_one_way(client, url):
    assert_worded(visible(client.get(url)))


def test_alternatives_write_numbers_one_way(client, week):
    plan_id, document = week
    slot = document["days"][0]["meals"][0]["slot"]
    response = client.get(f"/plans/{plan_id}/alternatives?day=1&slot={slot}")
    assert response.status_code == 200
    assert_worded(visible(response))


@pytest.mark.parametrize(("reached", "words"), [
    (["1.7 µg", "0 servings"], ", each shown with the best reachable while every other "
                               "requirement holds:"),
    (["1.7 µg", None], ", with the best reachable while every other requirement holds where "
                       "it is known:"),
    ([None, None], "No plan can meet these together:"),
])
def test_an_explanation_promises_best_values_only_where_it_has_them(app, reached, words):
    """A conflict proven by the relaxation has no best values: the page does not say it shows
    them."""
    from flask import render_template

    conflicts = [{"requirement": key, "label": key, "best_reachable": value}
                 for key, value in zip(("b12", "fermented"), reached, strict=True)]
    explanation = {"proven": True, "reason": "conflict", "message": "No plan can meet ...",
                   "conflicts": conflicts, "empty_slots": []}
    with app.test_request_context():
        page = render_template("web/_explanation.html", explanation=explanation, suggestions=[])
    assert words in page
