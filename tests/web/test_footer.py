"""Every page's footer leads to the API's interactive docs, error pages included."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

WEEK = {"days": 2, "people": 2, "time_limit_seconds": 2}


class FooterLinks(HTMLParser):
    """The addresses the page's site footer links to."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside the site footer: how many elements deep
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += 1
            if tag == "a":
                self.links.append(attrs.get("href", ""))
        elif tag == "footer" and "site-footer" in (attrs.get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def footer_links(html: str) -> list[str]:
    parser = FooterLinks()
    parser.feed(html)
    return parser.links


@pytest.fixture(scope="module")
def plan_path(app) -> str:
    response = app.test_client().post("/api/v1/plans", json=WEEK)
    assert response.status_code == 201, response.get_data(as_text=True)
    return f"/plans/{response.get_json()['id']}"


@pytest.fixture(scope="module")
def recipe_path(app, plan_path) -> str:
    html = app.test_client().get(plan_path).get_data(as_text=True)
    return re.search(r'class="meal-name" href="([^"]+)"', html).group(1).replace("&amp;", "&")


@pytest.mark.parametrize(("page", "status"), [
    ("/", 200),
    ("{plan}", 200),
    ("{recipe}", 200),
    ("/recipes", 200),
    ("/recipes/fakes-lentil-soup-with-vinegar", 200),
    ("/foods", 200),
    ("/foods/garlic", 200),
    ("{plan}/shopping-list", 200),
    ("{plan}/alternatives?day=1&slot=dinner", 200),
    ("{plan}/fridge", 200),
    ("/no-such-page", 404),
    ("/plans/no-such-plan", 404),
    ("/plans/no-such-plan/fridge", 404),
    ("{plan}/alternatives?day=9&slot=dinner", 404),
    ("{plan}/shopping-list?trips=99", 400),
])
def test_every_page_links_to_the_api_docs_from_its_footer(client, plan_path, recipe_path,
                                                          page, status):
    response = client.get(page.format(plan=plan_path, recipe=recipe_path))
    assert response.status_code == status
    assert "/api/docs" in footer_links(response.get_data(as_text=True))


def test_the_footer_link_opens_the_api_docs(client):
    assert client.get("/api/docs").status_code == 200
