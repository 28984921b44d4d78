"""The browse pages and the JSON API filter with one definition (catalog/filters.py)."""

from __future__ import annotations

import re

import pytest

FOOD_LINK = re.compile(r'href="/foods/([A-Za-z0-9_-]+)"')
RECIPE_LINK = re.compile(r'href="/recipes/([A-Za-z0-9_-]+)"')


def page_ids(client, url: str, link: re.Pattern) -> set[str]:
    """Every id linked from the browse page's rows, over all its pages."""
    ids: set[str] = set()
    for number in range(1, 100):
        response = client.get(f"{url}&page={number}")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        rows = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in text else ""
        ids |= set(link.findall(rows))
        if 'rel="next"' not in text:
            return ids
    raise AssertionError("the pages did not end")


def api_ids(client, url: str) -> set[str]:
    ids: set[str] = set()
    for number in range(1, 100):
        response = client.get(f"{url}&page_size=100&page={number}")
        assert response.status_code == 200, response.get_data(as_text=True)
        if not response.get_json():
            return ids
        ids |= {item["id"] for item in response.get_json()}
    raise AssertionError("the pages did not end")


@pytest.mark.parametrize(("flag", "param", "attribute"), [
    ("fermented", "fermented", "fermented"),
    ("live_cultures", "live_cultures", "live_cultures"),
])
def test_fermented_foods_are_the_same_on_the_page_and_in_the_api(client, catalog, flag, param,
                                                                attribute):
    expected = {f.id for f in catalog.foods.values() if getattr(f, attribute)}
    on_page = page_ids(client, f"/foods?flag={flag}", FOOD_LINK)
    in_api = api_ids(client, f"/api/v1/foods?{param}=true")
    assert expected and on_page == in_api == expected


def test_fermented_is_broader_than_live_cultures(catalog):
    fermented = {f.id for f in catalog.foods.values() if f.fermented}
    live = {f.id for f in catalog.foods.values() if f.live_cultures}
    assert live < fermented  # parmesan, cured olives: fermented, no live cultures


@pytest.mark.parametrize("asked", ["greek", "GREEK", " Greek "])
def test_cuisine_in_any_case_finds_the_same_recipes(client, catalog, asked):
    expected = {rid for rid, r in catalog.recipes.items() if r.cuisine == "Greek"}
    on_page = page_ids(client, f"/recipes?cuisine={asked}", RECIPE_LINK)
    in_api = api_ids(client, f"/api/v1/recipes?cuisine={asked}")
    assert expected and on_page == in_api == expected
