"""The plan request form <-> PlanRequestSchema's JSON, in both directions, and its errors.

`request_payload` builds the JSON the schema loads (validation lives in one place),
`apply_errors` puts the schema's and the planner's messages back beside the fields, and
`form_data` turns a stored or suggested request back into form values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from mealplanner.web.forms import PANTRY_ROWS, PlanForm

# Nested request fields -> form field names.
NESTED = {
    "profile": {"sex": "sex", "age": "age", "height_cm": "height_cm", "weight_kg": "weight_kg",
                "activity": "activity"},
    "targets": {"fiber_g_per_day": "fiber_g_per_day", "prebiotic_g_per_day": "prebiotic_g_per_day",
                "fermented_servings_per_day": "fermented_servings_per_day",
                "plants_per_week": "plants_per_week"},
    "budget": {"amount": "budget", "currency": "budget", "basis": "budget_basis"},
}
# Schema messages that read better beside a form field, by the request field they concern.
MISSING = "Missing data for required field."
FRIENDLIER = {
    ("profile", MISSING): "Needed with the other body data.",
    ("pantry", MISSING): "Needed for each pantry food.",
    ("meals", "Length must be between 1 and 4."): "Choose at least one meal.",
}


# Form -> request JSON -------------------------------------------------------------------

def split_terms(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[,;\n]", text or "") if t.strip()]


def _num(value):
    """Decimal from the form -> int or float for the JSON schema."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def request_payload(form: PlanForm) -> tuple[dict[str, Any], list[int]]:
    """The JSON request for PlanRequestSchema and, per pantry item, its form row."""
    payload: dict[str, Any] = {
        "meals": list(form.meals.data or []),
        "diet": form.diet.data,
        "exclude_allergens": list(form.exclude_allergens.data or []),
        "exclude_foods": split_terms(form.exclude_foods.data),
        "favorite_recipes": split_terms(form.favorite_recipes.data),
        "use_staples": bool(form.use_staples.data),
    }
    for name in ("people", "days", "energy_kcal", "max_prep_minutes", "max_repeats"):
        if getattr(form, name).data is not None:
            payload[name] = getattr(form, name).data
    if form.start_date.data is not None:
        payload["start_date"] = form.start_date.data.isoformat()
    if form.energy_tolerance.data is not None:
        payload["energy_tolerance"] = form.energy_tolerance.data / 100
    if form.time_limit_seconds.data is not None:
        payload["time_limit_seconds"] = _num(form.time_limit_seconds.data)
    profile = {"sex": form.sex.data or None, "age": form.age.data,
               "height_cm": _num(form.height_cm.data), "weight_kg": _num(form.weight_kg.data)}
    if any(v is not None for v in profile.values()):
        payload["profile"] = {k: v for k, v in profile.items() if v is not None}
        payload["profile"]["activity"] = form.activity.data
    targets = {name: _num(getattr(form, name).data) for name in NESTED["targets"]}
    if any(v is not None for v in targets.values()):
        payload["targets"] = targets
    if form.budget.data is not None:
        payload["budget"] = {"amount": _num(form.budget.data), "currency": "USD",
                             "basis": form.budget_basis.data or "checkout"}
    pantry, rows = [], []
    for index, row in enumerate(form.pantry.entries):
        food, grams = (row.form.food.data or "").strip(), row.form.grams.data
        if food or grams is not None:
            item = {"food": food}
            if grams is not None:
                item["grams"] = grams
            pantry.append(item)
            rows.append(index)
    payload["pantry"] = pantry
    return payload, rows


# Errors back onto the form -------------------------------------------------------------

def flatten(messages: Any, field: str = "") -> list[str]:
    """marshmallow messages (lists, or dicts by index or field) as a flat list of strings."""
    if isinstance(messages, str):
        return [FRIENDLIER.get((field, messages), messages)]
    if isinstance(messages, Mapping):
        return [m for value in messages.values() for m in flatten(value, field)]
    return [m for value in messages for m in flatten(value, field)]


def _add(field, messages: list[str]) -> None:
    field.errors = [*field.errors, *[m for m in messages if m not in field.errors]]


def apply_errors(form: PlanForm, messages: Mapping[str, Any], pantry_rows: list[int]) -> None:
    """Put each schema or planner message beside its field ('pantry.0.food' style keys too)."""
    for key, value in messages.items():
        name, _, rest = str(key).partition(".")
        if rest:  # RequestError fields: "pantry.0.food", "exclude_foods.2"
            value = _nest(rest.split("."), value)
        if name in NESTED and isinstance(value, Mapping):
            for sub, sub_messages in value.items():
                _add(form[NESTED[name].get(sub, next(iter(NESTED[name].values())))],
                     flatten(sub_messages, name))
        elif name == "pantry" and isinstance(value, Mapping):
            for index, row_messages in value.items():
                row = pantry_rows[int(index)] if str(index).isdigit() and \
                    int(index) < len(pantry_rows) else None
                if row is None or row >= len(form.pantry.entries):
                    form.form_errors.extend(flatten(row_messages, name))
                    continue
                entry = form.pantry.entries[row].form
                for sub, sub_messages in (row_messages.items()
                                          if isinstance(row_messages, Mapping)
                                          else [("food", row_messages)]):
                    _add(entry[sub] if sub in ("food", "grams") else entry.food,
                         flatten(sub_messages, name))
        elif name in form._fields and name != "csrf_token":
            _add(form[name], flatten(value, name))
        else:
            form.form_errors.extend(flatten(value, name))


def _nest(path: list[str], value: Any) -> Any:
    for part in reversed(path):
        value = {part: value}
    return value


ADVANCED = ("fiber_g_per_day", "prebiotic_g_per_day", "fermented_servings_per_day",
            "plants_per_week", "favorite_recipes", "time_limit_seconds")


def advanced_in_use(form: PlanForm) -> bool:
    """Open the advanced section when it holds a value or an error, so nothing is hidden."""
    fields = [form[name] for name in ADVANCED] + [form.max_repeats, form.energy_tolerance,
                                                  form.use_staples]
    changed = any(f.data not in (None, "") for f in fields[:len(ADVANCED)])
    changed |= form.max_repeats.data not in (None, 2) or form.energy_tolerance.data not in (
        None, 10) or form.use_staples.data is False
    pantry = any(e.form.food.data or e.form.grams.data is not None or e.form.errors
                 for e in form.pantry.entries)
    return changed or pantry or any(f.errors for f in fields)


def error_fields(form: PlanForm) -> list[tuple[str, str, list[str]]]:
    """(input id, label, messages) of every field with errors, for the summary at the top."""
    found = []
    for field in form:
        if field.name == "pantry":
            for entry in field.entries:
                for sub in entry.form:
                    if sub.errors:
                        found.append((sub.id, f"Pantry: {sub.label.text}", list(sub.errors)))
        elif field.errors and field.name != "csrf_token":
            target = f"{field.id}-0" if field.type in ("RadioField", "MultiCheckboxField") \
                else field.id
            found.append((target, field.label.text, list(field.errors)))
    return found


# Request JSON -> form values -----------------------------------------------------------

def form_data(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Form values for a stored or suggested request (the inverse of request_payload)."""
    profile = payload.get("profile") or {}
    targets = payload.get("targets") or {}
    budget = payload.get("budget") or {}
    data: dict[str, Any] = {
        name: payload.get(name)
        for name in ("people", "days", "meals", "energy_kcal", "diet", "exclude_allergens",
                     "max_prep_minutes", "max_repeats", "use_staples", "time_limit_seconds")
        if payload.get(name) is not None
    }
    data.update({form_name: profile.get(key) for key, form_name in NESTED["profile"].items()
                 if profile.get(key) is not None})
    data.update({name: targets.get(name) for name in NESTED["targets"]
                 if targets.get(name) is not None})
    if budget.get("amount") is not None:
        data["budget"] = budget["amount"]
        data["budget_basis"] = budget.get("basis", "checkout")
    if isinstance(payload.get("start_date"), str):
        try:
            data["start_date"] = date.fromisoformat(payload["start_date"])
        except ValueError:  # left for the person to fill in
            pass
    if payload.get("energy_tolerance") is not None:
        data["energy_tolerance"] = round(payload["energy_tolerance"] * 100)
    data["exclude_foods"] = ", ".join(payload.get("exclude_foods") or [])
    data["favorite_recipes"] = ", ".join(payload.get("favorite_recipes") or [])
    pantry = [{"food": p.get("food", ""), "grams": p.get("grams")}
              for p in payload.get("pantry") or []]
    data["pantry"] = pantry + [{"food": "", "grams": None}] * max(0, PANTRY_ROWS - len(pantry))
    return data
