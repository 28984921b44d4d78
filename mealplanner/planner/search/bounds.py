"""What the local search proves or hands on: rules no choice of dishes can meet (each meal
at its extreme, added up), and the neighbourhood of a plan that CP-SAT polishes."""

from __future__ import annotations

from dataclasses import dataclass

from mealplanner.planner.families.plants import most_reachable
from mealplanner.planner.search.iterated import SearchResult
from mealplanner.planner.search.problem import Rule, WeekProblem
from mealplanner.rules.requirements import PLANTS


@dataclass
class Unreachable:
    """A rule no choice of dishes can meet: proven by adding up each meal's extremes."""

    key: str
    low: bool  # a minimum out of reach (else a maximum always exceeded)
    reachable: float  # the most (or least) the meals can give, in model units
    rule: Rule
    period: str  # "a day" or "over the plan"

    def describe(self) -> str:
        amount = self.reachable / self.rule.per_unit
        extreme = "most" if self.low else "least"
        return (f"the {extreme} the eligible dishes can give is {amount:.1f} "
                f"{self.rule.unit} {self.period}")


def unreachable_rules(problem: WeekProblem) -> list[Unreachable]:
    """Rules out of reach whatever the choice: each slot at its extreme option, summed."""
    found: dict[str, Unreachable] = {}

    def check(rules, columns, slots, period):
        for i, rule in enumerate(rules):
            if rule.key in found or not rule.unit:
                continue
            values = [columns(slot)[:, i] for slot in slots]
            most = sum(float(v.max()) for v in values)
            least = sum(float(v.min()) for v in values)
            if most < rule.low:
                found[rule.key] = Unreachable(rule.key, True, most, rule, period)
            elif least > rule.high:
                found[rule.key] = Unreachable(rule.key, False, least, rule, period)

    def daily(slot):
        return problem.options[problem.slots[slot][1]].daily[problem.allowed[slot]]

    def weekly(slot):
        return problem.options[problem.slots[slot][1]].weekly[problem.allowed[slot]]

    for day in sorted({d for d, _s in problem.slots}):
        check(problem.daily_rules, daily,
              [i for i, (d, _s) in enumerate(problem.slots) if d == day], "a day")
    check(problem.weekly_rules, weekly, range(len(problem.slots)), "over the plan")
    rule_set = problem.rule_set
    if rule_set.plants_hard:
        reachable = most_reachable(
            [problem.options[meal].food[problem.allowed[slot]]
             for slot, (_day, meal) in enumerate(problem.slots)], problem.plant)
        if reachable < rule_set.plants_target:
            requirement = rule_set.requirement(PLANTS)
            rule = Rule(PLANTS, low=rule_set.plants_target, unit=requirement.unit)
            found[PLANTS] = Unreachable(PLANTS, True, reachable, rule, "over the plan")
    return list(found.values())


NEIGHBOURHOOD_SIZE = 6  # best alternatives per meal CP-SAT may choose among (solve.polish)


def neighbourhood(problem: WeekProblem, result: SearchResult,
                  size: int = NEIGHBOURHOOD_SIZE) -> dict[tuple[int, str], set[tuple[str, int]]]:
    """Per slot: the plan's own (dish, portion) and the `size` best alternatives to it."""
    chosen = {(day, slot): (rid, q) for day, slot, rid, q in result.meals}
    return {
        (day, slot): {problem.options[slot].keys[o] for o in result.ranking[i][:size]}
        | {chosen[day, slot]}
        for i, (day, slot) in enumerate(problem.slots)
    }
