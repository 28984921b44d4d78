"""The food-economy benchmark's households: who lives there (for the Thrifty Food Plan cost) and
what they ask the planner for (a request dict in the JSON API's field names, without a budget).

Each household has a `name`, its `members` as (sex, age) pairs, the planning adult first, and
the request fields. `people` is the household size. Energy comes from the planning adult's body
data (`profile`, Mifflin-St Jeor): the planner gives every member the same portions, so the
adult who plans stands for the household. The benchmark adds the weekly budget, a multiple of
the household's Thrifty Food Plan cost (tfp.household_tfp), and strips `name` and `members`.

The population: 45 households of 1-6 people: singles from 19 to 78, couples from their twenties
to their eighties, parents with babies, toddlers, school children and teenagers, three
generations under one roof, flatmates; omnivore (24), pescatarian (8), vegetarian (8) and vegan
(5); allergy sets a household commonly avoids (milk; egg; gluten+wheat; tree nuts+peanuts;
fish+shellfish; soy+sesame); ten limit the time per meal (20-45 minutes); 36 plan all four
meals for 7 days, 9 plan three.
"""

from __future__ import annotations

from typing import Any

from tfp import Member

THREE_MEALS = ["breakfast", "lunch", "dinner"]
NO_BREAKFAST = ["lunch", "dinner", "snack"]
MILK = ["milk"]
EGG = ["egg"]
GLUTEN = ["gluten", "wheat"]
NUTS = ["tree_nuts", "peanuts"]
SEAFOOD = ["fish", "crustaceans", "molluscs"]
SOY_SESAME = ["soy", "sesame"]


def household(name: str, members: list[Member], body: tuple[float, float, str],
              **request: Any) -> dict[str, Any]:
    """A household: `body` is the planning adult's (members[0]) height in cm, weight in kg and
    activity level; `request` holds the other request fields."""
    sex, age = members[0]
    height_cm, weight_kg, activity = body
    return {"name": name, "members": members, "people": len(members),
            "profile": {"sex": sex, "age": age, "height_cm": height_cm, "weight_kg": weight_kg,
                        "activity": activity},
            **request}


HOUSEHOLDS: list[dict[str, Any]] = [
    # --- one person -----------------------------------------------------------------------
    household("single-f28-omni", [("female", 28)], (165, 60, "light")),
    household("single-m34-omni-quick30", [("male", 34)], (180, 82, "moderate"),
              max_prep_minutes=30),
    household("single-f45-pesc", [("female", 45)], (168, 70, "light"), diet="pescatarian"),
    household("single-m24-vegan", [("male", 24)], (178, 72, "moderate"), diet="vegan"),
    household("single-f62-veg-3meals", [("female", 62)], (160, 68, "sedentary"),
              diet="vegetarian", meals=THREE_MEALS),
    household("single-m67-omni-gluten", [("male", 67)], (175, 85, "light"),
              exclude_allergens=GLUTEN),
    household("single-f78-omni-3meals", [("female", 78)], (158, 60, "sedentary"),
              meals=THREE_MEALS),
    household("single-m74-pesc", [("male", 74)], (172, 78, "sedentary"), diet="pescatarian"),
    household("single-f19-veg-student-quick20", [("female", 19)], (163, 57, "moderate"),
              diet="vegetarian", meals=NO_BREAKFAST, max_prep_minutes=20),
    household("single-m52-omni-milk", [("male", 52)], (183, 95, "sedentary"),
              exclude_allergens=MILK),
    # --- two people -----------------------------------------------------------------------
    household("couple-30s-omni", [("female", 32), ("male", 33)], (167, 63, "light")),
    household("couple-40s-veg-quick30", [("male", 41), ("female", 39)], (177, 80, "light"),
              diet="vegetarian", max_prep_minutes=30),
    household("couple-20s-vegan", [("female", 26), ("male", 27)], (170, 62, "moderate"),
              diet="vegan"),
    household("couple-55-pesc-nuts", [("female", 56), ("male", 58)], (164, 66, "light"),
              diet="pescatarian", exclude_allergens=NUTS),
    household("couple-65-omni-3meals", [("male", 66), ("female", 64)], (176, 84, "light"),
              meals=THREE_MEALS),
    household("couple-72-omni", [("female", 72), ("male", 74)], (161, 64, "sedentary")),
    household("couple-38-omni-seafood", [("male", 38), ("female", 36)], (182, 86, "moderate"),
              exclude_allergens=SEAFOOD),
    household("couple-48-veg-egg", [("female", 47), ("male", 50)], (166, 68, "light"),
              diet="vegetarian", exclude_allergens=EGG),
    household("couple-80-pesc-3meals-quick30", [("male", 81), ("female", 79)],
              (170, 72, "sedentary"), diet="pescatarian", meals=THREE_MEALS,
              max_prep_minutes=30),
    household("flatmates-f-omni-quick30", [("female", 27), ("female", 29)], (169, 61, "active"),
              meals=NO_BREAKFAST, max_prep_minutes=30),
    household("couple-60-vegan-gluten", [("female", 60), ("male", 62)], (163, 65, "light"),
              diet="vegan", exclude_allergens=GLUTEN),
    # --- three people ---------------------------------------------------------------------
    household("parents-toddler-omni", [("female", 33), ("male", 35), ("female", 2)],
              (164, 65, "light")),
    household("single-parent-2kids-omni-quick25", [("female", 38), ("male", 9), ("female", 6)],
              (166, 72, "moderate"), max_prep_minutes=25),
    household("parents-baby-veg", [("female", 31), ("male", 32), ("male", 1)],
              (170, 66, "light"), diet="vegetarian"),
    household("three-gen-omni", [("female", 45), ("female", 72), ("male", 15)],
              (162, 70, "light")),
    household("parents-teen-pesc", [("male", 48), ("female", 46), ("female", 16)],
              (179, 83, "moderate"), diet="pescatarian"),
    household("flatmates-vegan", [("male", 23), ("female", 24), ("male", 25)],
              (181, 74, "moderate"), diet="vegan", meals=NO_BREAKFAST),
    household("parents-kid-omni-milk", [("female", 36), ("male", 37), ("male", 5)],
              (168, 64, "light"), exclude_allergens=MILK),
    # --- four people ----------------------------------------------------------------------
    # the Thrifty Food Plan's reference family: a couple 20-50 and children 6-8 and 9-11
    household("reference-family-omni", [("male", 40), ("female", 38), ("male", 10),
                                        ("female", 7)], (178, 82, "light")),
    household("family4-omni-egg", [("female", 35), ("male", 37), ("female", 4), ("male", 2)],
              (165, 67, "light"), exclude_allergens=EGG),
    household("family4-veg-quick30", [("female", 42), ("male", 44), ("female", 13),
                                      ("male", 11)], (170, 68, "moderate"), diet="vegetarian",
              max_prep_minutes=30),
    household("family4-pesc-gluten", [("male", 45), ("female", 43), ("male", 17),
                                      ("female", 14)], (180, 88, "light"), diet="pescatarian",
              exclude_allergens=GLUTEN),
    household("family4-omni-nuts-3meals", [("female", 39), ("male", 41), ("male", 8),
                                           ("female", 12)], (163, 62, "moderate"),
              exclude_allergens=NUTS, meals=THREE_MEALS),
    household("family4-vegan", [("female", 37), ("male", 38), ("female", 9), ("male", 6)],
              (167, 60, "moderate"), diet="vegan"),
    household("family4-omni-soy-sesame", [("male", 50), ("female", 49), ("male", 19),
                                          ("female", 16)], (175, 90, "sedentary"),
              exclude_allergens=SOY_SESAME),
    household("family4-omni-teens-quick45", [("female", 44), ("male", 46), ("male", 15),
                                             ("male", 13)], (171, 73, "light"),
              max_prep_minutes=45),
    # --- five people ----------------------------------------------------------------------
    household("family5-omni", [("female", 36), ("male", 38), ("male", 12), ("female", 9),
                               ("male", 4)], (166, 66, "light")),
    household("family5-pesc-milk", [("male", 42), ("female", 40), ("female", 14), ("male", 11),
                                    ("female", 7)], (177, 79, "moderate"), diet="pescatarian",
              exclude_allergens=MILK),
    household("family5-veg-three-gen", [("female", 40), ("male", 42), ("female", 10),
                                        ("female", 68), ("male", 70)], (165, 70, "light"),
              diet="vegetarian"),
    household("family5-omni-little-ones-quick35", [("female", 34), ("male", 35), ("male", 6),
                                                   ("female", 3), ("male", 1)],
              (160, 58, "moderate"), max_prep_minutes=35),
    household("family5-omni-seafood", [("male", 47), ("female", 45), ("male", 18),
                                       ("female", 16), ("male", 12)], (184, 92, "moderate"),
              exclude_allergens=SEAFOOD),
    # --- six people -----------------------------------------------------------------------
    household("family6-omni", [("female", 39), ("male", 41), ("male", 15), ("female", 12),
                               ("male", 9), ("female", 5)], (168, 69, "light")),
    household("family6-omni-three-gen-3meals", [("male", 44), ("female", 42), ("female", 14),
                                                ("male", 10), ("female", 73), ("male", 75)],
              (176, 85, "light"), meals=THREE_MEALS),
    household("family6-veg-egg", [("female", 37), ("male", 40), ("male", 11), ("female", 8),
                                  ("male", 6), ("female", 3)], (164, 63, "moderate"),
              diet="vegetarian", exclude_allergens=EGG),
    household("family6-pesc-quick40", [("male", 46), ("female", 45), ("male", 19),
                                       ("female", 17), ("male", 14), ("female", 11)],
              (181, 84, "moderate"), diet="pescatarian", max_prep_minutes=40),
]


def request_dict(entry: dict[str, Any], budget_usd: float | None = None) -> dict[str, Any]:
    """The household's request, what PlanRequestSchema().load accepts, with a weekly budget
    in USD when one is given."""
    data = {key: value for key, value in entry.items() if key not in ("name", "members")}
    if budget_usd is not None:
        data["budget"] = {"amount": round(budget_usd, 2), "currency": "USD"}
    return data
