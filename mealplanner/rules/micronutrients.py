"""The nutrients a dietitian checks (constraints/micronutrients.toml): Dietary Reference
Intake minimums by sex and age, daily or as a weekly average, and the added-sugars cap."""

from __future__ import annotations

from dataclasses import dataclass

PERIODS = ("day", "week")
SEXES_OR_ANY = ("female", "male", "any")


@dataclass(frozen=True)
class IntakeValue:
    sex: str  # female, male or any
    min_age: int
    max_age: int
    value: float


@dataclass(frozen=True)
class NutrientRule:
    """A minimum a day (`period` day) or on average over the plan's days (`week`)."""

    quantity: str  # the nutrient's export name: calcium_mg
    label: str
    unit: str
    period: str
    adult_default: float
    source: str
    values: tuple[IntakeValue, ...]
    help: str = ""  # what would help when the dishes cannot reach it
    supplement: str | None = None  # the supplement that covers it (request `supplements`)
    per_kg: float | None = None  # per kg of body weight, when the weight is known
    # diets whose foods give it only when fortified: a supplement is needed (reported)
    supplement_needed_for: tuple[str, ...] = ()
    supplement_needed_over_age: int | None = None  # ... and at ages above this
    enforced: bool = False  # a weekly average the planner holds (daily ones always are)

    def needs_supplement(self, diet: str, age: int | None) -> bool:
        """Whether the person should get it from fortified foods or a supplement."""
        over = self.supplement_needed_over_age
        return diet in self.supplement_needed_for or (
            over is not None and age is not None and age > over)

    def value_for(self, sex: str | None, age: int | None, weight_kg: float | None) -> float:
        """The person's daily value: per kg of weight where the rule gives one, else the
        table's value for the sex and age, else the adult default."""
        if self.per_kg is not None and weight_kg is not None and (age or 19) >= 19:
            return round(self.per_kg * weight_kg, 1)
        if sex is not None and age is not None:
            for row in self.values:
                if row.sex in (sex, "any") and row.min_age <= age <= row.max_age:
                    return row.value
        return self.adult_default


@dataclass(frozen=True)
class SugarCap:
    quantity: str
    label: str
    max_share_of_energy: float
    kcal_per_g: float
    source: str


SUPPLEMENTS = ("b12", "vitamin_d", "iron", "omega3", "calcium")


def read_micronutrients(data: dict) -> tuple[tuple[NutrientRule, ...], SugarCap | None]:
    """The file's rules; raises ValueError naming the malformed one."""
    rules = []
    for raw in data.get("nutrients", []):
        name = raw.get("quantity", "?")
        if raw.get("period") not in PERIODS:
            raise ValueError(f"micronutrients.toml {name}: period must be one of {PERIODS}")
        supplement = raw.get("supplement")
        if supplement is not None and supplement not in SUPPLEMENTS:
            raise ValueError(f"micronutrients.toml {name}: supplement must be one of "
                             f"{', '.join(SUPPLEMENTS)}")
        values = []
        for row in raw["values"]:
            if row["sex"] not in SEXES_OR_ANY:
                raise ValueError(f"micronutrients.toml {name}: sex must be one of "
                                 f"{', '.join(SEXES_OR_ANY)}")
            values.append(IntakeValue(row["sex"], int(row["min_age"]), int(row["max_age"]),
                                      float(row["value"])))
        rules.append(NutrientRule(
            quantity=name, label=raw["label"], unit=raw["unit"], period=raw["period"],
            adult_default=float(raw["adult_default"]), source=raw["source"],
            values=tuple(values), help=raw.get("help", ""), supplement=supplement,
            per_kg=float(raw["per_kg"]) if "per_kg" in raw else None,
            supplement_needed_for=tuple(raw.get("supplement_needed_for", ())),
            enforced=bool(raw.get("enforced", raw.get("period") == "day")),
            supplement_needed_over_age=(int(raw["supplement_needed_over_age"])
                                        if "supplement_needed_over_age" in raw else None),
        ))
    sugars = data.get("added_sugars")
    cap = None
    if sugars:
        cap = SugarCap(sugars["quantity"], sugars["label"],
                       float(sugars["max_share_of_energy"]), float(sugars["kcal_per_g"]),
                       sugars["source"])
    return tuple(rules), cap
