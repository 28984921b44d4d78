"""One definition of every rule: a rule of an existing kind is a data change, and the search,
CP-SAT and the checker all enforce what the rule set says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mealplanner.catalog.store import Catalog
from mealplanner.paths import constraints_dir
from mealplanner.planner.checker import check_plan
from mealplanner.planner.cpsat.solve import SolveSettings, requirements_broken_by
from mealplanner.planner.pipeline import make_plan, prepare
from mealplanner.planner.search.state import WeekSearch
from mealplanner.planner.units import quarters
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules import default_rules, load_rules

WHOLE_GRAINS = "med:whole_grains"
SERVING_G = 50


def meals_of(document):
    return [(d["day"], m["slot"], m["recipe_id"], quarters(m["portion"]))
            for d in document["days"] for m in d["meals"]]


def whole_grain_grams(document, catalog) -> float:
    return sum(i["grams"] for d in document["days"] for m in d["meals"]
               for i in m["ingredients"] if "whole_grain" in catalog.foods[i["food_id"]].groups)


def rule_folder(tmp_path: Path, servings: float) -> Path:
    """The packaged rule sets plus one Mediterranean rule, written as a person would."""
    folder = tmp_path / "constraints"
    shutil.copytree(constraints_dir(), folder)
    with open(folder / "mediterranean.toml", "a", encoding="utf-8") as handle:
        handle.write(f"""
[[rules]]
id = "whole_grains"
label = "Whole grains"
kind = "min_per_week"
groups = ["whole_grain"]
servings = {servings}
serving_g = {SERVING_G}
source = "Test rule: whole grains at least {servings} servings a week"
""")
    return folder


@pytest.fixture(scope="module")
def default_week(file_catalog):
    request = PlanRequestSchema().load({"days": 3})
    outcome = make_plan(request, file_catalog)
    assert outcome.ok
    return request, outcome.document


def test_a_new_rule_in_the_data_is_enforced_by_search_model_and_checker(
        tmp_path, file_catalog, default_week):
    request, before = default_week
    grams = whole_grain_grams(before, file_catalog)
    # a weekly amount the plan made without the rule falls short of (scaled to its 3 days)
    servings = round((grams + 150) * 7 / 3 / SERVING_G, 1)
    rules = load_rules(rule_folder(tmp_path, servings))
    catalog = Catalog(file_catalog.foods, file_catalog.recipes, rules)
    prepared = prepare(request, catalog)
    requirement = prepared.rule_set.requirement(WHOLE_GRAINS)
    assert requirement.label == f"Whole grains >= {servings:g} servings of 50 g per week"
    bound_g = requirement.bounds[0].low
    assert bound_g == pytest.approx(servings * SERVING_G * 3 / 7)
    assert grams < bound_g

    # the old plan breaks it, as CP-SAT, the search and the checker each see
    meals = meals_of(before)
    assert WHOLE_GRAINS in requirements_broken_by(prepared.model(), meals, SolveSettings())
    state = WeekSearch(prepared.problem())
    for index, (day, slot) in enumerate(state.p.slots):
        rid, q = next((r, q) for d, s, r, q in meals if (d, s) == (day, slot))
        state.assign(index, state.p.options[slot].index[rid, q])
    assert WHOLE_GRAINS in state.total()[2]
    assert any(p.startswith("over the plan: Whole grains") for p in
               check_plan(before, request, catalog))

    # a plan made with the rule meets it, and its tally lists it
    outcome = make_plan(request, catalog)
    assert outcome.ok, outcome.document.get("message")
    after = outcome.document
    assert whole_grain_grams(after, catalog) >= bound_g - 0.25
    assert check_plan(after, request, catalog) == []
    row = next(r for r in after["mediterranean"] if r["rule"] == "whole_grains")
    assert row["met"] is True and row["required"] == pytest.approx(servings * 3 / 7, abs=0.01)


def test_the_rule_folder_comes_from_the_environment(tmp_path, monkeypatch):
    folder = rule_folder(tmp_path, 10)
    monkeypatch.setenv("MEALPLANNER_CONSTRAINTS_DIR", str(folder))
    assert constraints_dir() == folder
    assert "whole_grains" in {rule.id for rule in load_rules().mediterranean}
    monkeypatch.delenv("MEALPLANNER_CONSTRAINTS_DIR")
    assert "whole_grains" not in {rule.id for rule in default_rules().mediterranean}


def test_variety_rules_are_data(tmp_path, file_catalog):
    folder = rule_folder(tmp_path, 1)
    text = (folder / "variety.toml").read_text(encoding="utf-8")
    (folder / "variety.toml").write_text(
        text.replace('no_consecutive_days = ["lunch", "dinner"]',
                     'no_consecutive_days = ["breakfast", "lunch", "dinner"]'),
        encoding="utf-8")
    catalog = Catalog(file_catalog.foods, file_catalog.recipes, load_rules(folder))
    request = PlanRequestSchema().load({"days": 3, "max_repeats": 3})
    rule_set = prepare(request, catalog).rule_set
    assert rule_set.variety.no_consecutive_days == ("breakfast", "lunch", "dinner")
    assert "no identical breakfast or lunch or dinner" in rule_set.requirement("variety").label
    outcome = make_plan(request, catalog)
    assert outcome.ok
    breakfasts = {d["day"]: m["recipe_id"] for d in outcome.document["days"]
                  for m in d["meals"] if m["slot"] == "breakfast"}
    assert all(breakfasts[d] != breakfasts[d + 1] for d in (1, 2))
    assert check_plan(outcome.document, request, catalog) == []


def test_a_malformed_variety_rule_names_the_field(tmp_path):
    folder = rule_folder(tmp_path, 1)
    text = (folder / "variety.toml").read_text(encoding="utf-8")
    (folder / "variety.toml").write_text(text.replace('["lunch", "dinner"]', '["brunch"]'),
                                         encoding="utf-8")
    with pytest.raises(ValueError, match="no_consecutive_days names unknown meals"):
        load_rules(folder)
