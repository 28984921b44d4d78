"""What a person reads on the plan's pages, in Debian's chromium at a desk (1280 px) and on a
phone (390 px): a recipe page other apps can import, a shopping list said as a shop is walked,
charts with an axis and a named target, one way of writing numbers."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.test_browser import BROWSER, open_page
from tests.browser.test_every_page import pages, server_url  # noqa: F401  (fixtures)

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = BROWSER


@pytest.fixture(params=sorted(WIDTHS))
def page(request, chrome, server_url):  # noqa: F811
    context, opened, watch = open_page(chrome, server_url, viewport=WIDTHS[request.param],
                                       is_mobile=request.param == "phone")
    yield opened
    watch.check()
    context.close()


def test_a_recipe_page_carries_a_recipe_other_apps_read(page, pages):  # noqa: F811
    page.goto(pages["recipe-from-plan"])
    scripts = page.locator('script[type="application/ld+json"]')
    assert scripts.count() == 1
    recipe = json.loads(scripts.first.text_content())
    assert recipe["@type"] == "Recipe"
    assert recipe["name"] == page.get_by_role("heading", level=1).inner_text()
    assert recipe["recipeIngredient"] and recipe["recipeInstructions"]
    assert re.fullmatch(r"PT(\d+H)?(\d+M)?", recipe["totalTime"])


def test_the_shopping_list_says_what_to_buy_and_what_is_needed(page, pages):  # noqa: F811
    page.goto(pages["shopping-list"])
    buys = page.locator("td.buy").all_inner_texts()
    assert buys, "no shopping lines"
    said = ("Buy ", "On hand", "Staple, assumed on hand")
    assert [text for text in buys if not text.startswith(said)] == []
    assert any(re.search(r"^Buy \d+ .* you need [\d,]+", text) for text in buys), buys[:5]
    body = page.locator("main").inner_text()
    assert "Lemon juice" not in body and "Lemon zest" not in body  # on the lemons' line
    assert not re.search(r"\b\d+\.0\b|serving\(s\)| USD\b|\d 1/2", body)


def test_charts_have_an_axis_a_named_target_and_the_grid_s_numbers(page, pages):  # noqa: F811
    page.goto(pages["plan"])
    energy = page.locator("figure.chart-energy")
    ticks = energy.locator("text.tick").all_text_contents()
    assert len(ticks) >= 3 and ticks[0] == "0" and any("," in tick for tick in ticks), ticks
    assert energy.locator("text.target-label").text_content().startswith("target ")
    bar_values = energy.locator("text.value").all_text_contents()
    grid_kcal = [re.search(r"([\d,]+) kcal", text).group(1) for text in
                 page.locator("table.week tbody th small").all_inner_texts()]
    assert bar_values == grid_kcal  # "1,838" in both, never "1838" beside "1,838"
    macros = page.locator("table.macros tbody tr")
    assert macros.count() == len(grid_kcal)
    assert re.search(r"[\d.]+ g", macros.first.inner_text())
