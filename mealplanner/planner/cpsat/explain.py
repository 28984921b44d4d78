"""Say why no plan exists, in words and numbers a person can act on.

First what is proven without search: a slot with no dish left after the filters, a rule no
choice of dishes can meet (each meal at its extreme, search/bounds.py), a budget below what
any plan can cost. A plan from the local search that misses only the budget gives the
cheapest cost found. Otherwise conflicts.py finds the requirements that cannot hold together.
"Proven" is said only when a solver proved it; otherwise "no plan was found".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from mealplanner.formatting import count, measured, money, words
from mealplanner.planner.candidates import Candidates
from mealplanner.planner.cpsat.conflicts import Conflict, ConflictReport
from mealplanner.planner.cpsat.measures import limit_of
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.search.bounds import ShortWithRepeats, Unreachable
from mealplanner.rules.requirements import BUDGET, VARIETY, RuleSet
from mealplanner.rules.ruleset import weekly_budget_amount


@dataclass(frozen=True)
class Fix:
    """A change to the request that gets a plan: `changes` are PlanRequest fields, applied
    with dataclasses.replace; `verified` once a plan was found with them. `parts`: the texts
    of the fixes it makes together (not needed once one of them works alone)."""

    text: str
    changes: dict[str, Any]
    verified: bool = False
    parts: tuple[str, ...] = ()


@dataclass
class Explanation:
    reason: str  # no_dishes, conflict, timeout
    message: str
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    empty_slots: list[dict[str, Any]] = field(default_factory=list)
    proven: bool = False
    # proven, and no requirement named can be left out of the conflict (deletion filter done)
    minimal: bool = False
    fixes: list[Fix] = field(default_factory=list)
    seconds: float | None = None
    # a weekly budget known to get a plan (the budget-free search's cheapest: pipeline.py)
    known_budget: float | None = None
    # the least food eaten, a week, of the plans found meeting every other requirement (a
    # budget held to the food eaten is worth checking when it fits: fixes.py)
    least_eaten: float | None = None
    # Set when the relaxed search found a plan that drops nothing: the caller returns it.
    found_meals: list[tuple[int, str, str, int]] = field(default_factory=list)

    def as_document(self) -> dict[str, Any]:
        return {
            "status": "infeasible" if self.reason != "timeout" else "timeout",
            "reason": self.reason,
            "message": self.message,
            "proven": self.proven,
            "minimal": self.minimal,
            "conflicts": self.conflicts,
            "empty_slots": self.empty_slots,
            # the service layer adds each fix's whole request body (plans/suggestions.py)
            "suggestions": [{"text": f.text} for f in self.fixes],
            "seconds": self.seconds,
        }


def readable(name: str) -> str:
    return words(name)


def filters_phrase(request: PlanRequest) -> str:
    parts = [f"a {readable(request.diet)} diet"] if request.diet != "omnivore" else []
    if request.exclude_allergens:
        parts.append(f"{', '.join(readable(a) for a in request.exclude_allergens)} excluded")
    if request.exclude_foods:
        parts.append(f"{', '.join(request.exclude_foods)} avoided")
    if request.max_prep_minutes is not None:
        parts.append(f"at most {request.max_prep_minutes} minutes per meal")
    return " with " + "; ".join(parts) if parts else ""


def explain_empty_slots(
    request: PlanRequest, candidates: Candidates, empty_slots: list[tuple[int, str]]
) -> Explanation | None:
    """No dish is left for some (day, slot): say which filters removed its dishes."""
    empty: dict[str, list[int]] = {}
    for day, slot in empty_slots:
        empty.setdefault(slot, []).append(day)
    if not empty:
        return None
    rows, sentences = [], []
    for slot, days in empty.items():
        removed = candidates.removed.get(slot, {})
        eligible = len(candidates.by_slot.get(slot, []))
        rows.append({"slot": slot, "days": days, "removed": removed, "eligible": eligible})
        why = "; ".join(f"{n} {reason}" for reason, n in sorted(removed.items()))
        if eligible:
            sentences.append(f"no {slot} dish is left for days {days} (locked or swapped out)")
        else:
            sentences.append(f"no {slot} dish is left{filters_phrase(request)} ({why})")
    return Explanation(reason="no_dishes", message="; ".join(sentences).capitalize() + ".",
                       empty_slots=rows, proven=True)


def _message(verb: str, request: PlanRequest, conflicts: list[Conflict], tail: str = "") -> str:
    labels = [f"'{c.label}'" for c in conflicts]
    named = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    together = " together" if len(labels) > 1 else ""
    reachable = "; ".join(f"for '{c.label}', {c.phrase()}" for c in conflicts if c.phrase())
    return (f"{verb} {named}{together}{tail}{filters_phrase(request)}"
            + (f": with the other requirements held, {reachable}." if reachable else "."))


def explain_unreachable(
    request: PlanRequest, rule_set: RuleSet, unreachable: list[Unreachable],
    held: dict[str, Conflict] | None = None,
) -> Explanation:
    """Rules out of reach whatever the dishes (each meal at its extreme): proven, before any
    search. `held`: what a day reaches with the other daily rules held (conflicts.py's best
    values on one day's model), said beside the extreme and reported as the best value."""
    conflicts = []
    for rule in unreachable:
        requirement = rule_set.requirement(rule.key)
        limit = limit_of(requirement, rule_set)
        value = round(rule.reachable / rule.rule.per_unit, 2)
        conflict = Conflict(rule.key, requirement.label, limit,
                            None if limit is None or limit.met_by(value) else value, True)
        document = conflict.as_document(proven=True)
        document["best_reachable"] = rule.describe()
        with_others = (held or {}).get(rule.key)
        if with_others is not None and with_others.best_value is not None:
            document["best_value"] = with_others.best_value
            document["best_reachable"] += (f"; with the other daily requirements held, "
                                           f"{with_others.phrase()}")
        conflicts.append(document)
    reasons = "; ".join(f"'{c['label']}': {c['best_reachable']}" for c in conflicts)
    return Explanation(
        reason="conflict",
        message=f"No plan can meet {' or '.join(repr(c['label']) for c in conflicts)}"
                f"{filters_phrase(request)}, whatever the dishes and portions: {reasons}.",
        conflicts=conflicts, proven=True, minimal=len(conflicts) == 1,
    )


def explain_repeats(request: PlanRequest, rule_set: RuleSet,
                    shorts: list[ShortWithRepeats]) -> Explanation:
    """Daily minimums the variety limit puts out of reach: proven by adding up the most the
    week's dishes can give, each as often as the limit allows (search/bounds.py)."""
    variety = rule_set.requirement(VARIETY)
    conflicts = []
    for short in shorts:
        requirement = rule_set.requirement(short.key)
        limit = limit_of(requirement, rule_set)
        most = math.floor(short.per_day() * 100) / 100
        document = Conflict(short.key, requirement.label, limit, most, True).as_document(True)
        document["best_reachable"] = (
            f"with each dish at most {count(short.max_repeats, 'time')}, the dishes give "
            f"at most {measured(most, limit.unit, 2)} on average over the plan")
        conflicts.append(document)
    needed = [s.repeats_needed for s in shorts if s.repeats_needed is not None]
    repeats = max(needed) if len(needed) == len(shorts) else None
    document = Conflict(VARIETY, variety.label, limit_of(variety, rule_set),
                        None if repeats is None else float(repeats), True).as_document(True)
    if repeats is not None:
        document["best_reachable"] = f"a dish would have to be served up to {repeats} times"
    conflicts.append(document)
    reasons = "; ".join(f"'{c['label']}': {c['best_reachable']}" for c in conflicts
                        if c["best_reachable"])
    return Explanation(
        reason="conflict", proven=True, conflicts=conflicts, minimal=len(shorts) == 1,
        message=f"No plan can meet {' and '.join(repr(c['label']) for c in conflicts)} "
                f"together{filters_phrase(request)}, whatever the dishes and portions: "
                f"{reasons}.")


def explain_budget(request: PlanRequest, rule_set: RuleSet, cheapest_cents: int | None,
                   floor_cents: float | None = None,
                   known_cents: int | None = None) -> Explanation:
    """Every requirement but the budget can be met: the cheapest plan found is the number to
    act on; below the proven cost floor (an LP bound) no plan can exist at all."""
    budget = rule_set.requirement(BUDGET)
    limit = limit_of(budget, rule_set)
    days = request.days
    known = None if known_cents is None else float(weekly_budget_amount(known_cents / 100, days))
    cheapest = found = None
    if cheapest_cents is not None:
        cheapest = round(float(weekly_budget_amount(cheapest_cents / 100, days)), 2)
        found = (f"the cheapest plan found meeting every other requirement costs "
                 f"{money(cheapest, rule_set.currency)} a week")
    if floor_cents is not None and floor_cents > rule_set.budget_cents:
        # proven by the LP floor; the best value is still the cheapest plan found (reachable)
        floor = math.floor(weekly_budget_amount(floor_cents / 100, days) * 100) / 100
        document = Conflict(BUDGET, budget.label, limit, cheapest).as_document(proven=True)
        document["floor"] = floor
        document["best_reachable"] = (f"no plan can cost less than "
                                      f"{money(floor, rule_set.currency)} a week"
                                      + (f"; {found}" if found else ""))
        return Explanation(
            reason="conflict", proven=True, minimal=True, conflicts=[document],
            known_budget=known,
            message=f"No plan can cost less than {money(floor, rule_set.currency)} a week"
                    f"{filters_phrase(request)} with every other requirement met, so "
                    f"'{budget.label}' cannot be met" + (f"; {found}." if found else "."))
    document = Conflict(BUDGET, budget.label, limit, cheapest).as_document(proven=False)
    if floor_cents is not None:
        document["floor"] = math.floor(weekly_budget_amount(floor_cents / 100, days) * 100) / 100
    document["best_reachable"] = found
    return Explanation(
        reason="conflict", conflicts=[document], known_budget=known,
        message=f"No plan was found that meets '{budget.label}'{filters_phrase(request)}: "
                f"{found}.")


def explain_conflicts(request: PlanRequest, report: ConflictReport) -> Explanation:
    """The conflicts found (conflicts.find_conflicts), in words."""
    if report.timed_out or not report.conflicts:
        return Explanation(
            reason="timeout",
            message="No plan was found in the time allowed, and no requirement was shown to "
                    "be out of reach; try again with a longer time limit.")
    if report.proven:
        tail = " on any day, whatever the dishes and portions" if report.scope == "day" else ""
        message = _message("No plan can meet", request, report.conflicts, tail)
    else:
        message = _message("No plan was found that meets", request, report.conflicts,
                           " with the other requirements")
    return Explanation(
        reason="conflict", message=message, proven=report.proven,
        minimal=report.proven and report.minimal,
        conflicts=[c.as_document(report.proven) for c in report.conflicts])
