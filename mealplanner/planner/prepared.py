"""What every step of planning one request shares (its candidates, targets and rule set,
built once), and what planning gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.candidates import Candidates, RequestError, build_candidates
from mealplanner.planner.cpsat.solve import build_model
from mealplanner.planner.request import LockedMeal, PlanRequest
from mealplanner.planner.search.problem import WeekProblem, build_problem
from mealplanner.planner.targets import ResolvedTargets, resolve_targets
from mealplanner.rules.day_exceptions import DayExceptionError
from mealplanner.rules.requirements import RuleSet
from mealplanner.rules.ruleset import build_rule_set


@dataclass
class PlanOutcome:
    ok: bool
    document: dict[str, Any]
    # when not ok: the checked fixes (the service layer turns them into request bodies)
    fixes: list = field(default_factory=list)


@dataclass
class Prepared:
    """What every step shares: the request's candidates, targets and rule set, built once."""

    request: PlanRequest
    catalog: Catalog
    candidates: Candidates
    targets: ResolvedTargets
    rule_set: RuleSet
    locked: list[LockedMeal] = field(default_factory=list)
    forbidden: list[tuple[int, str, str]] = field(default_factory=list)

    def model(self, allowed=None, penalised: bool = True):
        return build_model(self.request, self.catalog, self.candidates, self.rule_set,
                           self.locked, self.forbidden, allowed, penalised)

    def model_args(self) -> dict[str, Any]:
        return dict(catalog=self.catalog, candidates=self.candidates, rule_set=self.rule_set,
                    locked=self.locked, forbidden=self.forbidden)

    def problem(self) -> WeekProblem:
        return build_problem(self.request, self.catalog, self.candidates, self.rule_set,
                             self.locked, self.forbidden)


def prepare(request: PlanRequest, catalog: Catalog, locked=(), forbidden=()) -> Prepared:
    candidates = build_candidates(request, catalog)
    targets = resolve_targets(request, catalog.rules)
    try:
        rule_set = build_rule_set(request, catalog.rules, targets,
                                  candidates.served_groups(), candidates.most_per_day)
    except DayExceptionError as error:  # a field of the request, like a food it names
        raise RequestError(error.field, error.message) from error
    return Prepared(request, catalog, candidates, targets, rule_set, list(locked),
                    list(forbidden))
