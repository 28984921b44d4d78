"""Fibre a person can live with: a daily ceiling, and a gradual rise from a stated usual intake
that goes on week by week through rolling plans."""

from __future__ import annotations

import pytest

from mealplanner.planner.checker import check_plan
from mealplanner.planner.objective import FIBER_ABOVE_STEP
from mealplanner.planner.pipeline import make_plan
from mealplanner.planner.rolling import continue_request
from mealplanner.planner.targets import resolve_targets
from tests.planner.plans import request_of


def test_no_day_holds_more_than_two_and_a_half_times_its_fibre_target(catalog):
    request = request_of()
    outcome = make_plan(request, catalog)
    assert outcome.ok
    fiber = outcome.document["targets"]["fiber_g"]
    assert fiber["max"] == pytest.approx(2.5 * max(fiber["min"], 25))
    assert all(fiber["min"] <= d["totals"]["fiber_g"] <= fiber["max"]
               for d in outcome.document["days"])
    assert check_plan(outcome.document, request, catalog) == []


def test_the_ramp_starts_a_step_above_the_usual_intake(catalog):
    targets = resolve_targets(request_of(usual_fiber_g_per_day=12), catalog.rules)
    ramp = targets.fiber_ramp
    assert (ramp.usual_g, ramp.week_g, ramp.comfortable_g, ramp.goal_g) == (12, 17, 22, 28)
    assert ramp.weeks_to_goal == 3  # 22, 27, then the goal of 28
    assert targets.fiber_g.value == 17
    # prebiotic fibre rises with it
    assert targets.prebiotic_g.value == pytest.approx(5 * 17 / 28, abs=0.001)
    # a usual intake near the goal needs no ramp
    assert resolve_targets(request_of(usual_fiber_g_per_day=25), catalog.rules).fiber_ramp \
        is None


def test_a_ramp_plan_stays_near_its_step_and_the_next_week_climbs(catalog):
    request = request_of(usual_fiber_g_per_day=12)
    first = make_plan(request, catalog)
    assert first.ok
    plain = make_plan(request_of(), catalog)
    fiber = [d["totals"]["fiber_g"] for d in first.document["days"]]
    plain_fiber = [d["totals"]["fiber_g"] for d in plain.document["days"]]
    # fibre above the step costs the plan: it comes out well below the plan without a ramp
    assert sum(fiber) < 0.85 * sum(plain_fiber)
    assert min(fiber) >= 17
    terms = {t["penalty"]: t for t in first.document["solver"]["objective_terms"]}
    assert FIBER_ABOVE_STEP in terms
    assert first.document["targets"]["fiber_g"]["ramp"]["week_g_per_day"] == 17
    following = continue_request(request, first.document, catalog)
    assert following.usual_fiber_g_per_day == 17
    assert resolve_targets(following, catalog.rules).fiber_g.value == 22


@pytest.mark.parametrize("value", [-1, 101, "lots"])
def test_a_usual_intake_out_of_range_names_the_field(client, value):
    response = client.post("/api/v1/plans", json={"days": 1, "usual_fiber_g_per_day": value})
    assert response.status_code == 422
    assert "usual_fiber_g_per_day" in response.get_data(as_text=True)


def test_no_dish_is_offered_at_a_portion_that_alone_passes_the_prebiotic_tolerance(catalog):
    """Over every recipe and every portion the planner may choose: at most the day's 20 g,
    counted with no loss to cooking; a dish over it at every portion is not offered, and the
    request says why."""
    from mealplanner.planner.candidates import build_candidates
    from mealplanner.planner.units import portion_of

    tolerance = catalog.rules.gut.prebiotic_max_g_per_day
    candidates = build_candidates(request_of(), catalog)
    offered = {rid for ids in candidates.by_slot.values() for rid in ids}
    for rid in offered:
        for q in candidates.portions(rid):
            assert catalog.facts[rid].prebiotic_most_g * portion_of(q) <= tolerance, (rid, q)
    too_much = [rid for rid, f in catalog.facts.items() if f.prebiotic_most_g * 0.5 > tolerance]
    assert too_much, "setup: a dish too rich in prebiotic fibre even at half a portion"
    assert not set(too_much) & offered
    reasons = {r for slot in candidates.removed.values() for r in slot}
    assert any("prebiotic fibre" in r for r in reasons)
