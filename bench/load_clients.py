"""The simulated users of a load run, and what they saw.

Each client, on its own keep-alive connection, creates a full-week plan (following a 202 to
its job until the job is done or failed), swaps meals with If-Match (now and then two swaps of
different meals of the plan at once, from two connections), downloads the shopping list and
reads the plan. Every answer is recorded; every swap answered 200 is kept as a `MealChange`,
so the run can check afterwards that each one is in the stored plan.

A swap may answer 200 (solved in the request) or 202 with a job (solved on the queue): both
are followed to the end.
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
LIST_FORMATS = ("json", "csv", "md")
CLIENT_TIMEOUT = 120  # seconds; a request still open then counts as "timeout"
# gunicorn closes a keep-alive connection idle for 5 s (cli/production.py): a client idle
# longer opens a new one rather than send a POST into a connection being closed.
IDLE_SECONDS = 4
POLL_SECONDS = 0.25  # how often a client asks where its job has got to
# A failed job's error code, as the status the request would have answered.
JOB_ERROR_STATUS = {"planner_busy": 503, "plan_changed": 409, "precondition_failed": 412,
                    "infeasible": 422, "planner_timeout": 422, "validation_error": 422,
                    "not_found": 404, "forbidden": 403}


@dataclass
class Record:
    op: str
    status: str  # "200", "503" (planner_busy), "503 database_unavailable", "timeout", ...
    seconds: float


@dataclass(frozen=True)
class MealChange:
    """A swap the server said it stored: this meal now holds this recipe, from `version`."""

    plan_id: str
    day: int
    slot: str
    recipe_id: str
    version: int
    via: str  # "200", or "202" (read back once its job was done)


@dataclass(frozen=True)
class FinishedPlan:
    plan_id: str
    seconds: float  # from sending the POST to having the plan (201, or its job done)
    via: str  # "201" or "202"
    at: float  # time.monotonic() when finished


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    plans: dict[str, dict] = field(default_factory=dict)  # id -> newest document returned
    changes: list[MealChange] = field(default_factory=list)
    finished: list[FinishedPlan] = field(default_factory=list)
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> last status the client saw
    pairs: Counter = field(default_factory=Counter)  # "200+409": concurrent swap outcomes
    uncertain: set[str] = field(default_factory=set)  # a change whose answer was lost
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)

    def keep_document(self, document: dict) -> None:
        """The plan as the server last answered it: the newest version wins."""
        with self.lock:
            known = self.plans.get(document["id"])
            if known is None or document.get("version", 0) >= known.get("version", 0):
                self.plans[document["id"]] = document


def status_label(status: int, payload) -> str:
    """The status, with the error code for a 503 that is not the deliberate planner_busy."""
    code = payload.get("error", {}).get("code") if isinstance(payload, dict) else None
    if status == 503 and code != "planner_busy":
        return f"503 {code}"
    return str(status)


def meal_recipe(document: dict, day: int, slot: str) -> str | None:
    for planned in document.get("days", []):
        if planned["day"] == day:
            for meal in planned["meals"]:
                if meal["slot"] == slot:
                    return meal["recipe_id"]
    return None


class Client:
    """One simulated user on one keep-alive HTTP connection."""

    def __init__(self, port: int, results: Results, seed: int, days: int = 7,
                 pair_share: float = 0.3, drain_until: float = float("inf"),
                 patient: bool = True) -> None:
        self.port, self.results, self.days = port, results, days
        self.patient = patient  # honours Retry-After
        self.rng = random.Random(seed)
        self.pair_share = pair_share
        self.drain_until = drain_until  # a job is followed past the deadline until then
        self.conn: http.client.HTTPConnection | None = None
        self.last_used = 0.0  # time.perf_counter() of the connection's last answer
        self.tokens: dict[str, str] = {}  # plan id -> owner token, for the plans it made
        self.etags: dict[str, str] = {}  # plan id -> ETag of the version last seen
        self._partner: Client | None = None
        self.last_status: int | None = None  # of the last swap

    # HTTP ------------------------------------------------------------------------------------

    def request(self, op: str, method: str, path: str, body: dict | None = None,
                extra_headers: dict | None = None):
        """(status, parsed JSON or text, headers), recorded; (None, None, {}) on no answer."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        headers.update(extra_headers or {})
        started = time.perf_counter()
        if self.conn is not None and started - self.last_used > IDLE_SECONDS:
            self._drop()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                       timeout=CLIENT_TIMEOUT)
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except TimeoutError:
            self._drop()
            self.results.add(Record(op, "timeout", time.perf_counter() - started))
            return None, None, {}
        except (OSError, http.client.HTTPException):
            self._drop()
            self.results.add(Record(op, "connection_error", time.perf_counter() - started))
            return None, None, {}
        self.last_used = time.perf_counter()
        if response.getheader("Connection", "").lower() == "close":
            self._drop()
        ctype = response.getheader("Content-Type", "")
        payload = json.loads(raw) if raw and ctype.startswith("application/json") else raw
        self.results.add(Record(op, status_label(response.status, payload),
                                time.perf_counter() - started))
        return response.status, payload, dict(response.getheaders())

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def backoff(self, headers: dict | None = None) -> None:
        """Wait as a 503 or 429 asks (Retry-After, and up to half a second more, so clients
        told the same do not all come back at once); impatient clients wait 0.3-1 s."""
        asked = (headers or {}).get("Retry-After", "")
        if self.patient and asked.isdigit():
            time.sleep(int(asked) + self.rng.uniform(0, 0.5))
        else:
            time.sleep(self.rng.uniform(0.3, 1.0))

    def follow(self, kind: str, location: str, started: float):
        """Poll a job until done or failed (or the drain is over): (status, job document);
        a failed job's status is the one its error stands for."""
        job_id = location.rstrip("/").rsplit("/", 1)[-1]
        job: dict = {}
        while time.monotonic() < self.drain_until:
            status, payload, _ = self.request("job_poll", "GET", location)
            if status == 200:
                job = payload
                with self.results.lock:
                    self.results.jobs[job_id] = job["status"]
                if job["status"] in ("done", "failed"):
                    break
            time.sleep(POLL_SECONDS)
        outcome = job.get("status", "unanswered")
        if outcome == "failed":
            outcome = f"failed {job.get('error', {}).get('code')}"
        elif outcome in ("queued", "running"):
            outcome = f"unfinished ({outcome})"
        self.results.add(Record(f"{kind}_job", outcome, time.perf_counter() - started))
        if job.get("status") == "done":
            return 200, job
        code = job.get("error", {}).get("code")
        return JOB_ERROR_STATUS.get(code, 500) if code else None, job

    def read_plan(self, plan_id: str, op: str = "get_plan") -> dict | None:
        status, payload, headers = self.request(op, "GET", f"/api/v1/plans/{plan_id}")
        if status != 200:
            return None
        self.etags[plan_id] = headers.get("ETag", "")
        return payload

    # What a user does --------------------------------------------------------------------------

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            plan = self.create()
            if plan is None:
                continue
            if time.monotonic() < deadline and self.rng.random() < self.pair_share:
                self.concurrent_swaps(plan)
            else:
                for _ in range(self.rng.choice((1, 2))):
                    if time.monotonic() >= deadline:
                        break
                    plan = self.swap(plan, *self.pick_meal(plan)) or plan
            if time.monotonic() < deadline:
                fmt = self.rng.choice(LIST_FORMATS)
                self.request(f"list_{fmt}", "GET",
                             f"/api/v1/plans/{plan['id']}/shopping-list?format={fmt}")
            if time.monotonic() < deadline:
                self.read_plan(plan["id"])
        self._drop()
        if self._partner is not None:
            self._partner._drop()

    def create(self) -> dict | None:
        body = {"days": self.days, "people": self.rng.randint(1, 4),
                "diet": self.rng.choice(DIETS)}
        started = time.perf_counter()
        status, payload, headers = self.request("create", "POST", "/api/v1/plans", body)
        if status == 201:
            self.tokens[payload["id"]] = payload.pop("owner_token")  # swapping needs it
            self.etags[payload["id"]] = headers.get("ETag", "")
            self.results.keep_document(payload)
            self.finished(payload["id"], started, "201")
            return payload
        if status == 202:
            status, job = self.follow("create", headers["Location"], started)
            if status == 200:
                self.tokens[job["plan_id"]] = job["owner_token"]
                self.finished(job["plan_id"], started, "202")
                plan = self.read_plan(job["plan_id"], "job_plan")
                if plan is not None:
                    self.results.keep_document(plan)
                return plan
        if status in (None, 429, 503):
            self.backoff(headers)
        return None

    def finished(self, plan_id: str, started: float, via: str) -> None:
        with self.results.lock:
            self.results.finished.append(FinishedPlan(
                plan_id, time.perf_counter() - started, via, time.monotonic()))

    def pick_meal(self, plan: dict, avoid: tuple[int, str] | None = None) -> tuple[int, str]:
        meals = [(d["day"], m["slot"]) for d in plan["days"] for m in d["meals"]]
        return self.rng.choice([meal for meal in meals if meal != avoid])

    def swap(self, plan: dict, day: int, slot: str, op: str = "swap") -> dict | None:
        """Swap one meal, with If-Match of the version last seen; the new plan on success."""
        plan_id = plan["id"]
        headers = {"X-Owner-Token": self.tokens[plan_id], "If-Match": self.etags[plan_id]}
        started = time.perf_counter()
        status, payload, answer = self.request(op, "POST", f"/api/v1/plans/{plan_id}/swap",
                                               {"day": day, "slot": slot}, headers)
        via = "200"
        if status == 202:
            status, _job = self.follow(op, answer["Location"], started)
            via = "202"
            if status == 200:  # done: the plan as stored now holds the change
                payload = self.read_plan(plan_id, "job_plan")
                status = 200 if payload is not None else None
            answer = {"ETag": self.etags.get(plan_id, "")}
        self.last_status = status
        if status == 200:
            self.etags[plan_id] = answer.get("ETag", "")
            self.results.keep_document(payload)
            with self.results.lock:
                self.results.changes.append(MealChange(
                    plan_id, day, slot, meal_recipe(payload, day, slot),
                    payload.get("version", 0), via))
            return payload
        if status is None:
            with self.results.lock:
                self.results.uncertain.add(plan_id)
        elif status in (429, 503):
            self.backoff(answer)
        return None

    def concurrent_swaps(self, plan: dict) -> None:
        """Two swaps of different meals of the plan sent at once (both with the same If-Match);
        a loser (409 or 412) reads the plan again and retries once, as the error says."""
        if self._partner is None:
            self._partner = Client(self.port, self.results, self.rng.randrange(1 << 30),
                                   self.days, drain_until=self.drain_until,
                                   patient=self.patient)
        partner = self._partner
        partner.tokens[plan["id"]] = self.tokens[plan["id"]]
        partner.etags[plan["id"]] = self.etags[plan["id"]]
        first = self.pick_meal(plan)
        second = self.pick_meal(plan, avoid=first)
        barrier = threading.Barrier(2)

        def go(client: Client, meal: tuple[int, str]) -> None:
            barrier.wait()
            client.swap(plan, *meal, op="swap_pair")

        other = threading.Thread(target=go, args=(partner, second))
        other.start()
        go(self, first)
        other.join()
        outcome = sorted(str(c.last_status) for c in (self, partner))
        with self.results.lock:
            self.results.pairs["+".join(outcome)] += 1
        for client, meal in ((self, first), (partner, second)):
            if client.last_status in (409, 412) and client.read_plan(plan["id"]) is not None:
                client.swap(plan, *meal, op="swap_retry")
        self.read_plan(plan["id"])  # the version both changes made, for what comes next
