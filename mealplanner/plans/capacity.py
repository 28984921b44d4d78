"""How many plans this process solves at once; past that, PlannerBusy (503 + Retry-After).

A solve keeps a core busy for seconds (CP-SAT with two workers), so queueing more requests
behind it only makes every one of them slower and ties up server threads. Settings (read by
mealplanner.config): MEALPLANNER_PLANNER_SLOTS (default 1: a solve runs two search workers, so
one solve per process already keeps two cores busy; measured in bench/README.md "Load test")
and MEALPLANNER_PLANNER_RETRY_AFTER (seconds, default 10).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, current_app

_KEY = "mealplanner.planner_capacity"
# Seconds a solve waits for a free slot: None (a request on its own thread) is answered 503 at
# once; a queued job was accepted already, so it waits its turn (waiting_for_a_slot).
_WAIT: ContextVar[float | None] = ContextVar("planner_slot_wait", default=None)


class PlannerBusy(RuntimeError):
    """Every solver slot is taken; mealplanner.errors answers 503 with Retry-After."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the planner is busy; retry in {retry_after} seconds")
        self.retry_after = retry_after


class PlannerCapacity:
    """A per-process semaphore with a non-blocking acquire."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphore = threading.BoundedSemaphore(slots) if slots > 0 else None

    def try_acquire(self, wait_seconds: float | None = None) -> bool:
        if self._semaphore is None:
            return False
        if wait_seconds is None:
            return self._semaphore.acquire(blocking=False)
        return self._semaphore.acquire(timeout=wait_seconds)

    def release(self) -> None:
        if self._semaphore is not None:
            self._semaphore.release()


def init_app(app: Flask) -> None:
    """One semaphore per app, sized by MEALPLANNER_PLANNER_SLOTS."""
    app.extensions[_KEY] = PlannerCapacity(int(app.config["MEALPLANNER_PLANNER_SLOTS"]))


def capacity() -> PlannerCapacity:
    return current_app.extensions[_KEY]


@contextmanager
def waiting_for_a_slot(seconds: float) -> Iterator[None]:
    """Solves in the block wait up to `seconds` for a slot instead of failing at once: a
    queued job, accepted with a 202, must not be turned away because a request on another
    thread (the alternatives of a meal) holds the slot for a moment."""
    token = _WAIT.set(seconds)
    try:
        yield
    finally:
        _WAIT.reset(token)


@contextmanager
def planner_slot() -> Iterator[None]:
    """Hold one solver slot for the block, or raise PlannerBusy if none is free (in time)."""
    slots = capacity()
    if not slots.try_acquire(_WAIT.get()):
        raise PlannerBusy(int(current_app.config["MEALPLANNER_PLANNER_RETRY_AFTER"]))
    try:
        yield
    finally:
        slots.release()
