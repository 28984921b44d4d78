"""The diet rule sets: `constraints/*.toml` read once (load.py), and per request the one list
of requirements every part of the planner compiles (ruleset.py)."""

from mealplanner.rules.load import (
    MEALS,
    RULE_KINDS,
    Allergen,
    Diet,
    FiberIntake,
    FoodGroup,
    GroupRule,
    GutTargets,
    Rules,
    VarietyRules,
    default_rules,
    load_rules,
)

__all__ = [
    "MEALS", "RULE_KINDS", "Allergen", "Diet", "FiberIntake", "FoodGroup", "GroupRule",
    "GutTargets", "Rules", "VarietyRules", "default_rules", "load_rules",
]
