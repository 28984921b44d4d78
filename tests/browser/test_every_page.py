"""Every page on a phone, at a desk and on paper.

On phones 360 to 414 px wide no page scrolls sideways and the tables read as stacked rows, each
cell named by its column. On paper the week prints without navigation or buttons, its days
kept together, and the fridge sheet holds the whole week on one A4 or Letter page. Screenshots
of every page at 1280 and 390 px land in test-artifacts/every-page/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mealplanner.planner.dates import WEEKDAYS
from tests.browser.test_browser import ARTIFACTS, BROWSER, open_page

SHOTS = ARTIFACTS / "every-page"
PHONES = (360, 390, 414)
WEEK = {"days": 7, "people": 2, "time_limit_seconds": 2}

pytestmark = BROWSER
needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="pdfinfo and pdftotext (Debian's poppler-utils) read the printed pages",
)



@pytest.fixture(scope="module")
def server_url(site) -> str:
    return site[1]


@pytest.fixture(scope="module")
def pages(site) -> dict[str, str]:
    """Every kind of page, by a short name: the form, a week for two (planned through the API)
    and what its page links to, the database's lists and a food, an error page."""
    app, url = site
    client = app.test_client()
    response = client.post("/api/v1/plans", json=WEEK)
    assert response.status_code == 201, response.get_data(as_text=True)
    week = f"/plans/{response.get_json()['id']}"
    html = client.get(week).get_data(as_text=True)
    recipe = re.search(r'class="meal-name" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    return {name: url + path for name, path in {
        "home": "/",
        "plan": week,
        "recipe-from-plan": recipe,
        "recipes": "/recipes",
        "foods": "/foods",
        "food": "/foods/garlic",
        "shopping-list": week + "/shopping-list",
        "alternatives": week + "/alternatives?day=1&slot=dinner",
        "not-found": "/no-such-page",
        "fridge": week + "/fridge",
        "delete-plan": week + "/delete",  # the question before a plan is deleted
    }.items()}


@pytest.fixture(scope="module")
def phone(chrome, server_url):
    context, page, watch = open_page(chrome, server_url, viewport={"width": 390, "height": 844},
                                     is_mobile=True, has_touch=True)
    yield page
    watch.check()
    context.close()


@pytest.fixture()
def desk(chrome, server_url):
    context, page, watch = open_page(chrome, server_url)
    yield page
    watch.check()
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


CUT_BOXES = """[...document.querySelectorAll('body *')]
    .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                 && e.scrollWidth > e.clientWidth + 1 && e.tagName !== 'TEXTAREA')
    .map(e => e.tagName.toLowerCase() + '.' + e.className)"""


def wider_than_the_screen(page, width: int) -> list[str]:
    """The elements that stick out past the screen's right edge, as tag.class."""
    return page.evaluate("""edge => {
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > edge + 0.5)
            .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className);
    }""", width)


@pytest.mark.parametrize("width", PHONES)
def test_no_page_scrolls_sideways_on_a_phone(phone, pages, width):
    phone.set_viewport_size({"width": width, "height": 844})
    wide = {}
    for name, url in pages.items():
        phone.goto(url)
        if width == 390:
            shot(phone, f"{name}-390")
        # A phone browser zooms a page that is too wide out (its innerWidth grows with it), so
        # the page is measured against the phone's own width; a table cut inside a scrolling
        # box counts as too wide too.
        scroll = phone.evaluate("document.documentElement.scrollWidth")
        cut = phone.evaluate(CUT_BOXES)
        if scroll > width or cut:
            wide[name] = (scroll, cut, wider_than_the_screen(phone, width))
    assert wide == {}, f"pages wider than a {width} px phone: {wide}"


def test_every_page_at_a_desk(desk, pages):
    for name, url in pages.items():
        desk.goto(url)
        shot(desk, f"{name}-1280")
        assert desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name


def cells_and_labels(page, table: str) -> list[tuple[str, str, str]]:
    """Every body cell of the first `table`: (its column heading, the label shown before it
    (its ::before), its text); hidden cells are left out."""
    return page.eval_on_selector(table, """table => {
        const headings = [...table.tHead.rows[0].cells].map(th => th.textContent.trim());
        return [...table.tBodies[0].rows].flatMap(row => [...row.cells]
            .filter(cell => getComputedStyle(cell).display !== 'none')
            .map(cell => {
                const before = getComputedStyle(cell, '::before');
                const label = before.display === 'none' || before.content === 'none'
                    ? '' : before.content.replace(/^"|"$/g, '');
                return [headings[cell.cellIndex], label, cell.innerText.trim()];
            }));
    }""")


EVERY_COLUMN = None  # every column but the first, which titles the row, named as it is headed


@pytest.mark.parametrize(("name", "table", "labels"), [
    ("shopping-list", "table.shopping", {"Price": "Price", "Left over": "Left over"}),
    ("foods", "table.browse", EVERY_COLUMN),
    ("recipes", "table.browse", EVERY_COLUMN),
    ("recipe-from-plan", "table.ingredients", EVERY_COLUMN),
    ("plan", "table.week", EVERY_COLUMN),
    ("fridge", "table.fridge", EVERY_COLUMN),
])
def test_stacked_table_cells_name_their_column_on_a_phone(phone, pages, name, table, labels):
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(pages[name])
    cells = cells_and_labels(phone, table)
    headings = list(dict.fromkeys(heading for heading, _label, _text in cells))
    wanted = labels or {heading: heading for heading in headings[1:]}
    assert set(wanted) <= set(headings)
    for heading, label, text in cells:
        if not text:  # an empty cell has nothing to name
            continue
        if heading in wanted:
            assert label == wanted[heading], f"{heading!r} cell {text!r} labelled {label!r}"
        elif labels is EVERY_COLUMN:
            assert label == "", f"{heading!r} titles its row, and needs no label"
    # a phone shows the label and the figure side by side or stacked, never cut
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_tables_keep_their_columns_at_a_desk(desk, pages):
    """At a desk the column headings say what a cell is: no cell repeats its label."""
    desk.goto(pages["foods"])
    assert {label for _heading, label, _text in cells_and_labels(desk, "table.browse")} == {""}
    assert desk.locator("table.browse thead th").first.is_visible()


# Paper -----------------------------------------------------------------------------------

def printed(page, url: str, paper: str, name: str) -> Path:
    page.goto(url)
    page.emulate_media(media="print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{paper}.pdf"
    page.pdf(path=str(path), format=paper, prefer_css_page_size=True)
    page.emulate_media(media="screen")
    return path


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in info.stdout.splitlines()
                    if line.startswith("Pages:")))


def pdf_text(pdf: Path, first: int = 1, last: int | None = None) -> str:
    command = ["pdftotext", "-layout", "-f", str(first)]
    if last:
        command += ["-l", str(last)]
    return subprocess.run([*command, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@needs_poppler
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_fridge_sheet_is_one_page(desk, pages, paper):
    pdf = printed(desk, pages["fridge"], paper, "fridge")
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    for weekday in WEEKDAYS:  # the week's days by name, Monday to Sunday
        assert weekday in text, weekday
    for slot in ("BREAKFAST", "LUNCH", "DINNER", "SNACK"):  # the headings are in capitals
        assert slot in text
    assert "portion" in text
    assert "Print" not in text and "Recipes" not in text  # no button, no navigation


@needs_poppler
def test_a_fortnight_fits_the_fridge_sheet_too(desk, site):
    """The longest plan (14 days) is set smaller, its dishes without their glosses."""
    app, url = site
    response = app.test_client().post("/api/v1/plans", json={**WEEK, "days": 14})
    assert response.status_code == 201, response.get_data(as_text=True)
    for paper in ("A4", "Letter"):
        pdf = printed(desk, f"{url}/plans/{response.get_json()['id']}/fridge", paper,
                      "fridge-14-days")
        assert page_count(pdf) == 1, paper
        text = pdf_text(pdf)
        assert all(text.count(weekday) >= 2 for weekday in WEEKDAYS), text  # 14 days


@needs_poppler
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_plan_prints_its_days_together_without_controls(desk, site, pages, paper):
    plan = site[0].test_client().get(
        "/api/v1/plans/" + pages["plan"].rsplit("/", 1)[1]).get_json()
    pdf = printed(desk, pages["plan"], paper, "plan")
    pages_printed = page_count(pdf)
    assert pages_printed <= 4, f"the week printed on {pages_printed} pages"
    first = pdf_text(pdf, 1, 1)
    days = [f"{day['weekday']} {int(day['date'][8:])}" for day in plan["days"]]
    assert days[1] in first, first  # the first day is not alone on its page
    text = pdf_text(pdf)
    for day in days:
        assert day in text
    for control in ("Swap", "Choose…", "Shopping list", "Copy link", "Plan the next week",
                    "Delete this plan", "New plan"):
        assert control not in text, f"{control!r} printed"
    for heading in ("Daily targets", "Mediterranean checklist"):
        for number in range(1, pages_printed + 1):
            lines = [line.strip() for line in pdf_text(pdf, number, number).splitlines()
                     if line.strip()]
            assert lines[-1:] != [heading], f"{heading!r} alone at the foot of page {number}"


def test_the_fridge_sheet_is_reached_from_the_plan(desk, pages):
    desk.goto(pages["plan"])
    desk.get_by_role("button", name="Fridge sheet").click()
    desk.wait_for_url("**/fridge")
    assert desk.get_by_role("heading", name="The week at a glance").is_visible()
    assert desk.locator("table.fridge tbody tr").count() == 7
    assert desk.get_by_role("button", name="Print").is_visible()
