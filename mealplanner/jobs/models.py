"""The job table: one row per plan solved off the request thread, so any process answers."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from mealplanner.extensions import db

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)
PENDING = (QUEUED, RUNNING)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Job(db.Model):
    """A request to solve: queued, running, then done (with its plan) or failed (with the
    error in the API's shape). Its unguessable id is a capability, like a plan's."""

    __tablename__ = "job"

    id: so.Mapped[str] = so.mapped_column(sa.String(32), primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    status: so.Mapped[str] = so.mapped_column(sa.String(10), index=True, default=QUEUED)
    request: so.Mapped[dict] = so.mapped_column(sa.JSON)
    # Seconds a run may take before it counts as lost (the solve's limit and a margin).
    timeout_seconds: so.Mapped[int] = so.mapped_column(sa.Integer)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True),
                                                       default=utc_now)
    started_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    finished_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    plan_id: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    # The new plan's owner token, for whoever holds the job id (as the plan's 201 gives it).
    owner_token: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    # {"code", "message", "details"}: the API's error shape.
    error: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
