"""The RQ runner: jobs on a Redis queue, run by `mealplanner worker` processes.

The web process only enqueues `tasks.run_job(job_id)` (RQ's job id is the job's id) and reads
the job row; any web process can answer for any job. RQ gives each run a timeout (the job's
own: the solve's limit and a margin) and keeps a job queued at most
MEALPLANNER_QUEUE_MAX_WAIT_SECONDS. A job whose work horse died, or whose worker vanished
(RQ's abandoned-job cleanup), is marked failed by `job_lost`.
"""

from __future__ import annotations

from redis import Redis
from rq import Callback, Queue, Worker

from mealplanner.jobs import store, tasks
from mealplanner.jobs.queue import poll

RUN_JOB = "mealplanner.jobs.tasks.run_job"


class RQRunner:
    def __init__(self, connection: Redis, queue_name: str, queue_max_wait: int) -> None:
        self.connection = connection
        self.queue = Queue(queue_name, connection=connection)
        self.queue_max_wait = queue_max_wait

    @classmethod
    def from_config(cls, config) -> RQRunner:
        url = config.get("MEALPLANNER_REDIS_URL")
        if not url:
            raise ValueError("MEALPLANNER_JOBS=rq needs MEALPLANNER_REDIS_URL")
        connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
        return cls(connection, config["MEALPLANNER_JOB_QUEUE"],
                   int(config["MEALPLANNER_QUEUE_MAX_WAIT_SECONDS"]))

    def enqueue(self, job_id: str, timeout_seconds: int) -> None:
        self.queue.enqueue(RUN_JOB, job_id, job_id=job_id, job_timeout=timeout_seconds,
                           ttl=self.queue_max_wait, result_ttl=600, failure_ttl=3600,
                           on_failure=Callback(job_lost))

    def pending(self) -> int:
        """Queued and running jobs of every process, once the lost ones are failed."""
        store.fail_abandoned(self.queue_max_wait)
        return store.pending_count()

    def workers(self) -> int:
        """The workers listening on this queue now (at least 1: a queue is there to be
        worked; none running means jobs wait, and the queue's bound still holds)."""
        return max(1, Worker.count(connection=self.connection, queue=self.queue))

    def wait(self, job_id: str, seconds: float) -> None:
        poll(job_id, seconds)


def job_lost(job, connection, *exc_info) -> None:
    """RQ's failure callback: the run ended with no outcome stored (abandoned, killed)."""
    tasks.mark_lost(job.id)


def horse_killed(job, retpid, ret_val, rusage) -> None:
    """The worker's handler for a work horse that died mid-job (killed, out of memory)."""
    tasks.mark_lost(job.id)
