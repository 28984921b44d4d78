"""How fields are written in the OpenAPI document: in the forms generated clients read.

apispec's own forms are valid OpenAPI 3.0, but openapi-python-client reads two of them badly:
- Choices (`OneOf`) become an `enum`; the generator builds enums of strings and integers only
  and leaves out a whole operation whose schema holds an enum of other numbers. Choices that
  include a float are written as their range and step instead: the same values when evenly
  spaced (the portions 0.5, 0.75, ... 2). Requests are still validated by the `OneOf`, whose
  422 lists the choices.
- A nested schema that may be null becomes `anyOf: [$ref, {type: object, nullable: true}]`,
  which the generator turns into an extra model named like `PlanRequestBudgetType1Type0`.
  Written as `allOf: [$ref]` with `nullable: true`, the field is typed `Budget | None`.
Every free-text string is documented with the pattern the API holds it to: no NUL character
(json_input; a NUL is a 422).
"""

from __future__ import annotations

import types
from typing import Any

from apispec.ext.marshmallow.field_converter import FieldConverterMixin
from marshmallow import fields

NO_NUL = "^[^\\u0000]*$"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_range(numbers: list[float]) -> dict[str, float]:
    """minimum, maximum and, when the numbers are evenly spaced multiples of one step, the
    step as multipleOf."""
    numbers = sorted(numbers)
    attributes = {"minimum": numbers[0], "maximum": numbers[-1]}
    steps = {round(b - a, 9) for a, b in zip(numbers, numbers[1:], strict=False)}
    if len(steps) == 1:
        step = steps.pop()
        if step > 0 and round(numbers[0] / step, 9).is_integer():
            attributes["multipleOf"] = step
    return attributes


def field2choices(self, field, **kwargs) -> dict:
    """apispec's enum, unless the choices are numbers and not all of them integers."""
    attributes = FieldConverterMixin.field2choices(self, field, **kwargs)
    numbers = [value for value in attributes.get("enum", ()) if value is not None]
    if not numbers or not all(_is_number(value) for value in numbers):
        return attributes
    if all(isinstance(value, int) for value in numbers):
        return attributes
    return as_range(numbers)


def field2nullable(self, field, ret) -> dict:
    """apispec's nullable, with a nested schema as `allOf` + `nullable` on OpenAPI 3.0."""
    version = self.openapi_version
    if not field.allow_none or (version.major, version.minor) != (3, 0):
        return FieldConverterMixin.field2nullable(self, field, ret)
    if "$ref" in ret:
        return {"allOf": [{"$ref": ret.pop("$ref")}], "nullable": True}
    return {"nullable": True}


def field2nul_free(self, field, ret=None, **kwargs) -> dict:
    """A free-text string (no choices, no pattern of its own) holds no NUL character."""
    if (isinstance(field, fields.String) and not field.dump_only
            and "enum" not in (ret or {}) and "pattern" not in (ret or {})):
        return {"pattern": NO_NUL}
    return {}


REPLACED = {"field2choices": field2choices, "field2nullable": field2nullable}


def document_fields(converter) -> None:
    """Use the functions above in place of apispec's own in this converter."""
    converter.attribute_functions = [
        types.MethodType(REPLACED[name], converter) if name in REPLACED else function
        for function in converter.attribute_functions
        for name in [getattr(function, "__name__", "")]
    ] + [types.MethodType(field2nul_free, converter)]
