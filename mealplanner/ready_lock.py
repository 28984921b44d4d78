"""One process at a time makes the database ready (migrates and seeds it).

`mealplanner serve` and two `mealplanner plan` started at once on an empty database would each
create the tables ("table food already exists") and seed the foods. Every start takes this lock
first, so the first migrates and seeds and the others find the work done:
- SQLite: an exclusive file lock (flock) on `<database file>.lock`, beside the database;
- PostgreSQL: a session-level advisory lock (pg_advisory_lock), held on a connection of its own;
- anything else (SQLite in memory): no other process can share it, no lock.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

# pg_advisory_lock's key: any bigint other applications on the database do not use.
ADVISORY_KEY = int.from_bytes(b"mealplnr", "big") & 0x7FFF_FFFF_FFFF_FFFF


def lock_file(url: sa.URL) -> Path | None:
    """The lock file of a SQLite database file; None for anything else."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(url.database + ".lock")


@contextmanager
def database_ready_lock(engine: sa.Engine) -> Iterator[None]:
    """Hold the lock for the block; other processes wait for it."""
    path = lock_file(engine.url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
    elif engine.url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"),
                                   {"key": ADVISORY_KEY})
                connection.commit()
    else:
        yield
