"""The plan document's account of the person's exceptions for single days: each loosened
rule, the day's own limit in words, what the day holds, and whether it keeps the limit."""

from __future__ import annotations

from typing import Any

from mealplanner.catalog.store import Catalog
from mealplanner.planner.checker import judge, plan_facts
from mealplanner.rules.day_exceptions import excepted_limit, limit_words
from mealplanner.rules.requirements import RuleSet


def exceptions_document(rule_set: RuleSet, days: list[dict], catalog: Catalog,
                        use_staples: bool = True) -> list[dict[str, Any]]:
    """Each daily rule the person loosened on a day: the rule, the day's limit, what the day
    holds and whether it keeps the exception (as the checker judges it)."""
    facts = plan_facts(days, catalog, use_staples)
    found = []
    for requirement in rule_set.requirements:
        for day, _bound in requirement.day_bounds:
            verdicts = [v for v in judge(requirement, facts) if v.days == (day,)]
            limit = excepted_limit(requirement, day)
            words = " and ".join(limit_words(side, value, requirement.unit)
                                 for side, value in limit.items())
            found.append({
                "day": day, "requirement": requirement.key, "rule": requirement.label,
                "limit": limit, "unit": requirement.unit,
                "value": round(verdicts[0].value / (requirement.unit_size or 1.0), 2)
                if verdicts else None,
                "met": all(v.ok for v in verdicts), "text": words})
    return sorted(found, key=lambda e: (e["day"], e["requirement"]))
