"""Who may change a plan on the web pages: the browser that made it holds its owner token (never
readable in its cookie); any other browser sees the plan without swap buttons and may make its
own copy to change."""

from __future__ import annotations

import base64
import json
import re
import zlib
from datetime import date

from flask.sessions import SecureCookieSessionInterface

from mealplanner.formatting import long_date
from tests.web.test_web import SMALL_PLAN, page_text, post_form, token


def made_plan(client) -> str:
    response = post_form(client, {**SMALL_PLAN, "days": "1"})
    assert response.status_code == 303, page_text(response)[:2000]
    return response.headers["Location"].rsplit("/", 1)[1]


def shown_owner_token(client, plan_id: str) -> str:
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    return re.search(r'id="owner-token-value">([^<]+)<', page).group(1)


def cookie_text(app, client) -> str:
    """Everything the session cookie carries, read as anyone holding it can (no secret key
    needed: the payload is base64 of JSON, maybe zlib-compressed), and as the app reads it."""
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = (zlib.decompress(raw) if compressed else raw).decode("utf-8")
    session = SecureCookieSessionInterface().get_signing_serializer(app).loads(value)
    return text + json.dumps(session)


def test_the_owner_token_is_not_readable_from_the_session_cookie(app):
    client = app.test_client()
    plan_id = made_plan(client)
    owner_token = shown_owner_token(client, plan_id)
    text = cookie_text(app, client)
    assert "owned_plans" in text  # the browser does keep it, sealed
    assert owner_token not in text
    assert plan_id not in text  # nor which plans it made


def test_another_browser_sees_no_swap_buttons_but_can_make_its_own_copy(app):
    maker, other = app.test_client(), app.test_client()
    plan_id = made_plan(maker)
    before = other.get(f"/api/v1/plans/{plan_id}").get_json()
    page = page_text(other.get(f"/plans/{plan_id}"))
    assert 'class="swap-form"' not in page and "Choose…" not in page
    assert "Make my own copy" in page
    assert 'class="swap-form"' in page_text(maker.get(f"/plans/{plan_id}"))

    refused = other.post(f"/plans/{plan_id}/swap",
                         data={"csrf_token": token(other), "day": "1", "slot": "lunch"})
    assert refused.status_code == 403 and "Make my own copy" in page_text(refused)
    assert other.get(f"/api/v1/plans/{plan_id}").get_json() == before

    forked = other.post(f"/plans/{plan_id}/fork", data={"csrf_token": token(other)})
    assert forked.status_code == 303
    copy_id = forked.headers["Location"].rsplit("/", 1)[1]
    assert copy_id != plan_id
    page = page_text(other.get(f"/plans/{copy_id}"))
    assert 'class="swap-form"' in page and "Make my own copy" not in page
    swapped = other.post(f"/plans/{copy_id}/swap",
                         data={"csrf_token": token(other), "day": "1", "slot": "lunch"})
    assert swapped.status_code == 303
    shown = page_text(other.get(f"/plans/{copy_id}"))
    first_day = other.get(f"/api/v1/plans/{copy_id}").get_json()["days"][0]
    assert f"{long_date(date.fromisoformat(first_day['date']))} lunch: " in shown
    assert other.get(f"/api/v1/plans/{plan_id}").get_json() == before  # the original stays
    assert 'class="swap-form"' not in page_text(maker.get(f"/plans/{copy_id}"))


def test_the_alternatives_page_offers_picks_only_to_the_owner(app):
    maker, other = app.test_client(), app.test_client()
    plan_id = made_plan(maker)
    url = f"/plans/{plan_id}/alternatives?day=1&slot=lunch"
    assert 'class="swap-form pick-form"' in page_text(maker.get(url))
    assert 'class="swap-form pick-form"' not in page_text(other.get(url))


def test_a_cookie_from_before_the_sealing_keeps_its_plans(app):
    client = app.test_client()
    plan_id = made_plan(client)
    owner_token = shown_owner_token(client, plan_id)
    fresh = app.test_client()
    with fresh.session_transaction() as session:
        session["owned_plans"] = {plan_id: owner_token}  # as the cookie held it before
    assert shown_owner_token(fresh, plan_id) == owner_token
    assert owner_token not in cookie_text(app, fresh)
