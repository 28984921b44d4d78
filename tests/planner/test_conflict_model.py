"""The weekly model an explanation asks which requirements hold together: the same
requirements as the model plans are optimised on, without the terms only the objective needs
(package cost without a checkout budget, the soft plant target, weekly nutrient targets,
repeats), so it is smaller to build and to solve, and answers the same question."""

from __future__ import annotations

from mealplanner.planner.cpsat.cores import find_core
from mealplanner.planner.cpsat.solve import SolveSettings, requirements_broken_by
from mealplanner.planner.prepared import prepare
from tests.planner.plans import request_of


def _sizes(pm) -> tuple[int, int]:
    proto = pm.model.proto
    return len(proto.variables), len(proto.constraints)


def test_the_conflicts_model_holds_every_requirement_and_no_penalty(catalog):
    prepared = prepare(request_of(days=7), catalog)
    full, bare = prepared.model(), prepared.model(penalised=False)
    assert [g.key for g in bare.requirements] == [g.key for g in full.requirements]
    assert full.penalties and not bare.penalties
    assert not bare.packages and not bare.plant_used  # no checkout budget, no plant rule
    variables, constraints = _sizes(bare)
    assert variables < _sizes(full)[0] and constraints < _sizes(full)[1]


def test_a_checkout_budget_keeps_its_packages_in_the_conflicts_model(catalog):
    prepared = prepare(request_of(days=7, budget={"amount": 150}), catalog)
    bare = prepared.model(penalised=False)
    assert "budget" in [g.key for g in bare.requirements]
    assert bare.packages and not bare.penalties


def test_a_plan_the_conflicts_model_finds_meets_every_requirement_of_the_full_model(catalog):
    prepared = prepare(request_of(days=3), catalog)
    bare = prepared.model(penalised=False)
    core = find_core(bare, [g.key for g in bare.requirements], None, seconds=5.0)
    assert core.status == "feasible"
    assert requirements_broken_by(prepared.model(), core.meals,
                                  SolveSettings(time_limit_seconds=5.0)) == []
