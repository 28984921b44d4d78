"""Fixes for a request no plan meets, ranked by what they cost the person, each checked by
planning the changed request before it is offered.

The order: money first (raise the budget to the cheapest plan found, or hold it to the food
eaten rather than the shopping), then time (more minutes per meal), a supplement for a
nutrient the dishes cannot give (vitamin B12), a lower target (to the best value reachable,
else the recommended one), the energy target moved to what the dishes reach (a fifth, when the
conflict gives no figure), more repeats, the first of these for each conflicting requirement at
once, then fewer meals or days, a broader diet. An excluded allergen is never lifted. A fix is
offered only when the changed request got a plan within the explanation's time, so every
button on the page leads to a plan (fix_checks.py checks them).
"""

from __future__ import annotations

import math
from dataclasses import replace

from mealplanner.formatting import count, in_sentence, money, number
from mealplanner.formatting import words as in_words
from mealplanner.planner.cpsat.explain import Explanation, Fix
from mealplanner.planner.request import PlanRequest
from mealplanner.planner.targets import resolve_targets
from mealplanner.rules import MEALS
from mealplanner.rules.requirements import (
    BUDGET,
    ENERGY,
    FERMENTED,
    FIBER,
    MEDITERRANEAN_PREFIX,
    NUTRIENT_PREFIX,
    PLANTS,
    PREBIOTIC,
    VARIETY,
)

# The request's energy_kcal as the API accepts it (plans/schemas.py), and the step a figure
# the person reads is rounded to
LEAST_KCAL, MOST_KCAL, KCAL_STEP = 1000, 5000, 50
MORE_MINUTES = 15  # per meal, per step
# The energy target moved by this share when its conflict has no figure to move it to
ENERGY_STEP = 0.2
BROADER_DIET = {"vegan": "vegetarian", "strict_vegetarian": "vegetarian",
                "vegetarian": "pescatarian", "pescatarian": "omnivore"}
# target requirement -> (Targets field, words, unit)
TARGETS = {
    FIBER: ("fiber_g_per_day", "fiber", "g a day"),
    PREBIOTIC: ("prebiotic_g_per_day", "prebiotic fibre", "g a day"),
    FERMENTED: ("fermented_servings_per_day", "live-culture", "servings a day"),
    PLANTS: ("plants_per_week", "plant-food", "different plant foods a week"),
}


def _amount(value: float, unit: str) -> str:
    """'28 g a day', '1 serving a day', '2.5 servings a day'."""
    if unit.startswith("servings"):
        return count(value, "serving") + unit[len("servings"):]
    return f"{number(value)} {unit}"


def _recommended(request: PlanRequest, name: str, rules) -> float | None:
    """The default target the request would get without its own (rounded as shown)."""
    if rules is None:
        return None
    field = {"fiber_g_per_day": "fiber_g", "prebiotic_g_per_day": "prebiotic_g",
             "fermented_servings_per_day": "fermented_servings", "plants_per_week": "plants"}
    default = replace(request, targets=replace(request.targets, **{name: None}))
    value = getattr(resolve_targets(default, rules), field[name]).value
    return round(value) if name == "plants_per_week" else round(value, 1)


def candidate_fixes(request: PlanRequest, explanation: Explanation, rules=None) -> list[Fix]:
    """Every fix worth trying for this explanation, best first (not yet checked); `rules`
    give the recommended targets their figures."""
    conflicts = {c["requirement"]: c for c in explanation.conflicts}
    found: list[Fix] = []
    budget = conflicts.get(BUDGET)
    if budget and budget.get("best_value") is not None and request.budget is not None:
        amount = float(max(1, math.ceil(budget["best_value"])))
        # known to get a plan when the cheapest cost came with that proof (pipeline.py)
        known = explanation.known_budget is not None and \
            math.ceil(explanation.known_budget) == amount
        if amount > request.budget.amount:
            found.append(Fix(f"Raise the weekly budget to {money(amount)}",
                             {"budget": replace(request.budget, amount=amount)}, known))
    least_eaten = explanation.least_eaten
    if budget and request.budget is not None and request.budget.basis != "eaten" and \
            least_eaten is not None and least_eaten <= request.budget.amount:
        # Whole packages make a first week dear for a small household; planned week after
        # week, the leftovers that keep are eaten in the next one. Worth checking when a plan
        # found meeting every other rule has its food eaten within the budget.
        found.append(Fix(f"Keep the {money(request.budget.amount)} budget for the food eaten, "
                         "not the shopping: leftovers that keep go to next week's plan",
                         {"budget": replace(request.budget, basis="eaten")}))
    empty = {row["slot"] for row in explanation.empty_slots}
    if empty and request.exclude_foods:
        found.append(Fix(f"Allow {', '.join(request.exclude_foods)} again",
                         {"exclude_foods": ()}))
    if empty and set(request.meals) - empty:
        found.append(Fix(f"Plan without {' and '.join(sorted(empty))}",
                         {"meals": tuple(m for m in request.meals if m not in empty)}))
    if request.max_prep_minutes is not None:
        minutes = request.max_prep_minutes + MORE_MINUTES
        found.append(Fix(f"Allow {MORE_MINUTES} more minutes per meal ({minutes} in all)",
                         {"max_prep_minutes": minutes}))
    first_for: dict[str, Fix] = {}  # each conflicting requirement's first fix
    for key, fix in requirement_fixes(request, conflicts, rules):
        found.append(fix)
        first_for.setdefault(key, fix)
    if "snack" in request.meals and len(request.meals) > 1 and "snack" not in empty:
        found.append(Fix("Plan without the snack",
                         {"meals": tuple(m for m in request.meals if m != "snack")}))
    weekly = any(k in (VARIETY, PLANTS, BUDGET) or k.startswith(MEDITERRANEAN_PREFIX)
                 for k in conflicts)
    if weekly and request.days > 3:
        found.append(Fix(f"Plan {request.days - 2} days instead of {request.days}",
                         {"days": request.days - 2}))
    if request.diet in BROADER_DIET:
        diet = BROADER_DIET[request.diet]
        found.append(Fix(f"Switch to a {in_words(diet)} diet", {"diet": diet}))
    if set(request.meals) != set(MEALS) and any(
            k in (FIBER, PREBIOTIC) or k.startswith(MEDITERRANEAN_PREFIX) for k in conflicts):
        found.append(Fix("Plan all four meals of the day", {"meals": MEALS}))
    parts = [first_for[key] for key in conflicts if key in first_for]
    joined = together(request, parts)
    if joined is not None:  # after its parts: checked only when none of them works alone
        found.insert(max(found.index(part) for part in parts) + 1, joined)
    return found


def requirement_fixes(request: PlanRequest, conflicts: dict, rules) -> list[tuple[str, Fix]]:
    """(requirement, fix) for each conflicting requirement a change of its own can meet, best
    first: a supplement, the recommended target, a lower target (to the best value reached),
    the energy target moved, more repeats. A conflict known only by its key (`{"requirement":
    ...}`, as what a fix's check still missed) gets the fixes that need no figure."""
    found: list[tuple[str, Fix]] = []
    found += _supplement_fixes(request, conflicts, rules)  # before any target: keeps them all
    for key, (name, words, unit) in TARGETS.items():
        # the recommended target first: a figure a dietitian stands behind, and far more
        # often within reach than the best value a conflict reports (often one day's best)
        if key in conflicts and getattr(request.targets, name) is not None:
            default = _recommended(request, name, rules)
            figure = f" ({_amount(default, unit)})" if default is not None else ""
            found.append((key, Fix(f"Use the recommended {words} target{figure}",
                                   {"targets": replace(request.targets, **{name: None})})))
        value = (conflicts.get(key) or {}).get("best_value")
        if value is None:
            continue
        lower = math.floor(value) if key == PLANTS else math.floor(value * 10) / 10
        text = (f"Lower the {words} target to {_amount(lower, unit)}" if lower > 0
                else f"Drop the {words} target")
        found.append((key, Fix(text, {"targets": replace(request.targets, **{name: lower})})))
    energy = _energy_fix(request, conflicts.get(ENERGY), rules) or _energy_step(
        request, conflicts, rules)
    if energy is not None:
        found.append((ENERGY, energy))
    if VARIETY in conflicts and request.max_repeats < 14:
        needed = conflicts[VARIETY].get("best_value")
        repeats = min(14, int(needed)) if needed else request.max_repeats + 1
        found.append((VARIETY, Fix(f"Allow a dish up to {repeats} times",
                                   {"max_repeats": repeats})))
    return found


def _supplement_fixes(request: PlanRequest, conflicts: dict, rules) -> list[tuple[str, Fix]]:
    """A nutrient in the conflict that a supplement covers (vitamin B12 without fish, dairy
    or eggs): planned with the supplement stated, the plan leaves that nutrient to it."""
    if rules is None:
        return []
    fixes = []
    for rule in rules.micronutrients:
        key = NUTRIENT_PREFIX + rule.quantity
        if key in conflicts and rule.supplement and rule.supplement not in request.supplements:
            fixes.append((key, Fix(f"Plan with a {in_sentence(rule.label)} supplement",
                                   {"supplements": (*request.supplements, rule.supplement)})))
    return fixes


def together(request: PlanRequest, parts: list[Fix]) -> Fix | None:
    """One fix making the first change for each conflicting requirement at once: when a
    conflict is not proven minimal, or another conflict stands behind it, no single change
    is enough."""
    if len(parts) < 2:
        return None
    changes: dict = {}
    targets: dict = {}
    for part in parts:
        for name, value in part.changes.items():
            if name == "targets":  # each part changes one target of the request's own
                targets.update({field: getattr(value, field) for field, *_rest in
                                TARGETS.values()
                                if getattr(value, field) != getattr(request.targets, field)})
            elif name == "supplements":
                changes[name] = tuple(dict.fromkeys((*changes.get(name, ()), *value)))
            else:
                changes[name] = value
    if targets:
        changes["targets"] = replace(request.targets, **targets)
    words = [parts[0].text, *(in_sentence(p.text) for p in parts[1:])]
    return Fix(", ".join(words[:-1]) + " and " + words[-1], changes,
               parts=tuple(p.text for p in parts))


def _energy_fix(request: PlanRequest, conflict: dict | None, rules) -> Fix | None:
    """The day's energy target moved to the best value the conflict reports (the worst day's
    energy in the planned meals, which carry `meal_share` of the day), rounded toward the
    side the dishes reach: the window around it (the request's tolerance) then has room on
    both sides. The best value is one day's, on the daily rules alone, so a target that only
    just takes it in at the window's edge can fail its check (4,600 kcal in three meals: 4,350
    failed, 3,950 got a plan)."""
    if conflict is None or conflict.get("best_value") is None or rules is None:
        return None
    limit, best = conflict.get("limit") or {}, float(conflict["best_value"])
    targets = resolve_targets(request, rules)
    day_kcal = best / (targets.meal_share or 1.0)
    if limit.get("min") is not None and best < limit["min"]:
        kcal, verb = math.floor(day_kcal / KCAL_STEP) * KCAL_STEP, "Lower"
    elif limit.get("max") is not None and best > limit["max"]:
        kcal, verb = math.ceil(day_kcal / KCAL_STEP) * KCAL_STEP, "Raise"
    else:
        return None
    if not LEAST_KCAL <= kcal <= MOST_KCAL:
        return None
    now = number(round(targets.energy_kcal_per_day))
    return Fix(f"{verb} the energy target to {number(kcal)} kcal a day (from {now})",
               {"energy_kcal": int(kcal)})


def _energy_step(request: PlanRequest, conflicts: dict, rules) -> Fix | None:
    """The energy target a fifth higher when energy conflicts, without a figure (unproven),
    with a minimum the day's food must reach (fibre, protein: more food reaches more), a fifth
    lower when it conflicts with caps alone; checked like every fix before it is offered."""
    conflict = conflicts.get(ENERGY)
    if conflict is None or conflict.get("best_value") is not None or rules is None:
        return None
    limits = [c.get("limit") or {} for key, c in conflicts.items() if key != ENERGY]
    if any(limit.get("min") is not None for limit in limits):
        sign, verb = 1, "Raise"
    elif any(limit.get("max") is not None for limit in limits):
        sign, verb = -1, "Lower"
    else:
        return None
    now = resolve_targets(request, rules).energy_kcal_per_day
    kcal = round(now * (1 + sign * ENERGY_STEP) / KCAL_STEP) * KCAL_STEP
    if not LEAST_KCAL <= kcal <= MOST_KCAL:
        return None
    return Fix(f"{verb} the energy target to {number(kcal)} kcal a day (from "
               f"{number(round(now))})", {"energy_kcal": int(kcal)})
