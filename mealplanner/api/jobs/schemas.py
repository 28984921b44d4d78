"""The job document: where a plan being solved off the request thread has got to."""

from __future__ import annotations

from marshmallow import Schema, fields, post_dump, validate

from mealplanner.api.base import ErrorDetailSchema
from mealplanner.jobs.kinds import KINDS
from mealplanner.jobs.models import STATUSES


class JobSchema(Schema):
    """A plan job: queued, running, done (with the plan's URL) or failed (with the error)."""

    class Meta:
        description = (
            "A plan being solved off the request thread. A `create` job makes a new plan; a "
            "`swap`, `regenerate` or `remove_exception` job changes a stored plan (POST "
            ".../swap, .../regenerate or .../remove-exception answered 202). Once done, "
            "`plan_url` is the plan made or changed: GET it for the plan as stored and its "
            "ETag (a job holds no copy of the plan). A change is made only to the plan as it "
            "was when asked: when another change was stored while it waited, it fails with "
            "`error.code` `plan_changed` and stores nothing (read the plan again and retry).")

    id = fields.String(required=True, metadata={
        "description": "Unguessable (128-bit random, URL-safe). Like the 201 of POST /plans, "
                       "it is a capability: whoever has it reads the job, and once a create "
                       "job is done its `owner_token`."})
    kind = fields.String(required=True, validate=validate.OneOf(tuple(KINDS)), metadata={
        "description": "create (a new plan), swap (one meal of a stored plan), regenerate "
                       "(a stored plan planned again, keeping the meals asked) or "
                       "remove_exception (a day held to its rule again)"})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "queued, running, done or failed"})
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(metadata={"description": "Once running."})
    finished_at = fields.DateTime(metadata={"description": "Once done or failed."})
    plan_id = fields.String(metadata={"description": "Once done: the plan made or changed."})
    plan_url = fields.String(metadata={
        "description": "Once done: the plan made or changed; GET it for the plan (and its "
                       "ETag, for the next change's If-Match)."})
    owner_token = fields.String(metadata={
        "description": "Once a create job is done: the new plan's owner token (as the 201 of "
                       "POST /plans gives it); keep it to change or delete the plan. Never "
                       "set for swap and regenerate jobs: their caller has the token."})
    error = fields.Nested(ErrorDetailSchema, metadata={
        "description": "Once failed: the error the request would have answered (the API's "
                       "error shape; `infeasible` carries the planner's explanation, "
                       "`plan_changed` says another change was stored first)."})

    @post_dump
    def _drop_empty(self, data: dict, **_kwargs) -> dict:
        return {key: value for key, value in data.items() if value is not None}
