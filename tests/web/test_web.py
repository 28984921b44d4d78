"""The web pages through Flask's test client: every page, the form's errors, CSRF, swaps,
the shopping list downloads, and the one-click fixes for a request no plan can meet."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest

from mealplanner import create_app
from mealplanner.catalog.measures import kitchen_measure
from mealplanner.planner.dates import day_name
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.plans.service import load_plan
from mealplanner.shopping.build import build_shopping_list
from mealplanner.shopping.export import to_csv
from mealplanner.web.charts import DayLabel, bar_chart
from mealplanner.web.forms import PlanForm
from mealplanner.web.mapping import form_data, request_payload

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SMALL_PLAN = {"people": "2", "days": "2", "meals": ["breakfast", "lunch", "dinner", "snack"],
              "diet": "omnivore", "use_staples": "y", "max_repeats": "2",
              "energy_tolerance": "10", "time_limit_seconds": "2"}


def token(client, url: str = "/") -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def post_form(client, data: dict, url: str = "/"):
    return client.post(url, data={"csrf_token": token(client), **data})


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture(scope="module")
def maker(app):
    """The browser that made `plan_id`: it holds the plan's owner token."""
    return app.test_client()


@pytest.fixture(scope="module")
def plan_id(app, maker):
    client = maker
    response = post_form(client, SMALL_PLAN)
    assert response.status_code == 303, page_text(response)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


# Every page ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/", "/foods", "/foods?q=lentil&aisle=grains_legumes&flag=prebiotic", "/foods?page=3",
    "/foods/garlic", "/recipes", "/recipes?page=2",
    "/recipes?meal=breakfast&diet=vegetarian&flag=fermented&free_of=tree_nuts&max_minutes=20",
    "/recipes?q=lentil&cuisine=Greek", "/recipes?flag=fish", "/recipes?flag=legumes",
])
def test_pages_render_with_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                      "img-src 'self' data:", "frame-ancestors 'none'", "object-src 'none'",
                      "base-uri 'self'", "form-action 'self'"):
        assert directive in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert_csp_clean(response.get_data(as_text=True))


def assert_csp_clean(text: str) -> None:
    """No inline script, inline style or event handler, and nothing from another origin."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert "<style" not in text
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", text), "outside URL"


def test_recipe_and_food_pages(client, catalog):
    recipe_id = sorted(catalog.recipes)[0]
    text = page_text(client.get(f"/recipes/{recipe_id}"))
    assert catalog.recipes[recipe_id].name in text
    assert "Method" in text and "Per serving" in text
    first = catalog.recipes[recipe_id].ingredients[0]
    # small and large eaters: half a portion up to a double one, for the whole household
    for portion in (0.5, 1.5, 2.0):
        scaled = page_text(client.get(f"/recipes/{recipe_id}?people=3&portion={portion}"))
        grams = first.grams * portion * 3
        assert f"{round(grams):,} g" in scaled or f"{grams:g} g" in scaled, portion


@pytest.mark.parametrize("url", ["/no-such-page", "/plans/nope", "/recipes/nope", "/foods/nope",
                                 "/plans/nope/shopping-list", "/plans/nope/shopping-list.csv",
                                 "/recipes/x?plan=nope"])
def test_missing_pages_are_html_404s(client, url):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<h1>" in response.get_data(as_text=True)


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert client.delete("/").mimetype == "text/html"  # 405 on a page is a page


def test_an_unexpected_error_is_an_html_500(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "SECRET_KEY": "test"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)


def test_a_busy_planner_is_a_503_page_with_retry_after(tmp_path):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "MEALPLANNER_PLANNER_SLOTS": 0})
    response = app.test_client().post("/", data=SMALL_PLAN)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "The planner is busy" in response.get_data(as_text=True)


def test_static_files_are_served_with_the_headers(client):
    for name in ("css/app.css", "js/app.js", "vendor/pico/pico.jade.min.css",
                 "vendor/pico/LICENSE.md", "img/icon.svg"):
        with client.get(f"/assets/{name}") as response:
            assert response.status_code == 200, name
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            body = response.get_data(as_text=True)
        assert not re.search(r"url\((['\"]?)https?:|@import|//fonts\.", body), name


# CSRF ------------------------------------------------------------------------------------

def test_form_posts_need_the_csrf_token(client, plan_id):
    for url, data in (("/", SMALL_PLAN), (f"/plans/{plan_id}/swap", {"day": 1, "slot": "lunch"}),
                      ("/plans", {"request": "{}"})):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "The form expired" in response.get_data(as_text=True)


def test_json_api_posts_need_no_csrf_token(client):
    response = client.post("/api/v1/plans", json={"days": 99})
    assert response.status_code == 422  # validated, not refused for a missing token
    assert response.get_json()["error"]["code"] == "validation_error"


# The form --------------------------------------------------------------------------------

def test_invalid_fields_are_shown_beside_each_field_with_the_input_kept(client):
    response = post_form(client, {**SMALL_PLAN, "days": "99", "people": "two",
                                  "energy_kcal": "500", "sex": "female", "height_cm": "170",
                                  "exclude_foods": "garlic, onion"})
    assert response.status_code == 422
    text = page_text(response)
    assert re.search(r'id="days-error"[^>]*>[^<]*between 1 and 14|id="days-error"[^>]*>'
                     r'[^<]*greater than or equal to 1', text)
    assert 'id="people-error"' in text and "Not a valid integer value" in text
    assert 'id="energy_kcal-error"' in text
    assert re.search(r'id="age-error"[^>]*>Needed with the other body data', text)
    assert 'value="99"' in text and 'value="two"' in text and 'value="170"' in text
    assert 'value="garlic, onion"' in text
    assert 'aria-invalid="true"' in text and 'id="error-summary"' in text
    assert '<a href="#age">Age (years)</a>' in text


def test_planner_errors_name_their_field(client):
    response = post_form(client, {**SMALL_PLAN, "exclude_foods": "xyzzy",
                                  "pantry-0-food": "lentils", "pantry-0-grams": "200"})
    assert response.status_code == 422
    text = page_text(response)
    assert re.search(r'id="exclude_foods-error"[^>]*>[^<]*unknown food \'xyzzy\'', text)
    response = post_form(client, {**SMALL_PLAN, "pantry-1-food": "qwerty",
                                  "pantry-1-grams": "200"})
    text = page_text(response)  # rows come back compacted: the second row is now the first
    assert re.search(r'id="pantry-0-food"[^>]*value="qwerty"', text)
    assert re.search(r'id="pantry-0-food-error"[^>]*>[^<]*unknown food \'qwerty\'', text)
    assert " open>" in text  # the advanced section shows the error


def test_pantry_rows_and_meals_are_checked(client):
    response = post_form(client, {**SMALL_PLAN, "meals": [], "pantry-0-food": "Garlic"})
    text = page_text(response)
    assert response.status_code == 422
    assert re.search(r'id="meals-error"[^>]*>Choose at least one meal', text)
    assert re.search(r'id="pantry-0-grams-error"[^>]*>Needed for each pantry food', text)


def test_form_maps_onto_the_request_schema_and_back(app):
    data = {**SMALL_PLAN, "energy_kcal": "", "sex": "male", "age": "40", "height_cm": "180",
            "weight_kg": "80.5", "activity": "moderate", "diet": "vegetarian",
            "exclude_allergens": ["tree_nuts", "sesame"], "exclude_foods": "garlic; onion",
            "budget": "120.50", "max_prep_minutes": "30", "fiber_g_per_day": "30",
            "plants_per_week": "25", "favorite_recipes": "Fakes", "pantry-0-food": "Garlic",
            "pantry-0-grams": "50", "pantry-2-food": "Onion", "pantry-2-grams": "500",
            "energy_tolerance": "15"}
    with app.test_request_context("/", method="POST", data=data):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            form = PlanForm()
            assert form.validate(), form.errors
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
        payload, rows = request_payload(form)
    assert payload["profile"] == {"sex": "male", "age": 40, "height_cm": 180,
                                  "weight_kg": 80.5, "activity": "moderate"}
    assert payload["targets"] == {"fiber_g_per_day": 30, "prebiotic_g_per_day": None,
                                  "fermented_servings_per_day": None, "plants_per_week": 25}
    assert payload["budget"] == {"amount": 120.5, "currency": "USD", "basis": "checkout"}
    assert payload["exclude_foods"] == ["garlic", "onion"]
    assert payload["energy_tolerance"] == 0.15
    assert payload["pantry"] == [{"food": "Garlic", "grams": 50}, {"food": "Onion", "grams": 500}]
    assert rows == [0, 1]  # the form renumbers its rows
    request = PlanRequestSchema().load(payload)
    assert request.diet == "vegetarian" and request.exclude_allergens == ("tree_nuts", "sesame")
    back = form_data(payload)
    assert back["sex"] == "male" and back["budget"] == 120.5 and back["energy_tolerance"] == 15
    assert back["exclude_foods"] == "garlic, onion"
    assert back["pantry"][:2] == payload["pantry"] and len(back["pantry"]) == 3


# The plan ----------------------------------------------------------------------------------

def test_plan_page_shows_the_week_charts_checklist_and_links(maker, plan_id):
    response = maker.get(f"/plans/{plan_id}")
    assert response.status_code == 200
    text = page_text(response)
    assert "Your 2-day plan" in text
    assert text.count('class="swap-form"') == 8
    assert text.count('<svg viewBox=') == 4 and text.count("<desc id=") == 4
    assert "Fiber per day" in text and "Fermented servings per day" in text
    assert "Mediterranean checklist" in text and "Fish and seafood" in text
    assert f"http://localhost/plans/{plan_id}" in text  # the permanent link
    assert f"/plans/{plan_id}/shopping-list.csv" in text
    assert "/recipes/" in text and f"plan={plan_id}" in text
    assert_csp_clean(response.get_data(as_text=True).replace(
        f'value="http://localhost/plans/{plan_id}"', ""))


def test_change_the_request_prefills_the_form(client, plan_id):
    text = page_text(client.get(f"/?from={plan_id}"))
    assert re.search(r'id="days"[^>]*value="2"', text)
    assert re.search(r'id="people"[^>]*value="2"', text)


def test_recipe_page_from_the_plan_is_scaled_to_the_portion_and_household(client, plan_id,
                                                                           app):
    with app.app_context():
        _request, document = load_plan(plan_id)
    meal = document["days"][0]["meals"][1]
    text = page_text(client.get(
        f"/recipes/{meal['recipe_id']}?plan={plan_id}&day=1&slot={meal['slot']}"))
    assert "Why it is in your plan" in text
    assert re.search(r'name="people"[^>]*value="2"', text)
    grams = meal["ingredients"][0]["grams"] * 2
    assert (f"{round(grams):,} g" if grams >= 100 else f"{grams:g} g") in text


def test_shopping_list_page_and_downloads(client, plan_id, app):
    text = page_text(client.get(f"/plans/{plan_id}/shopping-list"))
    assert "Shopping list" in text and 'type="checkbox"' in text
    assert "Total (the plan's cost)" in text and "Produce" in text
    response = client.get(f"/plans/{plan_id}/shopping-list.csv")
    assert response.content_type == "text/csv; charset=utf-8"
    with app.app_context():
        request, document = load_plan(plan_id)
        expected = to_csv(build_shopping_list(request, document, current_catalog()))
    trips = len(document["shopping_trips"])
    suffix = f"-{trips}-trips" if trips > 1 else ""  # the file says when the list is split
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="shopping-list-{plan_id}{suffix}.csv"'
    assert response.get_data(as_text=True) == expected
    rows = list(csv.DictReader(io.StringIO(expected)))
    assert rows and rows[0]["aisle"]
    markdown = client.get(f"/plans/{plan_id}/shopping-list.md")
    assert markdown.mimetype == "text/markdown"
    assert markdown.get_data(as_text=True).startswith("# Shopping list")
    same = client.get(f"/plans/{plan_id}/shopping-list?trips={trips}")
    assert same.status_code == 200
    other = client.get(f"/plans/{plan_id}/shopping-list?trips={trips + 1}")
    assert other.status_code == 400 and f"bought in {trips} trip" in page_text(other)
    assert client.get(f"/plans/{plan_id}/shopping-list.pdf").status_code == 404


def test_swap_without_javascript_redirects_back_with_a_message(maker, plan_id, app):
    with app.app_context():
        document = load_plan(plan_id)[1]
    before = document["days"][0]["meals"][2]["name"]
    response = maker.post(f"/plans/{plan_id}/swap", data={
        "csrf_token": token(maker), "day": "1", "slot": "dinner"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/plans/{plan_id}#day-1-dinner")
    text = page_text(maker.get(f"/plans/{plan_id}"))
    assert f"{day_name(document, 1)} dinner: {before} is now" in text  # Monday 7 December


def test_swap_from_javascript_returns_the_new_plan_body(maker, plan_id, app):
    """Each meal of day 2 in turn: the answer is always the plan body (no page), saying what
    was swapped, or why that meal could not be swapped with the rest of the plan kept."""
    with app.app_context():
        day_2 = day_name(load_plan(plan_id)[1], 2)
    swapped = []
    for slot in ("snack", "dinner", "lunch", "breakfast"):
        response = maker.post(f"/plans/{plan_id}/swap",
                              data={"csrf_token": token(maker), "day": "2", "slot": slot},
                              headers={"X-Requested-With": "fetch"})
        assert response.status_code == 200
        text = page_text(response)
        assert "<html" not in text and 'class="week"' in text
        if f"{day_2} {slot}: " in text:
            swapped.append(slot)
        else:
            assert f"{day_2} {slot} could not be swapped: No other {slot} on day 2" in text
    assert swapped, "no meal of day 2 could be swapped"


@pytest.mark.parametrize(("data", "status"), [
    ({"day": "x", "slot": "lunch"}, 400), ({"day": "1", "slot": "brunch"}, 400),
    ({"day": "9", "slot": "lunch"}, 404),
])
def test_swap_rejects_what_the_plan_does_not_have(maker, plan_id, data, status):
    response = maker.post(f"/plans/{plan_id}/swap", data={"csrf_token": token(maker), **data})
    assert response.status_code == status
    assert response.mimetype == "text/html"


# No plan possible --------------------------------------------------------------------------

def test_infeasible_request_is_explained_with_one_click_fixes(client):
    response = post_form(client, {**SMALL_PLAN, "days": "1", "meals": ["breakfast"],
                                  "fiber_g_per_day": "60", "time_limit_seconds": "1"})
    assert response.status_code == 200
    text = page_text(response)
    assert 'id="explanation"' in text and "fiber ≥ 60 g/day" in text
    assert 'value="60"' in text  # the input is kept
    fixes = dict(re.findall(
        r'name="request" value="([^"]+)">\s*<button[^>]*>([^<]+)</button>',
        response.get_data(as_text=True)))
    by_text = {label: json.loads(html.unescape(value)) for value, label in fixes.items()}
    all_meals = by_text["Plan all four meals of the day"]
    assert all_meals["meals"] == ["breakfast", "lunch", "dinner", "snack"]
    assert all_meals["targets"]["fiber_g_per_day"] == 60
    for changed in by_text.values():  # every button leads to a plan
        response = client.post("/plans", data={"csrf_token": token(client),
                                               "request": json.dumps(changed)})
        assert response.status_code == 303 and "/plans/" in response.headers["Location"]


def test_a_budget_too_small_offers_the_budget_that_works(client):
    response = post_form(client, {**SMALL_PLAN, "days": "1", "people": "1", "budget": "5"})
    text = page_text(response)
    assert "weekly budget $5.00" in text
    found = re.search(r'name="request" value="([^"]+)">\s*<button[^>]*>Raise the weekly budget '
                      r'to \$(\d+)\.00</button>', response.get_data(as_text=True))
    raised = json.loads(html.unescape(found.group(1)))
    assert raised["budget"]["amount"] == int(found.group(2)) > 5
    response = client.post("/plans", data={"csrf_token": token(client),
                                           "request": json.dumps(raised)})
    assert response.status_code == 303  # the raised budget gets a plan


def test_a_broken_suggestion_is_refused(client):
    assert client.post("/plans", data={"csrf_token": token(client),
                                       "request": "not json"}).status_code == 400
    for changed in ({"days": 40}, ["days"], {"pantry": "garlic"}):
        response = client.post("/plans", data={"csrf_token": token(client),
                                               "request": json.dumps(changed)})
        assert response.status_code == 400 and response.mimetype == "text/html"


# Helpers ---------------------------------------------------------------------------------

def test_bar_chart_marks_days_that_miss_the_target():
    chart = bar_chart("fiber", "Fiber", "g", [(1, 31.0), (2, 20.0), (3, 0.0)], 28.0,
                      target_text="at least 28 g")
    assert [bar.met for bar in chart.bars] == [True, False, False]
    assert chart.summary == "Day 2 and day 3 are outside the target (at least 28 g)."
    assert chart.bars[2].height == 0 and chart.low_y < chart.baseline
    assert "day 2: 20 g (misses target)" in chart.description
    assert [tick.text for tick in chart.ticks] == ["0", "10", "20", "30"]
    assert chart.target_label == "target 28 g" and chart.target_label_y < chart.ticks[-1].y
    band = bar_chart("energy", "Energy", "kcal", [(1, 2000)], 1800, 2200, digits=0)
    assert band.bars[0].met and band.high_y < band.low_y


def test_a_chart_holds_a_day_the_person_loosened_to_their_exception():
    """The bar of a day with an exception is judged by the exception, as the checker judges
    it, and the chart says so: never "misses target" for a day the plan meets."""
    from mealplanner.web.plan_view import charts

    target = {"min": 1800.0, "max": 2200.0}
    document = {
        "targets": {"energy_kcal": target, "fiber_g": {"min": 28.0},
                    "prebiotic_g": {"min": 5.0}, "fermented_servings": {"min": 1.0}},
        "days": [{"day": d, "totals": {"energy_kcal": kcal, "fiber_g": 30.0,
                                       "prebiotic_g": 6.0, "fermented_servings": 1.0}}
                 for d, kcal in ((1, 2000.0), (2, 1650.0), (3, 1600.0))],
        "day_exceptions": [{"day": 2, "requirement": "energy", "limit": {"min": 1600.0}}],
    }
    energy, fiber, *_rest = charts(document)
    assert [bar.met for bar in energy.bars] == [True, True, False]
    assert [bar.excepted for bar in energy.bars] == [False, True, False]
    assert "day 2: 1,650 kcal (meets your exception)" in energy.description
    assert "day 3: 1,600 kcal (misses target)" in energy.description
    assert energy.summary == ("Day 3 is outside the target (1,800-2,200 kcal). Day 2 is held "
                              "to your exception for the day instead.")
    assert not any(bar.excepted for bar in fiber.bars)
    loosened = bar_chart("fiber", "Fiber", "g", [(1, 31.0), (2, 20.0)], 28.0,
                         target_text="at least 28 g", day_limits={2: (19.5, None)})
    assert loosened.summary == ("Every day meets its limit: the target (at least 28 g), or "
                                "day 2 is held to your exception for the day instead.")


def test_a_dated_plan_names_its_chart_days_by_date(app, plan_id):
    """Under each bar "Mon 7", in the summary "Monday 7 December", as the day headings."""
    with app.app_context():
        _request, document = load_plan(plan_id)
    page = app.test_client().get(f"/plans/{plan_id}").get_data(as_text=True)
    first = document["days"][0]
    day = int(first["date"][8:])
    assert f'text-anchor="middle">{first["weekday"][:3]} {day}</text>' in page
    assert "Day 1</text>" not in page
    chart = bar_chart("fiber", "Fiber", "g", [(1, 31.0), (2, 20.0)], 28.0,
                      target_text="at least 28 g",
                      labels={2: DayLabel("Tue 8", "8", "Tuesday 8 December")})
    assert chart.summary == "Tuesday 8 December is outside the target (at least 28 g)."
    assert "Tuesday 8 December: 20 g (misses target)" in chart.description


def test_kitchen_measures(catalog):
    foods = catalog.foods
    assert kitchen_measure(foods["garlic"], 6) == "2 cloves garlic"
    assert kitchen_measure(foods["onion"], 55) == "½ medium onion"
    assert kitchen_measure(foods["olive_oil"], 27) == "2 tbsp"
    assert kitchen_measure(foods["olive_oil"], 9) == "2 tsp"
    assert kitchen_measure(foods["lentils_cooked"], 200).startswith("about 1 cup")
    assert kitchen_measure(foods["garlic"], 0) is None


@pytest.mark.parametrize("solver, words", [
    ({"status": "feasible", "gap": None, "wall_seconds": 0.6,
      "method": "local search over every dish and portion, then CP-SAT over the best "
                "alternatives for each meal"},
     "Meets every rule; the best found in 0.6 s."),
    ({"status": "feasible", "gap": 0.3214, "wall_seconds": 0.9,
      "method": "local search over every dish and portion, then CP-SAT over the best "
                "alternatives for each meal"},
     "Meets every rule; the best found in 0.9 s. No plan can score more than 32% better "
     "(a proven bound)."),
    ({"status": "optimal", "gap": 0.0, "wall_seconds": 0.1,
      "method": "CP-SAT over every option left, from the local search's plan"},
     "Optimal: the best choice for the meals left open, proven in 0.1 s."),
    ({"status": "optimal", "gap": 0.0, "wall_seconds": 2.0, "method": "CP-SAT on the weekly model"},
     "Optimal: the cheapest plan meeting every rule, proven in 2 s."),
])
def test_solver_status_is_worded_for_what_was_proven(solver, words):
    from mealplanner.web.plan_view import solver_text

    assert solver_text(solver) == words


# Deleting a plan ------------------------------------------------------------------------------

def made_plan(client) -> str:
    """A 1-day plan made through the form by this client (browser)."""
    response = post_form(client, {**SMALL_PLAN, "days": "1"})
    assert response.status_code == 303, page_text(response)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_browser_that_made_a_plan_can_delete_it(app):
    client = app.test_client()
    plan = made_plan(client)
    response = client.get(f"/plans/{plan}")
    page = page_text(response)
    assert "This browser made the plan" in page and "owner-token-value" in page
    assert response.headers["Cache-Control"] == "private, no-store"
    asked = client.post(f"/plans/{plan}/delete", data={"csrf_token": token(client)})
    assert asked.status_code == 200  # first the question, nothing deleted yet
    assert "Delete your 1-day plan for good?" in page_text(asked)
    assert client.get(f"/plans/{plan}").status_code == 200
    deleted = client.post(f"/plans/{plan}/delete",
                          data={"csrf_token": token(client), "confirm": "yes"})
    assert deleted.status_code == 303 and deleted.headers["Location"].endswith("/")
    assert "The plan was deleted" in page_text(client.get("/"))
    assert client.get(f"/plans/{plan}").status_code == 404
    assert client.get(f"/api/v1/plans/{plan}").status_code == 404


def test_another_browser_needs_the_owner_token(app):
    maker, other = app.test_client(), app.test_client()
    plan = made_plan(maker)
    owner_token = re.search(r'id="owner-token-value">([^<]+)<',
                            maker.get(f"/plans/{plan}").get_data(as_text=True)).group(1)
    page = page_text(other.get(f"/plans/{plan}"))
    assert "owner-token-value" not in page and 'name="owner_token"' in page
    refused = other.post(f"/plans/{plan}/delete",
                         data={"csrf_token": token(other), "owner_token": "not-the-token"})
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert "Only whoever made this plan can delete it" in page_text(refused)
    assert other.get(f"/plans/{plan}").status_code == 200  # nothing deleted
    asked = other.post(f"/plans/{plan}/delete",
                       data={"csrf_token": token(other), "owner_token": owner_token})
    assert asked.status_code == 200 and "for good?" in page_text(asked)
    assert f'name="owner_token" value="{owner_token}"' in asked.get_data(as_text=True)
    deleted = other.post(f"/plans/{plan}/delete", data={
        "csrf_token": token(other), "owner_token": owner_token, "confirm": "yes"})
    assert deleted.status_code == 303
    assert maker.get(f"/plans/{plan}").status_code == 404


def test_deleting_needs_the_csrf_token(app):
    client = app.test_client()
    plan = made_plan(client)
    assert client.post(f"/plans/{plan}/delete", data={"confirm": "yes"}).status_code == 400
    assert client.get(f"/plans/{plan}").status_code == 200


def test_the_delete_question_has_its_own_address_and_a_way_back(app):
    client = app.test_client()
    plan = made_plan(client)
    page = client.get(f"/plans/{plan}/delete")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Yes, delete the plan" in text and f'href="/plans/{plan}"' in text
    assert client.get(f"/plans/{plan}").status_code == 200
    assert client.get("/plans/no-such-plan/delete").status_code == 404


# Keeping some meals and planning the rest again --------------------------------------------------

def stored_meals(plan: str) -> dict[tuple[int, str], str]:
    _request, document = load_plan(plan)
    return {(day["day"], meal["slot"]): meal["recipe_id"]
            for day in document["days"] for meal in day["meals"]}


def test_ticked_meals_stay_and_the_others_change(app):
    client = app.test_client()
    response = post_form(client, {**SMALL_PLAN, "days": "2"})
    assert response.status_code == 303, page_text(response)[:2000]
    plan = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/plans/{plan}").get_data(as_text=True)
    assert 'form="regenerate-form"' in page and 'value="1:lunch"' in page
    with app.app_context():
        before = stored_meals(plan)
    keep = [(1, "lunch"), (2, "dinner")]
    done = client.post(f"/plans/{plan}/regenerate", data={
        "csrf_token": token(client), "keep": [f"{d}:{s}" for d, s in keep]})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/plans/{plan}")
    shown = page_text(client.get(f"/plans/{plan}"))
    changed = len(before) - len(keep)
    assert f"Planned {changed} meals again and kept the 2 you ticked." in shown
    with app.app_context():
        after = stored_meals(plan)
    assert all(after[key] == before[key] for key in keep)
    assert [key for key in before if key not in keep and after[key] == before[key]] == []


def test_planning_again_with_every_meal_ticked_changes_nothing(app):
    client = app.test_client()
    plan_id = made_plan(client)
    with app.app_context():
        before = stored_meals(plan_id)
    done = client.post(f"/plans/{plan_id}/regenerate", data={
        "csrf_token": token(client), "keep": [f"{d}:{s}" for d, s in before]})
    assert done.status_code == 303 and done.headers["Location"].endswith("#regenerate")
    assert "nothing to plan again" in page_text(client.get(f"/plans/{plan_id}"))
    with app.app_context():
        assert stored_meals(plan_id) == before


def test_planning_again_needs_the_owner_and_real_meals(app, plan_id):
    client = app.test_client()  # not the browser that made the plan
    with app.app_context():
        before = stored_meals(plan_id)
    refused = client.post(f"/plans/{plan_id}/regenerate", data={
        "csrf_token": token(client), "keep": ["1:breakfast"], "owner_token": "wrong"})
    assert refused.status_code == 403 and "owner token" in page_text(refused)
    for bad in ("9:lunch", "1:brunch", "x:lunch", ""):
        answer = client.post(f"/plans/{plan_id}/regenerate",
                             data={"csrf_token": token(client), "keep": [bad]})
        assert answer.status_code == 400, bad
        assert "not in this plan" in page_text(answer)
    with app.app_context():
        assert stored_meals(plan_id) == before


# Planning the next week -------------------------------------------------------------------------

def test_plan_the_next_week_from_the_plan_page(app):
    client = app.test_client()
    plan = made_plan(client)
    page = page_text(client.get(f"/plans/{plan}"))
    assert "Plan the next week" in page and "next-owner-token" not in page
    response = client.post(f"/plans/{plan}/next", data={"csrf_token": token(client)})
    assert response.status_code == 303, page_text(response)[:2000]
    following = response.headers["Location"].rsplit("/", 1)[1]
    assert following != plan
    page = page_text(client.get(f"/plans/{following}"))
    assert "Days 2-2: continues" in page and f'href="/plans/{plan}"' in page
    document = client.get(f"/api/v1/plans/{following}").get_json()
    assert document["continues"]["plan_id"] == plan and document["start_day"] == 2
    assert "Checkout" in page and "Food eaten" in page and "Waste" in page


def test_another_browser_needs_the_owner_token_for_the_next_week(app):
    maker, other = app.test_client(), app.test_client()
    plan = made_plan(maker)
    assert 'id="next-owner-token"' in page_text(other.get(f"/plans/{plan}"))
    refused = other.post(f"/plans/{plan}/next",
                         data={"csrf_token": token(other), "owner_token": "not-the-token"})
    assert refused.status_code == 403 and "owner token" in page_text(refused)
    assert other.post(f"/plans/{plan}/next").status_code == 400  # no CSRF token


def test_a_proxied_price_is_shown_as_an_estimate(client, catalog):
    proxied = next(f for f in sorted(catalog.foods) if catalog.foods[f].price_is_proxy)
    priced = next(f for f in sorted(catalog.foods) if not catalog.foods[f].price_is_proxy)
    assert "Estimated price" in page_text(client.get(f"/foods/{proxied}"))
    assert "Estimated price" not in page_text(client.get(f"/foods/{priced}"))


def test_the_form_sets_a_budget_on_the_food_eaten(app):
    client = app.test_client()
    response = post_form(client, {**SMALL_PLAN, "days": "1", "budget": "400",
                                  "budget_basis": "eaten"})
    assert response.status_code == 303, page_text(response)[:2000]
    plan = response.headers["Location"].rsplit("/", 1)[1]
    document = client.get(f"/api/v1/plans/{plan}").get_json()
    assert document["request"]["budget"]["basis"] == "eaten"
    assert document["cost"]["budget_basis"] == "eaten"
    assert "for the food eaten" in page_text(client.get(f"/plans/{plan}"))
    assert 'selected value="eaten"' in page_text(client.get(f"/?from={plan}"))


def test_when_no_plan_keeps_the_ticked_meals_the_page_says_why(app, monkeypatch):
    """A real explanation (a budget no plan meets), shown on the plan page with the ticks
    kept and nothing changed."""
    client = app.test_client()
    plan = made_plan(client)
    refused = client.post("/api/v1/plans", json={"days": 1, "budget": {"amount": 1}})
    assert refused.status_code == 422
    explanation = refused.get_json()["error"]["details"]
    assert explanation["conflicts"], explanation
    monkeypatch.setattr("mealplanner.plans.service.regenerate_at_version",
                        lambda plan_id, version, keep: ("infeasible", explanation))
    with app.app_context():
        before = stored_meals(plan)
    answer = client.post(f"/plans/{plan}/regenerate",
                         data={"csrf_token": token(client), "keep": ["1:lunch"]})
    assert answer.status_code == 200
    text = page_text(answer)
    assert "The meals were not changed" in text
    assert explanation["conflicts"][0]["label"].replace(">=", "≥").replace("<=", "≤") in text
    assert 'value="1:lunch" form="regenerate-form" checked' in text
    assert 'value="1:dinner" form="regenerate-form" checked' not in text
    with app.app_context():
        assert stored_meals(plan) == before


def test_portions_are_explained_per_person(client, plan_id):
    text = page_text(client.get(f"/plans/{plan_id}"))  # a plan for 2 people
    assert "Portions are per person" in text and "each of the 2 people eats" in text
    assert re.search(r"portions? each · \d+ min", text)


def test_the_form_starts_from_the_same_household_as_the_api(client):
    page = client.get("/").get_data(as_text=True)
    field = re.search(r'<input[^>]*id="people"[^>]*>', page).group(0)
    assert 'value="1"' in field  # the API's default household: PlanRequestSchema


def test_the_checklist_notes_each_day_the_person_loosened_a_daily_rule():
    from mealplanner.web.plan_view import checklist

    row = {"rule": "fruit", "label": "Fruit", "kind": "min_per_day", "source": "cited",
           "servings": 1.25, "required": 2.0, "per": "day", "met": True,
           "exceptions": [{"day": 2, "min": 1.2}, {"day": 3, "min": 1.5}]}
    document = {"days": [{"day": d} for d in (1, 2, 3)], "mediterranean": [row]}
    [shown] = checklist(document, 3)
    assert shown.status == "met"
    assert shown.note == ("Day 2: at least 1.2, your exception; "
                          "Day 3: at least 1.5, your exception")
