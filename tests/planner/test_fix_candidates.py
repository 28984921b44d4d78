"""The fixes worth trying for an explanation, before any is checked: a nutrient a supplement
covers is offered with the supplement, the first change for each conflicting requirement is
also offered together, and the together fix is not checked once one of its parts works."""

from __future__ import annotations

import time

from mealplanner.planner.cpsat.explain import Explanation
from mealplanner.planner.fixes import candidate_fixes, checked_fixes
from tests.planner.plans import request_of


def _conflict(requirement: str, limit: dict, best_value: float | None = None) -> dict:
    return {"requirement": requirement, "label": requirement, "limit": limit,
            "best_value": best_value, "unit": "", "measure": "worst day"}


def _explanation(*conflicts: dict) -> Explanation:
    return Explanation("conflict", "No plan can meet ...", conflicts=list(conflicts),
                       proven=True)


def test_vitamin_b12_out_of_reach_is_offered_with_a_supplement(catalog):
    request = request_of(days=7, exclude_allergens=["milk", "egg", "fish"])
    explanation = _explanation(_conflict("nutrient:vitamin_b12_ug", {"min": 2.4}),
                               _conflict("med:red_meat", {"max": 1}))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    [supplement] = [f for f in fixes if "supplements" in f.changes]
    assert supplement.text == "Plan with a vitamin B12 supplement"
    assert supplement.changes == {"supplements": ("b12",)}


def test_a_supplement_already_stated_is_not_offered_again(catalog):
    request = request_of(days=7, supplements=["b12"])
    explanation = _explanation(_conflict("nutrient:vitamin_b12_ug", {"min": 2.4}))
    assert not [f for f in candidate_fixes(request, explanation, catalog.rules)
                if "supplements" in f.changes]


def test_the_first_change_for_each_conflicting_requirement_is_offered_together(catalog):
    """1,200 kcal with 75 g of fibre: the energy raised to what the fibre takes and the
    recommended fibre target, as one fix after both."""
    request = request_of(days=1, energy_kcal=1200, targets={"fiber_g_per_day": 75})
    explanation = _explanation(
        _conflict("energy", {"min": 1080.0, "max": 1320.0}, 1831.0),
        _conflict("fiber", {"min": 75.0}, 65.0))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    texts = [f.text for f in fixes]
    energy = "Raise the energy target to 1,850 kcal a day (from 1,200)"
    fiber = next(t for t in texts if t.startswith("Use the recommended fiber target"))
    together = f"{energy} and {fiber[:1].lower()}{fiber[1:]}"
    assert together in texts
    both = fixes[texts.index(together)]
    assert both.changes["energy_kcal"] == 1850
    assert both.changes["targets"].fiber_g_per_day is None
    assert set(both.parts) == {energy, fiber}
    assert texts.index(together) > max(texts.index(energy), texts.index(fiber))


def test_the_together_fix_is_not_checked_once_a_part_works_alone(catalog):
    request = request_of(days=1, energy_kcal=1200, targets={"fiber_g_per_day": 75})
    explanation = _explanation(
        _conflict("energy", {"min": 1080.0, "max": 1320.0}, 1831.0),
        _conflict("fiber", {"min": 75.0}, 65.0))
    fixes = candidate_fixes(request, explanation, catalog.rules)
    checked = []

    def plans(changed, _deadline, _first):
        checked.append(changed)
        # only the recommended fibre target gets a plan
        return {} if changed.targets.fiber_g_per_day is None and \
            changed.energy_kcal == 1200 else None

    verified = checked_fixes(request, fixes, time.perf_counter() + 60, plans)
    assert [f.text for f in verified][0].startswith("Use the recommended fiber target")
    assert not [f for f in verified if f.parts]
    assert not [c for c in checked if c.energy_kcal != 1200 and
                c.targets.fiber_g_per_day is None]  # the together fix was never planned
