"""Swapping a meal on a phone (390 px wide), in Debian's chromium: a swap that cannot be made
says why beside the meal and is not marked as done; choosing among the alternatives, by mouse
or keyboard, updates the meal's cell; without script, the alternatives are a page of their own.
Screenshots land in test-artifacts/screenshots/ (20-*)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import BROWSER, SHOTS, day_heading, open_page, shot
from tests.helpers import blocked_meal, budget_at_checkout, relaxable_meal

PHONE = {"width": 390, "height": 844}
ROOMY = {"days": 3, "people": 2, "diet": "vegetarian", "exclude_allergens": ["tree_nuts"],
         "budget": {"amount": 600}, "time_limit_seconds": 2}

pytestmark = BROWSER



@pytest.fixture(scope="module")
def roomy(site):
    """A plan whose meals have alternatives, made through the API."""
    app = site[0]
    response = app.test_client().post("/api/v1/plans", json=ROOMY)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["id"]


@pytest.fixture()
def copy(site, roomy):
    """A stored copy of the roomy plan, for a test that swaps its meals."""
    from mealplanner.plans.service import load_plan, save_plan

    with site[0].app_context():
        request, document = load_plan(roomy)
        return save_plan(request, {k: v for k, v in document.items() if k != "id"})["id"]


@pytest.fixture(scope="module")
def blocked(site, roomy):
    """(plan id, day, slot): the plan with its budget at its checkout, and a meal no other
    dish can take the place of."""
    app = site[0]
    with app.app_context():
        plan_id = budget_at_checkout(roomy)
    return blocked_meal(app.test_client(), plan_id)


@pytest.fixture()
def phone(chrome, site):
    context, page, watch = open_page(chrome, site[1], viewport=PHONE)
    yield page
    watch.check()
    context.close()


def own_copy(page, site_url: str, plan_id: str) -> str:
    """Open a plan made elsewhere and make this browser's own copy of it; its address."""
    page.goto(f"{site_url}/plans/{plan_id}")
    page.get_by_role("button", name="Make my own copy").click()
    page.wait_for_url(lambda url: "/plans/" in url and not url.endswith(plan_id))
    return page.url


def test_a_swap_that_cannot_be_made_says_why_beside_the_meal(phone, site, blocked):
    plan_id, day, slot = blocked
    own_copy(phone, site[1], plan_id)
    cell = phone.locator(f"#day-{day}-{slot}")
    before = cell.locator(".meal-name").inner_text()
    cell.get_by_role("button", name=f"Swap day {day} {slot}: {before}").click()
    message = cell.locator(".swap-message")
    expect(message).to_contain_text(f"{day_heading(phone, day)} {slot} could not be swapped: "
                                    f"No other {slot} on day {day} keeps every rule")
    expect(message).to_have_class("notice notice-error swap-message")
    expect(message).to_be_focused()
    expect(message).to_be_in_viewport()
    expect(message.locator("li").first).to_be_visible()  # the rules that block, in words
    expect(message).not_to_contain_text("_")
    expect(cell).not_to_have_class("just-swapped")
    expect(cell.locator(".meal-name")).to_have_text(before)
    expect(phone.locator(".flashes")).to_have_count(0)  # nothing at the top of the page
    # every rule that can stop a swap is on the page: the budget, sodium and the other caps
    limits = phone.locator(".limits")
    for words in ("Sodium at most", "Saturated fat at most", "Budget at most",
                  "Prebiotic fibre at most", "Each dish at most"):
        expect(limits).to_contain_text(words)
    limits.screenshot(path=str(SHOTS / "25-limits.png"))
    shot(phone, "20-swap-blocked", full_page=False)
    # the alternatives dialog says the same, before any swap is tried
    cell.get_by_role("link", name=f"Choose another dish for day {day} {slot}").click()
    dialog = phone.locator("#alternatives-dialog")
    expect(dialog.locator(".notice-error")).to_contain_text(f"No other {slot} on day {day}")
    expect(dialog.locator("button.pick")).to_have_count(0)
    shot(phone, "21-alternatives-blocked", full_page=False)
    phone.keyboard.press("Escape")
    expect(dialog).not_to_be_visible()


def refused_swap(page, site_url: str, plan_id: str, day: int, slot: str):
    """Swap a meal no other dish can take, in this browser's own copy of the plan: (the meal's
    name, the refusal's message in its cell, focused)."""
    own_copy(page, site_url, plan_id)
    cell = page.locator(f"#day-{day}-{slot}")
    before = cell.locator(".meal-name").inner_text()
    cell.get_by_role("button", name=f"Swap day {day} {slot}: {before}").click()
    message = cell.locator(".swap-message")
    expect(message).to_be_focused()
    return before, message


def on_the_phone(page, button) -> None:
    """The button is shown wholly on the 390 px screen, and the page does not scroll sideways."""
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a 390px phone"


@pytest.fixture(scope="module")
def relaxable(site):
    """(plan id, day, slot, blocker): a meal no other dish can take, blocked by a daily rule
    a day's exception can loosen."""
    return relaxable_meal(site[0].test_client())


def test_a_blocked_swap_offers_to_relax_its_rule_for_that_day_only(phone, site, relaxable):
    plan_id, day, slot, blocker = relaxable
    before, message = refused_swap(phone, site[1], plan_id, day, slot)
    offer = message.locator(".relax-form").first
    expect(offer).to_contain_text(blocker["relax"])
    button = offer.get_by_role("button", name="Allow it on this day only")
    on_the_phone(phone, button)
    shot(phone, "26-swap-relax-offer", full_page=False)
    button.click()
    name = phone.locator(f"#day-{day}-{slot} .meal-name")
    expect(name).not_to_have_text(before)
    done = phone.locator(f"#day-{day}-{slot} .notice-success")
    expect(done).to_contain_text(f"{day_heading(phone, day)} {slot}: {before} is now")
    expect(done).to_contain_text("your exception to the rule")
    expect(done).to_contain_text("every other day keeps the rule")
    expect(done).not_to_contain_text("_")
    expect(phone.locator(f"#day-{day}-{slot}")).to_have_class("just-swapped")
    phone.locator(f"#day-{day}-{slot}").screenshot(path=str(SHOTS / "27a-swap-relaxed-cell.png"))
    # the exception stays on the page, with its day, in words
    exceptions = phone.locator(".exceptions")
    expect(exceptions).to_contain_text("Your exceptions for single days")
    expect(exceptions).to_contain_text(day_heading(phone, day))
    expect(exceptions).not_to_contain_text("_")
    exceptions.scroll_into_view_if_needed()
    shot(phone, "27-swap-relaxed", full_page=False)


def test_an_exception_taken_back_holds_the_day_to_the_rule_again(phone, site, relaxable):
    plan_id, day, slot, _blocker = relaxable
    before, message = refused_swap(phone, site[1], plan_id, day, slot)
    message.locator(".relax-form").first.get_by_role(
        "button", name="Allow it on this day only").click()
    expect(phone.locator(f"#day-{day}-{slot} .meal-name")).not_to_have_text(before)
    heading = day_heading(phone, day)
    button = phone.locator(".exceptions").get_by_role(
        "button", name=re.compile(f"^Hold this day to the rule again: {heading}, “"))
    on_the_phone(phone, button)
    expect(button).to_have_text("Hold this day to the rule again")
    button.click()
    done = phone.locator("#exception-message")
    expect(done).to_have_class(re.compile("notice-success"))
    expect(done).to_contain_text(f"{heading} is held to the rule")
    expect(done).to_contain_text(re.compile(r"again\. To meet it, (breakfast|lunch|dinner|snack)"))
    expect(done).to_contain_text("every other day stays as it was")
    expect(done).not_to_contain_text("_")
    expect(done).to_be_in_viewport()
    expect(phone.locator(".exceptions")).to_have_count(0)
    for checklist in phone.locator(".checklist").all():  # limits, nutrients, Mediterranean
        expect(checklist).not_to_contain_text("exception")
    shot(phone, "30-exception-taken-back", full_page=False)


def test_a_swap_blocked_by_the_budget_offers_the_budget_that_lets_a_dish_in(phone, site,
                                                                            blocked):
    plan_id, day, slot = blocked
    before, message = refused_swap(phone, site[1], plan_id, day, slot)
    button = message.get_by_role("button", name=re.compile(r"Raise the weekly budget to \$"))
    on_the_phone(phone, button)
    amount = button.inner_text().split("$")[1]
    expect(message.locator(".relax-form p").first).to_contain_text(f"A weekly budget of ${amount}")
    shot(phone, "28-swap-budget-offer", full_page=False)
    button.click()
    done = phone.locator(f"#day-{day}-{slot} .notice-success")
    expect(done).to_contain_text(f"{day_heading(phone, day)} {slot}: {before} is now")
    expect(done).to_contain_text(f"The weekly budget is now ${amount}.")
    expect(phone.locator(f"#day-{day}-{slot} .meal-name")).not_to_have_text(before)
    expect(phone.locator(".summary-cards")).to_contain_text(f"${amount}")
    phone.locator(f"#day-{day}-{slot}").screenshot(
        path=str(SHOTS / "28a-swap-budget-raised-cell.png"))


def test_picking_an_alternative_updates_the_meal(phone, site, copy):
    own_copy(phone, site[1], copy)
    phone.evaluate("window.notReloaded = true")
    cell = phone.locator("#day-2-dinner")
    before = cell.locator(".meal-name").inner_text()
    cell.get_by_role("link", name="Choose another dish for day 2 dinner").click()
    dialog = phone.locator("#alternatives-dialog")
    expect(dialog).to_be_visible()
    picks = dialog.locator("button.pick")
    expect(picks.first).to_be_focused()
    assert 1 <= picks.count() <= 5
    item = dialog.locator(".alternative-list > li").nth(1 if picks.count() > 1 else 0)
    expect(item.locator(".alternative-changes")).to_contain_text("Cost")
    expect(item.locator(".alternative-changes")).to_contain_text("Live cultures")
    name = item.locator(".alternative-name strong").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dialog is {width}px wide on a 390px phone"
    shot(phone, "22-alternatives", full_page=False)
    item.get_by_role("button", name=f"Pick {name} for day 2 dinner").focus()
    phone.keyboard.press("Enter")  # by keyboard
    expect(dialog).not_to_be_visible()
    expect(cell.locator(".meal-name")).to_have_text(name)
    expect(cell.locator(".notice-success")).to_contain_text(
        f"{day_heading(phone, 2)} dinner: {before} is now {name}.")
    expect(cell).to_have_class("just-swapped")
    expect(cell.locator("a.meal-name")).to_be_focused()
    assert phone.evaluate("window.notReloaded") is True
    shot(phone, "23-alternative-picked", full_page=False)


def test_closing_the_alternatives_returns_to_the_meal(phone, site, copy):
    own_copy(phone, site[1], copy)
    choose = phone.get_by_role("link", name="Choose another dish for day 1 lunch")
    choose.click()
    dialog = phone.locator("#alternatives-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).not_to_be_visible()
    expect(choose).to_be_focused()


def test_without_script_the_alternatives_are_a_page_and_a_pick_comes_back_to_the_meal(
        chrome, site, copy):
    context, page, watch = open_page(chrome, site[1], viewport=PHONE,
                                     java_script_enabled=False)
    mine = own_copy(page, site[1], copy).rsplit("/", 1)[1]
    day_1 = day_heading(page, 1)
    page.get_by_role("link", name="Choose another dish for day 1 snack").click()
    page.wait_for_url("**/alternatives?*")
    expect(page.get_by_role("heading", name=f"Other dishes for {day_1} snack")).to_be_visible()
    first = page.locator(".alternative-list > li").first
    name = first.locator(".alternative-name strong").inner_text()
    first.get_by_role("button", name=f"Pick {name} for day 1 snack").click()
    page.wait_for_url(f"**/plans/{mine}#day-1-snack")
    cell = page.locator("#day-1-snack")
    expect(cell.locator(".meal-name")).to_have_text(name)
    expect(cell.locator(".notice-success")).to_contain_text(f"is now {name}.")
    expect(cell).to_have_class("just-swapped")
    shot(page, "24-alternative-picked-without-script", full_page=False)
    watch.check()
    context.close()
