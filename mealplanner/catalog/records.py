"""Typed records for foods and recipes, the boundary between data files, database and planner."""

from __future__ import annotations

from dataclasses import dataclass, fields

MG_PER_G = 1000
MICROUSD_PER_USD = 1_000_000


@dataclass(frozen=True)
class NutrientSpec:
    """One nutrient: its fixed-point field, the name and unit it is exported in, and how many
    fixed-point units make one exported unit (iron is held in ug and exported in mg)."""

    field: str
    name: str
    unit: str
    scale: int
    label: str


NUTRIENTS = (
    NutrientSpec("energy_kcal", "energy_kcal", "kcal", 1, "Energy"),
    NutrientSpec("protein_mg", "protein_g", "g", MG_PER_G, "Protein"),
    NutrientSpec("fat_mg", "fat_g", "g", MG_PER_G, "Fat"),
    NutrientSpec("saturated_fat_mg", "saturated_fat_g", "g", MG_PER_G, "of which saturated"),
    NutrientSpec("carbohydrate_mg", "carbohydrate_g", "g", MG_PER_G, "Carbohydrate"),
    NutrientSpec("fiber_mg", "fiber_g", "g", MG_PER_G, "Fiber"),
    NutrientSpec("sugars_mg", "sugars_g", "g", MG_PER_G, "of which sugars"),
    NutrientSpec("sodium_mg", "sodium_mg", "mg", 1, "Sodium"),
    NutrientSpec("calcium_mg", "calcium_mg", "mg", 1, "Calcium"),
    NutrientSpec("iron_ug", "iron_mg", "mg", 1000, "Iron"),
    NutrientSpec("potassium_mg", "potassium_mg", "mg", 1, "Potassium"),
    NutrientSpec("magnesium_mg", "magnesium_mg", "mg", 1, "Magnesium"),
    NutrientSpec("zinc_ug", "zinc_mg", "mg", 1000, "Zinc"),
    NutrientSpec("folate_ug", "folate_ug", "µg DFE", 1, "Folate"),
    NutrientSpec("vitamin_c_ug", "vitamin_c_mg", "mg", 1000, "Vitamin C"),
    NutrientSpec("vitamin_b12_ng", "vitamin_b12_ug", "µg", 1000, "Vitamin B12"),
    NutrientSpec("vitamin_d_ng", "vitamin_d_ug", "µg", 1000, "Vitamin D"),
    NutrientSpec("ala_mg", "ala_g", "g", MG_PER_G, "Omega-3 ALA"),
    NutrientSpec("epa_dha_mg", "epa_dha_g", "g", MG_PER_G, "Omega-3 EPA + DHA"),
    NutrientSpec("added_sugars_mg", "added_sugars_g", "g", MG_PER_G, "of which added sugars"),
)
NUTRIENT_NAMES = tuple(spec.name for spec in NUTRIENTS)  # the export names, in order


@dataclass(frozen=True)
class Nutrients:
    """Nutrients per 100 g edible portion, in fixed-point integers (USDA SR28 precision; each
    field's unit is its suffix: iron in ug, vitamin B12 in ng). None is a value USDA does not
    have: unknown, never 0. The twelve fields after sodium came later; they default to
    unknown."""

    energy_kcal: int
    protein_mg: int | None
    fat_mg: int | None
    saturated_fat_mg: int | None
    carbohydrate_mg: int | None
    fiber_mg: int | None
    sugars_mg: int | None
    sodium_mg: int | None
    calcium_mg: int | None = None
    iron_ug: int | None = None
    potassium_mg: int | None = None
    magnesium_mg: int | None = None
    zinc_ug: int | None = None
    folate_ug: int | None = None  # dietary folate equivalents (SR28 435)
    vitamin_c_ug: int | None = None
    vitamin_b12_ng: int | None = None
    vitamin_d_ng: int | None = None  # D2 + D3 (SR28 328)
    ala_mg: int | None = None
    epa_dha_mg: int | None = None
    added_sugars_mg: int | None = None

    def as_edge_units(self) -> dict[str, float | None]:
        """The export names and units (kcal, g, mg, ug) as floats; None where unknown."""
        return {spec.name: _edge(getattr(self, spec.field), spec.scale) for spec in NUTRIENTS}

    def unknown(self) -> tuple[str, ...]:
        """The export names of the nutrients USDA has no value for."""
        return tuple(spec.name for spec in NUTRIENTS if getattr(self, spec.field) is None)


def _edge(value: int | None, scale: int) -> float | None:
    return None if value is None else value / scale


NUTRIENT_FIELDS = tuple(f.name for f in fields(Nutrients))


@dataclass(frozen=True)
class Measure:
    """A USDA household measure: `amount` `description` weighs `grams`."""

    seq: int
    amount: float
    description: str
    grams: float


@dataclass(frozen=True)
class Storage:
    """How long a food keeps where the household stores it (USDA FSIS FoodKeeper)."""

    place: str  # "pantry", "fridge" or "freezer"
    keeps_days: int  # from purchase, unopened, kept at `place`
    opened_days: int  # once opened (fresh produce: the same as keeps_days)
    foodkeeper_id: int | None
    source: str


@dataclass(frozen=True)
class FoodRecord:
    id: str
    name: str
    ndb_no: str
    usda_description: str
    groups: tuple[str, ...]
    allergens: tuple[str, ...]
    aisle: str
    package_g: int
    package: str
    staple: bool
    refuse_pct: int
    nutrients: Nutrients
    prebiotic_mg_per_100g: int
    prebiotic_source: str | None
    fermented: bool
    live_cultures: bool
    fermented_serving_g: int | None
    fermented_source: str | None
    price_per_100g_microusd: int
    price_year: int
    price_source: str
    # True when no record of this food in this state exists and another food's price is used.
    price_is_proxy: bool = False
    measures: tuple[Measure, ...] = ()
    storage: Storage | None = None
    # The refuse of the package as it is sold (foods/pack_yields.csv): 0 for shelled nuts and
    # ready-to-eat bags, whose SR28 refuse (shells, stems) never reaches the kitchen. None on
    # construction means SR28's refuse_pct; after construction it is always a number.
    refuse_pct_as_sold: int | None = None
    # Grams of the cooked food one gram of the package as sold gives, refuse and cooking loss
    # or gain together (foods/cooking_yields.csv), for a food weighed cooked and bought raw: a
    # 1000 g cauliflower head gives 893 g of cooked cauliflower. None for every other food.
    cooked_g_per_g_as_sold: float | None = None
    # The prebiotic figure is the raw food's (prebiotics.csv `measured = raw`): a dish that
    # cooks the food keeps only part of it (rules gut.prebiotic_cooked_retention).
    prebiotic_measured_raw: bool = False
    # Where the added-sugars figure comes from (FPED record, or SR28's 0 g total sugars), or
    # why it is unknown (foods/usda/nutrients.csv); None when nothing says.
    added_sugars_source: str | None = None
    # The food a shopper buys to get this one (foods/parts.csv): lemon juice and zest come
    # from a lemon, and the shopping list buys them on the lemon's line. None for most foods.
    part_of: str | None = None

    def __post_init__(self) -> None:
        if self.refuse_pct_as_sold is None:
            object.__setattr__(self, "refuse_pct_as_sold", self.refuse_pct)

    @property
    def edible_g_per_100g_as_sold(self) -> float:
        """Grams as eaten that 100 g of the package as sold gives: the cooked yield of a food
        weighed cooked and bought raw, else what its refuse as sold leaves. The one figure
        behind every package's edible grams (the planner, its checker, the purchases and the
        shopping list all start from it)."""
        if self.cooked_g_per_g_as_sold is not None:
            return self.cooked_g_per_g_as_sold * 100
        refuse = self.refuse_pct if self.refuse_pct_as_sold is None else self.refuse_pct_as_sold
        return 100 - refuse

    @property
    def package_edible_g(self) -> int:
        """Edible grams in one package as sold: what is left after the refuse the package
        carries (peel, bones, shells still on), not SR28's refuse of the whole food; for a
        food weighed cooked and bought raw, the cooked grams the raw package gives."""
        return max(1, round(self.package_g * self.edible_g_per_100g_as_sold / 100))

    @property
    def keeps_after_opening_days(self) -> int | None:
        """Days a package lasts once opened: never longer than it keeps unopened."""
        if self.storage is None:
            return None
        return min(self.storage.keeps_days, self.storage.opened_days)

    @property
    def package_price_cents(self) -> int:
        """Price of one package: its edible grams as sold times the price per edible gram."""
        return max(1, round(self.price_per_100g_microusd * self.package_edible_g / 100 / 10_000))


@dataclass(frozen=True)
class IngredientLine:
    """One ingredient of a recipe, per serving. `heated`: whether the dish cooks it (a yogurt
    stirred into the sauce) or adds it raw or after cooking (a dollop on top); live cultures
    count only when it is not heated."""

    food_id: str
    grams: int
    heated: bool = True


@dataclass(frozen=True)
class RecipeRecord:
    id: str
    name: str
    cuisine: str
    meal_types: tuple[str, ...]
    prep_minutes: int
    cook_minutes: int
    ingredients: tuple[IngredientLine, ...]
    method: tuple[str, ...]

    @property
    def total_minutes(self) -> int:
        return self.prep_minutes + self.cook_minutes
