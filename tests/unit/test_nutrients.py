"""The nutrients a dietitian checks, imported from USDA (SR28 and FPED), and values USDA does
not have kept unknown (never 0) from the files through the database to the API and totals.

USDA's own files are read here with this module's own parser, not the import code's."""

from __future__ import annotations

import copy
import csv
import dataclasses

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from mealplanner import create_app
from mealplanner.catalog.records import NUTRIENT_NAMES, NUTRIENTS, Nutrients
from mealplanner.catalog.store import Catalog
from mealplanner.catalog.usda_table import read_usda_foods
from mealplanner.extensions import db
from mealplanner.paths import foods_dir
from mealplanner.planner.candidates import build_candidates
from mealplanner.planner.checker import check_plan
from mealplanner.planner.pipeline import make_plan
from mealplanner.planner.report import DAILY_FIELDS
from mealplanner.planner.request import PlanRequest
from tests.conftest import POSTGRES_URL, postgres_database
from tests.unit.reseeding import after_restart

# The 13 names a dietitian checks (issue 14), as the export spells them.
DIETITIAN = ("protein_g", "calcium_mg", "iron_mg", "potassium_mg", "magnesium_mg", "zinc_mg",
             "folate_ug", "vitamin_c_mg", "vitamin_b12_ug", "vitamin_d_ug", "ala_g",
             "epa_dha_g", "added_sugars_g")
# Columns copied from one SR28 nutrient (NUTR_DEF.txt numbers).
SR28_NUMBER = {"energy_kcal": "208", "protein_g": "203", "fat_g": "204",
               "saturated_fat_g": "606", "carbohydrate_g": "205", "fiber_g": "291",
               "sugars_g": "269", "sodium_mg": "307", "calcium_mg": "301", "iron_mg": "303",
               "potassium_mg": "306", "magnesium_mg": "304", "zinc_mg": "309",
               "folate_ug": "435", "vitamin_c_mg": "401", "vitamin_b12_ug": "418",
               "vitamin_d_ug": "328"}
SCALE = {spec.name: spec.scale for spec in NUTRIENTS}
FIELD = {spec.name: spec.field for spec in NUTRIENTS}


@pytest.fixture(scope="module")
def stored():
    return read_usda_foods(foods_dir() / "usda" / "nutrients.csv")


@pytest.fixture(scope="module")
def nut_data(usda_dir, stored):
    """NUT_DATA.txt values by NDB number and nutrient number, for the stored foods only."""
    values: dict[str, dict[str, float]] = {n: {} for n in stored}
    with open(usda_dir / "NUT_DATA.txt", encoding="latin-1") as handle:
        for line in handle:
            fields = [f.strip("~") for f in line.rstrip("\r\n").split("^")]
            if fields[0] in values:
                values[fields[0]][fields[1]] = float(fields[2])
    return values


def value(food, name):
    """A stored nutrient in export units, None when unknown."""
    fixed = getattr(food.nutrients, FIELD[name])
    return None if fixed is None else fixed / SCALE[name]


def expected_from_sr28(name, data):
    """What SR28 gives for a column: None where it has no NUT_DATA row."""
    if name in SR28_NUMBER:
        return data.get(SR28_NUMBER[name])
    if name == "ala_g":  # ALA where SR28 gives it, else 18:3 undifferentiated
        return data.get("851", data.get("619"))
    if name == "epa_dha_g":
        if "629" in data and "621" in data:
            return data["629"] + data["621"]
        return None
    raise AssertionError(name)


@pytest.mark.usda
def test_no_stored_nutrient_is_zero_where_sr28_has_no_value(stored, nut_data):
    unknown = {name: 0 for name in SR28_NUMBER}
    for ndb_no, food in stored.items():
        for name in (*SR28_NUMBER, "ala_g", "epa_dha_g"):
            expected = expected_from_sr28(name, nut_data[ndb_no])
            got = value(food, name)
            if expected is None:
                assert got is None, f"{ndb_no} {name}: {got}, but SR28 has no value"
                unknown[name] = unknown.get(name, 0) + 1
            else:
                assert got == pytest.approx(expected, abs=0.5 / SCALE[name]), (ndb_no, name)
    # The foods the dietitian found stored as zero: unknown now.
    assert stored["16114"].nutrients.fiber_mg is None  # tempeh
    assert stored["11003"].nutrients.fiber_mg is None  # amaranth greens
    assert unknown["sugars_g"] and unknown["saturated_fat_g"] and unknown["fiber_g"]


@pytest.mark.usda
def test_the_new_nutrients_of_known_foods_are_sr28s(file_catalog, nut_data):
    foods = file_catalog.foods
    salmon = foods["salmon_raw"]
    assert salmon.ndb_no == "15236"  # Atlantic, farmed, raw
    epa, dha = nut_data["15236"]["629"], nut_data["15236"]["621"]
    assert (epa, dha) == (0.862, 1.104)
    assert salmon.nutrients.as_edge_units()["epa_dha_g"] == pytest.approx(1.966)
    assert salmon.nutrients.as_edge_units()["vitamin_b12_ug"] == 3.23
    spinach = foods["spinach_raw"].nutrients.as_edge_units()
    assert spinach["iron_mg"] == nut_data["11457"]["303"] == 2.71
    assert spinach["folate_ug"] == nut_data["11457"]["435"] == 194
    milk = foods["milk_whole"].nutrients.as_edge_units()
    assert milk["calcium_mg"] == nut_data["01077"]["301"] == 113
    assert milk["vitamin_d_ug"] == nut_data["01077"]["328"] == 1.3
    assert foods["chia_seeds"].nutrients.as_edge_units()["ala_g"] == nut_data["12006"]["851"]
    tempeh = foods["tempeh"].nutrients.as_edge_units()
    assert tempeh["fiber_g"] is None and tempeh["sugars_g"] is None
    assert tempeh["calcium_mg"] == 111 and tempeh["epa_dha_g"] is None


def _fped(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return {row["FOODCODE"]: float(row["ADD_SUGARS (tsp. eq.)"])
                for row in csv.DictReader(handle)}


def _links():
    with open(foods_dir() / "price_links.csv", encoding="utf-8", newline="") as handle:
        return {row["food_id"]: row for row in csv.DictReader(handle)}


@pytest.mark.usda
def test_added_sugars_are_fpeds_teaspoons_times_4_2_g(file_catalog, fped_csv):
    fped, links = _fped(fped_csv), _links()
    honey = file_catalog.foods["honey"]
    assert links["honey"]["key"] == "91302010" and fped["91302010"] == 19.55
    assert honey.nutrients.added_sugars_mg == round(19.55 * 4.2 * 1000)  # 82.11 g
    own = {}  # food id -> added sugars from its own FPED record (not a proxy's)
    for food in file_catalog.foods.values():
        link = links[food.id]
        if (link["source"] == "pp_nap" and link["proxy"] != "yes" and "@" not in link["key"]
                and link["key"] in fped):
            own[food.id] = fped[link["key"]] * 4.2 * float(link["factor"] or 1)
    from_fped = 0
    for food in file_catalog.foods.values():
        got, sugars = value(food, "added_sugars_g"), value(food, "sugars_g")
        same_entry = {own[f.id] for f in file_catalog.foods.values()
                      if f.ndb_no == food.ndb_no and f.id in own}
        if len(same_entry) == 1 and (sugars is None or min(same_entry) <= sugars + 0.1):
            assert got == pytest.approx(min(same_entry), abs=0.001), food.id
            assert food.added_sugars_source.startswith("FPED 2017-2018 FNDDS "), food.id
            from_fped += 1
        else:  # no record of its own, or one with more added sugars than the food has sugars
            assert got == (0 if sugars == 0 else None), food.id
    assert from_fped > 250
    # Whole-wheat crackers are priced as woven wheat crackers: 8.4 g added, 1.2 g sugars.
    assert file_catalog.foods["crackers_whole_wheat"].nutrients.added_sugars_mg is None


def test_the_database_keeps_unknown_values_unknown(catalog, file_catalog):
    for food_id, food in file_catalog.foods.items():
        assert catalog.foods[food_id].nutrients == food.nutrients, food_id
        assert catalog.foods[food_id].added_sugars_source == food.added_sugars_source
    assert catalog.foods["tempeh"].nutrients.fiber_mg is None


def test_the_api_and_export_give_the_13_names_with_null_where_unknown(client, runner,
                                                                      file_catalog):
    import json

    exported = {f["id"]: f for f in json.loads(runner.invoke(args=["export", "foods"]).stdout)}
    for food_id, food in file_catalog.foods.items():
        per_100g = exported[food_id]["nutrients_per_100g"]
        assert set(DIETITIAN) <= set(per_100g)
        for name in NUTRIENT_NAMES:
            assert (per_100g[name] is None) == (name in food.nutrients.unknown()), food_id
    tempeh = client.get("/api/v1/foods/tempeh").get_json()
    assert tempeh["nutrients_per_100g"]["fiber_g"] is None
    assert tempeh["nutrients_per_100g"]["calcium_mg"] == 111
    assert exported["tempeh"]["nutrients_per_100g"] == tempeh["nutrients_per_100g"]
    salmon = client.get("/api/v1/foods/salmon_raw").get_json()["nutrients_per_100g"]
    assert all(salmon[name] is not None for name in DIETITIAN)
    spec = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert set(DIETITIAN) <= set(spec["Nutrients"]["properties"])
    assert "nutrients_lower_bound" in spec["Recipe"]["properties"]


def test_recipe_totals_with_an_unknown_value_are_lower_bounds(client, file_catalog):
    rid = next(r.id for r in file_catalog.recipes.values()
               if any(line.food_id == "tempeh" for line in r.ingredients))
    facts = file_catalog.facts[rid]
    assert "fiber_g" in facts.lower_bound and "tempeh" in facts.unknown["fiber_g"]
    document = client.get(f"/api/v1/recipes/{rid}").get_json()
    assert "fiber_g" in document["nutrients_lower_bound"]
    assert "tempeh" in document["unknown_nutrient_foods"]["fiber_g"]
    assert document["nutrients_per_serving"]["fiber_g"] == facts.nutrients["fiber_g"]
    page = client.get(f"/recipes/{rid}").get_data(as_text=True)
    assert "≥ " in page and "fiber in Tempeh" in page
    assert "unknown" in client.get("/foods/tempeh").get_data(as_text=True)
    known = next(r for r in file_catalog.recipes.values() if not file_catalog.facts[r.id].unknown)
    assert client.get(f"/api/v1/recipes/{known.id}").get_json()["nutrients_lower_bound"] == []


def test_the_plans_daily_totals_say_which_are_lower_bounds(file_catalog):
    request = PlanRequest(days=2, diet="vegan")
    outcome = make_plan(request, file_catalog)
    assert outcome.ok
    for day in outcome.document["days"]:
        assert set(DIETITIAN) <= set(day["totals"])
        unknown = {name for meal in day["meals"]
                   for name in file_catalog.facts[meal["recipe_id"]].unknown}
        assert day["totals_lower_bound"] == [n for n in DAILY_FIELDS if n in unknown]
    assert any(day["totals_lower_bound"] for day in outcome.document["days"])
    tampered = copy.deepcopy(outcome.document)
    for day in tampered["days"]:
        day["totals_lower_bound"] = []
    assert check_plan(outcome.document, request, file_catalog) == []
    assert any("totals_lower_bound" in p for p in check_plan(tampered, request, file_catalog))


def test_the_planner_counts_an_unknown_value_as_zero(file_catalog):
    """The planner's figures are those of a catalog where every unknown value is 0 (as every
    one was stored before): plans for the foods whose values are known do not change."""
    zeroed = {
        food_id: dataclasses.replace(food, nutrients=Nutrients(**{
            f.field: getattr(food.nutrients, f.field) or 0 for f in NUTRIENTS}))
        for food_id, food in file_catalog.foods.items()}
    as_zero = Catalog(zeroed, file_catalog.recipes, file_catalog.rules)
    for request in (PlanRequest(days=7), PlanRequest(days=7, diet="vegan")):
        assert (build_candidates(request, file_catalog).figures
                == build_candidates(request, as_zero).figures)


def test_lupini_beans_are_the_salted_sr28_entry(file_catalog, stored):
    lupini = file_catalog.foods["lupini_beans"]
    assert lupini.ndb_no == "16377"
    assert stored["16377"].description == "Lupins, mature seeds, cooked, boiled, with salt"
    assert lupini.nutrients.sodium_mg == 240  # not the 4 mg of "without salt" (16077)
    assert "16077" not in stored
    readme = (foods_dir() / "README.md").read_text(encoding="utf-8")
    assert "16377" in readme and "brine" in readme


# The database: migration 0007 and re-seeding an older database ------------------------------


def _dummy(column):
    """A value of the column's type, for the NOT NULL columns of a test row."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float):
        return 1.0
    if isinstance(kind, sa.JSON):
        return []
    return "x"


def _food_columns():
    return {c["name"]: c for c in sa.inspect(db.engine).get_columns("food")}


def _migration_0007_up_down_up_with_an_unknown_value(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        food = sa.Table("food", sa.MetaData(), autoload_with=db.engine)
        row = {c.name: _dummy(c) for c in food.columns if not c.nullable}
        row.update(id="test_food", fiber_mg=None, calcium_mg=120)
        db.session.execute(food.insert().values(**row))
        db.session.commit()
        assert _food_columns()["fiber_mg"]["nullable"]
        assert not _food_columns()["energy_kcal"]["nullable"]

        downgrade(revision="0008_prebiotic_measured_raw")
        columns = _food_columns()
        assert "calcium_mg" not in columns and "added_sugars_source" not in columns
        assert not columns["fiber_mg"]["nullable"]  # as before 0009: unknown stored as 0
        fiber = db.session.scalar(sa.text("SELECT fiber_mg FROM food WHERE id = 'test_food'"))
        db.session.commit()  # a reading transaction would hold the table the migration alters
        assert fiber == 0

        upgrade()
        columns = _food_columns()
        assert columns["fiber_mg"]["nullable"] and "vitamin_b12_ng" in columns
        calcium = db.session.scalar(sa.text("SELECT calcium_mg FROM food WHERE id = 'test_food'"))
        assert calcium is None
        version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        assert version == "0010_job"
        db.session.remove()
        db.engine.dispose()


def test_migration_0009_up_down_up_on_sqlite(tmp_path):
    _migration_0007_up_down_up_with_an_unknown_value(f"sqlite:///{tmp_path / 'n.sqlite'}")


@pytest.mark.postgres
def test_migration_0009_up_down_up_on_postgresql():
    if not POSTGRES_URL:
        pytest.skip("set MEALPLANNER_TEST_POSTGRES_URL to run against PostgreSQL")
    url, drop = postgres_database(POSTGRES_URL)
    try:
        _migration_0007_up_down_up_with_an_unknown_value(url)
    finally:
        drop()


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_micronutrients_is_seeded_again(tmp_path):
    """Foods stored before migration 0009 have no calcium and read unknown values as 0: the
    next start reloads them."""
    fiber, calcium = after_restart(
        tmp_path, ["UPDATE food SET calcium_mg = NULL, iron_ug = NULL, added_sugars_mg = NULL",
                   "UPDATE food SET fiber_mg = 0 WHERE id = 'tempeh'"],
        ["SELECT fiber_mg FROM food WHERE id = 'tempeh'",
         "SELECT calcium_mg FROM food WHERE id = 'milk_whole'"])
    assert fiber is None and calcium == 113
