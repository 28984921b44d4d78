"""Checking the fixes an explanation offers (fixes.py proposes them): each is planned before it
is offered, so every button leads to a plan, in order and within the explanation's time.

When none works alone, a request is mostly short of two things at once: a proven conflict,
and another the conflict's core did not need (no vitamin B12 without animal foods, and a
live-culture target no dish left can reach). A check that fails says what its best plan still
missed, so the first fix is offered again together with a fix for each of those (a
supplement, the recommended target, more repeats, the budget that best plan needs), checked
in a short time of its own (`chain_deadline`) before it is offered; then the first fix the
fixes' own time left unchecked.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from mealplanner.formatting import money
from mealplanner.planner.cpsat.explain import Fix
from mealplanner.planner.fixes import requirement_fixes, together
from mealplanner.planner.request import MOST_BUDGET, PlanRequest
from mealplanner.rules.requirements import BUDGET
from mealplanner.rules.ruleset import weekly_budget_amount

MOST_FIXES = 4  # offered at once
# a check needs at least this long (a plan's search and its checker; a fix that gets a plan
# found its first in 0.1-0.3 s on bench/explain_profiles.py)
LEAST_CHECK_SECONDS = 0.3
MOST_CHAINED = 2  # failed fixes tried again with what their checks missed


@dataclass(frozen=True)
class NoPlan:
    """A check that found no plan: what the changed request's best plan still missed, and its
    checkout in cents when the budget is all it missed."""

    missed: tuple[str, ...] = ()
    cost_cents: int | None = None


Plans = Callable[[PlanRequest, float, bool], "dict | NoPlan | None"]


def checked_fixes(request: PlanRequest, fixes: list[Fix], deadline: float, plans: Plans,
                  rules=None, chain_deadline: float | None = None) -> list[Fix]:
    """The fixes whose changed request gets a plan (`plans(request, deadline, first)` returns
    the plan document, else None or NoPlan), in order, at most MOST_FIXES. A check stops at
    the changed request's first plan (`first`), unless the fix quotes what its plan costs:
    then the plan is the one the request gets. A check cut short by its time proves nothing:
    the fix is left out (the rounds it ran are the first rounds of the whole search). When
    none works and `chain_deadline` leaves time, the failed fixes are tried again with a fix for
    what their checks missed (`rules` word the recommended targets), then the first fix left
    unchecked for lack of time."""
    verified: list[Fix] = []
    failed: list[tuple[Fix, NoPlan]] = []
    unchecked: list[Fix] = []  # not checked for lack of time
    budget_found = False

    def budget_figure(fix: Fix) -> bool:
        changed = fix.changes.get("budget")
        return changed is not None and (request.budget is None
                                        or changed.amount != request.budget.amount)

    def check(fix: Fix, until: float) -> Fix | None:
        nonlocal budget_found
        quoted = request.budget is not None and "max_prep_minutes" in fix.changes
        now = time.perf_counter()
        # a fix that gets a plan mostly finds its first one in a fraction of a second, and
        # one that does not spends all it is given: half the time left each (the whole for
        # a quote), so that one failing check does not leave the next ones unchecked
        by = until if quoted else min(until, now + max(LEAST_CHECK_SECONDS, (until - now) / 2))
        document = plans(replace(request, **fix.changes), by, not quoted)
        if not isinstance(document, dict):
            failed.append((fix, document if isinstance(document, NoPlan) else NoPlan()))
            return None
        text = fix.text
        if quoted:
            weekly = document["cost"]["checkout"] * 7 / request.days
            text += f": a plan costs {money(weekly)} a week"
        budget_found = budget_found or budget_figure(fix)
        return replace(fix, text=text, verified=True)

    for fix in fixes:
        if len(verified) >= MOST_FIXES:
            break
        if budget_figure(fix) and budget_found:
            continue  # one budget figure: the lowest that works
        if any(v.text in fix.parts for v in verified):
            continue  # one of its parts works alone
        if fix.verified:
            verified.append(fix)
            budget_found = budget_found or budget_figure(fix)
            continue
        if deadline - time.perf_counter() < LEAST_CHECK_SECONDS:
            unchecked.append(fix)
            continue  # no time to check it: only fixes known to work from here
        found = check(fix, deadline)
        if found is not None:
            verified.append(found)
    if verified or chain_deadline is None:
        return verified
    # none works: the failed ones with what their checks missed (what blocks them is known),
    # then the next fix not checked for lack of time
    chained = [with_what_it_missed(request, fix, missed, rules)
               for fix, missed in failed[:MOST_CHAINED]]
    for fix in (*chained, *unchecked[:1]):
        if chain_deadline - time.perf_counter() < LEAST_CHECK_SECONDS:
            break
        if fix is not None and (found := check(fix, chain_deadline)) is not None:
            return [found]
    return verified


def with_what_it_missed(request: PlanRequest, fix: Fix, missed: NoPlan, rules) -> Fix | None:
    """The fix together with a fix for each requirement its check's best plan still missed
    that a change needing no figure can meet (a check cut short misses more than the request
    must: the rest may hold once these do, and the check says); None when there is none."""
    changed = replace(request, **fix.changes)
    keys = [k for k in missed.missed if k != BUDGET]
    first: dict[str, Fix] = {}
    for key, found in requirement_fixes(changed, {k: {"requirement": k} for k in keys},
                                        rules):
        first.setdefault(key, found)
    parts = [first[k] for k in keys if k in first]
    budget = changed.budget
    if BUDGET in missed.missed and budget is not None:
        amount = _budget_for(changed, missed.cost_cents)
        if amount is not None:  # what the check's best plan costs at the checkout
            parts.append(Fix(f"Raise the weekly budget to {money(amount)}",
                             {"budget": replace(budget, amount=amount)}))
        elif budget.basis != "eaten":  # no figure: the leftovers that keep go to next week
            parts.append(Fix(f"Keep the {money(budget.amount, budget.currency)} budget for "
                             "the food eaten", {"budget": replace(budget, basis="eaten")}))
    if not parts:
        return None
    return together(request, [fix, *parts])


def _budget_for(request: PlanRequest, cost_cents: int | None) -> float | None:
    """The weekly budget, to the dollar, the check's best plan needs (None: unknown, or more
    than a request may set)."""
    if request.budget is None or cost_cents is None:
        return None
    amount = float(max(1, math.ceil(weekly_budget_amount(cost_cents / 100, request.days))))
    return amount if request.budget.amount < amount <= MOST_BUDGET else None
