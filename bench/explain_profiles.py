"""The explanation benchmark's requests: each built so that no plan meets it, for a named reason.

Each dict is what a client would POST (PlanRequestSchema loads it) plus a short `name` and a
`reason` tag (what the request was built to break), both stripped before loading. Every one
was run on the packaged catalog and got no plan; the explanation bench flags any that does.

  budget    a weekly budget below any plan (20-150 USD for 1-6 people) or a few per cent
            under the cheapest plan the planner finds (105-340 USD)
  time      max_prep_minutes so short that a meal has no dish, or too few dishes are left
  energy    energy_kcal very low (1,000-1,200) with a high fibre target, or very high
  fiber     a fibre target no day of dishes reaches at the energy asked
  cultures  live-culture (fermented) servings with allergens or a diet that leave few of them
  sodium    many live-culture servings without milk or soy (the fermented dishes left are
            salty) under the fixed 2,300 mg/day sodium cap; the request has no field for the
            cap itself, and 5-6 servings a day with milk and soy allowed get plans
  variety   max_repeats 1 with a narrow diet, or snacks only
  snack14   14 days of snacks only, the time limit short or repeats at 1
  mix       two reasons at once (budget with time, energy, or fibre)
"""

from __future__ import annotations

from typing import Any

THREE_MEALS = ["breakfast", "lunch", "dinner"]
TOP_NINE = ["milk", "egg", "fish", "crustaceans", "molluscs", "tree_nuts", "peanuts", "wheat",
            "gluten", "soy", "sesame"]


def _budget(amount: float) -> dict:
    return {"amount": amount, "currency": "USD"}


REQUESTS: list[dict[str, Any]] = [
    # --- budget: below any possible cost, then just under the cheapest plan found --------------
    {"name": "budget-1p-20", "reason": "budget", "budget": _budget(20)},
    {"name": "budget-2p-40", "reason": "budget", "people": 2, "budget": _budget(40)},
    {"name": "budget-4p-100", "reason": "budget", "people": 4, "budget": _budget(100)},
    {"name": "budget-6p-150", "reason": "budget", "people": 6, "budget": _budget(150)},
    {"name": "budget-1p-105", "reason": "budget", "budget": _budget(105)},
    # (2 and 4 people were 160 and 245 USD until the cheapest plans found fell to 147.06 and
    # 239.82 USD on 2026-12-04)
    {"name": "budget-2p-140", "reason": "budget", "people": 2, "budget": _budget(140)},
    {"name": "budget-4p-230", "reason": "budget", "people": 4, "budget": _budget(230)},
    {"name": "budget-6p-340", "reason": "budget", "people": 6, "budget": _budget(340)},
    # --- time: at most a few minutes a meal ---------------------------------------------------
    {"name": "time-quick5", "reason": "time", "max_prep_minutes": 5},
    {"name": "time-quick10-fiber35", "reason": "time", "max_prep_minutes": 10,
     "targets": {"fiber_g_per_day": 35}},
    {"name": "time-quick10-3meals-fiber30", "reason": "time", "max_prep_minutes": 10,
     "meals": THREE_MEALS, "targets": {"fiber_g_per_day": 30}},
    # --- energy -------------------------------------------------------------------------------
    {"name": "energy-1200-fiber75", "reason": "energy", "energy_kcal": 1200,
     "targets": {"fiber_g_per_day": 75}},
    {"name": "energy-1000-vegan-fiber50", "reason": "energy", "energy_kcal": 1000,
     "diet": "vegan", "targets": {"fiber_g_per_day": 50}},
    {"name": "energy-5000", "reason": "energy", "energy_kcal": 5000},
    {"name": "energy-4400-fiber20", "reason": "energy", "energy_kcal": 4400,
     "targets": {"fiber_g_per_day": 20}},
    # (4,200 kcal until three pescatarian meals reached it, on 2026-12-04)
    {"name": "energy-4400-pesc-3meals", "reason": "energy", "energy_kcal": 4400,
     "diet": "pescatarian", "meals": THREE_MEALS},
    # --- fiber --------------------------------------------------------------------------------
    {"name": "fiber-100", "reason": "fiber", "targets": {"fiber_g_per_day": 100}},
    {"name": "fiber-90-pesc-3meals", "reason": "fiber", "diet": "pescatarian",
     "meals": THREE_MEALS, "targets": {"fiber_g_per_day": 90}},
    # --- live cultures with allergies or diets ------------------------------------------------
    {"name": "cultures-top9", "reason": "cultures", "exclude_allergens": TOP_NINE},
    {"name": "cultures-top9-ferm3", "reason": "cultures", "exclude_allergens": TOP_NINE,
     "targets": {"fermented_servings_per_day": 3}},
    {"name": "cultures-vegan-soy-sesame-ferm4", "reason": "cultures", "diet": "vegan",
     "exclude_allergens": ["soy", "sesame"], "targets": {"fermented_servings_per_day": 4}},
    {"name": "cultures-milk-ferm6", "reason": "cultures", "exclude_allergens": ["milk"],
     "targets": {"fermented_servings_per_day": 6}},
    # --- sodium -------------------------------------------------------------------------------
    {"name": "sodium-milk-soy-ferm5", "reason": "sodium", "exclude_allergens": ["milk", "soy"],
     "targets": {"fermented_servings_per_day": 5}},
    # --- variety with few dishes --------------------------------------------------------------
    {"name": "variety-vegan-r1-allergens", "reason": "variety", "diet": "vegan",
     "max_repeats": 1, "exclude_allergens": ["soy", "gluten", "wheat", "tree_nuts", "peanuts"]},
    {"name": "variety-snack7-r1-vegan", "reason": "variety", "meals": ["snack"],
     "max_repeats": 1, "diet": "vegan"},
    {"name": "variety-14d-r1-vegan-soy-gluten", "reason": "variety", "days": 14,
     "max_repeats": 1, "diet": "vegan", "exclude_allergens": ["soy", "gluten", "wheat"]},
    # --- 14 days of snacks only ---------------------------------------------------------------
    {"name": "snack14-0.5s", "reason": "snack14", "days": 14, "meals": ["snack"],
     "time_limit_seconds": 0.5},
    {"name": "snack14-1s", "reason": "snack14", "days": 14, "meals": ["snack"],
     "time_limit_seconds": 1},
    {"name": "snack14-r1", "reason": "snack14", "days": 14, "meals": ["snack"], "max_repeats": 1},
    # --- two reasons at once ------------------------------------------------------------------
    {"name": "mix-veg-nuts-150-40min", "reason": "mix", "people": 2, "diet": "vegetarian",
     "exclude_allergens": ["tree_nuts"], "budget": _budget(150), "max_prep_minutes": 40},
    {"name": "mix-quick15-budget-100", "reason": "mix", "max_prep_minutes": 15,
     "budget": _budget(100)},
    {"name": "mix-energy-1200-fiber75-budget60", "reason": "mix", "energy_kcal": 1200,
     "targets": {"fiber_g_per_day": 75}, "budget": _budget(60)},
]


def request_dict(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its `name` and `reason`: what PlanRequestSchema().load accepts."""
    return {key: value for key, value in entry.items() if key not in ("name", "reason")}
