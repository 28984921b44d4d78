"""Which requirements cannot hold together, proven: CP-SAT is given every requirement's literal
as an assumption; when it proves the model infeasible it names a sufficient set of them
(`sufficient_assumptions_for_infeasibility`), which a deletion filter then shrinks to a
minimal one (each member dropped in turn: if the rest is still infeasible it goes).

Daily rules are tried first on one day at a time: a day's meals under the daily rules alone
are a small model (four meals) that CP-SAT settles in milliseconds, and a day no dishes can
fill is a week no dishes can fill. Only when every day can be filled does the weekly model
(variety, packages, weekly Mediterranean rules, the budget) need the same treatment, within
what is left of the request's time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from mealplanner.planner.cpsat.compile import add_linear
from mealplanner.planner.cpsat.model import PlanModel, add_choice_variables
from mealplanner.planner.cpsat.solve import RANDOM_SEED, add_hint
from mealplanner.rules.day_exceptions import day_signature, on_day
from mealplanner.rules.requirements import DAY, VARIETY

# A solve that proves nothing within this long is given up (the member it tested is kept,
# and the set is reported as not shown minimal).
FILTER_SECONDS = 0.5
# The first solve, with every requirement assumed, gets longer: it must settle the question.
FIRST_SECONDS = 1.5


@dataclass
class Core:
    """What a solve with every requirement assumed found: `status` infeasible (then `keys` is a
    set that cannot hold together, `minimal` when the deletion filter finished), feasible
    (`meals` meet every requirement) or unknown (out of time)."""

    status: str
    keys: list[str] = field(default_factory=list)
    minimal: bool = False
    meals: list[tuple[int, str, str, int]] = field(default_factory=list)
    day: int | None = None  # the day a daily conflict was proven on


def core_solver(seconds: float, deadline: float | None) -> cp_model.CpSolver:
    """One worker: assumptions and the core they give are exact on a single search, and
    repeatable (the same request gives the same explanation). The full linear relaxation: a
    day that cannot reach 75 g of fibre within 1,320 kcal is proven so by its LP bound in
    about 0.5 s, where the LP-free search used for plans finds nothing in 5 s."""
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.linearization_level = 2
    params.cp_model_presolve = False
    params.cp_model_probing_level = 0  # probing 2,800 choices costs 0.4 s and finds nothing
    params.random_seed = RANDOM_SEED
    params.max_deterministic_time = seconds
    limit = seconds * 4
    if deadline is not None:
        limit = min(limit, max(0.02, deadline - time.perf_counter()))
    params.max_time_in_seconds = limit
    return solver


def _solve(pm: PlanModel, keys: list[str], seconds: float, deadline: float | None):
    by_key = {g.key: g for g in pm.requirements}
    pm.model.clear_assumptions()
    pm.model.add_assumptions([by_key[k].literal for k in keys])
    solver = core_solver(seconds, deadline)
    status = solver.solve(pm.model)
    pm.model.clear_assumptions()
    return solver, status


def find_core(pm: PlanModel, keys: list[str], deadline: float | None,
              seconds: float = FIRST_SECONDS, hint=()) -> Core:
    """Assume `keys` hold: a plan, or a minimal set of them that cannot hold together."""
    if hint:
        pm.model.clear_hints()
        add_hint(pm, list(hint))
    solver, status = _solve(pm, keys, seconds, deadline)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Core("feasible", meals=sorted(k for k, v in pm.x.items()
                                            if solver.boolean_value(v)))
    if status != cp_model.INFEASIBLE:
        return Core("unknown")
    index = {g.literal.index: g.key for g in pm.requirements}
    core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
    if not core:
        # infeasible without any requirement: the choices themselves cannot be made
        return Core("infeasible", [], True)
    return _deletion_filter(pm, [k for k in keys if k in core], deadline, FILTER_SECONDS)


def _deletion_filter(pm: PlanModel, core: list[str], deadline: float | None,
                     seconds: float) -> Core:
    minimal = True
    for key in list(core):
        if key not in core or len(core) == 1:
            continue
        if deadline is not None and time.perf_counter() >= deadline:
            minimal = False
            break
        rest = [k for k in core if k != key]
        solver, status = _solve(pm, rest, seconds, deadline)
        if status == cp_model.INFEASIBLE:
            index = {g.literal.index: g.key for g in pm.requirements}
            smaller = {index[i] for i in solver.sufficient_assumptions_for_infeasibility()
                       if i in index}
            core = [k for k in rest if k in smaller] or rest
        elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            minimal = False  # not shown either way: keep it
    return Core("infeasible", core, minimal)


def day_model(prepared, day: int) -> PlanModel:
    """One day's meals under the daily rules only (every weekly rule left out; of the variety
    rule, its part within a day: a dish at most once a day): what cannot hold on this day
    cannot hold in the week."""
    request = replace(prepared.request, days=1)
    rule_set = on_day(prepared.rule_set, day)
    pm = PlanModel(cp_model.CpModel(), request, rule_set, prepared.candidates,
                   prepared.catalog)
    locked = [replace(m, day=1) for m in prepared.locked if m.day == day]
    forbidden = [(1, slot, rid) for d, slot, rid in prepared.forbidden if d == day]
    add_choice_variables(pm, locked, forbidden)
    for requirement in rule_set.linear(DAY):
        add_linear(pm, requirement)
    if rule_set.variety.once_a_day and rule_set.has(VARIETY) and len(request.meals) > 1:
        guard = pm.require(rule_set.requirement(VARIETY))
        for rid in sorted({key[2] for key in pm.x}):
            pm.model.add(sum(pm.chosen(1, slot, rid) for slot in request.meals) <= 1
                         ).only_enforce_if(guard.literal)
    return pm


def distinct_days(prepared) -> list[int]:
    """The days whose meals differ in what is locked or forbidden, or in the person's
    exceptions (usually only day 1: every day of a new plan offers the same dishes)."""
    seen, days = set(), []
    for day in range(1, prepared.request.days + 1):
        signature = (tuple(sorted((m.slot, m.recipe_id, m.portion)
                                  for m in prepared.locked if m.day == day)),
                     tuple(sorted((s, r) for d, s, r in prepared.forbidden if d == day)),
                     day_signature(prepared.rule_set, day))
        if signature not in seen:
            seen.add(signature)
            days.append(day)
    return days


def daily_core(prepared, deadline: float | None,
               first_seconds: float | None = None) -> tuple[Core, PlanModel] | None:
    """A minimal set of daily rules no day's meals can meet together, with the day's model it
    was proven on; None when every day can be filled. `first_seconds` bounds each day's first
    solve (FIRST_SECONDS by default): a set found is still shrunk until `deadline`."""
    for day in distinct_days(prepared):
        if deadline is not None and time.perf_counter() >= deadline:
            return None
        pm = day_model(prepared, day)
        core = find_core(pm, [g.key for g in pm.requirements], deadline,
                         seconds=FIRST_SECONDS if first_seconds is None else first_seconds)
        if core.status == "infeasible" and core.keys:
            core.day = day
            return core, pm
    return None
