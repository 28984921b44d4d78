"""Changes to a stored plan made safe: two at once never both answer 200 with one lost, If-Match
is honoured (strongly), only the owner may change a plan, and anyone with its link may fork it.

Runs on SQLite, and on PostgreSQL with MEALPLANNER_TEST_POSTGRES_URL set.
"""

from __future__ import annotations

import threading

import pytest

from mealplanner import create_app
from mealplanner.plans import service
from tests.helpers import error_of, kept, owner, stored_copy

REQUEST = {"days": 2, "people": 2, "diet": "vegetarian", "budget": {"amount": 600},
           "time_limit_seconds": 2}


def meals_of(plan: dict) -> dict[tuple[int, str], str]:
    return {(d["day"], m["slot"]): m["recipe_id"] for d in plan["days"] for m in d["meals"]}


@pytest.fixture(scope="module")
def original(app):
    response = app.test_client().post("/api/v1/plans", json=REQUEST)
    assert response.status_code == 201, response.get_data(as_text=True)
    return kept(response.get_json())


@pytest.fixture()
def plan_id(app, original):
    """A stored copy of the plan (no solving) this test may change."""
    with app.app_context():
        return stored_copy(original)


def first_alternative(client, plan_id: str, day: int, slot: str) -> dict:
    found = client.get(f"/api/v1/plans/{plan_id}/alternatives?day={day}&slot={slot}")
    return {"day": day, "slot": slot, "recipe_id": found.get_json()["alternatives"][0][
        "recipe_id"]}


# The swaps that must succeed change day 1's dinner: with the fixture plan's rules held, other
# dinners can take its place (its day 1 lunch has none: the week's B12 average is at its floor).
CHANGES = [
    ("post", "swap", {"day": 1, "slot": "dinner"}),
    ("post", "regenerate", {"keep": [{"day": 1, "slot": "breakfast"}]}),
    ("delete", "", None),
]


def change(client, method: str, action: str, body, plan_id: str, **headers):
    url = f"/api/v1/plans/{plan_id}" + (f"/{action}" if action else "")
    return getattr(client, method)(url, json=body, headers=headers)


# Owner token ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "action", "body"), CHANGES)
def test_a_change_without_the_owner_token_is_403_pointing_to_the_fork(
        client, plan_id, method, action, body):
    before = client.get(f"/api/v1/plans/{plan_id}")
    for headers in ({}, {"X-Owner-Token": "x" + owner(plan_id)["X-Owner-Token"]}):
        error = error_of(change(client, method, action, body, plan_id, **headers), 403,
                         "forbidden")
        assert "X-Owner-Token" in error["message"] and "X-Owner-Token" in error["details"]
        assert error["details"]["fork_url"] == f"/api/v1/plans/{plan_id}/fork"
    after = client.get(f"/api/v1/plans/{plan_id}")
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers[
        "ETag"]


def test_the_owner_token_also_comes_as_a_bearer_token(client, plan_id):
    token = owner(plan_id)["X-Owner-Token"]
    response = change(client, "post", "swap", {"day": 1, "slot": "dinner"}, plan_id,
                      Authorization=f"Bearer {token}")
    assert response.status_code == 200, response.get_data(as_text=True)


# If-Match -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "action", "body"), CHANGES)
def test_if_match_with_another_etag_is_412_naming_the_current_one(
        client, plan_id, method, action, body):
    read = client.get(f"/api/v1/plans/{plan_id}")
    etag = read.headers["ETag"]
    for sent in ('"nope"', f"W/{etag}", '"a", W/"b"'):  # weak tags never match (RFC 9110)
        response = change(client, method, action, body, plan_id, **owner(plan_id),
                          **{"If-Match": sent})
        error = error_of(response, 412, "precondition_failed")
        assert etag in error["message"] and error["details"]["current_etag"] == etag
        assert response.headers["ETag"] == etag
    after = client.get(f"/api/v1/plans/{plan_id}")
    assert after.status_code == 200 and after.headers["ETag"] == etag


@pytest.mark.parametrize("if_match", ["current", "*", "current-in-a-list"])
@pytest.mark.parametrize(("method", "action", "body"), CHANGES)
def test_if_match_with_the_current_etag_or_a_star_makes_the_change(
        client, plan_id, method, action, body, if_match):
    etag = client.get(f"/api/v1/plans/{plan_id}").headers["ETag"]
    sent = {"current": etag, "*": "*", "current-in-a-list": f'"other", {etag}'}[if_match]
    response = change(client, method, action, body, plan_id, **owner(plan_id),
                      **{"If-Match": sent})
    assert response.status_code in (200, 204), response.get_data(as_text=True)
    after = client.get(f"/api/v1/plans/{plan_id}")
    if method == "delete":
        error_of(after, 404, "not_found")
    else:
        assert after.get_json() == response.get_json()
        assert after.headers["ETag"] == response.headers["ETag"] != etag


def test_every_stored_change_gives_a_new_etag_and_the_old_one_no_longer_matches(
        client, plan_id):
    first = client.get(f"/api/v1/plans/{plan_id}")
    swapped = change(client, "post", "swap", {"day": 1, "slot": "dinner"}, plan_id,
                     **owner(plan_id), **{"If-Match": first.headers["ETag"]})
    assert swapped.status_code == 200
    assert swapped.get_json()["version"] == first.get_json()["version"] + 1
    assert swapped.headers["ETag"] != first.headers["ETag"]
    again = change(client, "post", "swap", {"day": 1, "slot": "dinner"}, plan_id,
                   **owner(plan_id), **{"If-Match": first.headers["ETag"]})
    error_of(again, 412, "precondition_failed")
    assert meals_of(client.get(f"/api/v1/plans/{plan_id}").get_json()) == meals_of(
        swapped.get_json())


# Two changes at once --------------------------------------------------------------------------


def test_two_swaps_at_once_one_is_stored_and_the_other_is_409(app, database_url, plan_id,
                                                               monkeypatch):
    """Both swaps read the same version and solve at the same time; the one that saves second
    finds the plan changed: 409, and the stored plan is exactly the 200's."""
    both = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                       "SECRET_KEY": "test-secret", "MEALPLANNER_PLANNER_SLOTS": 2,
                       "MEALPLANNER_SHORT_WAIT_SECONDS": 120})
    picks = [first_alternative(both.test_client(), plan_id, 1, "dinner"),
             first_alternative(both.test_client(), plan_id, 2, "dinner")]
    met = threading.Barrier(2, timeout=60)
    pick = service.pick_alternative

    def pick_together(*args, **kwargs):
        met.wait()  # both have read the plan at the same version
        return pick(*args, **kwargs)

    monkeypatch.setattr(service, "pick_alternative", pick_together)
    responses: list = [None, None]

    def swap(i: int) -> None:
        responses[i] = both.test_client().post(f"/api/v1/plans/{plan_id}/swap", json=picks[i],
                                               headers=owner(plan_id))

    threads = [threading.Thread(target=swap, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 409], [r.get_data(as_text=True) for r in responses]
    stored_ok = next(r for r in responses if r.status_code == 200)
    lost = next(r for r in responses if r.status_code == 409)
    error = error_of(lost, 409, "plan_changed")
    stored = both.test_client().get(f"/api/v1/plans/{plan_id}")
    assert stored.get_json() == stored_ok.get_json()
    assert error["details"]["current_etag"] == stored.headers["ETag"]
    with both.app_context():
        from mealplanner.extensions import db

        db.engine.dispose()


def test_a_change_saved_from_a_stale_version_is_refused_and_nothing_is_stored(app, plan_id):
    """Two sessions of the service: the second saves from the version the first replaced."""
    token = owner(plan_id)["X-Owner-Token"]
    with app.app_context():
        version = service.load_plan(plan_id)[1]["version"]
        status, first = service.swap_plan_meal(plan_id, 1, "dinner", owner_token=token,
                                               version=version)
        assert status == "ok" and first["version"] == version + 1
    with app.app_context():
        with pytest.raises(service.PlanChanged):
            service.swap_plan_meal(plan_id, 2, "lunch", owner_token=token, version=version)
        with pytest.raises(service.PlanChanged):
            service.delete_plan(plan_id, token, version)
        assert service.load_plan(plan_id)[1] == first


# Fork -----------------------------------------------------------------------------------------


def test_anyone_with_the_link_may_fork_a_plan_into_their_own(client, plan_id):
    url = f"/api/v1/plans/{plan_id}"
    original = client.get(url).get_json()
    response = client.post(f"{url}/fork")
    assert response.status_code == 201, response.get_data(as_text=True)
    fork = response.get_json()
    token = fork.pop("owner_token")
    assert fork["id"] != plan_id and token != owner(plan_id)["X-Owner-Token"]
    assert response.headers["Location"] == f"/api/v1/plans/{fork['id']}"
    assert fork["request"] == original["request"]
    assert meals_of(fork) == meals_of(original)
    read = client.get(response.headers["Location"])
    assert read.get_json() == fork and read.headers["ETag"] == response.headers["ETag"]

    # The fork is its own: its token changes it, the original's does not, and the original
    # stays as it was.
    error_of(client.post(f"/api/v1/plans/{fork['id']}/swap", json={"day": 1, "slot": "dinner"},
                         headers=owner(plan_id)), 403)
    swapped = client.post(f"/api/v1/plans/{fork['id']}/swap", json={"day": 1, "slot": "dinner"},
                          headers={"X-Owner-Token": token})
    assert swapped.status_code == 200, swapped.get_data(as_text=True)
    assert meals_of(swapped.get_json()) != meals_of(original)
    assert client.get(url).get_json() == original
    assert client.delete(f"/api/v1/plans/{fork['id']}",
                         headers={"X-Owner-Token": token}).status_code == 204
    assert client.get(url).get_json() == original


def test_forking_a_missing_plan_is_404(client):
    error_of(client.post("/api/v1/plans/AAAAAAAAAAAAAAAAAAAAAA/fork"), 404, "not_found")
