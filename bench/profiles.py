"""The benchmark's plan requests: a fixed, varied list of request dicts (JSON field names).

Each dict is what a client would POST (PlanRequestSchema loads it) plus a short `name` that the
benchmark strips before loading. Mostly 7 days x 4 meals; the time limit is left at the
request default (5 s). Budgets are weekly, in USD, for the whole household:
  generous: 250-600 USD, scaled by the number of people
  tight:    60-90 USD per person
  absent:   cost is only minimised
"""

from __future__ import annotations

from typing import Any

THREE_MEALS = ["breakfast", "lunch", "dinner"]
NO_BREAKFAST = ["lunch", "dinner", "snack"]


def _profile(sex: str, age: int, height_cm: float, weight_kg: float, activity: str) -> dict:
    return {"sex": sex, "age": age, "height_cm": height_cm, "weight_kg": weight_kg,
            "activity": activity}


def _tight(people: int, per_person: float) -> dict:
    return {"amount": round(per_person * people, 2), "currency": "USD"}


def _generous(amount: float) -> dict:
    return {"amount": amount, "currency": "USD"}


PROFILES: list[dict[str, Any]] = [
    # --- omnivore -------------------------------------------------------------------------
    {"name": "omni-1p-defaults"},
    {"name": "omni-2p-generous", "people": 2, "budget": _generous(350)},
    {"name": "omni-4p-tight", "people": 4, "budget": _tight(4, 75)},
    {"name": "omni-1p-tight", "budget": _tight(1, 70)},
    {"name": "omni-male-active", "profile": _profile("male", 30, 180, 80, "active")},
    {"name": "omni-female-55-3meals", "meals": THREE_MEALS,
     "profile": _profile("female", 55, 165, 70, "sedentary")},
    {"name": "omni-milk-3p-generous", "people": 3, "exclude_allergens": ["milk"],
     "budget": _generous(450)},
    {"name": "omni-gluten-wheat-2p", "people": 2, "exclude_allergens": ["gluten", "wheat"]},
    {"name": "omni-nuts-2200kcal", "energy_kcal": 2200,
     "exclude_allergens": ["tree_nuts", "peanuts"]},
    {"name": "omni-seafood-5p-generous", "people": 5,
     "exclude_allergens": ["fish", "crustaceans", "molluscs"], "budget": _generous(600)},
    {"name": "omni-soy-sesame-quick30", "people": 2, "exclude_allergens": ["soy", "sesame"],
     "max_prep_minutes": 30},
    {"name": "omni-egg-6p-tight", "people": 6, "exclude_allergens": ["egg"],
     "budget": _tight(6, 80)},
    {"name": "omni-quick45-5days-tight", "people": 2, "days": 5, "max_prep_minutes": 45,
     "budget": _tight(2, 85)},
    {"name": "omni-fiber35-ferm2", "targets": {"fiber_g_per_day": 35,
                                               "fermented_servings_per_day": 2}},
    {"name": "omni-4p-3meals-2400kcal", "people": 4, "meals": THREE_MEALS, "energy_kcal": 2400},
    {"name": "omni-no-breakfast-3p", "people": 3, "meals": NO_BREAKFAST,
     "profile": _profile("male", 42, 176, 82, "moderate")},
    # --- pescatarian ----------------------------------------------------------------------
    {"name": "pesc-1p-defaults", "diet": "pescatarian"},
    {"name": "pesc-2p-generous", "diet": "pescatarian", "people": 2, "budget": _generous(300)},
    {"name": "pesc-milk-gluten-wheat", "diet": "pescatarian",
     "exclude_allergens": ["milk", "gluten", "wheat"],
     "profile": _profile("female", 35, 168, 62, "moderate")},
    {"name": "pesc-3p-tight", "diet": "pescatarian", "people": 3, "budget": _tight(3, 70)},
    {"name": "pesc-nuts-quick40", "diet": "pescatarian",
     "exclude_allergens": ["tree_nuts", "peanuts"], "max_prep_minutes": 40},
    {"name": "pesc-fiber35-male", "diet": "pescatarian", "people": 2,
     "targets": {"fiber_g_per_day": 35}, "profile": _profile("male", 45, 178, 85, "light")},
    # --- vegetarian -----------------------------------------------------------------------
    {"name": "veg-1p-defaults", "diet": "vegetarian"},
    {"name": "veg-4p-generous", "diet": "vegetarian", "people": 4, "budget": _generous(450)},
    {"name": "veg-egg-2p", "diet": "vegetarian", "people": 2, "exclude_allergens": ["egg"]},
    {"name": "veg-soy-sesame-2p-tight", "diet": "vegetarian", "people": 2,
     "exclude_allergens": ["soy", "sesame"], "budget": _tight(2, 80)},
    {"name": "veg-female-3meals", "diet": "vegetarian", "meals": THREE_MEALS,
     "profile": _profile("female", 28, 160, 55, "light")},
    {"name": "veg-gluten-wheat-quick35-3p", "diet": "vegetarian", "people": 3,
     "exclude_allergens": ["gluten", "wheat"], "max_prep_minutes": 35},
    {"name": "veg-ferm2-1800kcal-3days", "diet": "vegetarian", "days": 3, "energy_kcal": 1800,
     "targets": {"fermented_servings_per_day": 2}},
    # --- vegan ----------------------------------------------------------------------------
    {"name": "vegan-1p-defaults", "diet": "vegan"},
    {"name": "vegan-2p-generous", "diet": "vegan", "people": 2, "budget": _generous(300)},
    {"name": "vegan-nuts-3p", "diet": "vegan", "people": 3,
     "exclude_allergens": ["tree_nuts", "peanuts"]},
    {"name": "vegan-soy-sesame", "diet": "vegan", "exclude_allergens": ["soy", "sesame"]},
    {"name": "vegan-gluten-wheat-6p-generous", "diet": "vegan", "people": 6,
     "exclude_allergens": ["gluten", "wheat"], "budget": _generous(600)},
    {"name": "vegan-male-active-quick30", "diet": "vegan", "max_prep_minutes": 30,
     "profile": _profile("male", 25, 185, 78, "active")},
    {"name": "vegan-fiber35-1p-tight", "diet": "vegan", "targets": {"fiber_g_per_day": 35},
     "budget": _tight(1, 90)},
]


def request_dict(profile: dict[str, Any]) -> dict[str, Any]:
    """The profile without its `name`: what PlanRequestSchema().load accepts."""
    return {key: value for key, value in profile.items() if key != "name"}
