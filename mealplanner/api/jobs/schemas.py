"""The job document: where a plan being solved off the request thread has got to."""

from __future__ import annotations

from marshmallow import Schema, fields, post_dump, validate

from mealplanner.api.base import ErrorDetailSchema
from mealplanner.jobs.models import STATUSES


class JobSchema(Schema):
    """A plan job: queued, running, done (with the plan's URL) or failed (with the error)."""

    id = fields.String(required=True, metadata={
        "description": "Unguessable (128-bit random, URL-safe). Like the 201 of POST /plans, "
                       "it is a capability: whoever has it reads the job, and once the job is "
                       "done its `owner_token`."})
    kind = fields.String(required=True, validate=validate.OneOf(("create",)), metadata={
        "description": "create (a new plan)"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "queued, running, done or failed"})
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(metadata={"description": "Once running."})
    finished_at = fields.DateTime(metadata={"description": "Once done or failed."})
    plan_id = fields.String(metadata={"description": "Once done: the plan made or changed."})
    plan_url = fields.String(metadata={"description": "Once done: GET it for the plan."})
    owner_token = fields.String(metadata={
        "description": "Once a create job is done: the new plan's owner token (as the 201 of "
                       "POST /plans gives it); keep it to delete the plan."})
    error = fields.Nested(ErrorDetailSchema, metadata={
        "description": "Once failed: the error the request would have answered (the API's "
                       "error shape; `infeasible` carries the planner's explanation)."})

    @post_dump
    def _drop_empty(self, data: dict, **_kwargs) -> dict:
        return {key: value for key, value in data.items() if value is not None}
