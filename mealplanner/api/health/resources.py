"""Liveness (/health: the process answers) and readiness (/ready: the database answers and
holds the food database), at the root where load balancers look for them."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask.views import MethodView

from mealplanner.api.base import Blueprint, ErrorSchema
from mealplanner.api.health.schemas import HealthSchema, ReadySchema
from mealplanner.errors import abort
from mealplanner.extensions import db
from mealplanner.models import Food

blp = Blueprint("health", __name__, url_prefix="",
                description="Probes for load balancers and orchestrators.")


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema, operation_id="getHealth")
    def get(self):
        """Liveness: the process answers"""
        return {"status": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.response(200, ReadySchema, operation_id="getReadiness")
    @blp.alt_response(503, schema=ErrorSchema,
                      description="The database does not answer or holds no foods yet.")
    def get(self):
        """Readiness: the database answers and the food table is not empty"""
        try:
            foods = db.session.scalar(sa.select(sa.func.count()).select_from(Food)) or 0
        except sa.exc.SQLAlchemyError as error:
            db.session.rollback()
            current_app.logger.warning("not ready: %s", error.__class__.__name__)
            abort(503, "The database does not answer.", code="not_ready")
        if foods == 0:
            abort(503, "The food database is empty; run `mealplanner db seed`.",
                      code="not_ready")
        return {"status": "ready", "foods": foods}
