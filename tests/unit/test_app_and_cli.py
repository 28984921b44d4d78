"""The service foundation: app factory, migrations on SQLite and PostgreSQL, seeding, exports."""

from __future__ import annotations

import json
import shutil

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from mealplanner import create_app
from mealplanner.database import ensure_database
from mealplanner.extensions import db
from mealplanner.paths import foods_dir
from tests.conftest import POSTGRES_URL, postgres_database
from tests.unit.reseeding import after_restart

FOOD_FIELDS = {"id", "name", "ndb_no", "nutrients_per_100g", "prebiotic_g_per_100g",
               "fermented", "live_cultures", "allergens", "groups", "package_g",
               "package_price", "aisle", "storage"}
NUTRIENT_FIELDS = {"energy_kcal", "protein_g", "fat_g", "saturated_fat_g", "carbohydrate_g",
                   "fiber_g", "sugars_g", "sodium_mg", "calcium_mg", "iron_mg", "potassium_mg",
                   "magnesium_mg", "zinc_mg", "folate_ug", "vitamin_c_mg", "vitamin_b12_ug",
                   "vitamin_d_ug", "ala_g", "epa_dha_g", "added_sugars_g"}
RECIPE_FIELDS = {"id", "name", "cuisine", "meal_types", "prep_minutes", "cook_minutes",
                 "ingredients", "nutrients_per_serving", "allergens", "diets"}


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_default_database_is_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("MEALPLANNER_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/mealplanner.sqlite")


def test_configuration_from_environment(monkeypatch):
    monkeypatch.setenv("MEALPLANNER_DATABASE_URL", "postgres://u@127.0.0.1/x")
    monkeypatch.setenv("MEALPLANNER_SECRET_KEY", "s3cret")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql://u@127.0.0.1/x"
    assert app.config["SECRET_KEY"] == "s3cret"


def test_instance_config_file_is_read_between_defaults_and_test_config(monkeypatch, tmp_path):
    monkeypatch.setenv("MEALPLANNER_SECRET_KEY", "from-the-environment")
    monkeypatch.delenv("MEALPLANNER_PLANNER_SLOTS", raising=False)
    (tmp_path / "config.py").write_text(
        'SECRET_KEY = "from-the-instance-file"\n'
        'MEALPLANNER_PLANNER_SLOTS = 3\n'
        'MEALPLANNER_RATE_LIMIT = "5 per second"\n'
        'MEALPLANNER_ENV = "production"\n'
        'SQLALCHEMY_DATABASE_URI = "postgres://u@127.0.0.1/instance"\n')
    app = create_app({"TESTING": True, "MEALPLANNER_RATE_LIMIT": "7 per second"},
                     instance_path=str(tmp_path))
    assert app.instance_path == str(tmp_path)
    assert app.config["SECRET_KEY"] == "from-the-instance-file"  # the file beats the environment
    assert app.config["MEALPLANNER_PLANNER_SLOTS"] == 3
    assert app.config["MEALPLANNER_RATE_LIMIT"] == "7 per second"  # the test config beats it
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql://u@127.0.0.1/instance"
    assert app.config["SESSION_COOKIE_SECURE"] is True  # production, set in the file
    with app.app_context():
        from mealplanner.plans.capacity import capacity

        assert capacity().slots == 3


def test_without_an_instance_config_file_the_defaults_hold(monkeypatch, tmp_path):
    monkeypatch.delenv("MEALPLANNER_PLANNER_SLOTS", raising=False)
    monkeypatch.delenv("MEALPLANNER_ENV", raising=False)
    app = create_app({"TESTING": True}, instance_path=str(tmp_path))
    assert app.config["MEALPLANNER_PLANNER_SLOTS"] == 1
    assert not app.config["SESSION_COOKIE_SECURE"]


def _migrate_empty_database(url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        upgrade()  # idempotent
        tables = set(sa.inspect(db.engine).get_table_names())
        ensure_database()
        foods = db.session.scalar(sa.text("SELECT count(*) FROM food"))
        recipes = db.session.scalar(sa.text("SELECT count(*) FROM recipe"))
        db.session.remove()
        db.engine.dispose()
    return tables, foods, recipes


def test_migrations_upgrade_an_empty_sqlite_database(tmp_path):
    tables, foods, recipes = _migrate_empty_database(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    assert {"food", "food_measure", "recipe", "recipe_ingredient", "plan",
            "alembic_version"} <= tables
    assert foods >= 350 and recipes >= 180


@pytest.mark.postgres
def test_migrations_upgrade_an_empty_postgresql_database():
    if not POSTGRES_URL:
        pytest.skip("set MEALPLANNER_TEST_POSTGRES_URL to run against PostgreSQL")
    url, drop = postgres_database(POSTGRES_URL)
    try:
        tables, foods, recipes = _migrate_empty_database(url)
    finally:
        drop()
    assert {"food", "recipe", "plan"} <= tables
    assert foods >= 350 and recipes >= 180


@pytest.mark.slow  # seeds the whole food database twice
def test_seed_is_repeatable(runner):
    first = runner.invoke(args=["db", "seed"])
    second = runner.invoke(args=["db", "seed"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Seeded" in second.output


def test_export_foods_contract(runner):
    result = runner.invoke(args=["export", "foods"])
    assert result.exit_code == 0, result.output
    foods = json.loads(result.stdout)
    assert len(foods) >= 350
    for food in foods:
        assert FOOD_FIELDS <= set(food)
        assert set(food["nutrients_per_100g"]) == NUTRIENT_FIELDS
    garlic = next(f for f in foods if f["id"] == "garlic")
    assert garlic["ndb_no"] == "11215"
    assert garlic["nutrients_per_100g"]["energy_kcal"] == 149
    assert garlic["prebiotic_g_per_100g"] == 12.5
    assert garlic["storage"]["place"] == "pantry" and garlic["storage"]["foodkeeper_id"] == 285


def test_export_recipes_contract(runner):
    result = runner.invoke(args=["export", "recipes"])
    assert result.exit_code == 0, result.output
    recipes = json.loads(result.stdout)
    assert len(recipes) >= 180
    for recipe in recipes:
        assert RECIPE_FIELDS <= set(recipe)
        for ingredient in recipe["ingredients"]:
            assert {"food_id", "ndb_no", "grams"} <= set(ingredient)


def test_users_add_their_own_foods_and_recipes_through_the_same_loader(tmp_path):
    extra = tmp_path / "my-foods"
    (extra / "ingredients").mkdir(parents=True)
    (extra / "recipes").mkdir()
    shutil.copy(foods_dir() / "ingredients" / "spices.csv", tmp_path / "unused.csv")
    (extra / "ingredients" / "mine.csv").write_text(
        "id,name,ndb_no,groups,allergens,aisle,package_g,package,staple\n"
        "purple_garlic,Purple garlic,11215,vegetable;herb_spice,,produce,60,head,\n",
        encoding="utf-8",
    )
    (extra / "prices.csv").write_text(
        "food_id,price_per_100g_usd,price_year,source,source_year,cpi_factor\n"
        "purple_garlic,1.50,2024,Farmers market receipt 2024,2024,1\n",
        encoding="utf-8",
    )
    (extra / "recipes" / "mine.toml").write_text(
        '[[recipe]]\nid = "garlic-toast"\nname = "Garlic toast"\ncuisine = "Spanish"\n'
        'meal_types = ["snack"]\nprep_minutes = 5\ncook_minutes = 3\n'
        'ingredients = [{ food = "purple_garlic", grams = 5 }, '
        '{ food = "whole_wheat_bread", grams = 60 }, { food = "olive_oil", grams = 5 }]\n'
        'method = ["Toast the bread.", "Rub with garlic and drizzle with oil."]\n',
        encoding="utf-8",
    )
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}",
                      "MEALPLANNER_EXTRA_FOODS_DIR": str(extra)})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    result = runner.invoke(args=["db", "seed"])
    assert result.exit_code == 0, result.output
    recipes = json.loads(runner.invoke(args=["export", "recipes"]).stdout)
    toast = next(r for r in recipes if r["id"] == "garlic-toast")
    assert set(toast["allergens"]) == {"wheat", "gluten"}
    assert "vegan" in toast["diets"]
    with app.app_context():
        db.engine.dispose()


def test_a_broken_user_file_names_the_file_and_field(tmp_path):
    extra = tmp_path / "bad"
    (extra / "ingredients").mkdir(parents=True)
    (extra / "ingredients" / "bad.csv").write_text(
        "id,name,ndb_no,groups,allergens,aisle,package_g,package,staple\n"
        "odd_food,Odd,11215,vegetable,nuts,produce,60,head,\n",
        encoding="utf-8",
    )
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'y.sqlite'}",
                      "MEALPLANNER_EXTRA_FOODS_DIR": str(extra)})
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "upgrade"])
    result = runner.invoke(args=["db", "seed"])
    assert result.exit_code == 1
    assert "ingredients/bad.csv:2" in result.output
    assert "unknown allergen 'nuts'" in result.output and "tree_nuts" in result.output
    with app.app_context():
        db.engine.dispose()


def test_models_and_migrations_agree(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert diff == []


@pytest.mark.slow  # starts the server in a subprocess
def test_serve_creates_seeds_and_answers(tmp_path):
    """`mealplanner serve` on a fresh machine: migrates, seeds, and serves pages and the API."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MEALPLANNER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}"}
    server = subprocess.Popen(
        [sys.executable, "-c", "from mealplanner.cli import main; main()", "serve",
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/recipes?page_size=1") as r:
            assert len(json.load(r)) == 1
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_storage_times_is_seeded_again(tmp_path):
    """Foods stored before migration 0003 have no storage time: the next start reloads them."""
    [missing] = after_restart(
        tmp_path, ["UPDATE food SET storage_place = NULL, storage_keeps_days = NULL, "
                   "storage_opened_days = NULL"],
        ["SELECT count(*) FROM food WHERE storage_place IS NULL"])
    assert missing == 0


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_heated_ingredients_is_seeded_again(tmp_path):
    """Ingredients stored before migration 0007 all read as heated (no live cultures from a
    no-cook dish): the next start reloads them."""
    [unheated] = after_restart(
        tmp_path, ["UPDATE recipe_ingredient SET heated = 1"],
        ["SELECT count(*) FROM recipe_ingredient WHERE heated = 0"])
    assert unheated > 0


@pytest.mark.slow  # seeds the whole food database twice
def test_a_database_seeded_before_raw_prebiotic_figures_is_seeded_again(tmp_path):
    """Foods stored before migration 0008 read no prebiotic figure as the raw food's (cooked
    onion counted as raw): the next start reloads them."""
    [onion] = after_restart(
        tmp_path, ["UPDATE food SET prebiotic_measured_raw = 0"],
        ["SELECT prebiotic_measured_raw FROM food WHERE id = 'onion'"])
    assert onion
