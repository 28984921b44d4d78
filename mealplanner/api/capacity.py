"""How many plans this process solves at once; past that, 503 with Retry-After at once.

A solve keeps a core busy for seconds (CP-SAT with two workers), so queueing more requests
behind it only makes every one of them slower and ties up server threads. Settings:
MEALPLANNER_PLANNER_SLOTS (default 1: a solve runs two search workers, so one solve per
process already keeps two cores busy; measured in bench/README.md "Load test") and
MEALPLANNER_PLANNER_RETRY_AFTER (seconds, default 10).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app

from mealplanner.api.base import api_abort

_KEY = "mealplanner.planner_capacity"


class PlannerCapacity:
    """A per-process semaphore with a non-blocking acquire."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._semaphore = threading.BoundedSemaphore(slots) if slots > 0 else None

    def try_acquire(self) -> bool:
        return self._semaphore is not None and self._semaphore.acquire(blocking=False)

    def release(self) -> None:
        if self._semaphore is not None:
            self._semaphore.release()


def init_app(app: Flask) -> None:
    """Settings from the app config, else the environment, else the defaults."""
    for name, default in (("MEALPLANNER_PLANNER_SLOTS", 1),
                          ("MEALPLANNER_PLANNER_RETRY_AFTER", 10)):
        app.config.setdefault(name, int(os.environ.get(name, default)))
    app.extensions[_KEY] = PlannerCapacity(int(app.config["MEALPLANNER_PLANNER_SLOTS"]))


def capacity() -> PlannerCapacity:
    return current_app.extensions[_KEY]


@contextmanager
def planner_slot() -> Iterator[None]:
    """Hold one solver slot for the block, or stop the request with 503 if none is free."""
    slots = capacity()
    if not slots.try_acquire():
        retry_after = str(int(current_app.config["MEALPLANNER_PLANNER_RETRY_AFTER"]))
        api_abort(503, f"The planner is busy with other plans; retry in {retry_after} seconds.",
                  code="planner_busy", headers={"Retry-After": retry_after})
    try:
        yield
    finally:
        slots.release()
