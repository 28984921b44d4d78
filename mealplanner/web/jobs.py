"""The progress page of a plan being solved: it refreshes itself (a meta refresh, and
app.js polling the job's JSON) until the plan is ready, then goes to the plan."""

from __future__ import annotations

from flask import abort, render_template, url_for

from mealplanner.jobs.models import DONE, FAILED
from mealplanner.jobs.queue import job_deadline_check
from mealplanner.web.blueprint import bp
from mealplanner.web.forms import PlanForm
from mealplanner.web.mapping import form_data
from mealplanner.web.plans import finished_page

REFRESH_SECONDS = 2


@bp.get("/jobs/<job_id>")
def job(job_id: str):
    """Planning in progress; once done, the plan (this browser keeps its owner token) or
    the form with the explanation."""
    found = job_deadline_check(job_id)
    if found is None:
        abort(404, "No plan is being made at this address; it may be an old link. Make a new "
                   "plan from the form.")
    if found.status in (DONE, FAILED):
        request_json = {k: v for k, v in (found.request or {}).items() if k != "continue_from"}
        form = PlanForm(formdata=None, data=form_data(request_json))
        return finished_page(found, form, list(range(len(request_json.get("pantry") or []))))
    page = render_template("web/job.html", job=found, refresh_seconds=REFRESH_SECONDS,
                           job_url=url_for("jobs.JobItem", job_id=found.id))
    return page, 200, {"Cache-Control": "no-store"}
