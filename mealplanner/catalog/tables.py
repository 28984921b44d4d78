"""What every reader of a foods folder shares: the error that names the file, row and field,
CSV rows with their line numbers, and whole numbers checked on the way in."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path


class CatalogError(ValueError):
    """A data file breaks the format; the message says where and what is allowed."""


def read_csv(path: Path, required: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; fails when a required column is missing."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(f"{path.name}: missing column(s) {', '.join(missing)}")
        return [(reader.line_num, row) for row in reader]


def whole_number(value: str, where: str, field: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CatalogError(f"{where}: {field} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise CatalogError(f"{where}: {field} must be at least {minimum}, got {number}")
    return number
