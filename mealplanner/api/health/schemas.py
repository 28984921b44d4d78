"""Health probe responses."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok"})


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"description": "ready"})
    foods = fields.Integer(required=True, metadata={"description": "Foods in the database."})
