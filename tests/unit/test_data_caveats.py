"""What the data must not hide: animal ingredients behind an allergen, cheese made with animal
rennet, the same dish twice, a cuisine label the dish does not have, cooked weights with no dry
amount to cook, raw egg without a word."""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from itertools import combinations

import pytest

from mealplanner.paths import constraints_dir
from mealplanner.planner.request import diet_names
from mealplanner.plans.schemas import PlanRequestSchema
from mealplanner.rules import default_rules, load_rules

# Animal allergens and the food group that keeps a food carrying one out of the diets that
# exclude that animal (constraints/diets.toml derives diets from groups only).
ANIMAL_ALLERGEN_GROUPS = {"milk": "dairy", "egg": "egg", "fish": "fish",
                          "crustaceans": "shellfish", "molluscs": "shellfish"}
SEAFOOD_ALLERGENS = {"fish", "crustaceans", "molluscs"}
RENNET = "animal_rennet_cheese"


def test_an_animal_allergen_comes_with_its_animal_group(file_catalog):
    rules = file_catalog.rules
    assert set(ANIMAL_ALLERGEN_GROUPS) <= set(rules.allergens)
    for food in file_catalog.foods.values():
        diets = rules.diets_for_groups(set(food.groups))
        for allergen in set(food.allergens) & set(ANIMAL_ALLERGEN_GROUPS):
            assert ANIMAL_ALLERGEN_GROUPS[allergen] in food.groups, (food.id, allergen)
            assert "vegan" not in diets, food.id
            if allergen in SEAFOOD_ALLERGENS:
                assert not {"vegetarian", "strict_vegetarian"} & set(diets), food.id


def test_kimchi_with_fish_sauce_is_not_vegetarian_and_vegan_kimchi_is_vegan(file_catalog):
    diets = {fid: file_catalog.rules.diets_for_groups(set(file_catalog.foods[fid].groups))
             for fid in ("kimchi", "kimchi_vegan", "naan_whole_wheat",
                         "chocolate_chips_semisweet")}
    assert "pescatarian" in diets["kimchi"] and "vegetarian" not in diets["kimchi"]
    assert "vegan" in diets["kimchi_vegan"]
    assert "vegan" not in diets["naan_whole_wheat"]
    assert "vegan" not in diets["chocolate_chips_semisweet"]


def test_a_dish_with_miso_is_not_gluten_free(file_catalog):
    """Miso can be made with barley koji (mugi, awase): foods/SOURCES.md."""
    with_miso = [rid for rid, r in file_catalog.recipes.items()
                 if any(line.food_id == "miso" for line in r.ingredients)]
    assert len(with_miso) >= 3
    for rid in with_miso:
        assert "gluten" in file_catalog.facts[rid].allergens, rid


NAME_CLAIMS = {  # what a name may promise, and what the dish must then be
    "gluten-free": lambda facts: not {"gluten", "wheat"} & set(facts.allergens),
    "dairy-free": lambda facts: "milk" not in facts.allergens,
    "vegan": lambda facts: "vegan" in facts.diets,
    "vegetarian": lambda facts: "vegetarian" in facts.diets,
}


def test_a_name_claims_only_what_the_dish_is(file_catalog):
    for rid, recipe in file_catalog.recipes.items():
        for claim in re.findall(r"\(([^)]*)\)", recipe.name.casefold()):
            if claim in NAME_CLAIMS:
                assert NAME_CLAIMS[claim](file_catalog.facts[rid]), (rid, claim)


# Rennet -------------------------------------------------------------------------------------


def test_strict_vegetarian_is_vegetarian_without_animal_rennet():
    diets = default_rules().diets
    vegetarian, strict = diets["vegetarian"], diets["strict_vegetarian"]
    assert strict.excludes_groups == vegetarian.excludes_groups | {RENNET}
    assert strict.excludes_groups <= diets["vegan"].excludes_groups
    assert list(diets).index("strict_vegetarian") == list(diets).index("vegetarian") + 1


def test_parmesan_and_pecorino_suit_a_vegetarian_but_not_a_strict_vegetarian(file_catalog):
    rennet = {fid for fid, f in file_catalog.foods.items() if RENNET in f.groups}
    assert {"parmesan", "parmesan_grated", "pecorino_romano", "pesto"} <= rennet
    assert all("dairy" in file_catalog.foods[fid].groups for fid in rennet)
    with_rennet = [rid for rid, r in file_catalog.recipes.items()
                   if rennet & {line.food_id for line in r.ingredients}]
    for rid in with_rennet:
        assert "strict_vegetarian" not in file_catalog.facts[rid].diets, rid
    vegetarian = [rid for rid in with_rennet if "vegetarian" in file_catalog.facts[rid].diets]
    assert len(vegetarian) >= 7


def test_the_diets_a_request_may_name_come_from_the_rule_files(tmp_path, monkeypatch):
    assert diet_names() == tuple(default_rules().diets)
    assert PlanRequestSchema().load({"diet": "strict_vegetarian"}).diet == "strict_vegetarian"
    folder = tmp_path / "constraints"
    shutil.copytree(constraints_dir(), folder)
    with open(folder / "diets.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[diets.pollotarian]\nlabel = "Pollotarian"\n'
                     'excludes_groups = ["red_meat", "processed_meat"]\n')
    monkeypatch.setenv("MEALPLANNER_CONSTRAINTS_DIR", str(folder))
    default_rules.cache_clear()
    try:
        assert "pollotarian" in diet_names()
        assert PlanRequestSchema().load({"diet": "pollotarian"}).diet == "pollotarian"
    finally:
        monkeypatch.delenv("MEALPLANNER_CONSTRAINTS_DIR")
        default_rules.cache_clear()
    assert "pollotarian" not in diet_names()


def test_a_diet_naming_an_unknown_food_group_is_refused(tmp_path):
    folder = tmp_path / "constraints"
    shutil.copytree(constraints_dir(), folder)
    with open(folder / "diets.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[diets.typo]\nlabel = "Typo"\nexcludes_groups = ["read_meat"]\n')
    with pytest.raises(ValueError, match="diet typo: unknown food groups"):
        load_rules(folder)


def test_the_form_the_api_and_the_cli_offer_strict_vegetarian(client, runner, tmp_path):
    home = client.get("/").get_data(as_text=True)
    assert 'value="strict_vegetarian"' in home
    assert 'value="strict_vegetarian"' in client.get("/recipes").get_data(as_text=True)
    meta = client.get("/api/v1/meta").get_json()
    assert "strict_vegetarian" in [d["name"] for d in meta["diets"]]
    listed = client.get("/api/v1/recipes?diet=strict_vegetarian&page_size=100").get_json()
    assert listed and all("strict_vegetarian" in r["diets"] for r in listed)
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"days": 1, "diet": "strict_vegetarian"}), encoding="utf-8")
    result = runner.invoke(args=["plan", "--request", str(request)])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["request"]["diet"] == "strict_vegetarian"


def test_recipe_and_food_pages_say_where_a_cheese_needs_animal_rennet(client):
    note = "traditionally made with animal rennet"
    page = client.get("/recipes/pasta-alla-norma-integrale").get_data(as_text=True)
    assert f"Pecorino Romano: {note}" in page
    assert note in client.get("/foods/parmesan").get_data(as_text=True)
    assert note not in client.get("/foods/feta").get_data(as_text=True)
    assert note not in client.get("/recipes/fakes-lentil-soup-with-vinegar").get_data(
        as_text=True)


# Duplicates ---------------------------------------------------------------------------------


def normalised(name: str) -> str:
    """A dish name without case, accents, punctuation or the glosses and tags in brackets."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\([^)]*\)", " ", text)))


def test_names_are_normalised_for_comparison():
    assert normalised("Pisto con huevo (Spanish stew)") == normalised("PISTO con  huévo")
    assert normalised("Pan con tomate (vegan)") != normalised("Pan con tomate with olives")


def test_no_two_recipes_share_a_name(file_catalog):
    seen: dict[str, str] = {}
    for rid, recipe in file_catalog.recipes.items():
        key = normalised(recipe.name)
        assert key not in seen, f"{rid} and {seen.get(key)} are both {recipe.name!r}"
        seen[key] = rid


def test_no_two_recipes_have_the_same_ingredients(file_catalog):
    seen: dict[frozenset[str], str] = {}
    for rid, recipe in file_catalog.recipes.items():
        key = frozenset(line.food_id for line in recipe.ingredients)
        assert key not in seen, f"{rid} and {seen.get(key)} have the same ingredients"
        seen[key] = rid


# Pairs that share three quarters of their foods and are still different dishes.
DIFFERENT_DISHES = {
    frozenset({"tabbouleh-with-chickpeas", "kisir-bulgur-salad-with-chickpeas"}):
        "Levantine parsley salad with some bulgur; Turkish bulgur salad kneaded with paste",
    frozenset({"spaghetti-ragu-di-lenticchie", "pasta-e-lenticchie"}):
        "spaghetti with a thick lentil sauce; a pasta and lentil soup cooked in one pot",
    frozenset({"lavraki-me-aginares", "aginares-a-la-polita-fasolia"}):
        "a sea bass dish; a vegan artichoke stew with beans",
    frozenset({"savory-oats-with-spinach-and-feta", "spanakopita-style-egg-bake"}):
        "an oat porridge with a boiled egg; a baked egg dish",
    frozenset({"msabbaha-chickpeas-in-tahini", "hummus-bi-tahini-from-dry-chickpeas"}):
        "whole warm chickpeas in sauce; a blended dip",
}
NEAR_DUPLICATE = 0.75  # share of the foods (not counting staples) two dishes have in common


def test_dishes_that_share_most_foods_are_known_to_differ(file_catalog):
    staples = {fid for fid, f in file_catalog.foods.items() if f.staple}
    foods = {rid: {line.food_id for line in r.ingredients} - staples
             for rid, r in file_catalog.recipes.items()}
    near = set()
    for a, b in combinations(sorted(foods), 2):
        if len(foods[a] & foods[b]) / len(foods[a] | foods[b]) >= NEAR_DUPLICATE:
            near.add(frozenset({a, b}))
    unknown = near - set(DIFFERENT_DISHES)
    assert not unknown, f"the same dish twice? {sorted(sorted(pair) for pair in unknown)}"
    assert set(DIFFERENT_DISHES) <= near  # a pair that no longer is near needs no entry


# Cuisine labels -----------------------------------------------------------------------------

# Foods a Mediterranean kitchen does not have: a dish built on one says where it is from.
NOT_MEDITERRANEAN = {
    "miso", "tempeh", "natto", "tofu_firm", "tofu_extra_firm", "tofu_soft", "soy_milk",
    "soy_yogurt_plain", "chia_seeds", "quinoa_cooked", "kefir", "kimchi", "kimchi_vegan",
}


def test_a_dish_labelled_mediterranean_is_built_on_mediterranean_foods(file_catalog):
    assert NOT_MEDITERRANEAN <= set(file_catalog.foods)
    mediterranean = [r for r in file_catalog.recipes.values() if r.cuisine == "Mediterranean"]
    assert mediterranean
    for recipe in mediterranean:
        found = NOT_MEDITERRANEAN & {line.food_id for line in recipe.ingredients}
        assert not found, (recipe.id, sorted(found))


# Dry amounts --------------------------------------------------------------------------------

DRY_PACKAGE = re.compile(r"\((\d+) g dry\)")
# The words a method calls a food by, from the words of its id.
GRAIN_WORDS = {
    "rice": "rice", "pasta": "pasta|spaghetti|ditalini|orzo|orecchiette|busiate|noodles|fideos",
    "bulgur": "bulgur|burghul", "barley": "barley", "farro": "farro", "couscous": "couscous",
    "quinoa": "quinoa", "millet": "millet", "buckwheat": "buckwheat|kasha",
    "polenta": "polenta|cornmeal", "kamut": "kamut", "teff": "teff", "amaranth": "amaranth",
}
LEGUME_WORDS = {"lentils": "lentils", "chickpeas": "chickpeas", "beans": "beans",
                "peas": "split peas|peas", "soybeans": "soybeans"}
RAW_WORDS = r"\b(?:uncooked|dry|dried|raw|par-boiled)\s+(?:[a-z-]+\s+){0,3}(?:%s)\b"
RAW_AFTER = r"\b(?:%s)\s*\((?:dry|uncooked|raw)\b"
COOKING = r"\b(?:boil|boiling|cook|simmer|steam|soak|toast|absorbed|al dente|volume)\b"
LIQUID = r"\b(?:water|stock|broth|volume|al dente|boil)\b"


def _words(food_id: str, table: dict[str, str]) -> str:
    parts = set(food_id.removesuffix("_cooked").split("_"))
    return "|".join(pattern for word, pattern in table.items() if word in parts)


def _named_raw(step: str, grain: str) -> bool:
    """The step names the grain, not only as cooked or leftover, nor its cooking water."""
    for found in re.finditer(rf"\b(?:{grain})\b(?! water)", step):
        if not re.search(r"\b(?:cooked|leftover)\s+(?:[a-z-]+\s+)?$", step[:found.start()]):
            return True
    return False


def cooked_from_dry(recipe, foods):
    """(food, cooked grams, cooked-to-dry ratio, step number) for each step that cooks from dry
    a food the recipe weighs cooked."""
    for line in recipe.ingredients:
        food = foods[line.food_id]
        package = DRY_PACKAGE.search(food.package)
        if not (package and food.id.endswith("_cooked")):
            continue
        grain, legume = _words(food.id, GRAIN_WORDS), _words(food.id, LEGUME_WORDS)
        words = grain or legume
        assert words, f"{food.id}: which words name it in a method?"
        ratio = food.package_g / int(package.group(1))
        for number, step in enumerate(recipe.method):
            low = step.lower()
            raw = re.search(RAW_WORDS % words, low) or re.search(RAW_AFTER % words, low)
            if not raw and grain:  # a grain boiled, soaked or simmered in its water
                raw = (_named_raw(low, grain) and re.search(COOKING, low)
                       and re.search(LIQUID, low))
            if raw:
                yield food, line.grams, ratio, number


def dry_grams_given(step: str, words: str) -> list[int]:
    """The grams a step gives of the food: '60 g dry short pasta', 'the rice (65 g dry'."""
    low = step.lower()
    before = re.findall(rf"(\d+) g (?:[a-z-]+ ){{0,4}}(?:{words})\b", low)
    after = re.findall(rf"\b(?:{words})\b[^.;,()]{{0,30}}\((?:about )?(\d+) g\b", low)
    return [int(g) for g in before + after]


def dry_grams_stated(step: str, words: str) -> list[int]:
    """The grams a step calls dry: '50 g dry pearl barley', 'the lentils (about 50 g dry'."""
    low = step.lower()
    before = re.findall(rf"(\d+) g (?:dry|dried|raw|uncooked) (?:[a-z-]+ ){{0,3}}(?:{words})\b",
                        low)
    after = re.findall(rf"\b(?:{words})\b[^.;,()]{{0,30}}\((?:about )?(\d+) g dry\b", low)
    return [int(g) for g in before + after]


def test_the_detector_finds_dry_cooking_and_its_grams():
    assert re.search(RAW_WORDS % "rice", "add the uncooked brown rice and water")
    assert re.search(RAW_AFTER % "barley", "add the pearl barley (dry) and thyme")
    assert not _named_raw("simmer the cooked barley in the milk", "barley")
    assert _named_raw("soak fine bulgur in boiling water, or use cooked bulgur", "bulgur")
    assert not _named_raw("add a ladle of the pasta water", "pasta")
    assert dry_grams_given("Add 60 g dry short pasta and cook", "pasta") == [60]
    assert dry_grams_given("add the uncooked rice (about 65 g dry per person)", "rice") == [65]
    assert dry_grams_given("Add the chickpeas (40 g dry, soaked) and the rice", "rice") == []
    assert dry_grams_stated("the cooked lentils (about 50 g dry, cooked ahead)", "lentils") == [50]
    assert dry_grams_stated("Add 60 g brown lentils", "lentils") == []


def test_a_method_that_cooks_from_dry_gives_the_dry_grams(file_catalog):
    """A food weighed cooked (lentils_cooked) and cooked from dry in the method: the step says
    (or a step before it says) how many grams of the dry food to cook for one person, from the
    cooked grams and the food's cooked-to-dry ratio (its package word: `bag (454 g dry)` of
    package_g cooked grams)."""
    checked, wrong = 0, []
    for recipe in file_catalog.recipes.values():
        for food, grams, ratio, number in cooked_from_dry(recipe, file_catalog.foods):
            checked += 1
            want, step = grams / ratio, recipe.method[number]
            words = _words(food.id, GRAIN_WORDS) or _words(food.id, LEGUME_WORDS)
            given = [g for earlier in recipe.method[:number + 1]
                     for g in dry_grams_given(earlier, words)]
            if not any(abs(g - want) <= max(5, 0.15 * want) for g in given):
                wrong.append(f"{recipe.id}: {food.id} {grams} g cooked is about {want:.0f} g "
                             f"dry; the step gives {given or 'no grams'}: {step!r}")
    assert checked >= 30
    for recipe in file_catalog.recipes.values():  # and every dry amount stated is right
        for line in recipe.ingredients:
            food = file_catalog.foods[line.food_id]
            package = DRY_PACKAGE.search(food.package)
            words = _words(food.id, GRAIN_WORDS) or _words(food.id, LEGUME_WORDS)
            if not (package and words):
                continue
            want = line.grams / (food.package_g / int(package.group(1)))
            for step in recipe.method:
                for stated in dry_grams_stated(step, words):
                    if abs(stated - want) > max(5, 0.15 * want):
                        wrong.append(f"{recipe.id}: {food.id} {line.grams} g cooked is about "
                                     f"{want:.0f} g dry, not {stated} g: {step!r}")
    assert not wrong, "\n".join(wrong)


# Raw egg ------------------------------------------------------------------------------------

RAW_EGG_DISHES = r"\b(?:aioli|allioli|mayonnaise|tiramisu|mousse|zabaglione|eggnog)\b"


def test_a_dish_with_raw_egg_says_so_and_how_much(file_catalog):
    raw_egg_foods = {fid for fid, f in file_catalog.foods.items()
                     if "egg" in f.groups and "raw" in f.name.casefold()}
    assert "eggs" in raw_egg_foods
    found = 0
    for recipe in file_catalog.recipes.values():
        method = " ".join(recipe.method)
        for line in recipe.ingredients:
            if line.food_id not in raw_egg_foods:
                continue
            if line.heated and not re.search(RAW_EGG_DISHES, method.casefold()):
                continue
            found += 1
            assert not line.heated, f"{recipe.id}: the egg stays raw (heated = false)"
            assert "raw egg" in method.casefold(), recipe.id
            assert re.search(r"pasteuri[sz]ed", method), recipe.id
            assert re.search(rf"\b{line.grams} g\b", method), (recipe.id, "how much egg")
            assert "yolk" not in method.casefold() or "yolk" in " ".join(
                file_catalog.foods[x.food_id].name.casefold() for x in recipe.ingredients)
    assert found >= 1
