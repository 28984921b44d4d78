"""JSON field types as strict as JSON itself: marshmallow's own accept strings for numbers and
booleans ("2.5", "yes"), which a JSON API should refuse by name."""

from __future__ import annotations

from marshmallow import fields


class JsonInt(fields.Integer):
    """An integer that accepts 3.0 (JSON Schema counts it as an integer) but rejects 2.5."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


class JsonFloat(fields.Float):
    """A JSON number (2 or 2.5); marshmallow's Float also takes the string "2.5"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class JsonBool(fields.Boolean):
    """true or false only; marshmallow's Boolean also takes 0, 1, "yes" and "on"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class IsoDate(fields.Date):
    """An ISO 8601 date, 2026-12-07; a stored request's date (text already) dumps as it is."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD, e.g. 2026-12-07."}

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj,
                                                                         **kwargs)
