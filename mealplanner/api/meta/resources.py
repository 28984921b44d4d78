"""GET /api/v1/meta: everything a client needs to offer valid choices."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from flask.views import MethodView

from mealplanner.api.base import Blueprint
from mealplanner.api.meta.schemas import MetaSchema
from mealplanner.planner.report import targets_document
from mealplanner.planner.request import ACTIVITY_LEVELS, CURRENCIES, PORTIONS, SEXES, PlanRequest
from mealplanner.planner.targets import resolve_targets
from mealplanner.plans.capacity import capacity
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.schemas import request_to_json
from mealplanner.rules import MEALS, Rules

blp = Blueprint("meta", __name__, url_prefix="/api/v1/meta",
                description="Allergen names, diets, meal slots, defaults and rule sets.")


def gut_health_rules(rules: Rules) -> list[dict]:
    gut = rules.gut
    return [
        {"id": "fiber", "label": "Fiber", "kind": "min_per_day",
         "value": gut.fiber_g_per_1000_kcal, "unit": "g per 1,000 kcal",
         "details": {"adequate_intakes": [asdict(ai) for ai in gut.fiber_adequate_intakes]},
         "source": gut.fiber_source},
        {"id": "prebiotic", "label": "Prebiotic fibre", "kind": "min_per_day",
         "value": gut.prebiotic_g_per_day, "unit": "g",
         "details": {"max_g_per_day": gut.prebiotic_max_g_per_day},
         "source": gut.prebiotic_source},
        {"id": "fermented", "label": "Live-culture fermented foods", "kind": "min_per_day",
         "value": gut.fermented_servings_per_day, "unit": "servings",
         "source": gut.fermented_source},
        {"id": "plants", "label": "Distinct plant foods", "kind": "min_per_week",
         "value": gut.plants_per_week, "unit": "plant foods",
         "details": {"hard": False, "note": "maximised, not required, unless a request sets it"},
         "source": gut.plants_source},
        {"id": "sodium", "label": "Sodium", "kind": "max_per_day",
         "value": gut.sodium_max_mg_per_day, "unit": "mg", "source": gut.sodium_source},
        {"id": "saturated_fat", "label": "Saturated fat", "kind": "max_share",
         "value": gut.saturated_fat_max_share, "unit": "share of energy",
         "source": gut.saturated_fat_source},
        {"id": "energy", "label": "Energy", "kind": "target_per_day",
         "value": gut.default_kcal_per_day, "unit": "kcal",
         "details": {"tolerance": gut.energy_tolerance,
                     "activity_factors": dict(gut.activity_factors)},
         "source": gut.energy_source},
        {"id": "meal_shares", "label": "Share of the day's energy per meal", "kind": "shares",
         "value": None, "unit": "share of energy", "details": dict(gut.meal_shares),
         "source": gut.meal_shares_source},
    ]


def mediterranean_rules(rules: Rules) -> list[dict]:
    return [
        {"id": r.id, "label": r.label, "kind": r.kind, "groups": list(r.groups),
         "servings": r.servings, "serving_g": r.serving_g, "share": r.share, "of": list(r.of),
         "source": r.source}
        for r in rules.mediterranean
    ]


def meta_document() -> dict:
    catalog = current_catalog()
    rules = catalog.rules
    defaults = PlanRequest()
    return {
        "api_version": "v1",
        "meal_slots": list(MEALS),
        "allergens": [{"name": a.name, "label": a.label, "regulations": list(a.regulations),
                       "examples": a.examples} for a in rules.allergens.values()],
        "diets": [{"name": d.name, "label": d.label,
                   "excludes_groups": sorted(d.excludes_groups)} for d in rules.diets.values()],
        "food_groups": [{"name": g.name, "label": g.label, "plant": g.plant, "animal": g.animal}
                        for g in rules.food_groups.values()],
        "cuisines": sorted({r.cuisine for r in catalog.recipes.values()}),
        "currencies": list(CURRENCIES),
        "sexes": list(SEXES),
        "activity_levels": list(ACTIVITY_LEVELS),
        "portions": list(PORTIONS),
        "request_defaults": request_to_json(defaults),
        "default_targets": targets_document(resolve_targets(defaults, rules)),
        "rule_sets": [
            {"id": "gut_health", "name": "Gut-health targets and nutrient caps",
             "file": "constraints/gut_health.toml", "rules": gut_health_rules(rules)},
            {"id": "mediterranean", "name": rules.mediterranean_name,
             "file": "constraints/mediterranean.toml", "rules": mediterranean_rules(rules)},
        ],
        "limits": {"page_size_max": 100,
                   "request_body_max_bytes": current_app.config.get("MAX_CONTENT_LENGTH"),
                   "planner_slots": capacity().slots},
    }


@blp.route("")
class Meta(MethodView):
    @blp.etag
    @blp.response(200, MetaSchema, operation_id="getMeta")
    def get(self):
        """Allergen names, diets, meal slots, default targets and the rule sets with sources"""
        return meta_document()
