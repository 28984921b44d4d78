"""Which requirements conflict, and what each could reach with every other one held.

1. Daily rules on one day at a time (cores.daily_core): a proven, minimal set in well under a
   second when the conflict is within a day (energy against fibre, a sodium cap against the
   only dishes left).
2. Otherwise the weekly model with every requirement assumed: a plan, a proven minimal set, or,
   out of time, the requirements the local search's best plan misses (not proven: said so).
3. For each requirement named, the best value reachable while the others hold, solved on the
   model the conflict was found on (measures.py): it never meets the requirement's own limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from mealplanner.formatting import measured
from mealplanner.planner.cpsat.cores import Core, core_solver, daily_core, find_core
from mealplanner.planner.cpsat.measures import Limit, add_measure, limit_of
from mealplanner.planner.cpsat.model import PlanModel
from mealplanner.planner.cpsat.solve import SolveSettings, add_hint, requirements_broken_by
from mealplanner.planner.floor.infeasible import relaxed_core
from mealplanner.rules.requirements import RuleSet

# Deterministic seconds for each best-value solve (about as many wall seconds on this model),
# and for all of one conflict's together (MeasureBudget); a person waits for them.
MEASURE_SECONDS = 0.3
MEASURE_TOTAL_SECONDS = 0.5
LEAST_MEASURE_SECONDS = 0.05
# Share of the time left that the weekly model's core may take (the rest: best values, fixes),
# and at most this long: a weekly conflict CP-SAT has not proven in a second it rarely proves
# in five (measured on bench/explain_profiles.py), and a person is waiting.
WEEK_CORE_SHARE = 0.5
WEEK_CORE_SECONDS = 1.0
MIN_MEASURE_SECONDS = 0.25  # a solve needs about this long to load the weekly model


@dataclass
class Conflict:
    """One requirement of a conflict, as the explanation reports it."""

    requirement: str
    label: str
    limit: Limit | None
    best_value: float | None = None
    best_proven: bool = False  # the best value is the optimum, not only the best found

    def as_document(self, proven: bool) -> dict:
        limit = self.limit
        return {
            "requirement": self.requirement, "label": self.label,
            "limit": limit.as_document() if limit else None,
            "best_value": self.best_value, "unit": limit.unit if limit else None,
            "measure": limit.measure if limit else None, "proven": proven,
            "best_reachable": self.phrase(),
        }

    def phrase(self) -> str | None:
        """The best value in words: 'at most 61.3 g fiber/day on the worst day'."""
        if self.best_value is None or self.limit is None:
            return None
        limit = self.limit
        amount = measured(self.best_value, limit.unit)
        where = " on the worst day" if limit.measure == "worst day" else ""
        if limit.low is not None and limit.high is not None:
            word = "the closest reachable is" if self.best_proven else "the closest found is"
        elif limit.low is not None:
            word = "the most reachable is" if self.best_proven else "the most found is"
        else:
            word = "the least reachable is" if self.best_proven else "the least found is"
        return f"{word} {amount}{where}"


@dataclass
class ConflictReport:
    """The outcome: a plan after all (`meals`), or the conflicting requirements, proven or
    not."""

    conflicts: list[Conflict]
    proven: bool
    scope: str  # "day" (daily rules on one day) or "week"
    meals: list[tuple[int, str, str, int]] | None = None
    timed_out: bool = False
    minimal: bool = False


def daily_conflicts(prepared, deadline: float, measure: bool = True,
                    first_seconds: float | None = None) -> ConflictReport | None:
    """A proven minimal set of daily rules no day can meet together, or None. `measure`:
    with each rule's best value (a check that a changed request has a plan needs only to
    know that it has none). `first_seconds`: how long the first solve, the one that finds
    whether the day's rules hold together at all, may take (cores.daily_core)."""
    day = daily_core(prepared, deadline, first_seconds)
    if day is None:
        return None
    core, pm = day
    if not measure:
        return ConflictReport([Conflict(key, prepared.rule_set.requirement(key).label, None)
                               for key in core.keys], True, "day", minimal=core.minimal)
    return ConflictReport(_measured(pm, core.keys, core.keys, prepared.rule_set, deadline),
                          True, "day", minimal=core.minimal)


@dataclass
class WeekCore:
    """The weekly model without its penalties (PlanModel.penalised) and what its solve with
    every requirement assumed found: a plan, a proven set, or nothing in time."""

    pm: PlanModel
    core: Core


def week_core(prepared, meals, deadline: float) -> WeekCore:
    """Every requirement assumed on the weekly model, from the search's best plan (`meals`, a
    hint), for WEEK_CORE_SHARE of the time to `deadline` and at most WEEK_CORE_SECONDS."""
    pm = prepared.model(penalised=False)
    keys = [g.key for g in pm.requirements]
    seconds = min(WEEK_CORE_SECONDS, WEEK_CORE_SHARE * (deadline - time.perf_counter()))
    core = find_core(pm, keys, time.perf_counter() + seconds, seconds=max(0.05, seconds),
                     hint=meals)
    if core.status == "feasible" and requirements_broken_by(
            pm, core.meals, SolveSettings(time_limit_seconds=1.0)) != []:
        core = Core("unknown")
    return WeekCore(pm, core)


def week_conflicts(prepared, week: WeekCore, found, deadline: float,
                   latest: float | None = None) -> ConflictReport:
    """From the weekly core: a plan, a proven minimal set with each one's best value, or what
    the local search's best plan (`found`) misses; never past `latest` (the request's own
    deadline)."""
    rule_set: RuleSet = prepared.rule_set
    pm, core = week.pm, week.core
    if core.status == "feasible":
        return ConflictReport([], False, "week", meals=core.meals)
    if core.status == "infeasible" and core.keys:
        return ConflictReport(_measured(pm, core.keys, core.keys, rule_set, deadline,
                                        found.meals), True, "week", minimal=core.minimal)
    relaxed = relaxed_core(prepared, list(found.broken), deadline, latest)
    if relaxed:  # no fractional week meets them: proven, though perhaps not the smallest
        return ConflictReport(_measured(pm, relaxed, relaxed, rule_set, deadline, found.meals),
                              True, "week")
    broken = list(found.broken)
    if not broken:
        return ConflictReport([], False, "week", timed_out=True)
    # the search's plan misses only this requirement: its value there is one a plan with
    # every other requirement held reaches
    plan = found.meals if len(broken) == 1 else ()
    return ConflictReport(_measured(pm, broken, [], rule_set, deadline, found.meals, plan),
                          False, "week")


def _measured(pm: PlanModel, keys: list[str], core: list[str], rule_set: RuleSet,
              deadline: float, hint=(), plan=()) -> list[Conflict]:
    """Each requirement's best value with every other requirement of the model held; when
    that leaves no plan (another conflict), with the rest of the proven core held. `plan`:
    meals that meet every requirement but the one measured (its value there comes first, and
    a better one replaces it when CP-SAT finds one in time)."""
    conflicts = []
    budget = MeasureBudget(MEASURE_TOTAL_SECONDS)
    for index, key in enumerate(keys):
        left = len(keys) - index  # requirements still to measure, this one included
        requirement = rule_set.requirement(key)
        conflict = Conflict(key, requirement.label, limit_of(requirement, rule_set))
        conflicts.append(conflict)
        if conflict.limit is None or deadline - time.perf_counter() < MIN_MEASURE_SECONDS:
            continue
        measure = add_measure(pm, requirement)
        if measure is None:
            continue
        if plan:
            solver, status = _optimise(pm, [], measure, deadline, (), budget.share(left),
                                       fixed=plan)
            budget.spend(solver)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                _keep(conflict, measure, solver, proven=False)
        others = [g.key for g in pm.requirements if g.key != key]
        attempts = [others] + ([[k for k in core if k != key]] if core else [])
        for held in attempts:
            # with every other requirement held; when that leaves no plan (another conflict,
            # or none found in time), the rest of the proven core, which still cannot be met
            # with this one
            if deadline - time.perf_counter() < MIN_MEASURE_SECONDS:
                break
            solver, status = _optimise(pm, held, measure, deadline, hint, budget.share(left))
            budget.spend(solver)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                _keep(conflict, measure, solver, proven=status == cp_model.OPTIMAL)
                break
    return conflicts


@dataclass
class MeasureBudget:
    """The deterministic seconds the best-value solves of one conflict may still use: each
    solve gets an even share of what is left over the requirements still to measure (at least
    LEAST_MEASURE_SECONDS, at most MEASURE_SECONDS), and what it used is taken off. Counted in
    CP-SAT's deterministic time, so the same request gets the same solves and figures."""

    seconds: float

    def share(self, requirements_left: int) -> float:
        return min(MEASURE_SECONDS, max(LEAST_MEASURE_SECONDS,
                                        self.seconds / max(1, requirements_left)))

    def spend(self, solver) -> None:
        self.seconds -= solver.response_proto.deterministic_time


def _keep(conflict: Conflict, measure, solver, proven: bool) -> None:
    """Keep the solved value when it is the best so far and fails the limit (a value meeting
    it is not what conflicts)."""
    value = round(measure.read(solver), 2)
    if conflict.limit.met_by(value):
        return
    best = conflict.best_value
    if best is None or proven or (value > best if measure.maximize else value < best):
        conflict.best_value, conflict.best_proven = value, proven


def _optimise(pm: PlanModel, held: list[str], measure, deadline: float, hint,
              seconds: float = MEASURE_SECONDS, fixed=()):
    """Optimise the measure with `held` requirements assumed (and the `fixed` meals chosen)."""
    by_key = {g.key: g for g in pm.requirements}
    if measure.maximize:
        pm.model.maximize(measure.expression)
    else:
        pm.model.minimize(measure.expression)
    pm.model.clear_hints()
    if hint:
        add_hint(pm, list(hint))
    pm.model.clear_assumptions()
    pm.model.add_assumptions([by_key[k].literal for k in held]
                             + [pm.x[meal] for meal in fixed if meal in pm.x])
    solver = core_solver(seconds, deadline)
    status = solver.solve(pm.model)
    pm.model.clear_assumptions()
    pm.model.clear_objective()
    return solver, status

