"""A plan's meals as an iCalendar file or subscribable feed (plans/calendar.py builds it)."""

from __future__ import annotations

import re
from datetime import time
from zoneinfo import ZoneInfo, available_timezones

from flask import current_app, url_for
from flask.views import MethodView
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.errors import abort
from mealplanner.plans.calendar import DEFAULT_TIMES, MealTimes, UndatedPlan, plan_calendar
from mealplanner.plans.catalog import current_catalog
from mealplanner.plans.feed_tokens import is_feed_token
from mealplanner.plans.service import PlanNotFound, load_plan
from mealplanner.rules import MEALS

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/plans",
                description="A plan's meals on a calendar: an iCalendar (RFC 5545) file to "
                            "import, or a feed URL a calendar app subscribes to.")
TOKEN_DOC = (
    "The plan's feed token, as the plan page's subscribable URL carries it (HMAC of the plan "
    "id under the server's secret key). Not required: the plan id alone already reads the "
    "plan, as GET /plans/{plan_id} does. When given it must be this plan's (403 otherwise).")


# The IANA zones of the zone database (zoneinfo), but the fixed offsets Etc/GMT+5 and GMT-0,
# whose POSIX signs read backwards (Etc/GMT+5 is UTC-5): an enum in the API document.
TIME_ZONES = sorted(zone for zone in available_timezones() if not re.search(r"[+-][0-9]", zone))


class MealTime(fields.String):
    """A time of day, HH:MM (24-hour clock)."""

    PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
    default_error_messages = {"invalid": "must be a time of day, HH:MM (e.g. 07:30)"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(self.PATTERN, text):
            raise self.make_error("invalid")
        return time(int(text[:2]), int(text[3:]))


def meal_time(slot: str) -> MealTime:
    start = f"{DEFAULT_TIMES[slot]:%H:%M}"
    return MealTime(metadata={"description": f"When {slot} starts, HH:MM (default {start})",
                              "example": start, "pattern": MealTime.PATTERN})


class CalendarQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # reported below, with the names allowed

    breakfast = meal_time("breakfast")
    lunch = meal_time("lunch")
    snack = meal_time("snack")
    dinner = meal_time("dinner")
    meal_minutes = fields.Integer(validate=validate.Range(5, 240), metadata={
        "description": "How long each meal event lasts, minutes (default: the recipe's "
                       "preparation plus cooking time, at least 15)"})
    tz = fields.String(validate=validate.OneOf(
        TIME_ZONES, error="unknown time zone {input!r}: use an IANA name "
                                              "such as Europe/Paris or America/New_York"),
        metadata={"description": "An IANA time zone (Europe/Paris): the times are "
                                           "its local times. Default: floating local times "
                                           "(the same clock time wherever the calendar is)"})
    token = fields.String(validate=validate.Length(1, 100), metadata={"description": TOKEN_DOC})

    @validates_schema(pass_original=True)
    def _no_unknown(self, data, original, **kwargs):
        allowed = ", ".join(self.fields)
        unknown = sorted(set(original) - set(self.fields))
        if unknown:
            raise ValidationError({name: [f"unknown parameter; allowed: {allowed}"]
                                   for name in unknown})


@blp.route("/<plan_id>/calendar.ics")
class PlanCalendar(MethodView):
    @blp.arguments(CalendarQuerySchema, location="query")
    @blp.response(200, operation_id="getPlanCalendar", description="text/calendar")
    @blp.doc(responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}})
    @blp.alt_response(403, schema=ErrorSchema, description="A token that is not this plan's.")
    @blp.alt_response(404, schema=ErrorSchema, description="No plan has this id.")
    @blp.alt_response(409, schema=ErrorSchema, description="A plan made before plans had "
                      "dates: make it again for a calendar.")
    def get(self, query, plan_id):
        """The plan's meals as an iCalendar file, one event per meal

        SUMMARY is the dish, DESCRIPTION the portion per person, the household and the recipe's
        URL (also the URL property); UIDs are the plan id, day and slot, so a subscribed
        calendar updates a swapped meal in place. Meal times, length and time zone come from
        the parameters; any other parameter is a 422 naming the allowed ones.
        """
        try:
            _request, document = load_plan(plan_id)
        except PlanNotFound:
            abort(404, f"No plan has id {plan_id!r}.")
        secret = current_app.config["SECRET_KEY"]
        if "token" in query and not is_feed_token(secret, plan_id, query["token"]):
            abort(403, "This calendar link's token is not this plan's: copy the feed URL from "
                       "the plan page again.", details={"token": ["not this plan's"]})
        times = MealTimes({**DEFAULT_TIMES, **{s: query[s] for s in MEALS if s in query}},
                          query.get("meal_minutes"), ZoneInfo(query["tz"]) if "tz" in query
                          else None)
        recipes = current_catalog().recipes
        try:
            body = plan_calendar(document, times, lambda rid: url_for(
                "web.recipe", recipe_id=rid, _external=True) if rid in recipes else None)
        except UndatedPlan:
            abort(409, "This plan was made before plans had dates, so its meals have no day "
                       "on a calendar: make it again (change the request) for a calendar.")
        response = current_app.response_class(body, mimetype="text/calendar")
        response.headers["Content-Disposition"] = f'attachment; filename="plan-{plan_id}.ics"'
        return response

