"""Each kind of one-click fix on a 390 px phone, in Debian's chromium (issue 15): the request
is made with the form, the explanation offers the fix as a button that fits the screen, and
the button leads to a plan that has the change it names. (The budget, energy, food-eaten and
"all four meals" fixes have tests of their own in test_browser.py.) Screenshots land in
test-artifacts/screenshots/ (29-*)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import BROWSER, open_page, shot

PHONE = {"width": 390, "height": 844}
TOP_NINE = ("Milk", "Egg", "Fish", "Crustacean shellfish", "Molluscs", "Tree nuts", "Peanuts",
            "Wheat", "Cereals containing gluten", "Soy", "Sesame")
NARROW_VEGAN = {"diet": "Vegan", "max_repeats": "1",
                "allergens": ("Soy", "Cereals containing gluten", "Wheat", "Tree nuts",
                              "Peanuts")}

pytestmark = BROWSER


@pytest.fixture()
def phone(chrome, site):
    context, page, watch = open_page(chrome, site[1], viewport=PHONE, is_mobile=True,
                                     has_touch=True)
    yield page
    watch.check()
    context.close()


def asked(page, site_url: str, form: dict) -> None:
    """Fill the plan form as a person would and ask for the plan."""
    page.goto(site_url + "/")
    page.get_by_label("Days", exact=True).fill(form.get("days", "7"))
    if "diet" in form:
        page.get_by_label(form["diet"], exact=True).check()
    for allergen in form.get("allergens", ()):
        page.get_by_label(allergen, exact=True).check()
    if "energy_kcal" in form:
        page.get_by_label("Calorie target (kcal per person a day)").fill(form["energy_kcal"])
    if {"max_repeats", "fiber", "fermented"} & set(form):
        page.get_by_text("Advanced: gut-health targets").click()
    if "max_prep_minutes" in form:
        page.get_by_label("Longest time per meal (minutes)").fill(form["max_prep_minutes"])
    if "max_repeats" in form:
        page.get_by_label("Most times one dish may appear").fill(form["max_repeats"])
    for label, name in (("Fiber (g a day)", "fiber"),
                        ("Live-culture fermented servings a day", "fermented")):
        if name in form:
            page.get_by_label(label, exact=True).fill(form[name])
    page.get_by_role("button", name="Make my plan").click()


def dishes(page) -> list[str]:
    return page.locator("table.week .meal-name").all_inner_texts()


def meal_minutes(page) -> list[int]:
    return [int(m) for m in re.findall(r"· (\d+) min", page.locator("table.week").inner_text())]


@pytest.mark.parametrize(("name", "form", "fix", "check"), [
    ("minutes", {"max_prep_minutes": "5"}, r"Allow 15 more minutes per meal \(20 in all\)",
     lambda page, _text: max(meal_minutes(page)) <= 20),
    ("fiber", {"energy_kcal": "1200", "fiber": "75"}, r"Use the recommended fiber target",
     lambda page, text: f"target {re.search(r'([0-9.]+) g a day', text).group(1)} g"
     in page.locator(".charts").inner_text()),
    ("supplement", {"allergens": TOP_NINE}, r"Plan with a vitamin B12 supplement",
     lambda page, _text: "Covered by the supplement you take" in page.locator(
         "body").inner_text()),
    ("supplement-and-cultures", {"allergens": TOP_NINE, "fermented": "3"},
     r"Plan with a vitamin B12 supplement and use the recommended live-culture target "
     r"\(1 serving a day\)",
     lambda page, _text: "Covered by the supplement you take" in page.locator(
         "body").inner_text() and "target 1 serving" in page.locator(".charts").inner_text()),
    ("cultures", {"allergens": ("Milk",), "fermented": "6"},
     r"Use the recommended live-culture target \(1 serving a day\)",
     lambda page, _text: "target 1 serving" in page.locator(".charts").inner_text()),
    ("repeats", NARROW_VEGAN, r"Allow a dish up to 2 times",
     lambda page, _text: max(Counter(dishes(page)).values()) <= 2),
    ("days", NARROW_VEGAN, r"Plan 5 days instead of 7",
     lambda page, _text: page.locator("table.week tbody tr").count() == 5
     and page.get_by_role("heading", name="Your 5-day plan").is_visible()),
    ("diet", NARROW_VEGAN, r"Switch to a vegetarian diet",
     lambda page, _text: "· Vegetarian ·" in page.locator("p.lead").last.inner_text()),
])
def test_each_kind_of_fix_is_a_button_that_gets_its_plan(phone, site, name, form, fix, check):
    asked(phone, site[1], form)
    explanation = phone.locator("#explanation")
    button = explanation.get_by_role("button", name=re.compile(fix))
    expect(button).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    expect(explanation).not_to_contain_text("_")
    button.scroll_into_view_if_needed()
    shot(phone, f"29-fix-{name}", full_page=False)
    text = button.inner_text()
    button.click()
    phone.wait_for_url("**/plans/*")
    expect(phone.locator("table.week")).to_be_visible()
    if check is not None:
        assert check(phone, text), f"the plan does not have the change {text!r} names"
