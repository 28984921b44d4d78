"""The plan request form (Flask-WTF): the fields a person fills in, with plain labels.

WTForms only turns text into numbers; every rule on the values lives in PlanRequestSchema
(see mapping.py, which turns the form into the schema's JSON and the errors back).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields import DateField, DecimalField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from mealplanner.planner.dates import default_start_date
from mealplanner.planner.request import ACTIVITY_LEVELS, DEFAULT_PEOPLE
from mealplanner.rules import MEALS, default_rules

PANTRY_ROWS = 3
ACTIVITY_LABELS = {
    "sedentary": "Sedentary (little exercise)",
    "light": "Light (1-3 days a week)",
    "moderate": "Moderate (3-5 days a week)",
    "active": "Active (6-7 days a week)",
    "very_active": "Very active (hard daily exercise)",
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def number_field(label: str, description: str = "", **attrs) -> DecimalField:
    """A number input that keeps what was typed (DecimalField) and may be left blank."""
    return DecimalField(label, validators=[Optional()], description=description,
                        widget=NumberInput(step=attrs.pop("step", "any")), render_kw=attrs)


def int_field(label: str, description: str = "", default=None, **attrs) -> IntegerField:
    return IntegerField(label, validators=[Optional()], default=default,
                        description=description, render_kw=attrs)


class PantryRow(Form):
    food = StringField("Food", render_kw={"list": "food-names", "autocomplete": "off"})
    grams = IntegerField("Grams", validators=[Optional()], render_kw={"min": 1, "step": 1})


class PlanForm(FlaskForm):
    people = int_field("Household size", "People eating; the shopping list is scaled to them.",
                       default=DEFAULT_PEOPLE, min=1, max=12)
    days = int_field("Days", "1 to 14 days.", default=7, min=1, max=14)
    start_date = DateField("First day", validators=[Optional()], default=default_start_date,
                           description="Within a year of today. Blank: the next Monday.")
    meals = MultiCheckboxField("Meals", choices=[SelectChoice(m, m.capitalize()) for m in MEALS],
                               default=list(MEALS))
    energy_kcal = int_field("Calorie target (kcal per person a day)",
                            "Leave blank to use the body data below, or 2,000 kcal.",
                            min=1000, max=5000, step=50)
    sex = SelectField("Sex", default="", choices=[
        SelectChoice("", "Not given"), SelectChoice("female", "Female"),
        SelectChoice("male", "Male"),
    ])
    age = int_field("Age (years)", min=14, max=110)
    height_cm = number_field("Height (cm)", min=100, max=250, step=1)
    weight_kg = number_field("Weight (kg)", min=30, max=300, step="0.1")
    activity = SelectField("Activity", default="light", choices=[
        SelectChoice(a, ACTIVITY_LABELS[a]) for a in ACTIVITY_LEVELS
    ])
    diet = RadioField("Diet", default="omnivore")
    exclude_allergens = MultiCheckboxField("Leave out allergens", default=[])
    exclude_foods = StringField(
        "Foods to avoid",
        description="Separate with commas. A word leaves out every food named with it "
                    "(\u201cmushroom\u201d).",
        render_kw={"list": "food-names", "autocomplete": "off",
                   "placeholder": "e.g. mushroom, anchovies"},
    )
    budget = number_field("Weekly budget (US dollars, whole household)",
                          "Whole packages are counted, minus your pantry. Blank: no limit.",
                          min=1, max=10000, step="0.01")
    budget_basis = SelectField("The budget limits", default="checkout", choices=[
        SelectChoice("checkout", "what the shopping costs"),
        SelectChoice("eaten", "what the food we eat costs (we plan week after week)"),
    ])
    max_prep_minutes = int_field("Longest time per meal (minutes)",
                                 "Preparation plus cooking. Blank: no limit.", min=5, max=600,
                                 step=5)
    fiber_g_per_day = number_field("Fiber (g a day)", min=0, max=100, step="0.5")
    prebiotic_g_per_day = number_field("Prebiotic fiber (g a day)", min=0, max=20, step="0.5")
    fermented_servings_per_day = number_field("Live-culture fermented servings a day",
                                              min=0, max=10, step="0.5")
    plants_per_week = int_field("Different plant foods a week", min=0, max=80)
    favorite_recipes = StringField(
        "Favourite dishes", description="Dish names or ids, separated by commas.",
        render_kw={"list": "recipe-names", "autocomplete": "off"},
    )
    max_repeats = int_field("Most times one dish may appear", default=2, min=1, max=14)
    energy_tolerance = int_field("Daily energy may differ from the target by (%)", default=10,
                                 min=2, max=50)
    use_staples = BooleanField("Salt, pepper and common dried herbs and spices are on hand",
                               default=True)
    time_limit_seconds = number_field("Planner time limit (seconds)", min="0.5", max=30,
                                      step="0.5")
    pantry = FieldList(FormField(PantryRow), label="Pantry")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Empty rows to fill in. (FieldList's min_entries would re-read the form data for the
        # rows it adds after renumbering sparse rows, and so repeat a pantry item.)
        while len(self.pantry.entries) < PANTRY_ROWS:
            self.pantry.append_entry()
        rules = default_rules()
        self.diet.choices = [SelectChoice(name, diet.label) for name, diet in rules.diets.items()]
        self.exclude_allergens.choices = [SelectChoice(a.name, a.label)
                                          for a in rules.allergens.values()]
