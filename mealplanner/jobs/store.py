"""Job rows: written as a job moves from queued to running to done or failed.

Every change is one UPDATE guarded by the status it expects, so a job is started once and
finished once whichever process gets there first (a worker, or the sweep that fails a job its
worker left behind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from mealplanner.extensions import db
from mealplanner.jobs.models import DONE, FAILED, PENDING, QUEUED, RUNNING, Job, utc_now
from mealplanner.plans import ownership
from mealplanner.plans.service import PLAN_ID

LOST_MESSAGE = ("The planner stopped before this plan was finished (its worker was stopped or "
                "ran out of time); nothing was saved. Send the request again.")


@dataclass(frozen=True)
class JobError:
    """A failed job's error, in the API's shape; `status` is the HTTP status it answers."""

    status: int
    code: str
    message: str
    details: dict

    def as_document(self) -> dict:
        return {"code": self.code, "message": self.message, "details": self.details}


def new_job(kind: str, request: dict, timeout_seconds: int) -> Job:
    """Store a queued job under a fresh unguessable id."""
    job = Job(id=ownership.new_token(), kind=kind, status=QUEUED, request=request,
              timeout_seconds=timeout_seconds, created_at=utc_now())
    db.session.add(job)
    db.session.commit()
    return job


def find_job(job_id: str) -> Job | None:
    """The job as stored now (never a cached copy), or None."""
    if not PLAN_ID.fullmatch(job_id):
        return None
    db.session.rollback()  # end the transaction: read what other processes committed since
    return db.session.get(Job, job_id)


def start(job_id: str) -> Job | None:
    """Mark a queued job running; None when it is not queued (already run, or failed)."""
    return _move(job_id, QUEUED, RUNNING, started_at=utc_now())


def finish(job_id: str, plan_id: str, owner_token: str | None, **values) -> None:
    _move(job_id, RUNNING, DONE, finished_at=utc_now(), plan_id=plan_id,
          owner_token=owner_token, **values)


def fail(job_id: str, error: JobError, **values) -> bool:
    """Mark a queued or running job failed with the error; False when it had finished."""
    return _move(job_id, PENDING, FAILED, finished_at=utc_now(),
                 error={**error.as_document(), "status": error.status}, **values) is not None


def error_of(job: Job) -> JobError | None:
    if job.error is None:
        return None
    stored = dict(job.error)
    return JobError(status=int(stored.pop("status", 500)), code=stored["code"],
                    message=stored["message"], details=stored.get("details") or {})


def lost_error() -> JobError:
    return JobError(500, "internal_error", LOST_MESSAGE, {})


def pending_count() -> int:
    """Jobs queued or running, in every process."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Job)
                             .where(Job.status.in_(PENDING))) or 0


def fail_abandoned(queue_max_wait: int, now: datetime | None = None) -> int:
    """Fail the jobs nobody will finish: running past their timeout (the worker was killed),
    or queued longer than the queue keeps a job. Returns how many."""
    now = now or utc_now()
    rows = db.session.scalars(sa.select(Job).where(Job.status.in_(PENDING))).all()
    lost = [job.id for job in rows if is_abandoned(job, queue_max_wait, now)]
    return sum(fail(job_id, lost_error()) for job_id in lost)


def forget_finished(keep_seconds: int, now: datetime | None = None) -> int:
    """Delete jobs finished more than `keep_seconds` ago (their plans stay): a job id hands
    out its plan's owner token, so it is not kept for ever. Returns how many."""
    cutoff = (now or utc_now()) - timedelta(seconds=keep_seconds)
    result = db.session.execute(sa.delete(Job).where(Job.status.in_((DONE, FAILED)),
                                                     Job.finished_at < cutoff))
    db.session.commit()
    return result.rowcount


def is_abandoned(job: Job, queue_max_wait: int, now: datetime) -> bool:
    if job.status == RUNNING and job.started_at is not None:
        return aware(job.started_at) + timedelta(seconds=job.timeout_seconds) < now
    return job.status == QUEUED and aware(job.created_at) + timedelta(
        seconds=queue_max_wait) < now


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _move(job_id: str, expected, status: str, **values) -> Job | None:
    expected = (expected,) if isinstance(expected, str) else tuple(expected)
    result = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status.in_(expected))
        .values(status=status, **values))
    db.session.commit()
    if result.rowcount != 1:
        return None
    return db.session.get(Job, job_id, populate_existing=True)
