"""The moves of the iterated local search: the best single-meal move and the descent made of
them, and the perturbations that leave a local optimum (each returns the slots where the
descent that follows should look first)."""

from __future__ import annotations

import numpy as np

from mealplanner.planner.objective import VIOLATION_WEIGHT
from mealplanner.planner.search.state import WeekSearch

KICK_SLOTS = 3  # meals re-drawn at random in one perturbation


def improve_slot(state: WeekSearch, slot: int, without_food: int | None = None) -> bool:
    """Move the slot to its best option; True when the plan got better. With
    `without_food`, the slot must move to its best option without that food."""
    rows = state.p.allowed[slot]
    if without_food is not None:
        rows = rows[state.p.options[state.p.slots[slot][1]].food[rows, without_food] == 0]
        if not len(rows):
            return False
    violation, objective = state.slot_scores(slot, rows)
    score = VIOLATION_WEIGHT * violation + objective
    best = int(np.argmin(score))
    current = state.choice[slot]
    if current >= 0 and without_food is None:
        here = int(np.flatnonzero(rows == current)[0])
        if score[best] >= score[here] - 1e-6:
            return False
    state.assign(slot, int(rows[best]))
    return True

def descend(state: WeekSearch, slots: list[int] | None = None, max_sweeps: int = 50) -> None:
    """Best single-meal moves over `slots` (default: all), until no move improves. A slot is
    looked at again only once a meal it shares a day with, or a clashing meal, has moved
    (its daily sums or its variety rule changed): the other slots found no better move
    before and mostly still have none."""
    slots = list(range(len(state.p.slots)) if slots is None else slots)
    wanted = set(slots)
    pending = set(slots)
    for _ in range(max_sweeps):
        if not pending:
            return
        for slot in slots:
            if slot not in pending:
                continue
            pending.discard(slot)
            if improve_slot(state, slot):
                pending |= (state.same_day[slot] | set(state.clashing[slot])) & wanted
                pending.discard(slot)


def kick(state: WeekSearch, count: int = KICK_SLOTS) -> list[int]:
    """Re-draw a few unlocked meals at random (seeded) to leave a local optimum; returns
    the slots of the days touched, where the descent that follows looks first."""
    free = [i for i, rows in enumerate(state.p.allowed) if len(rows) > 1]
    if not free:
        return []
    days = set()
    for slot in state.rng.choice(free, size=min(count, len(free)), replace=False):
        rows = state.p.allowed[slot]
        state.assign(int(slot), int(rows[state.rng.integers(len(rows))]))
        days.add(state.p.slots[slot][0])
    return [i for i, (day, _s) in enumerate(state.p.slots) if day in days]

def drop_food(state: WeekSearch) -> list[int]:
    """Stop buying one food (drawn by what its packages cost): each meal using it moves
    to its best option without it. Single-meal moves rarely find this, as a package is
    only saved once the last meal using it changes. Returns the slots of the days
    touched."""
    p = state.p
    missing = np.maximum(state.need - p.pantry_qg, 0)
    spent = np.ceil(missing / p.package_qg) * state.unit_cents  # per purchase column
    by_food = np.bincount(p.column_food, spent, minlength=len(p.foods))
    bought = np.flatnonzero(by_food > 0)
    if not len(bought):  # nothing bought, or everything used comes from the pantry
        return []
    weights = by_food[bought]
    food = int(state.rng.choice(bought, p=weights / weights.sum()))
    users = [i for i, (_d, meal) in enumerate(state.p.slots)
             if state.choice[i] >= 0 and state.p.options[meal].food[state.choice[i], food]
             and len(state.p.allowed[i]) > 1]
    for slot in users:
        improve_slot(state, slot, without_food=food)
    days = {state.p.slots[i][0] for i in users}
    return [i for i, (day, _s) in enumerate(state.p.slots) if day in days]

def place_favourite(state: WeekSearch) -> list[int]:
    """Serve a favourite dish in a random meal that allows it (at its best portion there):
    worth trying as a move of its own, as its bonus only counts once it is in the plan.
    Returns the slots of the day touched."""
    p = state.p
    places = [(slot, rows[p.options[meal].favorite[rows]])
              for slot, ((_d, meal), rows) in enumerate(zip(p.slots, p.allowed, strict=True))
              if len(rows) > 1 and p.options[meal].favorite[rows].any()]
    if not places:
        return []
    slot, rows = places[int(state.rng.integers(len(places)))]
    recipe = p.options[p.slots[slot][1]].recipe[rows]
    pick = rows[recipe == recipe[state.rng.integers(len(recipe))]]
    violation, objective = state.slot_scores(slot, pick)
    state.assign(slot, int(pick[np.argmin(VIOLATION_WEIGHT * violation + objective)]))
    day = p.slots[slot][0]
    return [i for i, (d, _s) in enumerate(p.slots) if d == day and i != slot]
