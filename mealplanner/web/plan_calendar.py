"""The plan page's calendar links: the .ics to download and the feed to subscribe to."""

from __future__ import annotations

from flask import current_app, url_for

from mealplanner.plans.feed_tokens import feed_token

CALENDAR = "calendar.PlanCalendar"  # GET /api/v1/plans/{id}/calendar.ics (api/plans/calendar.py)


def calendar_links(document: dict) -> dict[str, str] | None:
    """The download, and the feed URL with its read token as https (or the scheme served) and
    webcal:// (calendar apps subscribe to either); None for a plan stored without dates."""
    if not document["days"] or not document["days"][0].get("date"):
        return None
    plan_id = document["id"]
    token = feed_token(current_app.config["SECRET_KEY"], plan_id)
    feed = url_for(CALENDAR, plan_id=plan_id, token=token, _external=True)
    return {"download": url_for(CALENDAR, plan_id=plan_id), "feed": feed,
            "webcal": "webcal://" + feed.split("://", 1)[1]}
